"""Curation review (issue 18): separation of duties, declining with a reason the author is
shown, review-queue feedback that resolves, and a clean extractive draft (no repeated labels
or tags, function and market from the sources)."""

from __future__ import annotations

import json
import re

import pytest

from playbook.lifecycle import TransitionError
from playbook.models import EntryContent, EntryStatus, Role
from playbook.permissions import NotAllowedError
from playbook.services.curation import EntryFormError
from playbook.settings import Settings
from playbook.wiring import Container

CONTENT = EntryContent(
    title="Count hospital relationships before cutting distributors",
    sections={"lesson": "Ask for the cost of exceptions first."},
)


@pytest.fixture
def c(fake_container: Container) -> Container:
    r = fake_container.records
    r.add_user("cora", roles=[Role.COORDINATOR])
    r.add_user("cody", roles=[Role.COORDINATOR])
    r.add_user("ravi", roles=[Role.PARTICIPANT])
    r.add_user("olga", roles=[Role.COORDINATOR], programme="other")
    fake_container.curation.separate_duties = True  # the product's default (see below)
    return fake_container


def _in_review(c: Container) -> tuple[str, int]:
    cora = c.records.principal("cora")
    e = c.curation.create(cora, next(iter(cora.programme_ids)), CONTENT)
    e = c.curation.act(cora, e.entry_id, e.version, "submit")
    return e.entry_id, e.version


def test_separate_duties_is_on_unless_switched_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PLAYBOOK_CURATION_SEPARATE_DUTIES", raising=False)
    assert Settings().curation_separate_duties is True
    monkeypatch.setenv("PLAYBOOK_CURATION_SEPARATE_DUTIES", "false")
    assert Settings().curation_separate_duties is False


def test_the_submitter_cannot_publish_another_coordinator_can(c: Container) -> None:
    cora, cody = c.records.principal("cora"), c.records.principal("cody")
    entry_id, v = _in_review(c)
    assert c.curation.submitted_by(entry_id) == cora.user_id
    with pytest.raises(NotAllowedError, match="another coordinator of the programme must publish"):
        c.curation.act(cora, entry_id, v, "publish")
    assert c.curation.entries.get(entry_id).status is EntryStatus.IN_REVIEW  # nothing moved
    e = c.curation.act(cody, entry_id, v, "publish")
    assert e.status is EntryStatus.PUBLISHED
    # Whoever starts a revision put it into review: cody now may not publish it again.
    e = c.curation.act(cody, entry_id, e.version, "revise")
    with pytest.raises(NotAllowedError, match="separation of duties"):
        c.curation.act(cody, entry_id, e.version, "publish")
    assert c.curation.act(cora, entry_id, e.version, "publish").status is EntryStatus.PUBLISHED


def test_with_duties_joined_one_coordinator_may_do_both(c: Container) -> None:
    c.curation.separate_duties = False
    entry_id, v = _in_review(c)
    cora = c.records.principal("cora")
    assert c.curation.act(cora, entry_id, v, "publish").status is EntryStatus.PUBLISHED


def test_decline_needs_a_reason_redacts_it_and_shows_it_to_the_submitter(c: Container) -> None:
    cora, cody = c.records.principal("cora"), c.records.principal("cody")
    entry_id, v = _in_review(c)
    for blank in ("", "   \n "):
        with pytest.raises(EntryFormError, match="reason: say why"):
            c.curation.decline(cody, entry_id, v, blank)
    with pytest.raises(EntryFormError, match="under 1000 characters"):
        c.curation.decline(cody, entry_id, v, "x" * 1001)
    assert c.curation.entries.get(entry_id).status is EntryStatus.IN_REVIEW  # nothing lost
    e = c.curation.decline(cody, entry_id, v, "Tony's numbers are from 2019; cite the new ones.")
    assert e.status is EntryStatus.DRAFT
    decision = c.curation.declined(cora, entry_id)
    assert decision is not None and decision.by == cody.user_id
    assert "Tony" not in decision.reason and "[PERSON-" in decision.reason
    assert "cite the new ones" in decision.reason
    assert all("Tony" not in v.note for v in c.curation.versions(cora, entry_id))
    [(entry, shown)] = c.curation.review_queue(cora)["declined"]
    assert entry.entry_id == entry_id and shown == decision
    assert "declined" not in c.curation.review_queue(cody)  # cody did not submit it
    # Resubmitted, it is no longer under the decline.
    c.curation.act(cora, entry_id, e.version, "submit")
    assert c.curation.declined(cora, entry_id) is None
    assert "declined" not in c.curation.review_queue(cora)


def test_the_submitter_is_notified_of_a_decline_with_the_redacted_reason(c: Container) -> None:
    cora, cody = c.records.principal("cora"), c.records.principal("cody")
    entry_id, v = _in_review(c)
    assert c.notifications.unread(cora) == 0
    c.curation.decline(cody, entry_id, v, "Tony's numbers are from 2019.")
    [note] = c.notifications.inbox(cora)
    assert note.kind == "entry declined" and note.subject_id == entry_id
    assert CONTENT.title in note.text and "sent back to draft" in note.text
    assert "numbers are from 2019" in note.text and "Tony" not in note.text
    assert c.notifications.inbox(cody) == []  # the reviewer is not told of their own act


