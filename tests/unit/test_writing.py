"""Everyday writing, over a real SQLite store with fakes for the models: editing and deleting
one's own entries with versions, answered follow-ups, the redacted text beside the original,
and notifications of what became of what one wrote."""

from __future__ import annotations

from typing import Any

import pytest

from playbook.models import Role, Visibility
from playbook.permissions import Action, NotAllowedError, Target, allows, read_scope
from playbook.services.reflection import ReflectionError
from playbook.wiring import Container
from tests.unit.test_privacy import db_bytes
from tests.unit.test_reflection import visible_to, who


@pytest.fixture
def c(members: Container) -> Container:
    """ada (leader), ravi (participant) and cora (coordinator) in one programme."""
    return members


def settle(c: Container) -> None:
    """Let indexing that follows a save finish (it may run on a background thread)."""
    wait = getattr(c.indexing, "wait_for_indexing", None)
    if wait is not None:
        assert wait(30)


def in_indexes(c: Container, reader: Any, word: str) -> bool:
    scope = read_scope(reader)
    dense = c.vectors.query(c.embedder.embed([word])[0], 10, scope)
    return bool(dense) or bool(c.keywords.query(word, 10, scope))


# -- editing ----------------------------------------------------------------------------------


def test_only_the_author_may_edit_or_delete() -> None:
    from playbook.models import Principal

    ada = Principal("u-ada", "ada", {"p": frozenset({Role.LEADER})})
    cora = Principal("u-cora", "cora", {"p": frozenset({Role.COORDINATOR})})
    mine = Target(programme_id="p", owner_id="u-ada", visibility=Visibility.SHARED)
    for action in (Action.EDIT, Action.DELETE):
        assert allows(ada, action, mine)
        assert not allows(cora, action, mine)  # not even the programme's coordinator


def test_an_edit_is_redacted_again_reindexed_and_keeps_the_earlier_version(
    c: Container,
) -> None:
    ada = who(c, "ada")
    doc = c.reflection.save_journal(ada, "Tony slowed the pricing review.", title="Pricing")
    out = c.reflection.edit(ada, doc, "Marcus sped up the warehouse audit.", "Warehouse")
    settle(c)
    assert out.changed and out.version == 1 and not out.resubmitted
    info = c.records.document(doc)
    assert info is not None and info.document_id == doc
    assert "Marcus" not in info.redacted_text and "warehouse audit" in info.redacted_text
    assert c.privacy.original(ada, doc) == "Marcus sped up the warehouse audit."
    assert visible_to(c, "ada", "warehouse audit") == [doc]
    assert c.keywords.query("pricing", 10, read_scope(ada)) == []  # the old text left
    assert c.keywords.query("warehouse", 10, read_scope(ada))
    [v] = c.reflection.versions(ada, doc)
    assert (v.number, v.title, v.text) == (1, "Pricing", "Tony slowed the pricing review.")
    assert b"Tony" not in db_bytes(c)  # the earlier words are kept sealed
    again = c.reflection.edit(ada, doc, "Marcus sped up the warehouse audit.", "Warehouse")
    assert not again.changed and len(c.reflection.versions(ada, doc)) == 1
    c.reflection.edit(ada, doc, "Third text on the audit.", "Warehouse")
    assert [v.number for v in c.reflection.versions(ada, doc)] == [2, 1]
    trail = [(e.action, e.subject) for e in c.audit.events()]
    assert ("document edited", doc) in trail


def test_bad_edits_and_other_peoples_edits_change_nothing(c: Container) -> None:
    ada, ravi = who(c, "ada"), who(c, "ravi")
    doc = c.reflection.save_journal(ada, "The original words stay.")
    for text in ("", "   \n", "x" * 100_001):
        with pytest.raises(ReflectionError):
            c.reflection.edit(ada, doc, text, "")
    with pytest.raises(NotAllowedError, match="only the author can edit"):
        c.reflection.edit(ravi, doc, "Ravi's words", "")
    with pytest.raises(NotAllowedError):
        c.reflection.versions(ravi, doc)
    with pytest.raises(ReflectionError, match="no such document"):
        c.reflection.edit(ada, "nope", "text", "")
    assert c.privacy.original(ada, doc) == "The original words stay."
    assert c.reflection.versions(ada, doc) == []


