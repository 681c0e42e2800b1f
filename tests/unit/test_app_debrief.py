"""The debrief form and My reflections' timeline (issue 18): a field's error goes once it is
changed, the long-rotation refusal is said beside the dates and the Save button in the
refusal's words, the history lists a debrief by its rotation's days, and the timeline's
ticks can be picked."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from playbook.wiring import Container
from tests.conftest import page_as
from tests.unit.test_app_reflect import button


def _reflect() -> AppTest:
    return AppTest.from_function(page_as, args=("ada", "reflect"), default_timeout=30).run()


def _errors(at: AppTest) -> str:
    return " ".join(e.value for e in at.error)


def test_a_fixed_field_loses_its_error_and_the_button_says_why_not_saved(
    demo: Container,
) -> None:
    at = _reflect()
    at.text_input(key="debrief:function").input("Supply chain").run()
    at.date_input(key="debrief:start_date").set_value(dt.date(2026, 9, 21)).run()
    at.date_input(key="debrief:end_date").set_value(dt.date(2026, 9, 1)).run()
    button(at, "Save debrief").click().run()
    assert "The end date is before the start date." in _errors(at)
    assert "Name the anchor project" in _errors(at)
    assert "Not saved:" in _errors(at) and "above need a change" in _errors(at)
    at.date_input(key="debrief:end_date").set_value(dt.date(2026, 10, 2)).run()
    assert "The end date is before the start date." not in _errors(at)  # fixed: gone
    assert "Name the anchor project" in _errors(at)  # not fixed: stays
    at.text_input(key="debrief:anchor_project").input("Cost-to-serve review").run()
    assert "Name the anchor project" not in _errors(at)


def test_a_rotation_of_months_is_refused_in_the_same_words_beside_the_dates(
    demo: Container,
) -> None:
    at = _reflect()
    at.date_input(key="debrief:start_date").set_value(dt.date(2026, 3, 1)).run()
    at.date_input(key="debrief:end_date").set_value(dt.date(2026, 8, 1)).run()
    warned = " ".join(w.value for w in at.warning)
    assert "rotations last weeks, not months" in warned and "cannot be saved" in warned
    at.date_input(key="debrief:end_date").set_value(dt.date(2026, 4, 10)).run()
    assert not [w for w in at.warning if "not months" in w.value]  # 41 days: a caption only
    assert any("rotations usually last two to four weeks" in c.value for c in at.caption)


def test_my_reflections_lists_a_debrief_by_its_rotation_days(demo: Container) -> None:
    ada = demo.records.principal("ada")
    form = {
        "function": "Supply chain",
        "market": "Vietnam",
        "start_date": dt.date(2026, 3, 2),
        "end_date": dt.date(2026, 3, 20),
        "anchor_project": "Cost-to-serve review",
        "surprised": "How much the depot mattered.",
        "decisions": "Keep the depot open.",
        "lessons": "Count exceptions first.",
        "strategic_goal": "Grow share in Asia",
        "advice": "Meet the night shift.",
    }
    demo.reflection.save_debrief(ada, form)
    at = _reflect()
    labels = [e.label for e in at.expander]
    assert any("rotation 02 Mar – 20 Mar 2026" in label for label in labels), labels


def test_the_timeline_offers_its_ticks_for_picking(demo: Container) -> None:
    ada = demo.records.principal("ada")
    demo.reflection.save_journal(ada, "A thought.", title="One")
    at = _reflect()
    [chart] = [c for c in at.get("vega_lite_chart") if c.proto.id.endswith("history:timeline")]
    assert list(chart.proto.selection_mode) == ["pick"]  # a click selects a tick
    assert "tooltip" not in chart.proto.spec  # it covered the search box


def test_a_picked_tick_names_its_document() -> None:
    from playbook.ui.reflect import picked_document

    assert picked_document({"pick": [{"doc": "d1"}]}) == "d1"
    assert picked_document({"pick": []}) is None
    assert picked_document({}) is None
    assert picked_document({"pick": [{"doc": 3}, "junk"]}) is None
