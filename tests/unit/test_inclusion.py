"""The inclusion audit's use cases: what a programme asks (defaults, a coordinator's
configuration, refusals), declaring with consent, one's own values only, withdrawal that
deletes, and the audit: whole ended quarters, small cells withheld, every view audited."""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect

import pytest
from sqlalchemy import func, select, update

from playbook.models import Role
from playbook.permissions import NotAllowedError
from playbook.ports.inclusion import AttributeSpec
from playbook.ports.mentoring import PairingState, ProfileRole
from playbook.services.health.figures import Period
from playbook.services.health.inclusion import InclusionService
from playbook.services.health.inclusion.config import parse_spec
from playbook.services.programme_base import ProgrammeError
from playbook.store.inclusion_tables import InclusionDeclarationRow
from playbook.store.mentoring_tables import PairingRow
from playbook.wiring import Container
from tests.contracts.stores import doc

TODAY = dt.date(2026, 12, 1)  # the latest ended quarter is 2026-Q3
IN_Q3 = (dt.date(2026, 8, 3) - dt.date(2026, 1, 1)).days  # a day offset for stores.doc
LEVELS = ("IC", "Manager", "Director")


@pytest.fixture
def c(members: Container) -> Container:
    """ada, ravi, cora and twelve more participants (p0..p11) in the default programme; the
    clock is TODAY."""
    for i in range(12):
        members.records.add_user(f"p{i}", roles=[Role.PARTICIPANT])
    members.inclusion._today = lambda: TODAY
    return members


def who(c: Container, name: str):  # type: ignore[no-untyped-def]
    return c.records.principal(name)


def pid(c: Container) -> str:
    return c.inclusion.programme(who(c, "cora"))


def configure(c: Container) -> None:
    c.inclusion.configure(
        who(c, "cora"),
        pid(c),
        [AttributeSpec("function", "Function"), AttributeSpec("level", "Level", LEVELS)],
    )


def test_the_defaults_until_a_coordinator_configures(c: Container) -> None:
    inc = c.inclusion
    assert [s.name for s in inc.attributes(who(c, "ravi"), pid(c))] == [
        "function",
        "level",
        "location",
    ]
    configure(c)
    specs = inc.attributes(who(c, "ravi"), pid(c))
    assert [(s.name, s.values) for s in specs] == [("function", ()), ("level", LEVELS)]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (AttributeSpec("Bad Name", "x"), "not an attribute key"),
        (AttributeSpec("level", "Level", ("IC", "ic")), "more than once"),
        (AttributeSpec("level", "x" * 61), "keep it to 60"),
        (AttributeSpec("level", "Level", ("",)), "is empty"),
        (AttributeSpec("team", "Team", ("Priya's team", "Ops")), "looks like it names someone"),
        (AttributeSpec("contact", "Write to a@b.example"), "looks like it names someone"),
    ],
)
def test_a_bad_configuration_is_refused_and_nothing_changes(
    c: Container, spec: AttributeSpec, message: str
) -> None:
    configure(c)
    with pytest.raises(ProgrammeError, match=message):
        c.inclusion.configure(who(c, "cora"), pid(c), [spec])
    assert [s.name for s in c.inclusion.attributes(who(c, "cora"), pid(c))] == [
        "function",
        "level",
    ]


def test_a_value_dropped_from_a_list_deletes_only_its_declarations(c: Container) -> None:
    configure(c)
    p, cora = pid(c), who(c, "cora")
    c.inclusion.declare(who(c, "ravi"), p, {"level": "IC", "function": "Finance"}, True)
    c.inclusion.declare(who(c, "ada"), p, {"level": "Director"}, True)
    specs = [AttributeSpec("function", "Function"), AttributeSpec("level", "Level", ("IC",))]
    _, dropped = c.inclusion.configure(cora, p, specs)
    assert dropped == 1
    assert [(d.attribute, d.value) for d in c.inclusion.mine(who(c, "ravi"), p)] == [
        ("function", "Finance"),
        ("level", "IC"),
    ]
    assert c.inclusion.mine(who(c, "ada"), p) == []
    _, dropped = c.inclusion.configure(cora, p, specs[1:])  # function no longer asked
    assert dropped == 1
    assert [d.attribute for d in c.inclusion.mine(who(c, "ravi"), p)] == ["level"]