def test_only_an_entry_in_review_can_be_declined(c: Container) -> None:
    cora, cody = c.records.principal("cora"), c.records.principal("cody")
    e = c.curation.create(cora, next(iter(cora.programme_ids)), CONTENT)
    with pytest.raises(TransitionError):
        c.curation.decline(cody, e.entry_id, e.version, "not ready")
    with pytest.raises(NotAllowedError):
        c.curation.decline(c.records.principal("olga"), e.entry_id, e.version, "no")


def test_reader_feedback_and_answer_verdicts_resolve_out_of_the_queue(c: Container) -> None:
    cora, cody, ravi = (c.records.principal(u) for u in ("cora", "cody", "ravi"))
    entry_id, v = _in_review(c)
    c.curation.act(cody, entry_id, v, "publish")
    c.curation.feedback(ravi, entry_id, "outdated", "the floor changed")
    programme = next(iter(cora.programme_ids))
    answers = c.curation.answers
    assert answers is not None
    verdict = answers.add(ravi.user_id, programme, "wrong", "q?", "a.", "off", ["doc-1"])
    q = c.curation.review_queue(cora)
    [fb] = q["feedback"]
    assert [x.feedback_id for x in q["answers"]] == [verdict]
    olga = c.records.principal("olga")
    with pytest.raises(EntryFormError, match="already resolved or not yours"):
        c.curation.resolve_feedback(olga, fb["id"])
    with pytest.raises(EntryFormError, match="already resolved or not yours"):
        c.curation.resolve_answer(olga, verdict)
    c.curation.resolve_feedback(cora, fb["id"])
    c.curation.resolve_answer(cora, verdict)
    q = c.curation.review_queue(cora)
    assert q["feedback"] == [] and "answers" not in q
    with pytest.raises(EntryFormError, match="already resolved"):
        c.curation.resolve_feedback(cora, fb["id"])


def _debriefs(c: Container) -> list[str]:
    from playbook.services.documents import ImportOptions

    rows = [
        {
            "id": "d1",
            "kind": "debrief",
            "visibility": "shared",
            "title": "Debrief one",
            "function": "Supply chain",
            "market": "Singapore",
            "tags": ["Pricing", "rotation"],
            "text": "What surprised me: returns were the real cost of each distributor. "
            "Lessons: ask for the cost of exceptions, not just the standard route. "
            "Advice for the next person: spend your first week in the warehouse.",
        },
        {
            "id": "d2",
            "kind": "debrief",
            "visibility": "shared",
            "title": "Debrief two",
            "function": "supply chain",
            "market": "Brazil",
            "tags": ["pricing", "Rotation", "launch"],
            "text": "Lessons: launches fail at the hand-offs between sales and supply. "
            "Advice: learn the approval path for claims early in the rotation.",
        },
    ]
    f = c.settings.data_dir / "debriefs.jsonl"
    f.parent.mkdir(parents=True, exist_ok=True)
    f.write_text("\n".join(json.dumps(r) for r in rows))
    c.service.import_paths([f], ImportOptions(as_user="ravi"))
    owner = c.records.principal("ravi").user_id
    return [i for i in (c.pipeline.document_id(owner, r["id"]) for r in rows) if i]


def test_an_extractive_draft_has_no_labels_no_duplicate_tags_and_its_places(
    c: Container,
) -> None:
    ids = _debriefs(c)
    assert len(ids) == 2
    entry, mode = c.curation.promote(c.records.principal("cora"), ids)
    assert mode == "extractive"
    text = " ".join(entry.content.sections.values())
    for label in ("Lessons:", "Advice:", "Advice for the next person:", "What surprised me:"):
        assert label not in text, text
    assert "Ask for the cost of exceptions" in entry.content.sections["lesson"]
    assert "Launches fail at the hand-offs" in entry.content.sections["lesson"]
    assert entry.content.tags == ("Pricing", "rotation", "launch")
    assert entry.content.function == "Supply chain"  # one function, spelt two ways
    assert entry.content.market == "Singapore; Brazil"
    # Every pointer is exactly the source's text, and its sentence is in the section.
    for src in c.curation.entries.sources(entry.entry_id):
        stored = c.records.document(src.document_id).redacted_text  # type: ignore[union-attr]
        for p in src.pointers:
            quoted = str(p["text"])
            assert stored[int(p["start"]) : int(p["end"])] == quoted  # type: ignore[call-overload]
            assert not re.match(r"(Lessons|Advice)\b", quoted)
            assert quoted[:1].upper() + quoted[1:] in entry.content.sections[str(p["section"])]
    # A handoff pack for either market finds the entry once it is published.
    cora, cody = c.records.principal("cora"), c.records.principal("cody")
    e = c.curation.act(cora, entry.entry_id, entry.version, "submit")
    c.curation.act(cody, e.entry_id, e.version, "publish")
    pack = c.curation.handoff_pack(cora, market="brazil")
    assert [x.content.title for _, items in pack.groups for x in items] == [entry.content.title]
    assert pack.subtitle.startswith("1 playbook entry, ")


def test_entry_tags_are_unique_case_insensitively(c: Container) -> None:
    cora = c.records.principal("cora")
    e = c.curation.create(
        cora,
        next(iter(cora.programme_ids)),
        EntryContent(title="T", tags=("Pricing", "pricing ", "PRICING", "team")),
    )
    assert e.content.tags == ("Pricing", "team")
