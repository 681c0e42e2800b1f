"""The ``AnswerFeedback`` contract: readers' verdicts on answers, per programme, newest
first, until resolved; every text comes back as given (the service redacts before)."""

from __future__ import annotations

import time

import pytest

from playbook.ports.feedback import AnswerFeedback
from tests.contracts.stores import Cast, PeopledStore


class AnswerFeedbackContract(PeopledStore):
    """Tests every ``AnswerFeedback`` adapter passes; a subclass provides ``subject`` and a
    ``directory`` over the same store (verdicts belong to real users)."""

    @pytest.fixture
    def subject(self) -> AnswerFeedback:
        """An empty feedback store of the adapter under test."""
        raise NotImplementedError("a subclass provides the AnswerFeedback under test")

    def test_a_verdict_round_trips(self, subject: AnswerFeedback, people: Cast) -> None:
        fid = subject.add(
            people.ravi, people.north, "wrong", "q?", "the answer", "why", ["d1", "d2"]
        )
        [v] = subject.open_for([people.north])
        assert (v.feedback_id, v.user_id, v.programme_id, v.verdict) == (
            fid,
            people.ravi,
            people.north,
            "wrong",
        )
        assert (v.question, v.answer, v.comment, v.document_ids) == (
            "q?",
            "the answer",
            "why",
            ("d1", "d2"),
        )
        assert v.created_at.tzinfo is not None and not v.resolved

    def test_verdicts_are_per_programme_newest_first(
        self, subject: AnswerFeedback, people: Cast
    ) -> None:
        first = subject.add(people.ravi, people.north, "helped", "a", "", "", [])
        time.sleep(0.01)  # distinct timestamps, so "newest first" is decidable
        second = subject.add(people.ada, people.north, "wrong", "b", "", "", [])
        subject.add(people.olga, people.south, "wrong", "c", "", "", [])
        assert [v.feedback_id for v in subject.open_for([people.north])] == [second, first]
        assert [v.question for v in subject.open_for([people.south])] == ["c"]
        assert subject.open_for([]) == []
        assert len(subject.open_for([people.north, people.south])) == 3

    def test_resolved_verdicts_leave_the_queue(self, subject: AnswerFeedback, people: Cast) -> None:
        keep = subject.add(people.ravi, people.north, "helped", "a", "", "", [])
        done = subject.add(people.ravi, people.north, "wrong", "b", "", "", [])
        subject.resolve([done, "no-such-id"])
        subject.resolve([])
        assert [v.feedback_id for v in subject.open_for([people.north])] == [keep]
