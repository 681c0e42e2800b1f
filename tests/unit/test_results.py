"""Search results per document over a real SQLite store: each row's author, programme and
date come from batch lookups, so folding a page of hits costs the same few SQL statements
however many documents and authors it shows; a deleted document is skipped, the reader's own
are "you" and everyone else is the placeholder of their display name."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event

from playbook.models import Principal, Role, SearchHit, Visibility
from playbook.pseudonyms import Pseudonymizer
from playbook.services.results import per_document
from playbook.store import SqlEntries, SqlRecords
from tests.contracts.stores import doc

PSEUDONYMS = Pseudonymizer(b"results")


@contextmanager
def _statements(records: SqlRecords) -> Iterator[list[str]]:
    """The SQL statements the store runs inside the block."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(records.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(records.engine, "before_cursor_execute", count)


def _library(
    records: SqlRecords, authors: int, per_author: int, name: str = "author"
) -> list[SearchHit]:
    """``authors`` people (``name`` and a number) in two programmes, ``per_author`` shared
    documents each; one hit per document, in the order they were saved."""
    owners = [
        records.add_user(
            f"{name}{a}",
            f"{name.title()} Number {a}",
            roles=[Role.LEADER],
            programme="north" if a % 2 else "south",
        )
        for a in range(authors)
    ]
    prepared = [
        doc(
            o.user_id,
            records.programme_id(next(iter(o.roles))),
            f"{name}{a}-{n}",
            f"price floor note {a} {n}. The distributor talks went well.",
            Visibility.SHARED,
            day=a * per_author + n,
        )
        for a, o in enumerate(owners)
        for n in range(per_author)
    ]
    saved = records.save(prepared)
    return [
        SearchHit(f"{d}-0", d, p.doc.source_id, 1.0, "journal", p.doc.title, "", p.redacted_text)
        for (d, _), p in zip(saved, prepared, strict=True)
    ]


def _fold(records: SqlRecords, hits: list[SearchHit], reader: Principal) -> list[Any]:
    return per_document(
        hits,
        "price floor",
        10,
        principal=reader,
        documents=records,
        directory=records,
        entries=SqlEntries(records.engine),
        pseudonyms=PSEUDONYMS,
    )


def test_results_name_authors_and_programmes_and_skip_deleted_documents(
    records: SqlRecords,
) -> None:
    hits = _library(records, authors=3, per_author=2)
    records.delete(hits[1].document_id)
    rows = _fold(records, hits, records.principal("author0"))
    assert [r.hit.document_id for r in rows] == [h.document_id for h in hits if h != hits[1]]
    assert [r.author for r in rows[:1]] == ["you"]
    for r in rows[1:]:
        info = records.document(r.hit.document_id)
        assert info is not None
        shown = records.display_names([info.owner_id])[info.owner_id]
        assert shown.startswith("Author Number")
        assert r.author == PSEUDONYMS.placeholder("PERSON", shown)
        assert r.programme == records.programme_name(info.programme_id)
        assert r.written == info.created_at.date() and r.passages == 1
        assert r.sentence.startswith("price floor note")


def test_authors_without_pseudonyms_are_a_member(records: SqlRecords) -> None:
    hits = _library(records, authors=2, per_author=1)
    rows = per_document(
        hits,
        "price",
        10,
        principal=records.principal("author0"),
        documents=records,
        directory=records,
    )
    assert [r.author for r in rows] == ["you", "a member"]


def test_folding_a_page_of_hits_takes_a_constant_number_of_statements(
    records: SqlRecords,
) -> None:
    reader = records.principal(records.add_user("reader", programme="north").username)
    two = _library(records, authors=1, per_author=2)  # 2 documents by 1 author
    page = _library(records, authors=5, per_author=2, name="writer")  # 10 by 5 authors
    with _statements(records) as few:
        assert len(_fold(records, two, reader)) == 2
    with _statements(records) as many:
        rows = _fold(records, page, reader)
    assert len(rows) == 10 and len({r.author for r in rows}) == 5
    # documents, their chunks, authors' names, programmes' names, entries: not one per row
    assert len(many) == len(few) <= 6, many
