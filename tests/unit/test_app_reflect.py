"""The Reflect, Home and Moderation pages' logic, driven by streamlit.testing with fakes."""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from playbook.wiring import Container


def _reflect_as_ada() -> None:
    import streamlit as st

    from playbook.ui import reflect

    st.session_state["username"] = "ada"
    reflect.page()


def _reflect_as_ravi() -> None:
    import streamlit as st

    from playbook.ui import reflect

    st.session_state["username"] = "ravi"
    reflect.page()


def _moderate_as_cora() -> None:
    import streamlit as st

    from playbook.ui import moderate

    st.session_state["username"] = "cora"
    moderate.page()


def _home_as_ada() -> None:
    import streamlit as st

    from playbook.ui import home

    st.session_state["username"] = "ada"
    home.page()


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def text_area(at: AppTest, key: str):
    return next(t for t in at.text_area if t.key == key)


def test_journal_preview_save_and_followups(demo: Container) -> None:
    at = AppTest.from_function(_reflect_as_ada, default_timeout=30).run()
    assert not at.exception
    at.selectbox(key="journal:set").set_value("decision-quality").run()
    assert any("Why this matters" in i.value for i in at.info)
    text_area(at, "journal:text").input(
        "I waited two weeks for Tony's data before deciding; the deadline was Friday."
    ).run()
    assert at.caption and any("Draft saved" in c.value for c in at.caption)
    button(at, "Preview redaction").click().run()
    shown = " ".join(m.value for m in at.markdown)
    assert "Tony" not in shown and "orange-background[PERSON" in shown
    button(at, "Save entry").click().run()
    assert not at.exception
    assert any("Saved. It is private" in s.value for s in at.success)
    assert text_area(at, "journal:text").value == ""  # cleared for the next entry
    assert any(m.value.startswith("**") and "?" in m.value for m in at.markdown)
    ada = demo.records.principal("ada")
    assert demo.reflection.draft(ada.user_id, "journal") is None
    mine = demo.reflection.history(ada, query="deadline was friday")
    assert len(mine) == 1


def test_an_empty_entry_and_a_huge_paste_keep_the_draft(demo: Container) -> None:
    at = AppTest.from_function(_reflect_as_ada, default_timeout=30).run()
    button(at, "Save entry").click().run()
    assert "Not saved: write something first" in at.error[0].value
    huge = "word " * 40_001
    text_area(at, "journal:text").input(huge).run()
    button(at, "Save entry").click().run()
    assert "up to 100,000" in at.error[0].value
    ada = demo.records.principal("ada")
    assert demo.reflection.draft(ada.user_id, "journal")["text"] == huge  # type: ignore[index]


def test_a_draft_survives_a_reload(demo: Container) -> None:
    at = AppTest.from_function(_reflect_as_ada, default_timeout=30).run()
    text_area(at, "journal:text").input("Half-written thought about dissent").run()
    again = AppTest.from_function(_reflect_as_ada, default_timeout=30).run()  # a new session
    assert text_area(again, "journal:text").value == "Half-written thought about dissent"
    assert any("Restored your unsaved draft" in c.value for c in again.caption)


def test_marking_a_missed_name_in_the_preview(demo: Container) -> None:
    at = AppTest.from_function(_reflect_as_ada, default_timeout=30).run()
    text_area(at, "journal:text").input("Coffee with Obi about the Lagos launch.").run()
    button(at, "Preview redaction").click().run()
    assert "Obi" in " ".join(m.value for m in at.markdown)
    at.text_input(key=None)  # the form's input has no key; find it by label
    missed = next(t for t in at.text_input if t.label == "A name we missed")
    missed.input("Obi")
    next(b for b in at.button if b.label == "Always redact it").click().run()
    assert not at.exception
    assert "Obi" not in " ".join(m.value for m in at.markdown if "orange" in m.value)


def test_debrief_shows_field_errors_and_keeps_input(demo: Container) -> None:
    at = AppTest.from_function(_reflect_as_ada, default_timeout=30).run()
    at.text_input(key="debrief:function").input("Supply chain").run()
    at.date_input(key="debrief:start_date").set_value(dt.date(2026, 9, 21)).run()
    at.date_input(key="debrief:end_date").set_value(dt.date(2026, 9, 1)).run()
    button(at, "Save debrief").click().run()
    errors = " ".join(e.value for e in at.error)
    assert "The end date is before the start date." in errors
    assert "Name the anchor project" in errors
    assert at.text_input(key="debrief:function").value == "Supply chain"


def test_share_then_approve_then_others_find_it(demo: Container) -> None:
    ada = demo.records.principal("ada")
    doc = demo.reflection.save_journal(ada, "The warehouse consolidation lesson about dissent.")
    at = AppTest.from_function(_reflect_as_ada, default_timeout=30).run()
    button(at, "Share with my programme…").click().run()  # shows what others would read
    assert demo.records.document(doc).share_status is None  # type: ignore[union-attr]
    button(at, "Share this redacted text").click().run()
    assert not at.exception
    assert demo.records.document(doc).share_status == "pending"  # type: ignore[union-attr]
    mod = AppTest.from_function(_moderate_as_cora, default_timeout=30).run()
    assert any("awaiting approval (1)" in s.value for s in mod.subheader)
    next(b for b in mod.button if b.key == f"approve:{doc}").click().run()
    assert not mod.exception
    hits = demo.service.search("ravi", "warehouse consolidation dissent")
    assert doc in [h.document_id for h in hits]


def test_moderation_is_for_coordinators(demo: Container) -> None:
    def as_ravi() -> None:
        import streamlit as st

        from playbook.ui import moderate

        st.session_state["username"] = "ravi"
        moderate.page()

    at = AppTest.from_function(as_ravi, default_timeout=30).run()
    assert (
        "Reviewing what members share needs the coordinator role" in at.info[0].value
        and not at.button
    )


def test_home_shows_the_reflection_rhythm(demo: Container) -> None:
    at = AppTest.from_function(_home_as_ada, default_timeout=30).run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "Weekly streak" in labels and "Last reflection" in labels
    assert at.get("vega_lite_chart")


def test_a_broken_prompt_file_is_reported_on_the_page(
    demo: Container, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    from prompts import SETS, load_library

    for f in SETS.glob("*.yaml"):
        shutil.copy(f, tmp_path / f.name)
    bad = tmp_path / "bias-assumptions.yaml"
    bad.write_text(bad.read_text().replace("why:", "whyy:", 1))
    demo.override(library=load_library(tmp_path))
    at = AppTest.from_function(_reflect_as_ravi, default_timeout=30).run()
    assert not at.exception
    shown = at.warning[0].value.replace("\\", "")
    assert "bias-assumptions.yaml: prompts.0.why: Field required" in shown


def test_before_my_rotation_page(demo: Container) -> None:
    def as_ravi() -> None:
        import streamlit as st

        from playbook.ui import rotation

        st.session_state["username"] = "ravi"
        rotation.page()

    at = AppTest.from_function(as_ravi, default_timeout=30).run()
    at.button[0].click().run()
    assert "Name the function or the market" in at.warning[0].value
    at.text_input[1].input("Singapore")
    at.button[0].click().run()
    assert not at.exception
    assert any(e.label.startswith("Rotation debrief") for e in at.expander)