def test_editing_a_shared_item_goes_back_to_the_coordinators(c: Container) -> None:
    ada, cora = who(c, "ada"), who(c, "cora")
    doc = c.reflection.save_journal(ada, "Lesson on the depot closure.")
    c.reflection.request_share(ada, doc)
    c.reflection.decide_share(cora, doc, approve=True)
    assert doc in visible_to(c, "ravi", "depot closure")
    out = c.reflection.edit(ada, doc, "Lesson on the depot closure and the night shift.", "")
    settle(c)
    assert out.resubmitted
    info = c.records.document(doc)
    assert info is not None and info.visibility == Visibility.PRIVATE
    assert info.share_status == "pending"
    assert visible_to(c, "ravi", "night shift") == []  # not before a coordinator decides
    assert not in_indexes(c, who(c, "ravi"), "night")
    assert [d.document_id for d in c.reflection.moderation_queue(cora)] == [doc]
    c.reflection.decide_share(cora, doc, approve=True)
    assert doc in visible_to(c, "ravi", "night shift")


# -- deleting ---------------------------------------------------------------------------------


def test_delete_removes_it_from_the_store_both_indexes_and_its_versions(c: Container) -> None:
    ada, ravi = who(c, "ada"), who(c, "ravi")
    doc = c.reflection.save_journal(ada, "Zanzibar pilot notes.")
    c.reflection.edit(ada, doc, "Zanzibar pilot notes, revised.", "")
    settle(c)
    with pytest.raises(NotAllowedError, match="only the author can delete"):
        c.reflection.delete(ravi, doc)
    assert c.records.document(doc) is not None
    c.reflection.delete(ada, doc)
    assert c.records.document(doc) is None
    assert c.reflection.history(ada) == []
    assert not in_indexes(c, ada, "Zanzibar")
    assert b"Zanzibar" not in db_bytes(c)
    with pytest.raises(ReflectionError, match="no such document"):
        c.reflection.versions(ada, doc)
    assert ("ada", "document deleted", doc) in [
        (e.actor, e.action, e.subject) for e in c.audit.events()
    ]


# -- follow-ups and the redacted text ---------------------------------------------------------


def test_answered_followups_are_read_back_from_the_entry(c: Container) -> None:
    ada = who(c, "ada")
    doc = c.reflection.save_journal(ada, "I cut the support budget.")
    asked = ["Who noticed first?", "What would you do again?", "What did it cost?"]
    assert c.reflection.answered_followups(ada, doc, asked) == {}
    c.reflection.answer_followup(ada, doc, asked[1], "Ask the team first.\n\nThen decide.")
    c.reflection.answer_followup(ada, doc, asked[0], "Marcus's team did.")
    assert c.reflection.answered_followups(ada, doc, asked) == {
        asked[1]: "Ask the team first.\n\nThen decide.",
        asked[0]: "Marcus's team did.",
    }
    with pytest.raises(NotAllowedError):
        c.reflection.answered_followups(who(c, "ravi"), doc, asked)


def test_the_history_holds_the_redacted_text_others_would_read(c: Container) -> None:
    ada = who(c, "ada")
    c.reflection.save_journal(ada, "Tony asked for the numbers.")
    [item] = c.reflection.history(ada)
    assert "Tony" in item.original and "Tony" not in item.redacted
    assert "asked for the numbers" in item.redacted


# -- notifications ----------------------------------------------------------------------------


