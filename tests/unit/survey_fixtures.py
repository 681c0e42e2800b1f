"""Shared set-up of the pulse-survey tests: members to answer, and a published survey."""

from __future__ import annotations

from playbook.models import Role
from playbook.ports.surveys import Question, QuestionKind, Series, SurveyRound
from playbook.wiring import Container

QUESTIONS = (
    Question(QuestionKind.SCALE, "How useful were your sessions?", "Not at all", "Very"),
    Question(QuestionKind.OPEN, "What would you change?"),
)


def add_members(c: Container, n: int, prefix: str = "m") -> list[str]:
    """``n`` leaders (``m1``..) in the default programme; returns their usernames."""
    names = [f"{prefix}{i}" for i in range(1, n + 1)]
    for name in names:
        c.records.add_user(name, roles=[Role.LEADER])
    return names


def published(c: Container, title: str = "Pulse") -> tuple[Series, SurveyRound]:
    """cora's survey of QUESTIONS, drafted and published (its first round open)."""
    cora = c.records.principal("cora")
    series = c.surveys.create(cora, c.surveys.programme(cora), title, QUESTIONS)
    return series, c.surveys.publish(cora, series.series_id)


def answer_all(c: Container, round_id: str, names: list[str], start: int = 0) -> None:
    """Each named member answers: scale (start + i) % 5 + 1, and an open answer naming Tony."""
    for i, name in enumerate(names):
        c.surveys.answer(
            c.records.principal(name),
            round_id,
            {1: (start + i) % 5 + 1, 2: f"Tony should plan session {i} better"},
        )
