"""The writing pages with streamlit.testing and fakes: My reflections shows the redacted text
beside the original before sharing, edits keep versions, deletes ask first, answered
follow-ups stay on the page with their answers, and Home shows notifications."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from playbook.wiring import Container
from tests.conftest import page_as
from tests.unit.test_app_reflect import button, text_area


def key_button(at: AppTest, key: str):
    return next(b for b in at.button if b.key == key)


def texts(at: AppTest) -> list[str]:
    return [t.value for t in at.text]


def test_sharing_shows_the_redacted_text_beside_the_original_first(demo: Container) -> None:
    ada = demo.records.principal("ada")
    doc = demo.reflection.save_journal(ada, "Tony pushed back on the depot closure.")
    at = AppTest.from_function(page_as, args=("ada", "reflect"), default_timeout=30).run()
    key_button(at, f"share:{doc}").click().run()
    assert not at.exception
    shown = texts(at)
    assert "Tony pushed back on the depot closure." in shown  # as written
    beside = [t for t in shown if "pushed back on the depot closure" in t and "Tony" not in t]
    assert beside, shown  # and as others would read it, redacted
    assert any(c.value == "What others would read" for c in at.caption)
    assert demo.records.document(doc).share_status is None  # type: ignore[union-attr]
    key_button(at, f"share-ok:{doc}").click().run()
    assert demo.records.document(doc).share_status == "pending"  # type: ignore[union-attr]


def test_editing_an_entry_keeps_the_earlier_version(demo: Container) -> None:
    ada = demo.records.principal("ada")
    doc = demo.reflection.save_journal(ada, "First words on the pilot.", title="Pilot")
    at = AppTest.from_function(page_as, args=("ada", "reflect"), default_timeout=30).run()
    key_button(at, f"edit:{doc}").click().run()
    text_area(at, f"edit:text:{doc}").input("Second words on the pilot, with Marcus.")
    next(b for b in at.button if b.label == "Save changes").click().run()
    assert not at.exception
    assert demo.privacy.original(ada, doc) == "Second words on the pilot, with Marcus."
    at.toggle(key=f"versions:{doc}").set_value(True).run()
    assert any("Version 1, replaced" in c.value for c in at.caption)
    assert "Pilot\n\nFirst words on the pilot." in texts(at)


def test_an_empty_edit_is_refused_and_changes_nothing(demo: Container) -> None:
    ada = demo.records.principal("ada")
    doc = demo.reflection.save_journal(ada, "Words that stay.")
    at = AppTest.from_function(page_as, args=("ada", "reflect"), default_timeout=30).run()
    key_button(at, f"edit:{doc}").click().run()
    text_area(at, f"edit:text:{doc}").input("   ")
    next(b for b in at.button if b.label == "Save changes").click().run()
    assert any("Not saved: write something first" in e.value for e in at.error)
    assert demo.privacy.original(ada, doc) == "Words that stay."
    assert demo.reflection.versions(ada, doc) == []


def test_delete_asks_first_then_removes_it(demo: Container) -> None:
    ada = demo.records.principal("ada")
    doc = demo.reflection.save_journal(ada, "A note to delete about Quokka.")
    at = AppTest.from_function(page_as, args=("ada", "reflect"), default_timeout=30).run()
    key_button(at, f"delete:{doc}").click().run()
    assert demo.records.document(doc) is not None  # only asked
    assert any("Delete this for good?" in w.value for w in at.warning)
    key_button(at, f"delete-ok:{doc}").click().run()
    assert not at.exception
    assert demo.records.document(doc) is None
    assert f"delete:{doc}" not in [b.key for b in at.button]


def test_an_answered_followup_stays_on_the_page_with_its_answer(demo: Container) -> None:
    at = AppTest.from_function(page_as, args=("ada", "reflect"), default_timeout=30).run()
    text_area(at, "journal:text").input("I waited two weeks for the data before deciding.").run()
    button(at, "Save entry").click().run()
    forms_before = len([b for b in at.button if b.label == "Add to my entry"])
    assert forms_before >= 1
    question = next(m.value for m in at.markdown if m.value.startswith("**") and "?" in m.value)
    text_area(at, "followup:answer:0").input("I would set a date for the decision.")
    next(b for b in at.button if b.label == "Add to my entry").click().run()
    assert not at.exception
    assert any(c.value == "Answered, added to your entry" for c in at.caption)
    assert "I would set a date for the decision." in texts(at)
    assert question in [m.value for m in at.markdown]  # the question is still shown
    assert len([b for b in at.button if b.label == "Add to my entry"]) == forms_before - 1


def test_home_shows_notifications_and_marks_them_read(demo: Container) -> None:
    ada, cora = demo.records.principal("ada"), demo.records.principal("cora")
    one = demo.reflection.save_journal(ada, "Depot lessons.", title="Depot lessons")
    two = demo.reflection.save_journal(ada, "Pricing lessons.", title="Pricing lessons")
    for doc in (one, two):
        demo.reflection.request_share(ada, doc)
    demo.reflection.decide_share(cora, one, approve=True)
    demo.reflection.decide_share(cora, two, approve=False, reason="Ask Tony first.")
    at = AppTest.from_function(page_as, args=("ada", "home"), default_timeout=30).run()
    assert not at.exception
    assert any(s.value == "Notifications (2 unread)" for s in at.subheader)
    shown = " ".join(m.value for m in at.markdown)
    assert "approved" in shown and "declined" in shown and "Tony" not in shown
    next(b for b in at.button if b.label == "Mark as read").click().run()
    assert any(s.value == "Notifications (1 unread)" for s in at.subheader)
    button(at, "Mark as read").click().run()
    assert any(s.value == "Notifications" for s in at.subheader)
    assert demo.notifications.unread(ada) == 0


def test_moderation_declines_with_a_reason_the_author_reads(demo: Container) -> None:
    ada = demo.records.principal("ada")
    doc = demo.reflection.save_journal(ada, "Lessons on the launch.", title="Launch")
    demo.reflection.request_share(ada, doc)
    mod = AppTest.from_function(page_as, args=("cora", "moderate"), default_timeout=30).run()
    mod.text_input(key=f"decline-reason:{doc}").input("Too close to the client's names.")
    key_button(mod, f"decline:{doc}").click().run()
    assert not mod.exception
    [note] = demo.notifications.inbox(ada)
    assert note.kind == "declined" and "Too close to the client" in note.text
