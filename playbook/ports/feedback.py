"""The seam for readers' verdicts on answers: "this helped" or "this is wrong", kept for the
coordinators' review queue."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class AnswerVerdict:
    """A reader's word on one answer. Every text in it is redacted before it is stored: the
    question as it was searched, the comment, and the answer's text."""

    feedback_id: str
    user_id: str
    programme_id: str
    verdict: str  # "helped" or "wrong"
    question: str
    answer: str
    comment: str
    document_ids: tuple[str, ...]
    created_at: dt.datetime
    resolved: bool = False


class AnswerFeedback(Protocol):
    """Verdicts on answers, per programme, until a coordinator resolves them."""

    def add(
        self,
        user_id: str,
        programme_id: str,
        verdict: str,
        question: str,
        answer: str,
        comment: str,
        document_ids: Sequence[str],
    ) -> str:
        """Store a verdict (all texts already redacted); returns its id."""
        ...

    def open_for(self, programme_ids: Iterable[str], limit: int = 200) -> list[AnswerVerdict]:
        """Unresolved verdicts in these programmes, newest first."""
        ...

    def resolve(self, feedback_ids: Iterable[str]) -> None:
        """Mark verdicts as dealt with (unknown ids are ignored)."""
        ...