def test_only_a_coordinator_configures(c: Container) -> None:
    with pytest.raises(NotAllowedError, match="coordinator"):
        c.inclusion.configure(who(c, "ada"), pid(c), [AttributeSpec("team", "Team")])


def test_parse_spec_reads_the_command_line_form() -> None:
    assert parse_spec("level:Level=IC, Manager") == AttributeSpec(
        "level", "Level", ("IC", "Manager")
    )
    assert parse_spec("city") == AttributeSpec("city", "", ())
    with pytest.raises(ProgrammeError, match="names no attribute"):
        parse_spec(":Label")


def test_declaring_needs_consent_and_records_it(c: Container) -> None:
    configure(c)
    ravi = who(c, "ravi")
    with pytest.raises(ProgrammeError, match="needs your consent"):
        c.inclusion.declare(ravi, pid(c), {"level": "IC"}, consent=False)
    assert c.inclusion.mine(ravi, pid(c)) == []
    [d] = c.inclusion.declare(ravi, pid(c), {"level": " manager "}, consent=True)
    assert (d.attribute, d.value) == ("level", "Manager")  # the list's spelling
    assert d.consent_text == c.inclusion.consent_text() and "withdraw" in d.consent_text
    assert d.consented_at.tzinfo is not None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"function": "Finance", "level": "CEO"}, "not one of the values of Level: IC, Manager"),
        ({"function": "Finance", "mood": "fine"}, "does not ask for 'mood'"),
        ({"function": "   "}, "is empty"),
        ({"function": "x" * 61}, "too long"),
        ({}, "at least one value"),
    ],
)
def test_bad_declarations_are_refused_and_nothing_is_stored(
    c: Container, values: dict[str, str], message: str
) -> None:
    configure(c)
    ravi = who(c, "ravi")
    c.inclusion.declare(ravi, pid(c), {"level": "IC"}, consent=True)
    with pytest.raises(ProgrammeError, match=message):
        c.inclusion.declare(ravi, pid(c), values, consent=True)
    assert [(d.attribute, d.value) for d in c.inclusion.mine(ravi, pid(c))] == [("level", "IC")]


def test_a_free_value_is_redacted_before_it_is_stored(c: Container) -> None:
    configure(c)
    [d] = c.inclusion.declare(who(c, "ravi"), pid(c), {"function": "Priya's team"}, True)
    assert "Priya" not in d.value


def test_a_value_too_long_once_redacted_is_refused(c: Container) -> None:
    configure(c)
    ravi = who(c, "ravi")
    with pytest.raises(ProgrammeError, match="too long once names in it are replaced"):
        c.inclusion.declare(ravi, pid(c), {"function": " ".join(["Tony"] * 12)}, True)
    assert c.inclusion.mine(ravi, pid(c)) == []


def test_withdrawal_deletes_the_values(c: Container) -> None:
    configure(c)
    ravi, p = who(c, "ravi"), pid(c)
    c.inclusion.declare(ravi, p, {"level": "IC", "function": "Finance"}, consent=True)
    assert c.inclusion.withdraw(ravi, p, ["level"]) == 1
    assert [d.attribute for d in c.inclusion.mine(ravi, p)] == ["function"]
    assert c.inclusion.withdraw(ravi, p) == 1
    with c.records.engine.connect() as conn:
        left = conn.execute(
            select(func.count())
            .select_from(InclusionDeclarationRow)
            .where(InclusionDeclarationRow.user_id == ravi.user_id)
        ).scalar_one()
    assert left == 0  # deleted, not flagged


