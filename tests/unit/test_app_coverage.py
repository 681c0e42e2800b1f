"""The Coverage page under AppTest on the demo content: a coordinator sees the gaps, the
table, the chart and the withheld prompt categories, declares, edits and removes goals and
domains, and imports a CSV file that stores all rows or none; a sponsor reads without the
forms; a leader is refused."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from playbook.models import Role
from playbook.wiring import Container
from tests.conftest import page_as
from tests.unit.test_plain_text import unescape


def _page(user: str) -> AppTest:
    return AppTest.from_function(page_as, args=(user, "coverage"), default_timeout=30).run()


def _text(at: AppTest) -> str:
    parts = [*at.markdown, *at.caption, *at.info, *at.success, *at.warning, *at.header]
    return unescape(" ".join(str(p.value) for p in parts))


def _names(demo: Container) -> list[str]:
    cora = demo.records.principal("cora")
    return [d.name for d in demo.coverage.declarations(cora, demo.coverage.programme(cora))]


def _declare_buttons(at: AppTest) -> list[object]:
    return [b for b in at.button if b.key and b.key.startswith("FormSubmitter:coverage-declare")]


def _last_quarter(at: AppTest) -> AppTest:
    # The demo writes in August to November; "last quarter" holds most of it.
    return at.radio(key="coverage-period").set_value("Last quarter").run()


def test_a_coordinator_sees_gaps_table_chart_and_withheld_categories(demo: Container) -> None:
    at = _last_quarter(_page("cora"))
    assert not at.exception
    text = _text(at)
    assert "No debrief covers the Nordics market" in text
    assert len(at.dataframe) == 2
    coverage = at.dataframe[0].value
    assert "Nordics market" in list(coverage["Goal or domain"])
    categories = at.dataframe[1].value
    assert set(categories["Entries"]) == {"too few answers to show"}
    [chart] = at.get("vega_lite_chart")
    assert "Nordics market" in str(chart.proto) and "Debriefs" in str(chart.proto)
    assert _declare_buttons(at)


def test_a_coordinator_declares_edits_and_removes(demo: Container) -> None:
    at = _page("cora")
    at.text_input(key="coverage-name-new").input("Zero waste by 2030")
    at.selectbox(key="coverage-kind-new").set_value("goal")
    at = at.button(key="FormSubmitter:coverage-declare-new-Save").click().run()
    assert not at.exception and "Saved." in _text(at)
    assert "Zero waste by 2030" in _names(demo)
    assert at.text_input(key="coverage-name-new").value == ""  # ready for the next one
    # Edit: pick it, rename it; the old name goes.
    cora = demo.records.principal("cora")
    pid = demo.coverage.programme(cora)
    [made] = [d for d in demo.coverage.declarations(cora, pid) if d.name == "Zero waste by 2030"]
    at.selectbox(key="coverage-edit").set_value(made.declaration_id).run()
    at.text_input(key=f"coverage-name-{made.declaration_id}").input("Zero waste by 2032")
    at = at.button(key=f"FormSubmitter:coverage-declare-{made.declaration_id}-Save").click().run()
    assert not at.exception
    names = _names(demo)
    assert "Zero waste by 2032" in names and "Zero waste by 2030" not in names
    [renamed] = [d for d in demo.coverage.declarations(cora, pid) if d.name == "Zero waste by 2032"]
    at.selectbox(key="coverage-edit").set_value(renamed.declaration_id).run()
    at = at.button(key=f"coverage-remove:{renamed.declaration_id}").click().run()
    assert not at.exception and "Removed" in _text(at)
    assert "Zero waste by 2032" not in _names(demo)


def test_an_empty_name_is_refused_and_nothing_is_stored(demo: Container) -> None:
    before = _names(demo)
    at = _page("cora")
    at = at.button(key="FormSubmitter:coverage-declare-new-Save").click().run()
    assert not at.exception and "The name is empty" in _text(at)
    assert _names(demo) == before


def test_a_sponsor_reads_without_the_forms_and_a_leader_is_refused(demo: Container) -> None:
    if "sofia" not in demo.records.user_ids(["sofia"]):  # the demo may seat her already
        demo.records.add_user("sofia", roles=[Role.SPONSOR])
    at = _last_quarter(_page("sofia"))
    assert not at.exception
    assert "No debrief covers the Nordics market" in _text(at)
    assert not _declare_buttons(at)
    leader = _page("ada")
    assert not leader.exception
    assert not leader.dataframe and leader.info
