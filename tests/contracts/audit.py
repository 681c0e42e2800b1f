"""The ``AuditStore`` contract: lines appended, read newest first, never changed.

The sign-in use case records ``"sign-in"`` and ``"sign-in failed"`` lines (with the username
as subject) and reads them back for throttling, so those two action names are part of what
every audit store must understand.
"""

from __future__ import annotations

import datetime as dt

import pytest

from playbook.ports import AuditStore

T0 = dt.datetime(2026, 1, 1, 9, 0, tzinfo=dt.UTC)


def minutes(n: int) -> dt.datetime:
    """``n`` minutes after ``T0``."""
    return T0 + dt.timedelta(minutes=n)


class AuditStoreContract:
    """Tests every ``AuditStore`` adapter passes; a subclass provides ``subject``."""

    @pytest.fixture
    def subject(self) -> AuditStore:
        """An empty audit log of the adapter under test."""
        raise NotImplementedError("a subclass provides the AuditStore under test")

    def test_a_line_round_trips(self, subject: AuditStore) -> None:
        subject.append(T0, "cora", "share approved", "doc-1", "programme north")
        subject.append(minutes(1), None, "reindex", "", "")
        newest, oldest = subject.events()
        assert (oldest.at, oldest.actor, oldest.action) == (T0, "cora", "share approved")
        assert (oldest.subject, oldest.detail) == ("doc-1", "programme north")
        assert newest.actor is None and newest.at == minutes(1)

    def test_events_are_newest_first(self, subject: AuditStore) -> None:
        for i in range(5):
            subject.append(minutes(i), "ada", f"action {i}", "", "")
        assert [e.action for e in subject.events()] == [f"action {i}" for i in range(4, -1, -1)]
        assert len({e.id for e in subject.events()}) == 5

    def test_events_filter_by_action_since_and_limit(self, subject: AuditStore) -> None:
        for i in range(6):
            subject.append(minutes(i), "ada", "even" if i % 2 == 0 else "odd", str(i), "")
        assert [e.subject for e in subject.events(action="odd")] == ["5", "3", "1"]
        assert [e.subject for e in subject.events(since=minutes(3))] == ["5", "4", "3"]
        assert [e.subject for e in subject.events("even", minutes(1))] == ["4", "2"]
        assert [e.subject for e in subject.events(limit=2)] == ["5", "4"]
        assert subject.events(action="never") == []

    def test_failures_since_are_one_subjects_oldest_first(self, subject: AuditStore) -> None:
        subject.append(minutes(0), None, "sign-in failed", "ada", "")
        subject.append(minutes(5), None, "sign-in failed", "ada", "")
        subject.append(minutes(6), None, "sign-in failed", "ravi", "")
        subject.append(minutes(7), "ada", "sign-in", "ada", "")
        subject.append(minutes(9), None, "sign-in failed", "ada", "")
        assert subject.failures_since("ada", minutes(1)) == [minutes(5), minutes(9)]
        assert subject.failures_since("ada", minutes(10)) == []
        assert subject.failures_since("olga", T0) == []

    def test_last_success_is_the_latest_sign_in(self, subject: AuditStore) -> None:
        assert subject.last_success("ada") is None
        subject.append(minutes(1), "ada", "sign-in", "ada", "")
        subject.append(minutes(4), "ada", "sign-in", "ada", "")
        subject.append(minutes(6), None, "sign-in failed", "ada", "")
        subject.append(minutes(8), "ravi", "sign-in", "ravi", "")
        assert subject.last_success("ada") == minutes(4)