def test_nobody_else_reads_a_persons_values_through_any_method(c: Container) -> None:
    """ravi's planted value reaches no answer of any public method anyone else calls."""
    configure(c)
    p = pid(c)
    planted = "Zanzibar Treasury Desk"
    c.inclusion.declare(who(c, "ravi"), p, {"function": planted, "level": "IC"}, True)
    for i in range(12):
        c.inclusion.declare(who(c, f"p{i}"), p, {"level": LEVELS[i % 3]}, True)
    # The only method returning values takes no one but the caller: no user argument.
    assert list(inspect.signature(InclusionService.mine).parameters) == [
        "self",
        "who",
        "programme_id",
    ]
    q3 = Period(dt.date(2026, 7, 1), dt.date(2026, 9, 30))
    for name in ("cora", "ada", "p0"):
        other = who(c, name)
        answers: list[object] = [
            c.inclusion.attributes(other, p),
            c.inclusion.mine(other, p),
            c.inclusion.consent_text(),
        ]
        if name == "cora":
            answers += [
                c.inclusion.audit_view(other, p),
                c.inclusion.section(other, p, q3),
            ]
            with pytest.raises(ProgrammeError):
                answers.append(c.inclusion.crosstab(other, p, "function", "level"))
        assert planted not in repr(answers)
        own = c.inclusion.mine(other, p)
        assert (
            own == []
            if name != "p0"
            else [(d.attribute, d.value) for d in own] == [("level", "IC")]
        )
    with pytest.raises(NotAllowedError):
        c.inclusion.audit_view(who(c, "ada"), p)


def _population(c: Container) -> str:
    """Levels: IC 7 (p0..p6), Manager 5 (p7..p11), Director 1 (ravi); ada and cora declare
    nothing. In 2026-Q3, p0..p5 and ravi wrote; ravi and p7 are paired."""
    configure(c)
    p = pid(c)
    for i in range(12):
        c.inclusion.declare(who(c, f"p{i}"), p, {"level": "IC" if i < 7 else "Manager"}, True)
    c.inclusion.declare(who(c, "ravi"), p, {"level": "Director"}, True)
    # Thirteen declared, so three still wait for a batch of five: count them all as from an
    # earlier batch (set in the table), as this population is about the audit's arithmetic.
    with c.records.engine.begin() as conn:
        conn.execute(update(InclusionDeclarationRow).values(batch=1))
    writers = [f"p{i}" for i in range(6)] + ["ravi"]
    c.records.save([doc(who(c, u).user_id, p, f"s-{u}", day=IN_Q3) for u in writers])
    pairings = c.impact.pairings
    made = pairings.propose(
        p, who(c, "p7").user_id, who(c, "ravi").user_id, ProfileRole.MENTOR, [], 1, "x"
    )
    proposed = pairings.pairing(made)
    assert proposed is not None
    assert pairings.update(
        dataclasses.replace(proposed, state=PairingState.ACTIVE), PairingState.PROPOSED
    )
    # Proposed in August (the port writes no creation time: set it in the table).
    with c.records.engine.begin() as conn:
        conn.execute(
            update(PairingRow)
            .where(PairingRow.id == made)
            .values(created_at=dt.datetime(2026, 8, 1, tzinfo=dt.UTC))
        )
    return p


def test_the_audit_withholds_small_groups_and_what_would_give_them_away(c: Container) -> None:
    p = _population(c)
    view = c.inclusion.audit_view(who(c, "cora"), p)
    assert view.quarter == "2026-Q3" and view.members == 15
    level = next(t for t in view.tables if t.title.startswith("Level"))
    rows = {r[0]: r for r in level.rows}
    col = {name: i for i, name in enumerate(level.columns)}
    # Director (1) and not declared (2) are withheld, and with them a third group, so the
    # total of 15 does not give either back.
    assert rows["Director"][col["Members"]] is None
    assert rows["not declared"][col["Members"]] is None
    assert rows["IC"][col["Members"]] is None or rows["Manager"][col["Members"]] is None
    assert rows["all members"][col["Members"]] == 15
    for r in level.rows:
        for v in r[1:]:
            if isinstance(v, int):
                assert v == 0 or v >= c.inclusion.k
    assert "2026-07-01 to 2026-09-30" in level.period and "15 members" in level.population
    logged = [e for e in c.audit.events(limit=20) if e.action == "inclusion audit viewed"]
    assert logged and logged[0].detail == "2026-Q3"


