"""The Inclusion page under AppTest on the demo content: anyone declares their own
attributes with consent (refused without), sees them and withdraws them; a coordinator
configures what is asked; the audit shows tables with withheld cells and a chart to those
who view health (a sponsor too), and nothing of it to a leader."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from playbook.wiring import Container
from tests.conftest import page_as
from tests.unit.test_plain_text import unescape


@pytest.fixture
def demo_q4(demo: Container) -> Container:
    """The demo with the clock at 2026-12-01: the latest ended quarter is 2026-Q3."""
    demo.inclusion._today = lambda: dt.date(2026, 12, 1)
    return demo


def _page(user: str) -> AppTest:
    return AppTest.from_function(page_as, args=(user, "inclusion"), default_timeout=30).run()


def _text(at: AppTest) -> str:
    parts = [*at.markdown, *at.caption, *at.info, *at.success, *at.warning, *at.header]
    parts += [*at.subheader]
    return unescape(" ".join(str(p.value) for p in parts))


def _save(at: AppTest) -> AppTest:
    return at.button(key="FormSubmitter:inclusion-declare-Save my attributes").click().run()


def test_a_person_declares_with_consent_sees_and_withdraws(demo_q4: Container) -> None:
    at = _page("sam")
    assert not at.exception
    assert "You have declared nothing." in _text(at)
    assert "Inclusion audit" not in _text(at)  # sam (admin) does not view health
    at.selectbox(key="inclusion-value-level").set_value("Manager")
    at = _save(at)
    assert "needs your consent" in _text(at)
    sam = demo_q4.records.principal("sam")
    pid = demo_q4.inclusion.programme(sam)
    assert demo_q4.inclusion.mine(sam, pid) == []
    at.selectbox(key="inclusion-value-level").set_value("Manager")
    at.checkbox(key="inclusion-consent").check()
    at = _save(at)
    assert not at.exception and "Saved." in _text(at)
    assert [(d.attribute, d.value) for d in demo_q4.inclusion.mine(sam, pid)] == [
        ("level", "Manager")
    ]
    assert list(at.dataframe[0].value["Value"]) == ["Manager"]
    at = at.button(key="inclusion-withdraw").click().run()
    assert "your attributes were deleted" in _text(at)
    assert demo_q4.inclusion.mine(sam, pid) == []


def test_a_coordinator_sees_the_audit_with_withheld_cells_and_a_chart(
    demo_q4: Container,
) -> None:
    at = _page("cora")
    assert not at.exception
    text = _text(at)
    assert "What the programme asks" in text and "Inclusion audit" in text
    assert "2026-Q3: 2026-07-01 to 2026-09-30 · 11 members" in text
    function = next(
        d.value
        for d in at.dataframe
        if "Group" in d.value.columns and "Sales" in list(d.value["Group"])
    )
    members = dict(zip(function["Group"], function["Members"], strict=True))
    assert members["Sales"] == "5" and members["Technology"] == "withheld"
    assert at.get("vega_lite_chart")
    crossed = at.button(key="inclusion-crosstab").click().run()
    assert "No cross-tab of function and level: some combination" in _text(crossed)


def test_a_coordinator_configures_what_is_asked(demo_q4: Container) -> None:
    at = _page("cora")
    at.text_area(key="inclusion-config").input("level:Level=Manager,Director,Executive\nteam")
    at = at.button(key="FormSubmitter:inclusion-configure-Save the attributes").click().run()
    assert not at.exception and "Saved the attributes." in _text(at)
    cora = demo_q4.records.principal("cora")
    specs = demo_q4.inclusion.attributes(cora, demo_q4.inclusion.programme(cora))
    assert [s.name for s in specs] == ["level", "team"]
    at.text_area(key="inclusion-config").input("Bad Key")
    at = at.button(key="FormSubmitter:inclusion-configure-Save the attributes").click().run()
    assert "is not an attribute key" in _text(at)


def test_a_sponsor_reads_the_audit_and_a_leader_does_not(demo_q4: Container) -> None:
    sofia = _page("sofia")
    assert not sofia.exception and "Inclusion audit" in _text(sofia)
    assert "What the programme asks" not in _text(sofia)
    ada = _page("ada")
    assert not ada.exception and "Inclusion audit" not in _text(ada)
    assert "My attributes" in _text(ada)