def test_share_decisions_notify_the_author_with_a_redacted_reason(c: Container) -> None:
    ada, cora, ravi = who(c, "ada"), who(c, "cora"), who(c, "ravi")
    one = c.reflection.save_journal(ada, "Depot lessons.", title="Depot")
    two = c.reflection.save_journal(ada, "Pricing lessons.", title="Pricing")
    for doc in (one, two):
        c.reflection.request_share(ada, doc)
    c.reflection.decide_share(cora, one, approve=True)
    c.reflection.decide_share(cora, two, approve=False, reason="Ask Tony before sharing this.")
    notes = c.notifications.inbox(ada)
    assert [n.kind for n in notes] == ["declined", "approved"]
    assert "Depot" in notes[1].text and "approved" in notes[1].text
    assert "Pricing" in notes[0].text and "Ask" in notes[0].text
    assert "Tony" not in notes[0].text  # the reason was redacted before it was stored
    assert c.notifications.unread(ada) == 2 and c.notifications.inbox(ravi) == []
    c.notifications.mark_read(ravi)  # someone else's "mark all" leaves ada's alone
    assert c.notifications.unread(ada) == 2
    c.notifications.mark_read(ada, [notes[0].notification_id])
    assert c.notifications.unread(ada) == 1
    c.notifications.mark_read(ada)
    assert c.notifications.unread(ada) == 0 and len(c.notifications.inbox(ada)) == 2
    assert b"Tony" not in db_bytes(c)


def test_a_reason_too_long_is_refused_and_the_item_still_waits(c: Container) -> None:
    ada, cora = who(c, "ada"), who(c, "cora")
    doc = c.reflection.save_journal(ada, "Depot lessons.")
    c.reflection.request_share(ada, doc)
    with pytest.raises(ReflectionError, match="under 500"):
        c.reflection.decide_share(cora, doc, approve=False, reason="x" * 501)
    assert c.records.document(doc).share_status == "pending"  # type: ignore[union-attr]
    assert c.notifications.inbox(ada) == []


def test_promotion_and_feedback_notify_the_authors(c: Container) -> None:
    from playbook.models import EntryStatus

    ada, cora, ravi = who(c, "ada"), who(c, "cora"), who(c, "ravi")
    doc = c.reflection.save_journal(ada, "Depot lessons for the next team.", title="Depot")
    c.reflection.request_share(ada, doc)
    c.reflection.decide_share(cora, doc, approve=True)
    c.notifications.mark_read(ada)
    entry, _ = c.curation.promote(cora, [doc])
    [note] = c.notifications.inbox(ada)[:1]
    assert note.kind == "promoted" and note.subject_id == entry.entry_id
    assert "Depot" in note.text and not note.read
    for action in ("submit", "publish"):
        entry = c.curation.act(cora, entry.entry_id, entry.version, action)
    assert entry.status == EntryStatus.PUBLISHED
    c.curation.feedback(ravi, entry.entry_id, "outdated", "Tony says the depot moved.")
    kinds = [n.kind for n in c.notifications.inbox(ada)]
    assert kinds[0] == "feedback"
    [to_cora] = [n for n in c.notifications.inbox(cora) if n.kind == "feedback"]
    assert "outdated" in to_cora.text and "Tony" not in to_cora.text
    assert [n for n in c.notifications.inbox(ravi) if n.kind == "feedback"] == []


def test_earlier_versions_stay_readable_after_the_keys_rotate(c: Container) -> None:
    from playbook.crypto import new_key, read_key_file, write_key_file

    ada = who(c, "ada")
    doc = c.reflection.save_journal(ada, "Before the edit.")
    c.reflection.edit(ada, doc, "After the edit.", "")
    old_keys = read_key_file(c.settings.key_file)
    write_key_file(c.settings.key_file, [new_key(), *old_keys])
    c.reload_keyring()
    c.privacy.rotate()
    write_key_file(c.settings.key_file, read_key_file(c.settings.key_file)[:1])  # retire
    c.reload_keyring()
    assert [v.text for v in c.reflection.versions(ada, doc)] == ["Before the edit."]
