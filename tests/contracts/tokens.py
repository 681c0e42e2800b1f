"""The ``TokenStore`` contract: tokens round trip by hash and by id, list newest first per
user, revoke once, and record their last use."""

from __future__ import annotations

import datetime as dt

import pytest

from playbook.ports.tokens import TokenStore

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


class TokenStoreContract:
    """Tests every ``TokenStore`` adapter passes; a subclass provides ``subject``."""

    @pytest.fixture
    def subject(self) -> TokenStore:
        """An empty token store of the adapter under test."""
        raise NotImplementedError("a subclass provides the TokenStore under test")

    def test_a_token_round_trips(self, subject: TokenStore) -> None:
        expires = T0 + dt.timedelta(days=30)
        made = subject.add("h" * 64, "ada", "slack bot", ["read", "write"], T0, expires)
        for found in (subject.by_hash("h" * 64), subject.get(made.token_id)):
            assert found == made
            assert found is not None
            assert (found.username, found.name) == ("ada", "slack bot")
            assert found.scopes == ("read", "write")
            assert (found.created_at, found.expires_at) == (T0, expires)
            assert found.last_used_at is None and found.revoked_at is None
        assert subject.by_hash("x" * 64) is None and subject.get("nope") is None

    def test_times_come_back_in_utc_whatever_zone_they_were_given_in(
        self, subject: TokenStore
    ) -> None:
        paris = dt.timezone(dt.timedelta(hours=1))
        made = subject.add("h" * 64, "ada", "t", ["read"], T0.astimezone(paris), None)
        found = subject.get(made.token_id)
        assert found is not None and found.created_at == T0 and found.expires_at is None

    def test_listing_is_per_user_newest_first(self, subject: TokenStore) -> None:
        first = subject.add("a" * 64, "ada", "one", ["read"], T0, None)
        second = subject.add("b" * 64, "ada", "two", ["read"], T0 + dt.timedelta(hours=1), None)
        subject.add("c" * 64, "ravi", "one", ["write"], T0, None)
        assert [t.token_id for t in subject.listing("ada")] == [second.token_id, first.token_id]
        assert [t.name for t in subject.listing("ravi")] == ["one"]
        assert subject.listing("nobody") == []

    def test_a_token_is_revoked_once(self, subject: TokenStore) -> None:
        made = subject.add("a" * 64, "ada", "one", ["read"], T0, None)
        later = T0 + dt.timedelta(hours=2)
        assert subject.revoke(made.token_id, later) is True
        assert subject.revoke(made.token_id, later + dt.timedelta(hours=1)) is False
        assert subject.revoke("nope", later) is False
        found = subject.get(made.token_id)
        assert found is not None and found.revoked_at == later and not found.live(later)

    def test_a_use_is_recorded(self, subject: TokenStore) -> None:
        made = subject.add("a" * 64, "ada", "one", ["read"], T0, None)
        used = T0 + dt.timedelta(minutes=5)
        subject.touch(made.token_id, used)
        subject.touch("nope", used)
        found = subject.by_hash("a" * 64)
        assert found is not None and found.last_used_at == used

    def test_hashes_are_unique(self, subject: TokenStore) -> None:
        subject.add("a" * 64, "ada", "one", ["read"], T0, None)
        with pytest.raises(Exception):  # noqa: B017 - each backend raises its own integrity error
            subject.add("a" * 64, "ravi", "two", ["read"], T0, None)
        assert [t.username for t in [subject.by_hash("a" * 64)] if t] == ["ada"]
