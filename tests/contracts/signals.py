"""The contracts of the signal ports: ``SignalStates`` keeps one decision per programme and
key (a later one replaces it; reopening forgets it), and ``ActivityFacts`` reads document
metadata (owner and day written, pending share requests) of one programme, live documents
only."""

from __future__ import annotations

import datetime as dt

import pytest

from playbook.models import Kind, Visibility
from playbook.ports import Documents
from playbook.ports.signals import ActivityFacts, SignalStates, SignalStatus
from tests.contracts.stores import DAY, Cast, PeopledStore, WithDocuments, doc

SOON = dt.date(2026, 12, 24)


class SignalStatesContract(PeopledStore):
    """Tests every ``SignalStates`` adapter passes; a subclass provides ``subject`` and a
    ``directory`` over the same store (states belong to real programmes)."""

    @pytest.fixture
    def subject(self) -> SignalStates:
        """An empty signal-state store of the adapter under test."""
        raise NotImplementedError("a subclass provides the SignalStates under test")

    def test_a_snooze_round_trips(self, subject: SignalStates, people: Cast) -> None:
        state = subject.snooze(people.north, "quiet_pairing:p1:none", SOON, people.cora)
        assert (state.status, state.until, state.by_id, state.note) == (
            SignalStatus.SNOOZED,
            SOON,
            people.cora,
            "",
        )
        assert state.at.tzinfo is not None
        assert subject.states(people.north) == {"quiet_pairing:p1:none": state}

    def test_a_later_decision_replaces_the_earlier_one(
        self, subject: SignalStates, people: Cast
    ) -> None:
        subject.snooze(people.north, "k1", SOON, people.cora)
        resolved = subject.resolve(people.north, "k1", people.ada, "called them")
        [(key, stored)] = subject.states(people.north).items()
        assert key == "k1" and stored == resolved
        assert (stored.status, stored.until, stored.by_id, stored.note) == (
            SignalStatus.RESOLVED,
            None,
            people.ada,
            "called them",
        )
        again = subject.snooze(people.north, "k1", SOON, people.cora)
        assert subject.states(people.north)["k1"].status is SignalStatus.SNOOZED
        assert again.note == ""

    def test_states_are_per_programme_and_reopen_forgets_one(
        self, subject: SignalStates, people: Cast
    ) -> None:
        subject.resolve(people.north, "k1", people.cora, "")
        subject.resolve(people.north, "k2", people.cora, "")
        subject.snooze(people.south, "k1", SOON, people.olga)
        assert set(subject.states(people.north)) == {"k1", "k2"}
        assert subject.states(people.south)["k1"].status is SignalStatus.SNOOZED
        assert subject.reopen(people.north, "k1") is True
        assert subject.reopen(people.north, "k1") is False
        assert subject.reopen(people.north, "no-such-key") is False
        assert set(subject.states(people.north)) == {"k2"}
        assert set(subject.states(people.south)) == {"k1"}


class ActivityFactsContract(WithDocuments):
    """Tests every ``ActivityFacts`` adapter passes; a subclass provides ``subject`` and the
    ``directory`` and ``documents`` of the same store."""

    @pytest.fixture
    def subject(self) -> ActivityFacts:
        """Activity facts over the store under test."""
        raise NotImplementedError("a subclass provides the ActivityFacts under test")

    def test_writing_days_are_owner_and_day_of_one_programmes_kinds(
        self, subject: ActivityFacts, documents: Documents, people: Cast
    ) -> None:
        documents.save(
            [
                doc(people.ada, people.north, "j1", day=0),
                doc(people.ada, people.north, "j2", day=3),
                doc(people.ravi, people.north, "j3", "other words", day=10),
                doc(people.ravi, people.north, "d1", "a debrief", kind=Kind.DEBRIEF, day=10),
                doc(people.olga, people.south, "j4", day=10),
            ]
        )
        since = DAY.date() + dt.timedelta(days=1)
        days = subject.writing_days(people.north, since, ["journal"])
        assert sorted(days) == sorted(
            [
                (people.ada, DAY.date() + dt.timedelta(days=3)),
                (people.ravi, DAY.date() + dt.timedelta(days=10)),
            ]
        )
        both = subject.writing_days(people.north, DAY.date(), ["journal", "debrief"])
        assert len(both) == 4
        assert subject.writing_days(people.north, DAY.date(), []) == []

    def test_deleted_documents_are_not_counted(
        self, subject: ActivityFacts, documents: Documents, people: Cast
    ) -> None:
        [(gone, _)] = documents.save([doc(people.ada, people.north, "j1")])
        documents.save([doc(people.ada, people.north, "j2", "more")])
        documents.delete(gone)
        assert len(subject.writing_days(people.north, DAY.date(), ["journal"])) == 1

    def test_share_waits_are_the_pending_requests_oldest_first(
        self, subject: ActivityFacts, documents: Documents, people: Cast
    ) -> None:
        saved = documents.save(
            [
                doc(people.ada, people.north, "j1"),
                doc(people.ravi, people.north, "j2", "two"),
                doc(people.ravi, people.north, "j3", "three"),
                doc(people.olga, people.south, "j4"),
            ]
        )
        first, second, third, elsewhere = (d for d, _ in saved)
        for d in (second, first, third, elsewhere):
            documents.set_share_status(d, "pending")
        documents.set_share_status(third, "approved")
        documents.set_visibility(third, Visibility.SHARED)
        waits = subject.share_waits(people.north)
        assert [(w.document_id, w.owner_id) for w in waits] == [
            (second, people.ravi),
            (first, people.ada),
        ]
        assert all(w.requested_at.tzinfo is not None for w in waits)
        assert waits[0].requested_at <= waits[1].requested_at
        assert [w.document_id for w in subject.share_waits(people.south)] == [elsewhere]
