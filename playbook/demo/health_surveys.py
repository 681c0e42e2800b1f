"""Demo pulse survey (issue 21, item 2): "Programme pulse" with three questions. Its first
round was answered by five people and is closed, so its results show; its re-run is open
with two answers so far, so it reads "too few answers to show" (and Ada and Ravi can try
answering it). Every answer goes through the service: one-time tokens, redaction, no name.
Seeding again adds nothing."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from playbook.ports.surveys import Question, QuestionKind

if TYPE_CHECKING:
    from playbook.wiring import Container

TITLE = "Programme pulse"
QUESTIONS = (
    Question(
        QuestionKind.SCALE,
        "How useful were your mentoring sessions this quarter?",
        "Not at all",
        "Very useful",
    ),
    Question(
        QuestionKind.SCALE,
        "How well does the programme fit around your work?",
        "Poorly",
        "Very well",
    ),
    Question(QuestionKind.OPEN, "What one thing would make the programme better?"),
)
# (username, answers) of the first round: five people, so its results show.
FIRST = (
    ("maya", {1: 5, 2: 3, 3: "More time with peers from other markets."}),
    ("tariq", {1: 4, 2: 2, 3: "Fewer evening sessions; they clash with family time."}),
    ("lena", {1: 4, 2: 4, 3: ""}),
    ("zoe", {1: 3, 2: 3, 3: "A shared calendar of who is rotating where."}),
    ("kai", {1: 5, 2: 2, 3: "Tony's negotiation clinic should run every quarter."}),
)
# The re-run, open, with two answers: too few to show.
SECOND = (
    ("maya", {1: 5, 2: 4, 3: "The new session times work better."}),
    ("noor", {1: 3, 2: 3, 3: ""}),
)


def seed_surveys(c: Container, programme: str = "default") -> bool:
    """Add the demo survey, its answered first round and its open second round, once.

    Args:
        c: The container of the demo store (the mentoring demo's people already added).
        programme: The demo programme's slug.

    Returns:
        True when anything was added.
    """
    pid = c.administration.programme_id(programme)
    cora = c.administration.principal("cora")
    known = c.records.user_ids([u for u, _ in FIRST + SECOND])
    if len(known) < len({u for u, _ in FIRST + SECOND}):
        return False  # the mentoring demo's people are missing
    if any(ov.series.title == TITLE for ov in c.surveys.surveys_of(cora, pid)):
        return False  # seeded already
    series = c.surveys.create(cora, pid, TITLE, QUESTIONS)
    _answer(c, c.surveys.publish(cora, series.series_id).round_id, FIRST)
    c.surveys.close(cora, series.series_id)
    _answer(c, c.surveys.publish(cora, series.series_id).round_id, SECOND)
    return True


def _answer(c: Container, round_id: str, who: Sequence[tuple[str, Mapping[int, object]]]) -> None:
    for username, answers in who:
        c.surveys.answer(c.administration.principal(username), round_id, answers)
