"""Planted-name leak test of coverage: a private journal holding a planted name and a
planted keyword of a declared domain (and a private debrief naming a declared market)
neither shows its text anywhere coverage answers (the section, its JSON, the command line,
the page, the audit log) nor counts towards that domain or market. Even with the minimum
group size at 1, private writing counts only by prompt category."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from streamlit.testing.v1 import AppTest

from playbook.cli import app
from playbook.models import DebriefFields, Kind, NewDocument, Visibility
from playbook.services.health.figures import Period, latest_ended_quarter, quarter_period
from playbook.ui import common
from playbook.wiring import Container
from tests.conftest import page_as
from tests.unit.test_plain_text import unescape

PLANTED_NAME = "Zelphine Quarrington"
PLANTED_WORD = "quokkanomics"
# People and private writing count over the last whole quarter that has ended: the planted
# writing is dated in its middle, and the period runs from that quarter's start to today.
QUARTER = quarter_period(latest_ended_quarter(dt.date.today()))
WHEN = dt.datetime.combine(QUARTER.start + dt.timedelta(days=40), dt.time(9), dt.UTC)
PERIOD = Period(QUARTER.start, dt.date.today())


@pytest.fixture
def c(members: Container, monkeypatch: pytest.MonkeyPatch) -> Container:
    members.settings = members.settings.model_copy(update={"min_group_size": 1})
    cora = members.records.principal("cora")
    ada = members.records.principal("ada")
    pid = members.coverage.programme(cora)
    members.coverage.declare(cora, pid, "domain", "Marsupial economics", "", PLANTED_WORD)
    members.coverage.declare(cora, pid, "market", "Nordics market", "", "Norway")
    text = f"{PLANTED_NAME} told me about {PLANTED_WORD} and our Norway plans."
    members.pipeline.store(
        [
            NewDocument(
                ada.user_id,
                pid,
                Kind.JOURNAL,
                Visibility.PRIVATE,
                PLANTED_NAME,
                text,
                "planted-j",
                tags=(PLANTED_WORD,),
                created_at=WHEN,
                prompt_set="bias-assumptions",
            ),
            NewDocument(
                ada.user_id,
                pid,
                Kind.DEBRIEF,
                Visibility.PRIVATE,
                "Oslo",
                text,
                "planted-d",
                created_at=WHEN,
                debrief=DebriefFields(market="Norway", strategic_goal=PLANTED_WORD),
            ),
        ]
    )
    monkeypatch.setattr(common, "get_container", lambda: members)
    return members


def _clean(text: str) -> None:
    assert PLANTED_NAME.split()[0] not in text and PLANTED_NAME.split()[1] not in text
    # The planted word is a declared keyword: coordinators see it among the keywords on the
    # page, never in a count's label, a gap or a table cell of writing.
    assert PLANTED_WORD not in text


def test_private_writing_neither_shows_nor_counts(c: Container) -> None:
    cora = c.records.principal("cora")
    pid = c.coverage.programme(cora)
    report = c.coverage.report(cora, pid, PERIOD)
    rows = {r.declaration.name: r for r in report.rows}
    for name in ("Marsupial economics", "Nordics market"):
        r = rows[name]
        assert (r.debriefs, r.notes, r.entries, r.writers, r.covered) == (0, 0, 0, 0, False)
    # Counted by its prompt category only (shown: the group size is 1 here).
    assert ("Bias", 1, 1) in report.category_table().rows
    section = json.dumps(c.coverage.section(cora, pid, PERIOD).as_dict())
    _clean(section)
    assert "Marsupial economics" in section  # the declared name is the coordinator's
    _clean(" ".join(f"{e.subject} {e.detail}" for e in c.audit.events()))


def test_the_command_line_and_the_page_show_none_of_it(
    c: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    import playbook.cli as cli

    monkeypatch.setattr(cli, "container", lambda: c)
    shown = CliRunner().invoke(
        app, ["coverage", "show", "--period", "last-90-days", "--as", "cora", "--json"]
    )
    assert shown.exit_code == 0, shown.output
    _clean(shown.output)
    at = AppTest.from_function(page_as, args=("cora", "coverage"), default_timeout=30).run()
    assert not at.exception
    parts = [*at.markdown, *at.caption, *at.info, *at.success, *at.warning, *at.header]
    page = unescape(" ".join(str(p.value) for p in parts))
    page += " ".join(str(df.value.to_dict()) for df in at.dataframe)
    page += " ".join(str(chart.proto) for chart in at.get("vega_lite_chart"))
    _clean(page)
    assert "Nothing shared or published in the period covers “Marsupial economics”" in page


def test_through_the_store_two_periods_a_day_apart_count_the_same_quarter(c: Container) -> None:
    # Ravi writes privately in the same category today: over the days asked for, the view
    # ending today would count two writers and the one ending yesterday one, so that Ravi
    # wrote today. Counted over the last ended quarter, both views show Ada's two private
    # documents only (her journal in Bias, her private debrief as free writing).
    cora, ravi = c.records.principal("cora"), c.records.principal("ravi")
    pid = c.coverage.programme(cora)
    today = dt.datetime.now(dt.UTC)
    c.pipeline.store(
        [
            NewDocument(
                ravi.user_id,
                pid,
                Kind.JOURNAL,
                Visibility.PRIVATE,
                "Today",
                "A private note.",
                "today-j",
                created_at=today,
                prompt_set="bias-assumptions",
            )
        ]
    )
    ends = (today.date(), today.date() - dt.timedelta(days=1))
    views = [c.coverage.report(cora, pid, Period(QUARTER.start, end)) for end in ends]
    expected = (("Bias", 1, 1), ("Free writing", 1, 1))
    assert [v.category_table().rows for v in views] == [expected] * 2
    for v in views:
        assert v.category_table().period.startswith(f"{v.quarter} ({QUARTER.label})")
