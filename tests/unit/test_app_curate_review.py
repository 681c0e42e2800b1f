"""The Curate and Handoff pages (issue 18): typed changes are never lost or skipped by an
action, the submitter cannot publish, a decline carries a reason the author sees, review-queue
items open and resolve, and a download keeps the pack on the page."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from playbook.models import EntryContent, EntryStatus, Role
from playbook.wiring import Container
from tests.conftest import page_as
from tests.unit.test_plain_text import unescape


def _page(user: str, name: str = "curate") -> AppTest:
    return AppTest.from_function(page_as, args=(user, name), default_timeout=30).run()


def _entry(demo: Container, title: str = "Old title") -> str:
    cora = demo.records.principal("cora")
    e = demo.curation.create(
        cora,
        next(iter(cora.programme_ids)),
        EntryContent(title=title, sections={"lesson": "Ask for the cost of exceptions."}),
    )
    return e.entry_id


def _open(at: AppTest, entry_id: str, where: str = "list") -> AppTest:
    return at.button(key=f"open:{where}:{entry_id}").click().run()


def _title(at: AppTest) -> object:
    return next(t for t in at.text_input if t.label == "Title")


def _texts(at: AppTest, kind: str) -> str:
    return unescape(" ".join(x.value for x in getattr(at, kind)))


def test_submit_with_a_typed_title_saves_it_first(demo: Container) -> None:
    entry_id = _entry(demo)
    at = _open(_page("cora"), entry_id)
    _title(at).input("New title")  # type: ignore[attr-defined]
    at.button(key=f"act:submit:{entry_id}").click().run()
    assert not at.exception
    e = demo.curation.entries.get(entry_id)
    assert e.status is EntryStatus.IN_REVIEW
    assert e.content.title == "New title"  # the version submitted is the one on screen
    [submitted] = [v for v in demo.curation.entries.versions(entry_id) if v.note == "submit"]
    assert submitted.snapshot["title"] == "New title"


def test_an_action_whose_save_fails_does_nothing(demo: Container) -> None:
    entry_id = _entry(demo)
    at = _open(_page("cora"), entry_id)
    _title(at).input("   ")  # type: ignore[attr-defined]
    at.button(key=f"act:submit:{entry_id}").click().run()
    assert "Not saved, nothing else done: title: give the entry a title" in _texts(at, "warning")
    e = demo.curation.entries.get(entry_id)
    assert e.status is EntryStatus.DRAFT and e.content.title == "Old title" and e.version == 1


def test_closing_with_unsaved_changes_warns_and_keeps_them(demo: Container) -> None:
    entry_id = _entry(demo)
    at = _open(_page("cora"), entry_id)
    _title(at).input("Typed, not saved")  # type: ignore[attr-defined]
    at.button(key=f"close:{entry_id}").click().run()
    assert "You have unsaved changes" in _texts(at, "warning")
    assert _title(at).value == "Typed, not saved"  # type: ignore[attr-defined]
    at.button(key=f"FormSubmitter:entry:{entry_id}-Save").click().run()
    assert demo.curation.entries.get(entry_id).content.title == "Typed, not saved"
    at.button(key=f"close:{entry_id}").click().run()  # nothing unsaved: it closes
    assert not [t for t in at.text_input if t.label == "Title"]
    # Discarding is a choice, never a silent loss.
    at = _open(_page("cora"), entry_id)
    _title(at).input("Throw away")  # type: ignore[attr-defined]
    at.button(key=f"close:{entry_id}").click().run()
    at.button(key=f"discard:{entry_id}").click().run()
    assert not [t for t in at.text_input if t.label == "Title"]
    assert demo.curation.entries.get(entry_id).content.title == "Typed, not saved"


def test_the_submitter_is_refused_a_second_coordinator_publishes(demo: Container) -> None:
    demo.curation.separate_duties = True
    demo.records.add_user("cody", "Cody", [Role.COORDINATOR], "default")
    entry_id = _entry(demo)
    at = _open(_page("cora"), entry_id)
    at.button(key=f"act:submit:{entry_id}").click().run()
    _title(at).input("Retitled before publishing")  # type: ignore[attr-defined]
    at.button(key=f"act:publish:{entry_id}").click().run()
    warning = _texts(at, "warning")
    assert "another coordinator of the programme must publish it" in warning
    assert "Your changes are not saved yet" in warning
    e = demo.curation.entries.get(entry_id)
    assert e.status is EntryStatus.IN_REVIEW and e.content.title == "Old title"
    cody = _open(_page("cody"), entry_id, "review")
    cody.button(key=f"act:publish:{entry_id}").click().run()
    assert not cody.exception
    assert demo.curation.entries.get(entry_id).status is EntryStatus.PUBLISHED


def test_a_decline_needs_a_reason_and_its_author_is_shown_it(demo: Container) -> None:
    demo.records.add_user("cody", "Cody", [Role.COORDINATOR], "default")
    entry_id = _entry(demo)
    cora = _open(_page("cora"), entry_id)
    cora.button(key=f"act:submit:{entry_id}").click().run()
    cody = _open(_page("cody"), entry_id, "review")
    cody.button(key=f"act:return:{entry_id}").click().run()
    assert "Say why you decline it" in _texts(cody, "warning")
    assert demo.curation.entries.get(entry_id).status is EntryStatus.IN_REVIEW
    cody.text_area(key=f"reason:{entry_id}").input("Tony's figures are from 2019.")
    cody.button(key=f"act:return:{entry_id}").click().run()
    assert demo.curation.entries.get(entry_id).status is EntryStatus.DRAFT
    back = _page("cora")
    shown = _texts(back, "warning")
    assert "Declined by cody on" in shown and "figures are from 2019" in shown
    assert "Tony" not in shown  # the reason is redacted before it is stored
    opened = _open(back, entry_id, "declined")
    assert "Declined by cody" in _texts(opened, "warning")


def test_reader_feedback_opens_its_entry_and_resolves(demo: Container) -> None:
    demo.curation.separate_duties = False
    cora, ravi = demo.records.principal("cora"), demo.records.principal("ravi")
    entry_id = _entry(demo, "Published lesson")
    e = demo.curation.act(cora, entry_id, 1, "submit")
    demo.curation.act(cora, entry_id, e.version, "publish")
    demo.curation.feedback(ravi, entry_id, "outdated", "The floor changed.")
    answers = demo.curation.answers
    assert answers is not None
    verdict = answers.add(
        ravi.user_id, next(iter(cora.programme_ids)), "wrong", "Who owns?", "Finance.", "No", ["d"]
    )
    at = _page("cora")
    [fb] = demo.curation.review_queue(cora)["feedback"]
    assert "The answer given:" in _texts(at, "caption")
    at.button(key=f"ans-resolve:{verdict}").click().run()
    assert "answers" not in demo.curation.review_queue(cora)
    at.button(key=f"fb-open:{fb['id']}").click().run()
    assert _title(at).value == "Published lesson"  # type: ignore[attr-defined]
    at = _page("cora")
    at.button(key=f"fb-resolve:{fb['id']}").click().run()
    assert not at.exception
    assert demo.curation.review_queue(cora)["feedback"] == []
    assert "Reader feedback (0)" in _texts(at, "subheader")


def test_the_handoff_pack_stays_on_the_page_after_a_rerun(demo: Container) -> None:
    at = _page("ravi", "handoff")
    at.text_input[1].input("Singapore")
    at.button(key="FormSubmitter:handoff-Build the pack").click().run()
    assert len(at.get("download_button")) == 2
    at.run()  # what a download does: the page runs again, the form not submitted
    assert not at.exception
    assert len(at.get("download_button")) == 2
    assert "Handoff pack: Singapore" in _texts(at, "header")
