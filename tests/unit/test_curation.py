"""Curation: entries are redacted, move through their lifecycle, keep versions, refuse stale
saves, and reach search (with status and review date) only while published."""

from __future__ import annotations

import datetime as dt
import json
import threading
from typing import Any

import pytest

from ingest.chat_model import LangChainChatModel
from playbook.lifecycle import TransitionError
from playbook.models import (
    EntryConflictError,
    EntryContent,
    EntrySource,
    EntryStatus,
    Role,
    SearchFilters,
)
from playbook.permissions import read_scope
from playbook.services.privacy import NotAllowedError
from playbook.wiring import Container

CONTENT = EntryContent(
    title="Name the weakest assumption before a fast price decision",
    sections={
        "decision": "Whether to raise prices in three days.",
        "context": "Tony Mercer's model anchored us on last year's elasticity.",
        "lesson": "Write down the least certain assumption on day one.",
    },
    market="Singapore",
    tags=("pricing",),
    review_interval_days=30,
)


@pytest.fixture
def c(fake_container: Container) -> Container:
    r = fake_container.records
    r.add_user("cora", roles=[Role.COORDINATOR])
    r.add_user("cody", roles=[Role.COORDINATOR])
    r.add_user("ravi", roles=[Role.PARTICIPANT])
    r.add_user("olga", roles=[Role.COORDINATOR], programme="other")
    return fake_container


def _draft(c: Container) -> tuple[str, int]:
    cora = c.records.principal("cora")
    entry = c.curation.create(
        cora,
        next(iter(cora.programme_ids)),
        CONTENT,
        [EntrySource("doc-1", "A journal", ({"sentence": 0, "chunk": "doc-1-0"},))],
    )
    return entry.entry_id, entry.version


def test_a_draft_is_redacted_and_keeps_its_provenance(c: Container) -> None:
    entry_id, version = _draft(c)
    entry = c.curation.entries.get(entry_id)
    assert entry.status is EntryStatus.DRAFT and version == 1
    assert "Tony" not in json.dumps(entry.content.sections)
    assert "[PERSON-" in entry.content.sections["context"]
    assert c.curation.entries.sources(entry_id)[0].document_id == "doc-1"


def test_only_coordinators_of_the_programme_curate(c: Container) -> None:
    entry_id, version = _draft(c)
    for who in ("ravi", "olga"):
        with pytest.raises(NotAllowedError):
            c.curation.edit(c.records.principal(who), entry_id, version, CONTENT)
    ravi = c.records.principal("ravi")
    with pytest.raises(NotAllowedError):
        c.curation.create(ravi, next(iter(ravi.programme_ids)), CONTENT)


def test_bad_content_names_each_field(c: Container) -> None:
    cora = c.records.principal("cora")
    bad = EntryContent(title="  ", sections={"verdict": "x"}, review_interval_days=0)
    with pytest.raises(Exception, match="title: give the entry a title") as err:
        c.curation.create(cora, next(iter(cora.programme_ids)), bad)
    assert set(err.value.errors) == {"title", "sections", "review_interval_days"}  # type: ignore[attr-defined]


def test_lifecycle_publish_search_verify_archive(c: Container) -> None:
    cora, ravi = c.records.principal("cora"), c.records.principal("ravi")
    c.curation.today = lambda: dt.date(2026, 3, 1)
    entry_id, v = _draft(c)

    def entry_hits() -> set[str]:
        scope = read_scope(ravi, SearchFilters(entry_statuses=(EntryStatus.PUBLISHED,)))
        return {h.document_id for h in c.retriever.search("weakest assumption price", scope, 5)}

    with pytest.raises(TransitionError, match="a draft entry cannot be published"):
        c.curation.act(cora, entry_id, v, "publish")
    assert entry_hits() == set()
    e = c.curation.act(cora, entry_id, v, "submit")
    assert e.status is EntryStatus.IN_REVIEW and entry_hits() == set()
    e = c.curation.act(cora, entry_id, e.version, "publish")
    assert e.status is EntryStatus.PUBLISHED and e.review_due == dt.date(2026, 3, 31)
    assert entry_hits() == {e.document_id}
    hit = next(
        h
        for h in c.retriever.search("weakest assumption price", read_scope(ravi), 5)
        if h.document_id == e.document_id
    )
    assert hit.review_due == dt.date(2026, 3, 31) and hit.past_review(dt.date(2026, 4, 1))
    assert "Tony" not in hit.text
    c.curation.today = lambda: dt.date(2026, 4, 10)
    e = c.curation.verify(cora, entry_id, e.version, "still true")
    assert e.review_due == dt.date(2026, 5, 10)
    hit = next(
        h
        for h in c.retriever.search("weakest assumption price", read_scope(ravi), 5)
        if h.document_id == e.document_id
    )
    assert hit.review_due == dt.date(2026, 5, 10)  # the index learnt the new date
    e = c.curation.act(cora, entry_id, e.version, "archive")
    assert e.status is EntryStatus.ARCHIVED and e.document_id is None
    assert entry_hits() == set()
    with pytest.raises(TransitionError, match="restore it first"):
        c.curation.edit(cora, entry_id, e.version, CONTENT)
    e = c.curation.act(cora, entry_id, e.version, "restore")
    assert e.status is EntryStatus.DRAFT
    notes = [v.note for v in c.curation.entries.versions(entry_id)]
    assert notes == ["created", "submit", "publish", "verified: still true", "archive", "restore"]
    trail = [e.action for e in reversed(c.audit.events()) if e.subject == entry_id]
    assert trail == [
        "entry submit",
        "entry publish",
        "entry verified",
        "entry archive",
        "entry restore",
    ]


