"""The seam for anonymous pulse surveys (issue 21, item 2): a survey series (a title and its
questions) run as numbered rounds, the one-time tokens that stop a second answer, and the
ballots, which carry no identity.

What the adapter must keep apart: a token row says only "someone holding this keyed hash
has answered this round"; a ballot row says only "these answers were given in this round".
Neither holds a user id, a time finer than a day, or anything shared with the other (no
common id, no order of insertion that pairs them). Every text here is redacted before it
reaches an adapter. The types are plain data, no I/O.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from playbook.models import StoreError

SCALE_POINTS = (1, 2, 3, 4, 5)
AnswerValue = int | str  # a scale point, or an open answer's redacted text


class QuestionKind(StrEnum):
    """A scale question (1 to 5, labelled ends) or an open question (free text)."""

    SCALE = "scale"
    OPEN = "open"


class RoundState(StrEnum):
    """A round takes answers while open; a closed round keeps its answers for results."""

    OPEN = "open"
    CLOSED = "closed"


class AlreadyAnsweredError(StoreError):
    """This person's token for the round is used: they have answered. Nothing was stored."""


@dataclass(frozen=True)
class Question:
    """One question of a survey. ``low`` and ``high`` label the ends of a scale question
    (empty for an open one). Texts redacted."""

    kind: QuestionKind
    text: str
    low: str = ""
    high: str = ""


@dataclass(frozen=True)
class Series:
    """A survey: its title and questions, the same in every round so rounds compare."""

    series_id: str
    programme_id: str
    title: str
    questions: tuple[Question, ...]
    created_by: str
    created_at: dt.datetime


@dataclass(frozen=True)
class SurveyRound:
    """One run of a series. ``invited`` is the programme's members when it opened;
    ``group`` is the minimum group size it counts answers in (fixed when it opened);
    ``respondents`` is how many have answered."""

    round_id: str
    series_id: str
    programme_id: str
    number: int
    state: RoundState
    opened_on: dt.date
    closed_on: dt.date | None
    invited: int
    group: int
    respondents: int


@dataclass(frozen=True)
class Ballot:
    """One anonymous set of answers: question position -> scale point or redacted text.
    ``counted`` once a complete group of ``group`` answers holds it (the round's results
    count only those); until then it waits with the others of the incomplete group."""

    answers: Mapping[int, AnswerValue]
    counted: bool


class Surveys(Protocol):
    """Survey series, their rounds, the used tokens and the anonymous ballots."""

    def create_series(
        self, programme_id: str, title: str, questions: Sequence[Question], by: str
    ) -> str:
        """Store a draft survey (texts already redacted); returns its series id."""
        ...

    def series(self, series_id: str) -> Series | None:
        """One survey, or None."""
        ...

    def series_for(self, programme_id: str) -> list[Series]:
        """The programme's surveys, newest first."""
        ...

    def delete_series(self, series_id: str) -> None:
        """Remove a survey that never opened a round (``StoreError`` once it has)."""
        ...

    def open_round(
        self, series_id: str, opened_on: dt.date, invited: int, group: int
    ) -> SurveyRound:
        """Open the next round of a series (``StoreError`` while another is open)."""
        ...

    def close_round(self, round_id: str, closed_on: dt.date) -> SurveyRound:
        """Close an open round (``StoreError`` when it is not open or unknown)."""
        ...

    def round(self, round_id: str) -> SurveyRound | None:
        """One round, or None."""
        ...

    def rounds(self, series_id: str) -> list[SurveyRound]:
        """A series' rounds, first round first."""
        ...

    def open_rounds(self, programme_ids: Iterable[str]) -> list[SurveyRound]:
        """Open rounds in these programmes, newest first."""
        ...

    def used(self, round_id: str, token: str) -> bool:
        """Whether this token has answered the round."""
        ...

    def add_ballot(self, round_id: str, token: str, answers: Mapping[int, AnswerValue]) -> None:
        """Mark the token used and store the ballot, in one transaction and unlinked. The
        ballot waits uncounted until the round's uncounted ballots make a group of
        ``group``; then the whole group is counted at once.

        Raises:
            AlreadyAnsweredError: The token is used (nothing stored).
            StoreError: The round is unknown or not open (nothing stored).
        """
        ...

    def ballots(self, round_id: str, counted_only: bool = True) -> list[Ballot]:
        """The round's ballots (only the counted ones unless ``counted_only`` is False), in
        no meaningful order."""
        ...
