"""One redaction boundary for every field a person or a file can set.

The fake engine finds "Tony" (and e-mail addresses); each test plants it in every field and
looks for it in everything stored, indexed, searched, exported and listed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ingest.loaders import LoadedRecord
from ingest.pipeline import FIELDS, _fields
from playbook import cli
from playbook.field_privacy import FIELD_PRIVACY, FieldPrivacy
from playbook.models import (
    DebriefFields,
    EntryContent,
    Kind,
    NewDocument,
    Visibility,
)
from playbook.services.documents import ImportOptions
from playbook.source_ids import is_keyed, join_label, keyed_source_id, label_parts
from playbook.store import SqlRecords
from playbook.wiring import Container

NAME = "Tony"


@pytest.fixture
def c(members: Container) -> Container:
    return members


def _dump(value: Any) -> str:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = dataclasses.asdict(value)
    return json.dumps(value, default=str)


def test_every_field_of_every_model_is_classified() -> None:
    """A field added later to a model people fill in must be listed (and, if free text,
    redacted): this fails until it is."""
    for model, declared in FIELD_PRIVACY.items():
        names = {f.name for f in dataclasses.fields(model)}
        assert names == set(declared), f"{model.__name__}: classify {names ^ set(declared)}"
    # What a file or a record can set reaches a NewDocument field (or names its author).
    feeds = {
        "origin": None,  # the importer's own report, never stored
        "source_id": "source_id",
        "text": "text",
        "title": "title",
        "kind": "kind",
        "author": "owner_id",
        "created_at": "created_at",
        "tags": "tags",
        "visibility": "visibility",
        "debrief": "debrief",
        "source_label": "source_label",
        "aliases": "aliases",
    }
    assert {f.name for f in dataclasses.fields(LoadedRecord)} == set(feeds)


def test_the_pipeline_reads_every_redacted_field_of_a_document(c: Container) -> None:
    redacted = [
        name
        for model in (NewDocument, DebriefFields)
        for name, how in FIELD_PRIVACY[model].items()
        if how is FieldPrivacy.REDACTED
    ]
    assert len(redacted) == FIELDS
    doc = c.pipeline.identify(_planted_document())  # the file name becomes the label
    assert all(NAME in value for value in _fields(doc))


def _planted_document(source_id: str = f"notes/{NAME}_Mercer_1on1.md") -> NewDocument:
    """A document with the name in every field the author or a file can fill in."""
    values: dict[str, Any] = {}
    for name, how in FIELD_PRIVACY[NewDocument].items():
        if how is FieldPrivacy.REDACTED:
            values[name] = (f"{NAME} Mercer",) if name == "tags" else f"About {NAME} Mercer"
    debrief = DebriefFields(
        **{
            name: f"finance run by {NAME}"
            for name, how in FIELD_PRIVACY[DebriefFields].items()
            if how is FieldPrivacy.REDACTED
        },
        start_date=dt.date(2026, 3, 1),
        end_date=dt.date(2026, 3, 20),
    )
    values.pop("source_label")
    return NewDocument(
        owner_id="",
        programme_id="",
        kind=Kind.DEBRIEF,
        visibility=Visibility.SHARED,
        source_id=source_id,
        debrief=debrief,
        **values,
    )


def test_no_field_keeps_a_name_in_the_store_indexes_search_or_export(c: Container) -> None:
    ada = c.records.principal("ada")
    doc = dataclasses.replace(
        _planted_document(),
        owner_id=ada.user_id,
        programme_id=next(iter(ada.programme_ids)),
    )
    [result] = c.pipeline.ingest([doc])
    assert result.status == "created" and is_keyed(result.source_id)
    stored = c.records.document(result.document_id)
    assert stored is not None
    assert NAME not in _dump(stored), _dump(stored)
    assert stored.source_label.endswith(" Mercer 1on1.md")  # the fake finds first names only
    assert stored.debrief.function and stored.debrief.function.startswith("finance run by [")
    chunks, _ = c.records.chunk_records([result.document_id])
    assert chunks and NAME not in _dump([c.metadata() for c in chunks] + [c.text for c in chunks])
    for hit in c.service.search("ravi", "Mercer finance"):
        assert NAME not in _dump(hit)
    assert NAME not in _dump(list(c.service.export("ravi")))


def test_a_file_and_a_record_naming_people_leave_no_name_for_other_readers(
    c: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / f"{NAME}_Mercer_1on1.md").write_text("We agreed the pricing plan.\n")
    record = {
        "id": f"review-{NAME.lower()}.mercer@corp.example",
        "title": f"Talk with {NAME}",
        "tags": [NAME, "maria@corp.example", "pricing"],
        "kind": "debrief",
        "function": f"finance run by {NAME}",
        "market": f"Poland with {NAME}",
        "start_date": "2026-03-01",
        "end_date": "2026-03-20",
        "text": "The rotation taught me to listen before deciding on the pricing.",
    }
    (folder / "r.jsonl").write_text(json.dumps(record) + "\n")
    report = c.service.import_paths(
        [folder], ImportOptions(as_user="ada", visibility=Visibility.SHARED)
    )
    assert report.total("created") == 2 and report.failed == 0
    monkeypatch.setattr(cli, "container", lambda: c)
    run = CliRunner()
    outputs = [
        run.invoke(cli.app, ["search", "pricing", "--as", "ravi", "--json"]).output,
        run.invoke(cli.app, ["search", "pricing", "--as", "ravi"]).output,
        run.invoke(cli.app, ["export", "--as", "ravi"]).output,
    ]
    assert "pricing" in outputs[0] and '"source": "[' in outputs[0]
    for out in outputs:
        assert NAME.casefold() not in out.casefold() and "maria@" not in out, out
    everything = _store_values(c.records)
    assert NAME.casefold() not in everything.casefold()
    assert "maria@corp" not in everything


def _store_values(records: SqlRecords) -> str:
    """Every text value of every table of the store (the originals are ciphertext)."""
    import sqlalchemy as sa

    with records.engine.connect() as conn:
        tables = [
            r[0] for r in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        values = [
            v
            for t in tables
            for row in conn.execute(sa.text(f'SELECT * FROM "{t}"'))
            for v in row
            if isinstance(v, str)
        ]
    return json.dumps(values)


def test_entry_fields_are_redacted_tags_included(c: Container) -> None:
    cora = c.records.principal("cora")
    programme = next(iter(cora.programme_ids))
    content = EntryContent(
        title=f"What {NAME} taught us",
        sections={"context": f"{NAME} ran the review.", "lesson": f"Ask {NAME} early."},
        function=f"sales under {NAME}",
        market=f"{NAME}'s market",
        competency=f"{NAME} style",
        tags=(NAME, "pricing", "tony@corp.example"),
    )
    for name, how in FIELD_PRIVACY[EntryContent].items():
        if how is FieldPrivacy.REDACTED:
            assert NAME.casefold() in _dump(getattr(content, name)).casefold(), name
    e = c.curation.create(cora, programme, content)
    assert NAME.casefold() not in _dump(e.content).casefold(), _dump(e.content)
    assert "pricing" in e.content.tags and len(e.content.tags) == 3
    e = c.curation.act(cora, e.entry_id, e.version, "submit")
    e = c.curation.act(cora, e.entry_id, e.version, "publish")
    assert e.document_id
    published = c.records.document(e.document_id)
    assert published is not None and NAME.casefold() not in _dump(published).casefold()
    assert NAME.casefold() not in _store_values(c.records).casefold()


def test_feedback_comments_are_redacted(c: Container) -> None:
    cora = c.records.principal("cora")
    programme = next(iter(cora.programme_ids))
    e = c.curation.create(cora, programme, EntryContent(title="Pricing", sections={"lesson": "x"}))
    e = c.curation.act(cora, e.entry_id, e.version, "submit")
    e = c.curation.act(cora, e.entry_id, e.version, "publish")
    c.curation.feedback(c.records.principal("ravi"), e.entry_id, "outdated", f"{NAME} left")
    assert NAME.casefold() not in _store_values(c.records).casefold()


def test_source_ids_are_keyed_hashes_and_labels_keep_their_suffix() -> None:
    a = keyed_source_id(b"key-one", "q3/Tony_Mercer.md")
    assert is_keyed(a) and "Tony" not in a
    assert a == keyed_source_id(b"key-one", "q3/Tony_Mercer.md")  # stable: idempotent import
    assert a != keyed_source_id(b"key-two", "q3/Tony_Mercer.md")  # keyed: no dictionary
    assert keyed_source_id(b"k", a) == a  # an exported identity imports as itself
    assert keyed_source_id(b"k", "studio:" + "a" * 32) == "studio:" + "a" * 32
    words, suffix = label_parts("q3/Tony_Mercer.md")
    assert (words, suffix) == ("q3 / Tony Mercer", ".md")
    assert join_label(words.replace("Tony Mercer", "[PERSON-1]"), suffix) == "q3/[PERSON-1].md"
    assert label_parts("r.jsonl#line4") == ("r", ".jsonl#line4")
    assert label_parts("ingrid.johansson-notes.txt")[0] == "ingrid johansson-notes"
    assert label_parts("review-ingrid.johansson@corp.example")[1] == ""  # an address stays one


def test_source_ids_stored_in_the_clear_are_keyed_on_start(c: Container, tmp_path: Path) -> None:
    """An installation from before keyed source ids: the next start rewrites them, and the
    same file imported again replaces its document instead of adding a second one."""
    f = tmp_path / f"{NAME}_notes.txt"
    f.write_text("Pricing plan agreed.\n")
    c.service.import_paths([f], ImportOptions(as_user="ada"))
    [doc] = c.records.documents()
    with c.records.engine.begin() as conn:  # as version 0.1 stored it
        conn.exec_driver_sql(
            "UPDATE documents SET source_id = ?, source_label = '' WHERE id = ?",
            (f.name, doc.document_id),
        )
    assert c.records.clear_source_ids() == [(doc.document_id, f.name)]
    c.indexing.repair()
    assert c.records.clear_source_ids() == []
    [after] = c.records.documents()
    assert is_keyed(after.source_id) and after.source_label.endswith(" notes.txt")
    assert NAME not in after.source_label
    c.service.import_paths([f], ImportOptions(as_user="ada"))
    assert len(c.records.documents()) == 1
    assert c.records.stats()["pending_index"] == 0