def test_a_stale_save_is_refused_not_merged_silently(c: Container) -> None:
    cora, cody = c.records.principal("cora"), c.records.principal("cody")
    entry_id, v = _draft(c)
    mine = EntryContent(**{**CONTENT.__dict__, "title": "Cora's title"})
    theirs = EntryContent(**{**CONTENT.__dict__, "title": "Cody's title"})
    saved = c.curation.edit(cora, entry_id, v, mine)
    with pytest.raises(EntryConflictError, match="changed by someone else") as err:
        c.curation.edit(cody, entry_id, v, theirs)
    assert err.value.current.content.title == "Cora's title"
    assert err.value.current.version == saved.version
    with pytest.raises(EntryConflictError):
        c.curation.act(cody, entry_id, v, "submit")  # a lifecycle move from a stale page too
    # Reloaded, the second coordinator's save goes through as a new version.
    again = c.curation.edit(cody, entry_id, err.value.current.version, theirs)
    assert again.content.title == "Cody's title" and again.version == saved.version + 1


def test_concurrent_saves_of_one_version_let_exactly_one_through(c: Container) -> None:
    cora = c.records.principal("cora")
    entry_id, v = _draft(c)
    outcomes: list[str] = []
    barrier = threading.Barrier(4)

    def save(n: int) -> None:
        content = EntryContent(**{**CONTENT.__dict__, "title": f"title {n}"})
        barrier.wait()
        try:
            c.curation.edit(cora, entry_id, v, content)
            outcomes.append("saved")
        except EntryConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=save, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "conflict", "conflict", "saved"]
    assert len(c.curation.entries.versions(entry_id)) == 2


def test_a_named_verifier_is_the_one_who_verifies(c: Container) -> None:
    cora, cody = c.records.principal("cora"), c.records.principal("cody")
    programme = next(iter(cora.programme_ids))
    ravi = c.records.principal("ravi").user_id
    with pytest.raises(Exception, match="verifier: choose a coordinator of this programme"):
        c.curation.create(
            cora, programme, EntryContent(**{**CONTENT.__dict__, "verifier_id": ravi})
        )
    e = c.curation.create(
        cora, programme, EntryContent(**{**CONTENT.__dict__, "verifier_id": cody.user_id})
    )
    e = c.curation.act(cora, e.entry_id, e.version, "submit")
    e = c.curation.act(cora, e.entry_id, e.version, "publish")
    with pytest.raises(NotAllowedError, match="named verifier"):
        c.curation.verify(cora, e.entry_id, e.version)
    assert c.curation.verify(cody, e.entry_id, e.version).version == e.version + 1


def test_versions_diff_and_restore(c: Container) -> None:
    cora = c.records.principal("cora")
    entry_id, v = _draft(c)
    changed = EntryContent(
        **{**CONTENT.__dict__, "sections": {**CONTENT.sections, "lesson": "Decide by Friday."}}
    )
    e = c.curation.edit(cora, entry_id, v, changed)
    diff = c.curation.diff(cora, entry_id, 1, 2)
    assert "-  Write down the least certain assumption on day one." in diff
    assert "+  Decide by Friday." in diff
    e = c.curation.restore_version(cora, entry_id, e.version, 1)
    assert e.content.sections["lesson"] == "Write down the least certain assumption on day one."
    assert [x.note for x in c.curation.entries.versions(entry_id)][-1] == "restored version 1"
    with pytest.raises(Exception, match="no version 9"):
        c.curation.diff(cora, entry_id, 1, 9)


def test_review_queue_and_feedback(c: Container) -> None:
    cora, ravi = c.records.principal("cora"), c.records.principal("ravi")
    c.curation.today = lambda: dt.date(2026, 3, 1)
    entry_id, v = _draft(c)
    e = c.curation.act(cora, entry_id, v, "submit")
    assert [x.entry_id for x in c.curation.review_queue(cora)["in_review"]] == [entry_id]
    with pytest.raises(NotAllowedError):
        c.curation.feedback(ravi, entry_id, "helped")  # not published yet
    e = c.curation.act(cora, entry_id, e.version, "publish")
    assert c.curation.review_queue(cora)["due"] == []
    c.curation.today = lambda: dt.date(2026, 3, 25)  # due within 14 days
    assert [x.entry_id for x in c.curation.review_queue(cora)["due"]] == [entry_id]
    c.curation.feedback(ravi, entry_id, "outdated", "Priya says the floor changed")
    [fb] = c.curation.review_queue(cora)["feedback"]
    assert fb["verdict"] == "outdated" and "Priya" not in fb["comment"]
    with pytest.raises(Exception, match="choose helped or outdated"):
        c.curation.feedback(ravi, entry_id, "meh")
    assert c.curation.review_queue(c.records.principal("olga")) == {
        "in_review": [],
        "due": [],
        "feedback": [],
    }


