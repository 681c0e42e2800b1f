"""The ``Surveys`` contract: series and their numbered rounds, one ballot per token and
round, ballots counted only in complete groups, nothing stored on a refusal. Every text
comes back as given (the service redacts before)."""

from __future__ import annotations

import datetime as dt

import pytest

from playbook.models import StoreError
from playbook.ports.surveys import (
    AlreadyAnsweredError,
    Question,
    QuestionKind,
    RoundState,
    Surveys,
)
from tests.contracts.stores import Cast, PeopledStore

DAY = dt.date(2026, 11, 2)
QUESTIONS = (
    Question(QuestionKind.SCALE, "How useful were your sessions?", "Not at all", "Very"),
    Question(QuestionKind.OPEN, "What would you change?"),
)


class SurveysContract(PeopledStore):
    """Tests every ``Surveys`` adapter passes; a subclass provides ``subject`` and a
    ``directory`` over the same store (series belong to real programmes)."""

    @pytest.fixture
    def subject(self) -> Surveys:
        """An empty survey store of the adapter under test."""
        raise NotImplementedError("a subclass provides the Surveys under test")

    def test_a_series_round_trips(self, subject: Surveys, people: Cast) -> None:
        sid = subject.create_series(people.north, "Pulse", QUESTIONS, people.cora)
        got = subject.series(sid)
        assert got is not None
        assert (got.series_id, got.programme_id, got.title, got.created_by) == (
            sid,
            people.north,
            "Pulse",
            people.cora,
        )
        assert got.questions == QUESTIONS and got.created_at.tzinfo is not None
        assert subject.series("no-such-id") is None
        assert [s.series_id for s in subject.series_for(people.north)] == [sid]
        assert subject.series_for(people.south) == []

    def test_only_a_draft_is_deleted(self, subject: Surveys, people: Cast) -> None:
        draft = subject.create_series(people.north, "Draft", QUESTIONS, people.cora)
        ran = subject.create_series(people.north, "Ran", QUESTIONS, people.cora)
        subject.open_round(ran, DAY, 3, 5)
        subject.delete_series(draft)
        assert subject.series(draft) is None
        with pytest.raises(StoreError, match="has run"):
            subject.delete_series(ran)
        with pytest.raises(StoreError, match="no such survey"):
            subject.delete_series(draft)
        assert subject.series(ran) is not None

    def test_rounds_are_numbered_one_open_at_a_time(self, subject: Surveys, people: Cast) -> None:
        sid = subject.create_series(people.north, "Pulse", QUESTIONS, people.cora)
        first = subject.open_round(sid, DAY, 3, 5)
        assert (first.number, first.state, first.opened_on, first.closed_on) == (
            1,
            RoundState.OPEN,
            DAY,
            None,
        )
        assert (first.invited, first.group, first.respondents, first.programme_id) == (
            3,
            5,
            0,
            people.north,
        )
        with pytest.raises(StoreError, match="close it before"):
            subject.open_round(sid, DAY, 3, 5)
        assert [r.round_id for r in subject.open_rounds([people.north])] == [first.round_id]
        closed = subject.close_round(first.round_id, DAY + dt.timedelta(days=7))
        assert closed.state is RoundState.CLOSED and closed.closed_on == DAY + dt.timedelta(7)
        with pytest.raises(StoreError, match="already closed"):
            subject.close_round(first.round_id, DAY)
        with pytest.raises(StoreError, match="no such survey round"):
            subject.close_round("no-such-id", DAY)
        second = subject.open_round(sid, DAY + dt.timedelta(days=30), 4, 5)
        assert second.number == 2
        assert [r.number for r in subject.rounds(sid)] == [1, 2]
        assert subject.round(first.round_id) == closed
        assert subject.round("no-such-id") is None
        assert subject.open_rounds([people.south]) == [] and subject.open_rounds([]) == []
        with pytest.raises(StoreError, match="no such survey"):
            subject.open_round("no-such-id", DAY, 1, 5)

    def test_a_token_answers_once_and_a_refusal_changes_nothing(
        self, subject: Surveys, people: Cast
    ) -> None:
        sid = subject.create_series(people.north, "Pulse", QUESTIONS, people.cora)
        r = subject.open_round(sid, DAY, 3, 2)
        assert not subject.used(r.round_id, "t1")
        subject.add_ballot(r.round_id, "t1", {1: 4, 2: "more time"})
        assert subject.used(r.round_id, "t1") and not subject.used(r.round_id, "t2")
        with pytest.raises(AlreadyAnsweredError, match="already answered"):
            subject.add_ballot(r.round_id, "t1", {1: 1})
        assert subject.round(r.round_id).respondents == 1  # type: ignore[union-attr]
        [b] = subject.ballots(r.round_id, counted_only=False)
        assert b.answers == {1: 4, 2: "more time"} and not b.counted
        subject.close_round(r.round_id, DAY)
        with pytest.raises(StoreError, match="closed"):
            subject.add_ballot(r.round_id, "t2", {1: 2})
        assert not subject.used(r.round_id, "t2")
        with pytest.raises(StoreError, match="no such survey round"):
            subject.add_ballot("no-such-id", "t3", {1: 2})
        assert len(subject.ballots(r.round_id, counted_only=False)) == 1

    def test_ballots_count_in_complete_groups(self, subject: Surveys, people: Cast) -> None:
        sid = subject.create_series(people.north, "Pulse", QUESTIONS, people.cora)
        r = subject.open_round(sid, DAY, 9, 3)
        seen = []
        for n in range(1, 8):
            subject.add_ballot(r.round_id, f"t{n}", {1: n % 5 + 1})
            seen.append(len(subject.ballots(r.round_id)))
        # counted only when a group of 3 fills: after the 3rd and the 6th answer
        assert seen == [0, 0, 3, 3, 3, 6, 6]
        assert len(subject.ballots(r.round_id, counted_only=False)) == 7
        assert subject.round(r.round_id).respondents == 7  # type: ignore[union-attr]
        assert sorted(b.answers[1] for b in subject.ballots(r.round_id, counted_only=False)) == (
            sorted(n % 5 + 1 for n in range(1, 8))
        )

    def test_rounds_of_two_series_keep_their_own_ballots(
        self, subject: Surveys, people: Cast
    ) -> None:
        a = subject.open_round(
            subject.create_series(people.north, "A", QUESTIONS, people.cora), DAY, 3, 2
        )
        b = subject.open_round(
            subject.create_series(people.north, "B", QUESTIONS, people.cora), DAY, 3, 2
        )
        subject.add_ballot(a.round_id, "same-token", {1: 1})
        subject.add_ballot(b.round_id, "same-token", {1: 5})  # another round: allowed
        assert [x.answers for x in subject.ballots(a.round_id, counted_only=False)] == [{1: 1}]
        assert [x.answers for x in subject.ballots(b.round_id, counted_only=False)] == [{1: 5}]
