"""The Curate page: promote shared items, move an entry to publication, and a save that
meets someone else's newer save is merged or reloaded, never silently overwritten."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from playbook.models import EntryContent, EntryStatus
from playbook.services.curation import merge
from playbook.wiring import Container
from tests.unit.test_plain_text import unescape


def _curate_as(user: str) -> None:
    import streamlit as st

    from playbook.ui import curate

    st.session_state["username"] = user
    curate.page()


def _page(user: str = "cora") -> AppTest:
    return AppTest.from_function(_curate_as, args=(user,), default_timeout=30).run()


def test_members_who_do_not_coordinate_see_an_explanation(demo: Container) -> None:
    at = _page("ravi")
    assert "Curating playbook entries needs the coordinator role" in at.info[0].value


def test_promote_then_submit_and_publish(demo: Container) -> None:
    at = _page()
    assert not at.exception
    picks = [cb for cb in at.checkbox if "Supply chain, Singapore" in cb.label]
    assert picks, [cb.label for cb in at.checkbox]
    picks[0].check()
    at.button(key="FormSubmitter:promote-Draft an entry").click().run()
    assert not at.exception
    assert at.text_input[0].value  # the editor is open with a drafted title
    captions = unescape(" ".join(c.value for c in at.caption))
    assert "↳ from “Rotation debrief: Supply chain, Singapore”" in captions
    assert at.selectbox[0].options == ["none", "cora"]  # verifier: the coordinators
    [entry] = demo.curation.entries.listing(
        demo.records.coordinated_programmes(demo.records.principal("cora").user_id)
    )
    at.button(key=f"act:submit:{entry.entry_id}").click().run()
    at.button(key=f"act:publish:{entry.entry_id}").click().run()
    assert not at.exception
    assert demo.curation.entries.get(entry.entry_id).status is EntryStatus.PUBLISHED
    assert "Published · version 3" in " ".join(c.value for c in at.caption)


def test_promote_lists_search_results(demo: Container) -> None:
    at = _page()
    everything = [unescape(cb.label) for cb in at.checkbox]
    [find] = [t for t in at.text_input if t.label == "Find shared items"]
    find.input("carnival launch window").run()
    labels = [unescape(cb.label) for cb in at.checkbox]
    # Ranked by the search: the Brazil launch debrief first, no item that is not shared.
    assert labels[0].startswith("Rotation debrief: Marketing, Brazil")
    assert set(labels) <= set(everything) and labels != everything


def test_a_conflicting_save_is_merged_field_by_field(demo: Container) -> None:
    cora = demo.records.principal("cora")
    entry = demo.curation.create(
        cora,
        next(iter(cora.programme_ids)),
        EntryContent(title="Old title", sections={"lesson": "Old lesson."}),
    )
    at = _page()
    at.button(key=f"open:list:{entry.entry_id}").click().run()
    # Another coordinator saves a new lesson while this page is open.
    demo.curation.edit(
        cora,
        entry.entry_id,
        1,
        EntryContent(title="Old title", sections={"lesson": "Their lesson."}),
    )
    at.text_input[0].input("My title")
    at.button(key=f"FormSubmitter:entry:{entry.entry_id}-Save").click().run()
    assert not at.exception
    assert "Someone else saved this entry" in at.error[0].value
    assert demo.curation.entries.get(entry.entry_id).content.title == "Old title"  # nothing lost
    at.button(key=f"merge:{entry.entry_id}").click().run()
    saved = demo.curation.entries.get(entry.entry_id)
    assert saved.content.title == "My title"  # mine, where only I changed it
    assert saved.content.sections["lesson"] == "Their lesson."  # theirs, where only they did
    assert saved.version == 3


def test_merge_names_fields_both_sides_changed() -> None:
    base = EntryContent(title="T", sections={"lesson": "a", "advice": "x"})
    mine = EntryContent(title="T", sections={"lesson": "mine", "advice": "x"})
    theirs = EntryContent(title="T2", sections={"lesson": "theirs", "advice": "y"})
    merged, clashes = merge(base, mine, theirs)
    assert merged.title == "T2" and merged.sections == {"lesson": "mine", "advice": "y"}
    assert clashes == ["Lesson"]
