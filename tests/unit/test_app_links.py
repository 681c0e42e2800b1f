"""Links between pages: Home's recent writing and its notifications open the item on the
Reflect page's "My reflections", expanded; a notification about a playbook entry opens it on
Curate, for a person who may curate (issue 18)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from playbook.models import EntryContent
from playbook.wiring import Container
from tests.conftest import page_as

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def _home_as(user: str) -> AppTest:
    """The app's Home page, run once for ``user``, signed in."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["username"] = user
    return at.run()


def _links(at: AppTest) -> list[tuple[str, str]]:
    return [(e.proto.label, e.proto.page) for e in at.get("page_link")]


def test_home_links_each_recent_item_to_its_reflection(demo: Container) -> None:
    ada = demo.records.principal("ada")
    doc = demo.reflection.save_journal(
        ada, "Words on the pilot [a](http://x.test).", title="*Pilot*"
    )
    at = _home_as("ada")
    assert not at.exception
    opens = [e for e in at.get("page_link") if e.proto.query_string == f"open={doc}"]
    assert [(e.proto.label, e.proto.page) for e in opens] == [("Open", "reflect")]
    shown = [m.value for m in at.markdown if "Pilot" in m.value]
    assert shown and shown[0].startswith("**\\*Pilot\\***")  # the title stays text


def test_a_declined_share_notification_links_to_the_reflection(demo: Container) -> None:
    ada = demo.records.principal("ada")
    doc = demo.reflection.save_journal(ada, "A thought to share.", title="Depot")
    info = demo.records.document(doc)
    assert info is not None
    demo.notifications.share_declined(info, "not yet")
    at = _home_as("ada")
    assert ("Open it", "reflect") in _links(at)


def test_reflect_opens_the_linked_item_expanded_on_my_reflections(demo: Container) -> None:
    ada = demo.records.principal("ada")
    first = demo.reflection.save_journal(ada, "First thought.", title="First")
    demo.reflection.save_journal(ada, "Second thought.", title="Second")
    at = AppTest.from_function(page_as, args=("ada", "reflect"), default_timeout=30)
    at.query_params["open"] = first
    at.run()
    assert not at.exception
    expanded = [e.label for e in at.expander if e.proto.expanded]
    assert len(expanded) == 1 and expanded[0].startswith("First"), expanded
    at2 = AppTest.from_function(page_as, args=("ada", "reflect"), default_timeout=30).run()
    assert not [e for e in at2.expander if e.proto.expanded]  # without a link, all closed


def _entry(demo: Container, title: str) -> str:
    cora = demo.records.principal("cora")
    content = EntryContent(title=title, sections={"lesson": "Decide the floor early."})
    return demo.curation.create(cora, next(iter(cora.programme_ids)), content).entry_id


def test_an_entry_notification_links_a_coordinator_to_the_entry(demo: Container) -> None:
    entry_id = _entry(demo, "Pricing floors")
    cora = demo.records.principal("cora")
    demo.notifications.entry_declined(cora.user_id, entry_id, "Pricing floors", "thin")
    at = _home_as("cora")
    assert not at.exception
    links = [e for e in at.get("page_link") if e.proto.query_string == f"entry={entry_id}"]
    assert [(e.proto.label, e.proto.page) for e in links] == [("Open the entry", "curate")]


def test_an_author_who_cannot_curate_gets_no_entry_link(demo: Container) -> None:
    entry_id = _entry(demo, "Pricing floors")
    ada = demo.records.principal("ada")
    demo.notifications.feedback([ada.user_id], entry_id, "Pricing floors", "helped", "")
    at = _home_as("ada")
    assert not at.exception
    assert any("A reader left feedback" in m.value for m in at.markdown)
    assert not [e for e in at.get("page_link") if "entry=" in e.proto.query_string]


def test_curate_opens_the_linked_entry_once(demo: Container) -> None:
    entry_id = _entry(demo, "Pricing floors")
    at = AppTest.from_function(page_as, args=("cora", "curate"), default_timeout=30)
    at.query_params["entry"] = entry_id
    at.run()
    assert not at.exception
    assert [h.value for h in at.subheader][:1] == ["Pricing floors"]  # the editor
    assert "entry" not in at.query_params  # closing it stays closed
    at.button(key=f"close:{entry_id}").click().run()  # "← All entries"
    assert not at.exception
    assert "Review queue" in [t.label for t in at.tabs]


def test_a_link_to_an_entry_that_is_not_there_says_so(demo: Container) -> None:
    at = AppTest.from_function(page_as, args=("cora", "curate"), default_timeout=30)
    at.query_params["entry"] = "no-such-entry"
    at.run()
    assert not at.exception
    assert any("This entry cannot be opened" in w.value for w in at.warning)
