"""Answers a successor can act on, and search results per document: an extractive answer is
a lead and one point per source (no source or sentence twice, the asker's own writing
labelled as theirs), follow-ups keep their thread's context inside the same scope, a
verdict on an answer reaches the coordinators' review queue, and a search returns one row
per document with whose, where, when and its status."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from playbook.models import EntryContent, EntryStatus, Role
from playbook.services.ask import Answer
from playbook.services.compose import Candidate, lead, select_points
from playbook.services.documents import ImportOptions
from playbook.ui import common
from playbook.wiring import Container
from tests.unit.test_ask import _ask_page

SECRET = "zanzibar merger codename"
LONG = " ".join(
    f"Pricing note {i}: the pricing review {i} moved the distributor price by {i} percent."
    for i in range(60)
)


def _import(c: Container, tmp_path: Path, who: str, rows: list[dict[str, str]], **kw: str) -> None:
    f = tmp_path / f"{who}-{len(list(tmp_path.iterdir()))}.jsonl"
    f.write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = c.service.import_paths([f], ImportOptions(as_user=who, **kw))  # type: ignore[arg-type]
    assert report.failed == 0


@pytest.fixture
def c(members: Container, tmp_path: Path) -> Container:
    members.records.add_user("olga", roles=[Role.LEADER], programme="other")
    _import(
        members,
        tmp_path,
        "ada",
        [
            {
                "id": "vietnam",
                "title": "Pricing in Vietnam",
                "kind": "debrief",
                "visibility": "shared",
                "text": "We set the price floor before the distributor talks in Vietnam. "
                "The price floor held for six months after the talks. "
                "Advice: agree the discounts with finance before any distributor meeting.",
            },
            {
                "id": "jakarta",
                "title": "Pricing in Jakarta",
                "kind": "debrief",
                "visibility": "shared",
                "text": "In Jakarta the price floor was set too late, after the distributor "
                "talks had started. Set the price floor before the talks next time.",
            },
            {"id": "long", "title": "Pricing log", "visibility": "shared", "text": LONG},
        ],
    )
    _import(
        members,
        tmp_path,
        "ravi",
        [
            {
                "id": "mine",
                "title": "Week two",
                "text": "Honestly, none of the price floor talk made sense to me in week two. "
                "I asked Tony about the price floor before the distributor talks.",
            }
        ],
    )
    _import(
        members,
        tmp_path,
        "olga",
        [
            {
                "id": "other",
                "text": f"Price floor before the talks: {SECRET}.",
                "visibility": "shared",
            }
        ],
        programme="other",
    )
    return members


def test_an_extractive_answer_is_a_lead_and_one_point_per_source(c: Container) -> None:
    ravi = c.records.principal("ravi")
    answer = c.assistant.ask(ravi, "When do we set the price floor for the distributor talks?")
    assert answer.mode == "extractive" and answer.quotes and answer.lead
    first, *points = answer.text.splitlines()
    assert first.startswith("The playbook has no answer of its own") and "speak" in first
    assert len(points) == len(answer.quotes)
    docs = [q.document_id for q in answer.quotes]
    assert len(docs) == len(set(docs))  # no source twice
    sentences = [s for q in answer.quotes for s in q.sentences]
    assert len(sentences) == len(set(sentences))  # no sentence twice
    assert [q.n for q in answer.quotes] == list(range(1, len(answer.quotes) + 1))
    # the citations number the sources, one passage per document, cited ones first
    passages = [h.document_id for h in answer.passages]
    assert passages[: len(docs)] == docs and len(passages) == len(set(passages))
    assert all(SECRET not in h.text for h in answer.passages)


def test_the_askers_own_private_writing_is_labelled_as_theirs(c: Container) -> None:
    ravi = c.records.principal("ravi")
    answer = c.assistant.ask(ravi, "none of the price floor talk made sense in week two")
    mine = [q for q in answer.quotes if q.title == "Week two"]
    assert mine and mine[0].own and mine[0].private
    assert mine[0].attribution.startswith("your private journal, “Week two”")
    assert "your private journal" in answer.lead.casefold()
    # someone else's writing is never "yours"
    ada = c.assistant.ask(c.records.principal("ada"), "none of the price floor talk made sense")
    assert not any(q.own for q in ada.quotes if q.title == "Week two")


def test_a_follow_up_keeps_the_thread_but_never_widens_the_scope(c: Container) -> None:
    ravi = c.records.principal("ravi")
    first = c.assistant.ask(ravi, "price floor in Vietnam")
    follow = c.assistant.ask(ravi, "and what about the discounts?", history=[first])
    assert follow.grounded and follow.question == "and what about the discounts?"
    assert any("discounts" in s for q in follow.quotes for s in q.sentences)
    # a thread whose context names another programme's words retrieves nothing of it
    planted = Answer("", (), True, "extractive", question=SECRET)
    answer = c.assistant.ask(ravi, "price floor before the talks", history=[planted])
    assert all(SECRET not in h.text for h in answer.passages)


def test_a_verdict_on_an_answer_reaches_the_review_queue(c: Container) -> None:
    ravi = c.records.principal("ravi")
    answer = c.assistant.ask(ravi, "price floor in Vietnam")
    c.assistant.rate(ravi, answer, "wrong", "Tony says the floor moved in March")
    with pytest.raises(ValueError, match="helped or is wrong"):
        c.assistant.rate(ravi, answer, "meh")
    [verdict] = c.curation.review_queue(c.records.principal("cora"))["answers"]
    assert verdict.verdict == "wrong" and verdict.question == "price floor in Vietnam"
    assert "Tony" not in verdict.comment and "[PERSON-" in verdict.comment
    assert verdict.document_ids and verdict.user_id == ravi.user_id
    assert "answers" not in c.curation.review_queue(c.records.principal("olga"))


def test_search_returns_one_row_per_document_with_whose_where_and_when(c: Container) -> None:
    ada = c.records.principal("ada")
    results = c.service.search_documents(ada, "pricing price floor distributor", k=10)
    docs = [r.hit.document_id for r in results]
    assert len(docs) == len(set(docs)) and len(results) >= 3
    by_title = {r.title: r for r in results}
    assert by_title["Pricing log"].passages > 1  # a long document is one row
    assert by_title["Pricing in Vietnam"].author == "you"
    assert all(r.programme for r in results) and all(r.written for r in results)
    ravi = c.service.search_documents(c.records.principal("ravi"), "price floor Vietnam", k=10)
    vietnam = next(r for r in ravi if r.title == "Pricing in Vietnam")
    assert vietnam.author.startswith("[PERSON-") and "ada" not in vietnam.author.casefold()
    assert "price floor" in vietnam.sentence and vietnam.entry_status is None
    before, sentence, after = vietnam.excerpt()
    assert sentence == vietnam.sentence and (before + sentence + after).strip()


def test_search_shows_an_entrys_status_and_whether_it_is_verified(c: Container) -> None:
    cora = c.records.principal("cora")
    e = c.curation.create(
        cora,
        next(iter(cora.programme_ids)),
        EntryContent(title="Floors first", sections={"lesson": "Set the price floor early."}),
    )
    for action in ("submit", "publish"):
        e = c.curation.act(cora, e.entry_id, e.version, action)
    rows = c.service.search_documents(cora, "price floor early", k=10)
    [row] = [r for r in rows if r.title == "Floors first"]
    # publishing is a coordinator vouching for it, until its review date passes
    assert row.entry_status is EntryStatus.PUBLISHED and row.verified
    assert row.as_json()["entry_status"] == "published" and row.as_json()["verified"]
    # a passage of someone's journal is no entry: no status, no badge
    assert all(r.entry_status is None and not r.verified for r in rows if r.title != "Floors first")


def _candidate(doc: str, pos: int, score: float, vector: list[float], s: str) -> Candidate:
    return Candidate(0, doc, pos, s, score, vector)


def test_points_skip_sentences_that_repeat_an_earlier_one() -> None:
    same = [1.0, 0.0]
    points = select_points(
        [
            _candidate("a", 0, 0.9, same, "The floor comes first."),
            _candidate("b", 1, 0.88, same, "The floor comes first!"),  # says it again
            _candidate("b", 2, 0.85, [0.0, 1.0], "Finance signs off the discounts."),
            _candidate("a", 3, 0.2, [0.6, 0.8], "Unrelated."),
        ],
        floor=0.3,
    )
    assert [(p.document_id, p.sentences) for p in points] == [
        ("a", ("The floor comes first.",)),
        ("b", ("Finance signs off the discounts.",)),
    ]


def test_the_lead_counts_sources_by_kind() -> None:
    debrief = ("rotation debrief", "rotation debriefs")
    entry = ("playbook entry", "playbook entries")
    assert lead([debrief, entry, debrief]) == (
        "Two rotation debriefs and one playbook entry speak to this."
    )
    assert lead([("your private journal", "your private journal entries")]) == (
        "Your private journal speaks to this."
    )


def test_the_ask_page_threads_follow_ups_and_takes_a_verdict(
    c: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(common, "get_container", lambda: c)
    at = AppTest.from_function(_ask_page, default_timeout=30).run()
    at.text_input[0].input("price floor in Vietnam")
    at.button[0].click().run()
    assert not at.exception
    links = [h.proto.body for h in at.get("html")]
    assert any('href="#source-0-1"' in b for b in links), links
    assert any(s.value.startswith("\\[1\\] from") for s in at.subheader)
    at.text_input[0].input("and what about the discounts?")
    at.button[0].click().run()
    assert not at.exception
    assert any(m.value.startswith("**Follow-up:**") for m in at.markdown)
    assert any('href="#source-1-1"' in h.proto.body for h in at.get("html"))
    [wrong, *_] = [b for b in at.button if b.label == "This is wrong"]
    wrong.click().run()
    assert any("Thank you" in s.value for s in at.success)
    [verdict] = c.curation.review_queue(c.records.principal("cora"))["answers"]
    assert verdict.verdict == "wrong"
    [new] = [b for b in at.button if b.label == "New conversation"]
    new.click().run()
    assert not any(m.value.startswith("**Follow-up:**") for m in at.markdown)
