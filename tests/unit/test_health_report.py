"""The health report over its sources: periods and their refusals, who may view it, a failing
source shown as a sentence, the member count, and one audit line per view and export."""

from __future__ import annotations

import datetime as dt

import pytest

from playbook.models import Principal, Role
from playbook.permissions import NotAllowedError
from playbook.services.health.figures import TOO_FEW, Figure, Period, Section, Table
from playbook.services.health.report import (
    MAX_DAYS,
    HealthError,
    HealthPart,
    HealthService,
    choose_period,
)
from playbook.wiring import Container

TODAY = dt.date(2026, 11, 15)


class Counting:
    """A fake source: one figure, a table with a withheld cell, and what it was asked."""

    def __init__(self) -> None:
        self.asked: list[tuple[str, str, Period]] = []

    def section(self, principal: Principal, programme_id: str, period: Period) -> Section:
        self.asked.append((principal.username, programme_id, period))
        return Section(
            "fake",
            "Fake source",
            figures=(Figure("People who answered", 7, period.label, "7 respondents"),),
            tables=(
                Table(
                    "By level",
                    ("level", "people"),
                    (("senior", 6), ("junior", None)),
                    period.label,
                    "members",
                    note=TOO_FEW,
                ),
            ),
        )


class Broken:
    def section(self, principal: Principal, programme_id: str, period: Period) -> Section:
        raise RuntimeError("the planted secret Zanzibar-Quill")


class Refusing:
    def section(self, principal: Principal, programme_id: str, period: Period) -> Section:
        raise NotAllowedError("watching signals needs the coordinator or steward role")


def test_named_periods() -> None:
    assert choose_period(TODAY) == Period(dt.date(2026, 10, 1), TODAY)
    assert choose_period(TODAY, "This quarter") == Period(dt.date(2026, 10, 1), TODAY)
    assert choose_period(TODAY, "last-quarter") == Period(dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    assert choose_period(dt.date(2026, 2, 1), "last_quarter") == Period(
        dt.date(2025, 10, 1), dt.date(2025, 12, 31)
    )
    last90 = choose_period(TODAY, "last-90-days")
    assert last90.end == TODAY and (last90.end - last90.start).days == 89


def test_explicit_periods() -> None:
    assert choose_period(TODAY, None, "2026-01-01", "2026-03-31") == Period(
        dt.date(2026, 1, 1), dt.date(2026, 3, 31)
    )
    # A start alone runs to today; dates as dates work too.
    assert choose_period(TODAY, None, dt.date(2026, 6, 1)) == Period(dt.date(2026, 6, 1), TODAY)
    assert choose_period(TODAY, None, "2026-11-15", "2026-11-15").start == TODAY


@pytest.mark.parametrize(
    ("choice", "start", "end", "says"),
    [
        ("next-year", None, None, "is not a period; choose one of this-quarter"),
        ("last-quarter", "2026-01-01", None, "not both"),
        (None, "2026-13-01", None, "is not a date; write it as YYYY-MM-DD"),
        (None, "yesterday", None, "is not a date"),
        (None, "2026-01-01", "31/03/2026", "the end date '31/03/2026' is not a date"),
        (None, None, "2026-03-31", "needs a start date too"),
        (None, "2026-03-31", "2026-01-01", "before it starts"),
        (None, "2026-12-01", None, "after today"),
        (None, "2026-01-01", "2026-11-16", "after today"),
        (None, "2020-01-01", "2026-01-01", f"keep it to {MAX_DAYS:,}"),
    ],
)
def test_bad_periods_are_refused_with_a_sentence(
    choice: str | None, start: str | None, end: str | None, says: str
) -> None:
    with pytest.raises(HealthError, match=says):
        choose_period(TODAY, choice, start, end)


def _service(c: Container, *parts: HealthPart) -> HealthService:
    now = dt.datetime(2026, 11, 15, 9, 30, tzinfo=dt.UTC)
    return HealthService(parts, c.records, c.redactor, c.audit, lambda: TODAY, lambda: now)


def _audit_lines(c: Container, action: str) -> list[tuple[str | None, str, str]]:
    return [(e.actor, e.subject, e.detail) for e in c.audit.events() if e.action == action]


def test_report_gathers_sections_counts_members_and_audits(members: Container) -> None:
    c = members
    c.records.add_user("sofia", roles=[Role.SPONSOR])
    source = Counting()
    health = _service(
        c,
        HealthPart("fake", "Fake source", lambda: source),
        HealthPart("broken", "Broken source", Broken),
        HealthPart("signals", "Signals", Refusing),
    )
    sofia = c.records.principal("sofia")
    pid = health.programme(sofia)
    period = health.period("last-quarter")
    report = health.report(sofia, pid, period, "json")

    assert source.asked == [("sofia", pid, period)]
    assert report.population == 4 and report.population_label == "4 members of the programme"
    assert [s.key for s in report.sections] == ["fake", "broken", "signals"]
    fake, broken, refused = report.sections
    assert fake.tables[0].rows[1] == ("junior", None)
    # A failing source is a sentence naming no data; the rest of the report stands.
    assert not broken.figures and "could not be put together just now" in broken.notes[0]
    assert "Zanzibar" not in str(report.as_dict())
    assert refused.notes == ("Watching signals needs the coordinator or steward role.",)
    data = report.as_dict()
    assert data["period"] == {"start": "2026-07-01", "end": "2026-09-30", "label": period.label}
    assert data["generated_at"] == "2026-11-15T09:30:00+00:00"

    health.exported(sofia, report, "csv")
    assert _audit_lines(c, "health viewed") == [
        ("sofia", pid, "period 2026-07-01 to 2026-09-30; format json")
    ]
    assert _audit_lines(c, "health exported") == [
        ("sofia", pid, "period 2026-07-01 to 2026-09-30; format csv")
    ]


@pytest.mark.parametrize("user", ["ada", "ravi"])
def test_members_without_an_overseeing_role_are_refused_and_audited(
    members: Container, user: str
) -> None:
    source = Counting()
    health = _service(members, HealthPart("fake", "Fake", lambda: source))
    who = members.records.principal(user)
    pid = health.programme(who)
    with pytest.raises(NotAllowedError):
        health.report(who, pid, health.period(), "page")
    assert source.asked == []  # no source was asked anything
    assert _audit_lines(members, "health refused") == [
        (user, pid, f"period {health.period().label}; format page")
    ]
    assert _audit_lines(members, "health viewed") == []


def test_a_programme_not_ones_own_is_refused(members: Container) -> None:
    health = _service(members)
    cora = members.records.principal("cora")
    with pytest.raises(ValueError, match="is not one of your programmes"):
        health.programme(cora, "elsewhere")


def test_the_container_builds_the_report(members: Container) -> None:
    cora = members.records.principal("cora")
    health = members.health
    report = health.report(cora, health.programme(cora), health.period())
    assert report.population == 3
    assert {s.key for s in report.sections} <= {"signals", "surveys", "coverage", "inclusion"}
