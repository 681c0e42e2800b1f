"""Declarations count in batches (issue 21, item 4's differencing gap): a new or changed value
is stored and shown to its owner at once, but no view of the audit changes until five people
(the minimum group) wait on the attribute; then all five count together. A change takes the
old value out at once (it is the person's data) and the new one waits."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from streamlit.testing.v1 import AppTest

from playbook import cli
from playbook.demo import seed_demo
from playbook.models import Role
from playbook.ports.inclusion import AttributeSpec
from playbook.services.health.figures import Period, Table
from playbook.wiring import Container
from tests.conftest import page_as
from tests.unit.test_cli_entries import run

TODAY = dt.date(2026, 12, 1)  # the latest ended quarter is 2026-Q3
LEVELS = ("IC", "Manager", "Director")


@pytest.fixture
def c(members: Container) -> Container:
    """ada, ravi, cora and p0..p11 in the default programme, asked function and level; p0..p4
    declared IC and p5..p9 Manager (two whole batches, counted)."""
    for i in range(12):
        members.records.add_user(f"p{i}", roles=[Role.PARTICIPANT])
    members.inclusion._today = lambda: TODAY
    cora = members.records.principal("cora")
    pid = members.inclusion.programme(cora)
    specs = [AttributeSpec("function", "Function"), AttributeSpec("level", "Level", LEVELS)]
    members.inclusion.configure(cora, pid, specs)
    for i in range(10):
        level = "IC" if i < 5 else "Manager"
        members.inclusion.declare(members.records.principal(f"p{i}"), pid, {"level": level}, True)
    return members


def views(c: Container) -> tuple[tuple[Table, ...], ...]:
    """Every view of the audit a reader can ask for: the latest quarter, the report's section
    for two periods, and the audit of an earlier quarter."""
    cora = c.records.principal("cora")
    pid = c.inclusion.programme(cora)
    return (
        c.inclusion.audit_view(cora, pid).tables,
        c.inclusion.audit_view(cora, pid, "2026-Q2").tables,
        c.inclusion.section(cora, pid, Period(dt.date(2026, 9, 1), dt.date(2026, 11, 30))).tables,
        c.inclusion.section(cora, pid, Period(dt.date(2026, 1, 1), dt.date(2026, 12, 1))).tables,
    )


def members_of(c: Container, title: str) -> dict[str, object]:
    """One table's members column by group, from the latest quarter's audit."""
    cora = c.records.principal("cora")
    view = c.inclusion.audit_view(cora, c.inclusion.programme(cora))
    [table] = [t for t in view.tables if t.title.startswith(title)]
    col = table.columns.index("Members")
    return {str(r[0]): r[col] for r in table.rows}


def test_four_waiting_change_no_view_and_the_fifth_counts_all_five(c: Container) -> None:
    pid = c.inclusion.programme(c.records.principal("cora"))
    before = views(c)
    assert all(before) and members_of(c, "Level")["Director"] == 0
    for n, name in enumerate(("p10", "p11", "ada", "cora"), start=1):
        person = c.records.principal(name)
        [mine] = c.inclusion.declare(person, pid, {"level": "Director"}, True)
        # Stored and shown to its owner at once, not counted yet.
        assert (mine.value, mine.counted) == ("Director", False)
        assert c.inclusion.still_needed(person, pid) == {"level": 5 - n}
        assert views(c) == before, name
    # The fifth completes the batch: all five count at once.
    [mine] = c.inclusion.declare(c.records.principal("ravi"), pid, {"level": "Director"}, True)
    assert mine.counted
    assert all(d.counted for d in c.inclusion.mine(c.records.principal("p10"), pid))
    assert c.inclusion.still_needed(c.records.principal("p10"), pid) == {}
    after = members_of(c, "Level")
    assert (after["Director"], after["IC"], after["Manager"]) == (5, 5, 5)
    assert after["not declared"] == 0
    assert views(c) != before


def test_a_change_takes_the_old_value_out_and_the_new_one_waits(c: Container) -> None:
    pid = c.inclusion.programme(c.records.principal("cora"))
    p0 = c.records.principal("p0")
    # The same value again keeps counting: nothing moves.
    before = views(c)
    [same] = c.inclusion.declare(p0, pid, {"level": "IC"}, True)
    assert same.counted and views(c) == before
    # A change: out of IC at once (the count falls to four, so it is withheld), not yet in
    # Manager; p0 is told how many more must declare a level.
    [changed] = c.inclusion.declare(p0, pid, {"level": "Manager"}, True)
    assert (changed.value, changed.counted) == ("Manager", False)
    level = members_of(c, "Level")
    assert level["IC"] is None and level["Manager"] in (5, None)
    assert c.inclusion.still_needed(p0, pid) == {"level": 4}
    # Another person's view of how many wait: only their own waiting declarations.
    assert c.inclusion.still_needed(c.records.principal("p1"), pid) == {}


def test_withdrawing_a_waiting_value_deletes_it_and_frees_its_place(c: Container) -> None:
    pid = c.inclusion.programme(c.records.principal("cora"))
    p10, p11 = c.records.principal("p10"), c.records.principal("p11")
    c.inclusion.declare(p10, pid, {"level": "Director"}, True)
    c.inclusion.declare(p11, pid, {"level": "Director"}, True)
    assert c.inclusion.still_needed(p11, pid) == {"level": 3}
    assert c.inclusion.withdraw(p10, pid) == 1
    assert c.inclusion.mine(p10, pid) == []
    assert c.inclusion.still_needed(p11, pid) == {"level": 4}


@pytest.fixture
def cli_demo(fake_container: Container, monkeypatch: pytest.MonkeyPatch) -> Container:
    """The demo content, with the command line wired to it."""
    monkeypatch.setattr(cli, "container", lambda: fake_container)
    seed_demo(fake_container)
    return fake_container


def test_the_command_line_tells_the_person_how_many_more_must_declare(
    cli_demo: Container,
) -> None:
    saved = run("inclusion", "declare", "--value", "level=Manager", "--consent", "--as", "sam")
    assert saved.exit_code == 0, saved.output
    assert "level: your answer counts once 4 more people have declared this." in saved.output
    [mine] = json.loads(run("inclusion", "mine", "--json", "--as", "sam").output)
    assert (mine["value"], mine["counted"], mine["more_needed"]) == ("Manager", False, 4)
    # A counted declaration says so, with no count of anyone waiting.
    [*_, level, _] = json.loads(run("inclusion", "mine", "--json", "--as", "ada").output)
    assert (level["attribute"], level["counted"], level["more_needed"]) == ("level", True, None)
    assert "level: Executive (consented" in run("inclusion", "mine", "--as", "ada").output
    assert "counted in the audit)" in run("inclusion", "mine", "--as", "ada").output


def test_the_page_shows_the_person_their_own_waiting_declaration(demo: Container) -> None:
    at = AppTest.from_function(page_as, args=("sam", "inclusion"), default_timeout=30).run()
    at.selectbox(key="inclusion-value-level").set_value("Manager")
    at.checkbox(key="inclusion-consent").check()
    at = at.button(key="FormSubmitter:inclusion-declare-Save my attributes").click().run()
    assert not at.exception
    assert list(at.dataframe[0].value["In the audit"]) == [
        "your answer counts once 4 more people have declared this"
    ]
    ada = AppTest.from_function(page_as, args=("ada", "inclusion"), default_timeout=30).run()
    assert set(ada.dataframe[0].value["In the audit"]) == {"counted in the audit"}
