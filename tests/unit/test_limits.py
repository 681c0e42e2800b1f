"""Limits before work: a record over a limit fails alone, with a sentence naming the limit,
and everything else in the import is stored and searchable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from playbook.models import EntryContent, Role
from playbook.services.curation import EntryFormError
from playbook.services.documents import ImportOptions
from playbook.settings import Settings
from playbook.wiring import Container


@pytest.fixture
def c(members: Container) -> Container:
    return members


def test_a_record_with_eleven_thousand_tags_fails_alone(c: Container, tmp_path: Path) -> None:
    f = tmp_path / "tags.jsonl"
    rows = [
        {"id": "ok", "text": "Pricing lesson one", "tags": ["pricing"]},
        {"id": "many", "text": "Pricing lesson two", "tags": [f"t{i}" for i in range(11_000)]},
        {"id": "long", "text": "Pricing lesson three", "tags": ["x" * 65]},
        {"id": "last", "text": "Pricing lesson four"},
    ]
    f.write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = c.service.import_paths([f], ImportOptions(as_user="ada", load=c.load_options))
    assert report.total("created") == 2
    messages = [p.message for fr in report.files.values() for p in fr.problems]
    assert messages == [
        "11,000 tags is too many; keep at most 50 (the ones people filter by)",
        "the tag 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' has 65 characters; "
        "a tag has at most 64",
    ]
    assert {h.source_label for h in c.service.search("ada", "pricing lesson")} == {"ok", "last"}


def test_the_tag_limits_are_settings(fake_container: Container, tmp_path: Path) -> None:
    c = fake_container
    c.settings = Settings(data_dir=c.settings.data_dir, secret_key="x", max_tags=2)
    c.__dict__.pop("load_options", None)
    c.records.add_user("ada", roles=[Role.LEADER])
    f = tmp_path / "t.jsonl"
    f.write_text(json.dumps({"text": "x", "tags": ["a", "b", "c"]}) + "\n")
    report = c.service.import_paths([f], ImportOptions(as_user="ada", load=c.load_options))
    [problem] = [p.message for fr in report.files.values() for p in fr.problems]
    assert problem.startswith("3 tags is too many; keep at most 2")


def test_an_entry_with_too_many_tags_is_refused_on_its_field(c: Container) -> None:
    cora = c.records.principal("cora")
    programme = next(iter(cora.programme_ids))
    with pytest.raises(EntryFormError) as refused:
        c.curation.create(
            cora,
            programme,
            EntryContent(
                title="T", sections={"lesson": "x"}, tags=tuple(f"t{i}" for i in range(51))
            ),
        )
    assert refused.value.errors == {
        "tags": "51 tags is too many; keep at most 50 (the ones people filter by)"
    }
    assert c.curation.entries.listing([programme]) == []  # nothing was stored


def test_one_record_that_cannot_be_stored_fails_alone(
    c: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record the engine chokes on fails with its line number; the other records of its
    batch are stored and searchable."""
    real = c.redactor.redact_batch

    def choosy(texts, policy=None):  # type: ignore[no-untyped-def]
        if any("poison" in t for t in texts):
            raise RuntimeError("engine choked")
        return real(texts, policy)

    monkeypatch.setattr(c.redactor, "redact_batch", choosy)
    f = tmp_path / "batch.jsonl"
    rows = [{"id": f"r{i}", "text": f"Pricing lesson {i}"} for i in range(5)]
    rows[2]["text"] = "poison pricing lesson"
    f.write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = c.service.import_paths([f], ImportOptions(as_user="ada"))
    assert report.total("created") == 4
    [problem] = [p for fr in report.files.values() for p in fr.problems]
    assert problem.origin.endswith(":3")
    assert problem.message == "not stored: an unexpected error (RuntimeError)"
    assert len(c.service.search("ada", "pricing lesson")) == 4


def test_same_named_files_in_two_folders_are_two_documents(c: Container, tmp_path: Path) -> None:
    for q in ("q3", "q4"):
        (tmp_path / q).mkdir()
        (tmp_path / q / "notes.md").write_text(f"Pricing notes for {q}.")
    for q in ("q3", "q4"):  # imported one after the other, each file by itself
        c.service.import_paths([tmp_path / q / "notes.md"], ImportOptions(as_user="ada"))
    c.service.import_paths([tmp_path], ImportOptions(as_user="ada"))  # and as a folder
    docs = c.records.documents()
    assert sorted(d.redacted_text for d in docs) == [
        "Pricing notes for q3.",
        "Pricing notes for q4.",
    ]


def test_a_file_imported_by_an_earlier_version_is_updated_not_duplicated(
    c: Container, tmp_path: Path
) -> None:
    """Before identities held the full path, a file's id was its path below the folder
    imported: such a document takes the new identity on the next import of that file."""
    f = tmp_path / "notes.md"
    f.write_text("Pricing notes.")
    c.service.import_paths([f], ImportOptions(as_user="ada"))
    [doc] = c.records.documents()
    with c.records.engine.begin() as conn:  # as the previous version keyed it
        conn.exec_driver_sql(
            "UPDATE documents SET source_id = ? WHERE id = ?",
            (c.pipeline.identify_raw("notes.md"), doc.document_id),
        )
    f.write_text("Pricing notes, revised.")
    report = c.service.import_paths([f], ImportOptions(as_user="ada"))
    assert report.total("updated") == 1 and report.total("created") == 0
    [after] = c.records.documents()
    assert after.document_id == doc.document_id and after.redacted_text == "Pricing notes, revised."
    assert c.records.stats()["pending_index"] == 0
    [hit] = c.service.search("ada", "revised")
    assert hit.document_id == doc.document_id
