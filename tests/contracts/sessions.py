"""The ``SessionStore`` contract: sessions by the keyed hash of their token, ended one at a
time or all of one person's, forgotten a while after they are over."""

from __future__ import annotations

import datetime as dt

import pytest

from playbook.ports import SessionStore

T0 = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


class SessionStoreContract:
    """Tests every ``SessionStore`` adapter passes; a subclass provides ``subject``."""

    @pytest.fixture
    def subject(self) -> SessionStore:
        """An empty session store of the adapter under test."""
        raise NotImplementedError("a subclass provides the SessionStore under test")

    def test_a_session_round_trips(self, subject: SessionStore) -> None:
        subject.add("h1", "ada", T0, T0 + 12 * HOUR)
        found = subject.get("h1")
        assert found is not None
        assert (found.token_hash, found.username) == ("h1", "ada")
        assert (found.created_at, found.expires_at, found.revoked_at) == (T0, T0 + 12 * HOUR, None)
        assert subject.get("h2") is None

    def test_revoke_ends_one_session_once(self, subject: SessionStore) -> None:
        subject.add("h1", "ada", T0, T0 + HOUR)
        subject.add("h2", "ada", T0, T0 + HOUR)
        assert subject.revoke("h1", T0 + dt.timedelta(minutes=5)) is True
        assert subject.revoke("h1", T0 + dt.timedelta(minutes=9)) is False  # already ended
        assert subject.revoke("nobody", T0) is False
        ended = subject.get("h1")
        assert ended is not None and ended.revoked_at == T0 + dt.timedelta(minutes=5)
        kept = subject.get("h2")
        assert kept is not None and kept.revoked_at is None

    def test_revoke_user_ends_only_their_open_sessions(self, subject: SessionStore) -> None:
        subject.add("a1", "ada", T0, T0 + HOUR)
        subject.add("a2", "ada", T0, T0 + HOUR)
        subject.add("r1", "ravi", T0, T0 + HOUR)
        subject.revoke("a1", T0)
        assert subject.revoke_user("ada", T0 + HOUR / 2) == 1  # a1 was ended already
        assert all(s is not None and s.revoked_at for s in (subject.get("a1"), subject.get("a2")))
        ravi = subject.get("r1")
        assert ravi is not None and ravi.revoked_at is None
        assert subject.revoke_user("nobody", T0) == 0

    def test_purge_forgets_sessions_over_before_the_time(self, subject: SessionStore) -> None:
        subject.add("expired", "ada", T0, T0 + HOUR)
        subject.add("ended", "ada", T0, T0 + 48 * HOUR)
        subject.add("open", "ada", T0, T0 + 48 * HOUR)
        subject.revoke("ended", T0 + HOUR)
        assert subject.purge(T0 + 2 * HOUR) == 2
        assert subject.get("expired") is None and subject.get("ended") is None
        assert subject.get("open") is not None
