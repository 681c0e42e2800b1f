"""Impact reports, objective recounts and validations: a mentor of a pairing reports per
quarter from the quarterly impact prompt set; a mentee recounts their own objective and
names an observer; only that observer validates, once; the showcase shows what was shared."""

from __future__ import annotations

import datetime as dt

import pytest

from playbook.permissions import NotAllowedError
from playbook.ports.programme import parse_quarter, quarter_days, quarter_of
from playbook.services.handoff import to_markdown
from playbook.services.programme_base import ProgrammeError
from playbook.wiring import Container
from tests.unit.programme_fixtures import pair

TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def paired(members: Container) -> tuple[Container, list[str]]:
    """cora mentors ravi, whose objectives are the two below; the clock is TODAY."""
    members.impact._today = lambda: TODAY
    ids = pair(members, "cora", "ravi", ("Run a pricing decision with Priya", "Read a P&L"))
    return members, ids


def test_quarters_are_parsed_and_bounded() -> None:
    assert parse_quarter(" 2026q4 ") == "2026-Q4" == quarter_of(dt.date(2026, 11, 30))
    assert quarter_days("2026-Q4") == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert quarter_days("2027-Q1") == (dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    with pytest.raises(ValueError, match="write it like 2026-Q4"):
        parse_quarter("Q5 2026")


def test_a_mentor_reports_once_per_quarter_redacted(paired: tuple[Container, list[str]]) -> None:
    c, _ = paired
    cora = c.records.principal("cora")
    pid = c.impact.programme(cora)
    assert [p.prompt_id for p in c.impact.prompts()] == ["behaviour", "speed", "relationships"]
    assert c.impact.mentees(cora, pid) == ["ravi"]
    first = c.impact.save_report(
        cora, pid, "2026-Q4", {"behaviour": "I ask Tony before deciding", "speed": ""}
    )
    assert first.answers == {"behaviour": first.answers["behaviour"]}  # the empty one dropped
    assert "Tony" not in first.answers["behaviour"] and not first.shared
    again = c.impact.save_report(cora, pid, "2026q4", {"speed": "Faster: days"}, shared=True)
    assert again.report_id == first.report_id and again.answers == {"speed": "Faster: days"}
    assert c.impact.report(cora, pid, "2026-Q4") == again


@pytest.mark.parametrize(
    ("quarter", "answers", "message"),
    [
        ("2027-Q1", {"speed": "x"}, "has not started yet"),
        ("2026-Q5", {"speed": "x"}, "not a quarter"),
        ("2026-Q4", {"mood": "x"}, "not questions of the report: mood"),
        ("2026-Q4", {"speed": "  "}, "the report is empty"),
        ("2026-Q4", {"speed": "x" * 4001}, "keep it to 4,000"),
    ],
)
def test_bad_reports_are_refused_and_nothing_is_stored(
    paired: tuple[Container, list[str]], quarter: str, answers: dict[str, str], message: str
) -> None:
    c, _ = paired
    cora = c.records.principal("cora")
    with pytest.raises(ValueError, match=message):
        c.impact.save_report(cora, c.impact.programme(cora), quarter, answers)
    assert c.impact.readable_reports(cora) == []


def test_only_mentors_report_and_private_reports_stay_private(
    paired: tuple[Container, list[str]],
) -> None:
    c, _ = paired
    cora, ada, ravi = (c.records.principal(u) for u in ("cora", "ada", "ravi"))
    pid = c.impact.programme(cora)
    with pytest.raises(ProgrammeError, match="no pairing under way"):
        c.impact.save_report(ada, pid, "2026-Q4", {"speed": "x"})
    c.impact.save_report(cora, pid, "2026-Q4", {"speed": "private words"})
    assert c.impact.readable_reports(ravi) == [] and len(c.impact.readable_reports(cora)) == 1
    c.impact.save_report(cora, pid, "2026-Q4", {"speed": "shared words"}, shared=True)
    assert [r.answers["speed"] for r in c.impact.readable_reports(ravi)] == ["shared words"]


def test_a_mentee_recounts_and_only_the_named_observer_validates(
    paired: tuple[Container, list[str]],
) -> None:
    c, ids = paired
    cora, ada, ravi = (c.records.principal(u) for u in ("cora", "ada", "ravi"))
    assert [o[0] for o in c.impact.objectives(ravi)] == ids
    with pytest.raises(NotAllowedError, match="only the mentee whose objective"):
        c.impact.recount(ada, ids[0], "mine now", "cora")  # not ada's objective
    with pytest.raises(ProgrammeError, match="no learning objective 'nope'"):
        c.impact.recount(ravi, "nope", "x", "ada")
    with pytest.raises(ProgrammeError, match="someone else as the observer"):
        c.impact.recount(ravi, ids[0], "I priced it", "ravi")
    with pytest.raises(ProgrammeError, match="recount is empty"):
        c.impact.recount(ravi, ids[0], " ", "ada")
    r = c.impact.recount(ravi, ids[0], "I ran the pricing call with Marcus", "ada", shared=True)
    assert "Marcus" not in r.text and "Priya" not in r.objective and r.quarter == "2026-Q4"
    assert [x.recount_id for x in c.impact.to_validate(ada)] == [r.recount_id]
    assert c.impact.to_validate(cora) == []
    for other in (ravi, cora):  # the mentee themselves, and a coordinator
        with pytest.raises(NotAllowedError, match="only the observer the mentee named"):
            c.impact.validate(other, r.recount_id, "Looks good")
    with pytest.raises(ProgrammeError, match="statement is empty"):
        c.impact.validate(ada, r.recount_id, "")
    done = c.impact.validate(ada, r.recount_id, "I saw Tony's team consulted first")
    assert done.validated_at is not None and "Tony" not in (done.validation or "")
    with pytest.raises(ProgrammeError, match="already validated"):
        c.impact.validate(ada, r.recount_id, "again")
    assert c.impact.to_validate(ada) == []
    audit = [(e.actor, e.action) for e in c.audit.events()]
    assert ("ada", "progress validated") in audit and ("ravi", "objective recounted") in audit


def test_the_showcase_gains_only_what_authors_shared(paired: tuple[Container, list[str]]) -> None:
    c, ids = paired
    cora, ada, ravi = (c.records.principal(u) for u in ("cora", "ada", "ravi"))
    pid = c.impact.programme(cora)
    c.impact.save_report(cora, pid, "2026-Q4", {"behaviour": "zqxShared report"}, shared=True)
    kept = c.impact.recount(ravi, ids[1], "zqxPrivate recount", "ada")
    shown = c.impact.recount(ravi, ids[0], "zqxShared recount", "ada", shared=True)
    c.impact.validate(ada, shown.recount_id, "zqxValidation")
    c.impact.validate(ada, kept.recount_id, "zqxHidden validation")
    start, end = dt.date(2026, 10, 1), dt.date(2026, 12, 31)
    base = c.curation.showcase(cora, start, end)
    md = to_markdown(c.impact.add_to_showcase(cora, base, start, end))
    assert "zqxShared report" in md and "zqxShared recount" in md and "zqxValidation" in md
    assert "zqxPrivate" not in md and "zqxHidden" not in md
    assert "- recounts validated: 1" in md and "- impact reports shared: 1" in md
    with pytest.raises(NotAllowedError):
        c.impact.add_to_showcase(ada, base, start, end)
    # A period outside the quarter shows none of it.
    later = c.impact.showcase(cora, dt.date(2027, 1, 1), dt.date(2027, 3, 31))
    assert later.reports == () and later.recounts == ()
