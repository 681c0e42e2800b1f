"""The Programme health page under AppTest on the demo: who may open it, the period picker
and its refusals, each figure and table with its period and population, withheld cells in
words, user text as plain text, downloads, and each view audited once (not per rerun)."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from playbook.services.health.figures import TOO_FEW
from playbook.services.health.report import PERIOD_LABELS, PeriodChoice
from playbook.ui import health as health_page
from playbook.ui.common import plain
from playbook.ui.health import DATES
from playbook.wiring import Container
from tests.conftest import page_as
from tests.unit.health_fakes import fake_health
from tests.unit.test_plain_text import unescape


def _page(user: str) -> AppTest:
    return AppTest.from_function(page_as, args=(user, "health"), default_timeout=30).run()


def _text(at: AppTest) -> str:
    parts = [*at.markdown, *at.caption, *at.info, *at.warning, *at.header, *at.subheader]
    return unescape(" ".join(str(p.value) for p in parts))


def _views(c: Container) -> list[str]:
    return [e.detail for e in c.audit.events("health viewed")]


def test_a_coordinator_sees_each_figure_with_its_period_and_population(demo: Container) -> None:
    fake_health(demo)
    at = _page("cora")
    assert not at.exception
    health = demo.health
    period = health.period()
    text = _text(at)
    assert "Programme health" in [t.value for t in at.title]
    assert f"period {period.label}" in text and "members of the programme" in text
    # The section title is user text: shown escaped, as plain text.
    assert plain("Fake **source**") in [h.value for h in at.header]
    metrics = {unescape(m.label): unescape(m.value) for m in at.metric}
    assert metrics == {"Respondents": "13"}
    assert f"Open answers\n**{TOO_FEW}**" in unescape(" ".join(m.value for m in at.markdown))
    assert f"Period {period.label} · 13 respondents" in text
    assert f"Period {period.label} · 2 respondents · {TOO_FEW}" in text
    assert f"Period {period.label} · 13 members who declared a level" in text
    [grid] = at.table
    cells = [
        {unescape(k): unescape(v) for k, v in row.items()} for row in grid.value.to_dict("records")
    ]
    assert cells == [
        {"level": "senior", "people": "6"},
        {"level": "junior", "people": TOO_FEW},
        {"level": "=HYPERLINK(x)", "people": TOO_FEW},
    ]
    assert "<b>nothing</b> is read from journals" in text
    assert len(at.get("download_button")) == 2
    assert len(_views(demo)) == 1 and _views(demo)[0].endswith("format page")


def test_the_downloads_are_made_and_audited_when_clicked(demo: Container) -> None:
    fake_health(demo)
    cora = demo.records.principal("cora")
    report = demo.health.report(cora, demo.health.programme(cora), demo.health.period())
    made = health_page._export(demo.health, cora, report, "pdf")
    assert isinstance(made, bytes) and made.startswith(b"%PDF")
    assert "'=HYPERLINK(x)" in str(health_page._export(demo.health, cora, report, "csv"))
    assert [e.detail.rsplit("format ", 1)[1] for e in demo.audit.events("health exported")] == [
        "page csv",
        "page pdf",
    ]


def test_a_rerun_keeps_the_report_and_a_new_period_builds_one(demo: Container) -> None:
    fake_health(demo)
    at = _page("cora")
    at = at.radio(key="health-period").set_value(PERIOD_LABELS[PeriodChoice.THIS_QUARTER]).run()
    assert len(_views(demo)) == 1  # the same period: no second view
    at = at.radio(key="health-period").set_value(PERIOD_LABELS[PeriodChoice.LAST_QUARTER]).run()
    assert not at.exception
    last = demo.health.period("last-quarter")
    assert f"period {last.label}" in _text(at)
    assert len(_views(demo)) == 2
    at = at.button[0].click().run()  # Refresh
    assert len(_views(demo)) == 3


def test_dates_of_ones_choosing_and_their_refusal(demo: Container) -> None:
    fake_health(demo)
    at = _page("cora")
    at = at.radio(key="health-period").set_value(DATES).run()
    today = demo.health.today()
    at = at.date_input(key="health-from").set_value(today - dt.timedelta(days=6)).run()
    assert not at.exception
    assert f"period {(today - dt.timedelta(days=6)).isoformat()} to {today}" in _text(at)
    at = at.date_input(key="health-to").set_value(today - dt.timedelta(days=10)).run()
    assert not at.exception
    assert "before it starts" in _text(at)
    assert not at.metric  # nothing shown for a period that is refused


def test_the_demo_sponsor_sees_it_and_members_are_refused(demo: Container) -> None:
    fake_health(demo)
    sofia = _page("sofia")
    assert not sofia.exception and sofia.metric
    ravi = _page("ravi")
    assert not ravi.exception
    assert "Programme health needs the coordinator" in _text(ravi)
    assert not ravi.metric and not ravi.get("download_button")
    assert [e.actor for e in demo.audit.events("health viewed")] == ["sofia"]


def test_the_demo_report_gathers_every_source(demo: Container) -> None:
    for user in ("cora", "sofia"):
        at = _page(user)
        assert not at.exception
        headers = [unescape(h.value) for h in at.header]
        assert headers == [
            "Early-warning signals",
            "Pulse surveys",
            "Themes and knowledge coverage",
            "Inclusion audit",
        ]
        text = _text(at)
        assert "could not be put together" not in text
        assert TOO_FEW in text  # the demo survey's open re-run has two answers