def _shared_docs(c: Container) -> list[str]:
    """Two shared debriefs and one private journal, written by ravi and ada."""
    from playbook.services.documents import ImportOptions

    c.records.add_user("ada", roles=[Role.LEADER])
    rows = [
        (
            "d1",
            "ravi",
            "shared",
            "We had to decide whether to keep the two small distributors. The context was a "
            "price war and tight margins at the time. The options were to cut by volume or by "
            "profit after exceptions, a real trade-off. The outcome was that Tony kept both "
            "and the hospital accounts stayed. The lesson I learned: count the cost of "
            "exceptions. My advice: ask for the cost of exceptions in your first week.",
        ),
        ("d2", "ada", "shared", "Next time I will ask finance for returns data before deciding."),
        ("p1", "ada", "private", "My private doubts about the distributor plan."),
    ]
    ids = []
    for source, who, vis, text in rows:
        f = c.settings.data_dir / f"{source}.jsonl"
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(
            json.dumps({"id": source, "title": f"Note {source}", "text": text, "visibility": vis})
        )
        c.service.import_paths([f], ImportOptions(as_user=who))
        owner = c.records.principal(who).user_id
        ids.append(c.pipeline.document_id(owner, source))
    return [i for i in ids if i]


def test_promote_extractively_points_every_sentence_at_its_passage(c: Container) -> None:
    d1, d2, _private = _shared_docs(c)
    cora = c.records.principal("cora")
    entry, mode = c.curation.promote(cora, [d1, d2])
    assert mode == "extractive" and entry.status is EntryStatus.DRAFT
    assert "Tony" not in json.dumps(entry.content.sections)
    assert {"decision", "lesson", "advice"} <= set(entry.content.sections)
    sources = {s.document_id: s for s in c.curation.entries.sources(entry.entry_id)}
    assert set(sources) == {d1, d2}
    pointed = 0
    for doc_id, src in sources.items():
        text = c.records.document(doc_id).redacted_text  # type: ignore[union-attr]
        for p in src.pointers:
            assert text[int(p["start"]) : int(p["end"])] == p["text"]  # type: ignore[call-overload]
            quoted = str(p["text"])  # a leading label is left out; the draft capitalises
            assert quoted[:1].upper() + quoted[1:] in entry.content.sections[str(p["section"])]
            pointed += 1
    assert pointed == sum(len(t) > 0 for t in _sentences_of(entry.content.sections))


def _sentences_of(sections: dict[str, str]) -> list[str]:
    import re

    return [
        s
        for t in sections.values()
        for s in re.findall(r"[^.!?\n]+[.!?]?", t)
        if len(s.strip()) >= 12
    ]


def test_promote_refuses_private_items_and_non_coordinators(c: Container) -> None:
    d1, _d2, private = _shared_docs(c)
    with pytest.raises(NotAllowedError, match="shared with the programme"):
        c.curation.promote(c.records.principal("cora"), [d1, private])
    with pytest.raises(NotAllowedError):
        c.curation.promote(c.records.principal("ravi"), [d1])
    with pytest.raises(Exception, match="at least one"):
        c.curation.promote(c.records.principal("cora"), [])


def test_promote_with_a_model_cites_passages_and_falls_back_when_it_rambles(
    c: Container,
) -> None:
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    d1, d2, _private = _shared_docs(c)
    answer = {
        "title": "Count the cost of exceptions",
        "decision": [{"text": "Whether to keep two small distributors.", "source": 1}],
        "lesson": [{"text": "Ask finance for returns data first.", "source": 2}],
    }
    prompts: list[str] = []

    class Recording(FakeListChatModel):
        def _call(self, messages: Any, *args: Any, **kwargs: Any) -> str:
            prompts.append("\n".join(str(m.content) for m in messages))
            return super()._call(messages, *args, **kwargs)

    c.curation.llm = lambda: LangChainChatModel(
        Recording(responses=[json.dumps(answer), "not json at all"])
    )
    cora = c.records.principal("cora")
    entry, mode = c.curation.promote(cora, [d1, d2])
    assert mode == "llm" and entry.content.title == "Count the cost of exceptions"
    assert entry.content.sections == {
        "decision": "Whether to keep two small distributors.",
        "lesson": "Ask finance for returns data first.",
    }
    sources = {s.document_id: s.pointers for s in c.curation.entries.sources(entry.entry_id)}
    assert [p["section"] for p in sources[d1]] == ["decision"]
    assert [p["section"] for p in sources[d2]] == ["lesson"]
    assert (
        "```text" in prompts[0] and "Tony" not in prompts[0] and "private doubts" not in prompts[0]
    )
    entry, mode = c.curation.promote(cora, [d1])
    assert mode == "extractive" and entry.content.sections
