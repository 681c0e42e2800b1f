"""The surveys' part of the health report: counts and means only, each round withheld below
the minimum group size. Open answers never enter it (they are read by coordinators on the
Pulse surveys page)."""

from __future__ import annotations

from collections.abc import Sequence

from playbook.ports.surveys import SCALE_POINTS, QuestionKind
from playbook.services.health.figures import TOO_FEW, Cell, Figure, Period, Section, Table
from playbook.services.health.surveys.tally import RoundResults

KEY = "surveys"
TITLE = "Pulse surveys"
_QUESTION_COLUMNS = ("Question", "Answers", *(str(p) for p in SCALE_POINTS), "Mean")


def _round_table(res: RoundResults) -> Table:
    title = f"{res.title}: round {res.round.number}"
    if not res.shown:
        return Table(title, _QUESTION_COLUMNS, (), res.period.label, res.population, TOO_FEW)
    rows: list[tuple[Cell, ...]] = []
    for q in res.questions:
        if q.question.kind is QuestionKind.SCALE:
            rows.append((q.question.text, q.answered, *q.counts, q.mean))
    return Table(title, _QUESTION_COLUMNS, tuple(rows), res.period.label, res.population, res.note)


def survey_section(results: Sequence[RoundResults], period: Period, min_group: int) -> Section:
    """The section for the rounds open during ``period`` (their results already counted in
    complete groups and withheld below ``min_group``).

    Args:
        results: One per round, in the order to show them.
        period: The report's period.
        min_group: The minimum group size, named in the notes.
    """
    shown = [r for r in results if r.shown]
    rounds = Figure(
        "Survey rounds open in the period",
        len(results),
        period.label,
        "pulse surveys of the programme",
    )
    answered = Figure(
        "Answers counted in rounds with results",
        sum(r.counted for r in shown),
        period.label,
        f"{len(shown)} of {len(results)} rounds with at least {min_group} answers",
    )
    overview = Table(
        "Survey rounds",
        ("Survey", "Round", "Open", "Answered", "Invited", "Counted"),
        tuple(
            (
                r.title,
                r.round.number,
                r.period.label,
                r.round.respondents,
                r.round.invited,
                r.counted if r.shown else None,
            )
            for r in results
        ),
        period.label,
        "members of the programme invited to each round",
        f"a blank Counted cell: {TOO_FEW} (fewer than {min_group})",
    )
    notes = (
        f"Answers are anonymous and counted in complete groups of {min_group}; a round "
        f"shows results once at least {min_group} have answered.",
        "Open answers are not part of this report.",
    )
    return Section(
        KEY,
        TITLE,
        (rounds, answered),
        (overview, *(_round_table(r) for r in results)),
        notes,
    )
