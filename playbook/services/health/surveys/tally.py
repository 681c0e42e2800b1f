"""Results of a survey round from its anonymous ballots, and the rule that decides whether
they are shown.

Answers are counted in groups of the round's size (the minimum group size when it opened):
a ballot waits until enough others arrive to make a complete group, and the group is
counted at once, so two views of the same round, however far apart, differ by whole groups
of at least that many people, and no single new answer can be read off their difference.
A round is shown once it counts at least the minimum group size; below that there is no
per-question figure at all, only "too few answers to show".
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from playbook.ports.surveys import SCALE_POINTS, Ballot, Question, QuestionKind, SurveyRound
from playbook.services.health.figures import TOO_FEW, Period


@dataclass(frozen=True)
class QuestionResult:
    """One question's results: counts per scale point (1 to 5) and the mean, or the
    redacted open answers in a shuffled order."""

    position: int
    question: Question
    answered: int
    counts: tuple[int, ...] = ()
    mean: float | None = None
    open_answers: tuple[str, ...] = ()


@dataclass(frozen=True)
class RoundResults:
    """A round's results as a coordinator reads them. ``questions`` is empty unless
    ``shown``; ``note`` says why, and what the counted answers are."""

    title: str
    round: SurveyRound
    period: Period
    counted: int
    shown: bool
    note: str
    questions: tuple[QuestionResult, ...] = ()

    @property
    def population(self) -> str:
        """Who the results describe: respondents of the members invited."""
        r = self.round
        return f"{r.respondents} of {r.invited} members invited answered"


def period_of(round_: SurveyRound, today: dt.date) -> Period:
    """The days the round was open: to its close, or to ``today`` while it is open."""
    end = round_.closed_on or today
    return Period(round_.opened_on, max(end, round_.opened_on))


def _note(round_: SurveyRound, counted: int, min_group: int) -> str:
    if counted < min_group:
        return (
            f"{TOO_FEW}: results show once at least {min_group} people have answered "
            f"({round_.respondents} so far)"
        )
    rest = round_.respondents - counted
    if not rest:
        return f"all {counted} answers counted"
    if round_.state.value == "open":
        return (
            f"{counted} answers counted; the next {rest} count once a group of "
            f"{round_.group} is complete, so no single answer shows by comparing two views"
        )
    return (
        f"{counted} answers counted; the last {rest} did not complete a group of "
        f"{round_.group} and are not counted, so no answer shows by comparing views"
    )


def tally(
    title: str,
    questions: Sequence[Question],
    round_: SurveyRound,
    ballots: Sequence[Ballot],
    min_group: int,
    rng: random.Random,
    period: Period,
) -> RoundResults:
    """The round's results from the ballots of its complete groups.

    Args:
        title: The survey's title.
        questions: Its questions, in order (positions from 1).
        round_: The round.
        ballots: The ballots of its complete groups (the counted ones).
        min_group: The smallest number of counted answers that may be shown.
        rng: Shuffles open answers, so they never come in the order they were given.
        period: The days the results cover.
    """
    counted = len(ballots)
    shown = counted >= min_group
    note = _note(round_, counted, min_group)
    if not shown:
        return RoundResults(title, round_, period, counted, False, note)
    out = []
    for n, q in enumerate(questions, start=1):
        given = [b.answers[n] for b in ballots if n in b.answers]
        if q.kind is QuestionKind.SCALE:
            points = [v for v in given if isinstance(v, int)]
            counts = tuple(points.count(p) for p in SCALE_POINTS)
            mean = round(sum(points) / len(points), 2) if points else None
            out.append(QuestionResult(n, q, len(points), counts=counts, mean=mean))
        else:
            texts = [v for v in given if isinstance(v, str)]
            rng.shuffle(texts)
            out.append(QuestionResult(n, q, len(texts), open_answers=tuple(texts)))
    return RoundResults(title, round_, period, counted, True, note, tuple(out))