def test_the_audit_covers_whole_ended_quarters_only(c: Container) -> None:
    p = _population(c)
    cora = who(c, "cora")
    with pytest.raises(ProgrammeError, match="2026-Q4 has not ended"):
        c.inclusion.audit_view(cora, p, "2026-Q4")
    with pytest.raises(ProgrammeError, match="not a quarter"):
        c.inclusion.audit_view(cora, p, "last week")
    with pytest.raises(ProgrammeError, match="'0000-Q1' is not a quarter"):
        c.inclusion.audit_view(cora, p, "0000-Q1")
    assert c.inclusion.audit_view(cora, p, "2026q2").quarter == "2026-Q2"
    # The report's arbitrary period becomes the last whole quarter ended by its end.
    days = c.inclusion.section(cora, p, Period(dt.date(2026, 9, 2), dt.date(2026, 11, 30)))
    assert "2026-Q3" in days.notes[0] and days.tables
    whole = c.inclusion.section(cora, p, Period(dt.date(2026, 4, 1), dt.date(2026, 6, 30)))
    assert whole.tables[0].period.startswith("2026-Q2")
    # Two periods a day apart give the same quarter, so the same figures: no differencing.
    a = c.inclusion.section(cora, p, Period(dt.date(2026, 9, 1), dt.date(2026, 11, 29)))
    assert a.tables == days.tables


def test_too_few_members_shows_nothing(members: Container) -> None:
    members.inclusion._today = lambda: TODAY
    cora = members.records.principal("cora")
    view = members.inclusion.audit_view(cora, members.inclusion.programme(cora))
    assert view.tables == () and "needs at least 5" in view.notes[0]


def test_a_crosstab_is_offered_only_when_nothing_needs_withholding(c: Container) -> None:
    configure(c)
    p, cora = pid(c), who(c, "cora")
    with pytest.raises(ProgrammeError, match="name two different attributes"):
        c.inclusion.crosstab(cora, p, "level", "level")
    for name in ("ada", "ravi", "cora", *(f"p{i}" for i in range(12))):
        values = {"level": "IC", "function": "Finance" if name < "p5" else "Sales"}
        c.inclusion.declare(who(c, name), p, values, True)
    table = c.inclusion.crosstab(cora, p, "level", "function")  # either order
    cells = [v for r in table.rows for v in r[1:]]
    assert None not in cells and all(v == 0 or v >= 5 for v in cells if isinstance(v, int))
    c.inclusion.declare(who(c, "ravi"), p, {"level": "Director"}, True)
    with pytest.raises(ProgrammeError, match="fewer than 5"):
        c.inclusion.crosstab(cora, p, "function", "level")


def test_the_service_counts_what_the_store_holds(c: Container) -> None:
    """The audit read through the store (declarations, documents by date, pairings) equals
    the same arithmetic over the facts written: nothing lost or added on the way."""
    from playbook.services.health.inclusion.audit import quarter_cells, standing
    from playbook.services.health.inclusion.tables import attribute_tables

    p = _population(c)
    ids = {u.username: u.user_id for u in c.records.users()}
    level = {f"p{i}": "IC" if i < 7 else "Manager" for i in range(12)} | {"ravi": "Director"}
    held = {ids[u]: {"level": v} for u, v in level.items()}

    def tally(names, among):  # type: ignore[no-untyped-def]
        out: dict[tuple[str | None, ...], int] = {}
        for uid in set(among):
            key = tuple(held.get(uid, {}).get(n) for n in names)
            out[key] = out.get(key, 0) + 1
        return out

    members = set(ids.values())
    specs = c.inclusion.attributes(who(c, "cora"), p)
    base = standing(specs, members, tally, 5)
    writers = {ids[u] for u in [f"p{i}" for i in range(6)] + ["ravi"]}
    activity = {"wrote": writers, "paired": {ids["p7"], ids["ravi"]}, "showcased": set()}
    cells = quarter_cells(base, activity, members, tally, 5)
    view = c.inclusion.audit_view(who(c, "cora"), p, "2026-Q3")
    expected = attribute_tables(base, cells, "2026-Q3", view.period, "default", 5)
    assert [t.rows for t in view.tables] == [t.rows for t in expected]
    assert any(r[3] is not None for t in view.tables for r in t.rows[:-1])  # some activity shows
