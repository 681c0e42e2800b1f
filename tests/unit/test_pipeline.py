import json
from pathlib import Path

import pytest

from playbook.models import Role, SearchFilters
from playbook.services.documents import ImportOptions
from playbook.wiring import Container


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


@pytest.fixture
def c(fake_container: Container) -> Container:
    fake_container.records.add_user("ada", roles=[Role.LEADER])
    fake_container.records.add_user("ravi", roles=[Role.PARTICIPANT])
    return fake_container


def test_reimporting_the_same_content_changes_nothing(c: Container, tmp_path: Path) -> None:
    f = write_jsonl(
        tmp_path / "a.jsonl", [{"id": f"r{i}", "text": f"note {i} about Tony"} for i in range(5)]
    )
    opts = ImportOptions(as_user="ada")
    first = c.service.import_paths([f], opts)
    assert first.total("created") == 5 and first.failed == 0
    calls = c.redactor.calls, c.embedder.texts
    second = c.service.import_paths([f], opts)
    assert second.total("unchanged") == 5 and second.total("created") == 0
    assert (c.redactor.calls, c.embedder.texts) == calls  # no redaction, no embedding
    assert c.vectors.count() == c.keywords.count() == 5


def test_changed_content_replaces_old_chunks(c: Container, tmp_path: Path) -> None:
    long_text = " ".join(f"Sentence number {i} is about pricing." for i in range(30))
    f = write_jsonl(tmp_path / "a.jsonl", [{"id": "x", "text": long_text}])
    c.service.import_paths([f], ImportOptions(as_user="ada"))
    before = c.vectors.count()
    assert before > 1
    write_jsonl(f, [{"id": "x", "text": "Now a single short sentence about warehouses."}])
    report = c.service.import_paths([f], ImportOptions(as_user="ada"))
    assert report.total("updated") == 1
    assert c.vectors.count() == c.keywords.count() == 1
    [hit] = c.service.search("ada", "warehouses")
    assert "warehouses" in hit.text


def test_nothing_unredacted_reaches_store_or_indexes(c: Container, tmp_path: Path) -> None:
    f = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {
                "id": "x",
                "title": "Talk with Priya",
                "tags": ["marcus"],
                "text": "Tony said tony@corp.com is fine.",
            }
        ],
    )
    c.service.import_paths([f], ImportOptions(as_user="ada"))
    [doc] = c.records.documents()
    assert "Tony" not in doc.redacted_text and "tony@corp.com" not in doc.redacted_text
    assert "Priya" not in doc.title and "marcus" not in doc.tags
    for chunk, _ in c.vectors.rows.values():
        blob = json.dumps(chunk.metadata()) + chunk.text
        assert all(v not in blob for v in ("Tony", "tony@corp.com", "Priya", "marcus"))
    for chunk in c.keywords.rows.values():
        assert "Tony" not in chunk.text and "Priya" not in chunk.title


def test_a_redaction_failure_stores_nothing_and_is_reported(c: Container, tmp_path: Path) -> None:
    f = write_jsonl(tmp_path / "a.jsonl", [{"id": "x", "text": "Tony again"}])
    c.redactor.fail = True
    report = c.service.import_paths([f], ImportOptions(as_user="ada"))
    assert report.failed == 1 and "not stored" in report.files[str(f)].problems[0].message
    assert c.records.documents() == [] and c.vectors.count() == 0


def test_crash_between_store_and_index_is_repaired_by_sync(c: Container, tmp_path: Path) -> None:
    f = write_jsonl(
        tmp_path / "a.jsonl", [{"id": f"r{i}", "text": f"lesson {i}"} for i in range(3)]
    )

    def crash(*_a: object, **_k: object) -> None:
        raise KeyboardInterrupt

    original = c.pipeline.sync
    c.pipeline.sync = crash  # type: ignore[method-assign]
    with pytest.raises(KeyboardInterrupt):
        c.pipeline.ingest(_docs(c, f))
    c.pipeline.sync = original  # type: ignore[method-assign]
    assert len(c.records.documents()) == 3 and c.vectors.count() == 0
    assert c.records.stats()["pending_index"] == 3
    c.indexing.repair()
    assert c.vectors.count() == c.keywords.count() == 3
    assert c.records.stats()["pending_index"] == 0


def _docs(c: Container, f: Path):  # the documents the service would build for a file
    from ingest.loaders import LoadedRecord, LoadOptions, load_file

    owner = c.records.principal("ada").user_id
    pid = c.records.ensure_programme("default")
    svc = c.service
    return [
        svc._to_document(r, ImportOptions(as_user="ada"), pid, owner, {})
        for r in load_file(f, f.parent, LoadOptions())
        if isinstance(r, LoadedRecord)
    ]


def test_delete_removes_chunks_from_both_indexes(c: Container, tmp_path: Path) -> None:
    f = write_jsonl(
        tmp_path / "a.jsonl", [{"id": "a", "text": "keep me"}, {"id": "b", "text": "drop me"}]
    )
    c.service.import_paths([f], ImportOptions(as_user="ada"))
    doomed = next(d for d in c.records.documents() if d.source_label == "b")
    with pytest.raises(ValueError, match="no document"):
        c.service.delete("ravi", doomed.document_id)  # not ravi's to delete
    c.service.delete("ada", doomed.document_id)
    assert c.vectors.count() == c.keywords.count() == 1
    assert c.records.stale_documents() == ([], [])


def test_visibility_scopes_search(c: Container, tmp_path: Path) -> None:
    f = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {"id": "p", "text": "private pricing lesson"},
            {"id": "s", "text": "shared pricing lesson", "visibility": "shared"},
        ],
    )
    c.service.import_paths([f], ImportOptions(as_user="ada"))
    ada = {h.source_label for h in c.service.search("ada", "pricing lesson")}
    ravi = {h.source_label for h in c.service.search("ravi", "pricing lesson")}
    mine = {
        h.source_id
        for h in c.service.search("ravi", "pricing", filters=SearchFilters(only_mine=True))
    }
    assert ada == {"p", "s"} and ravi == {"s"} and mine == set()


def test_reindex_rebuilds_identical_results(c: Container, tmp_path: Path) -> None:
    rows = [{"id": f"r{i}", "text": f"lesson {i} on pricing and teams {i % 3}"} for i in range(12)]
    c.service.import_paths([write_jsonl(tmp_path / "a.jsonl", rows)], ImportOptions(as_user="ada"))
    before = [(h.chunk_id, h.score) for h in c.service.search("ada", "pricing teams 2")]
    report = c.pipeline.reindex()
    assert report.indexed_documents == 12
    assert [(h.chunk_id, h.score) for h in c.service.search("ada", "pricing teams 2")] == before


def test_record_level_validation_messages(c: Container, tmp_path: Path) -> None:
    f = write_jsonl(
        tmp_path / "a.jsonl",
        [
            {"id": "1", "text": "x", "kind": "diary"},
            {"id": "2", "text": "x", "visibility": "public"},
            {"id": "3", "text": "x", "author": "nobody"},
            {
                "id": "4",
                "text": "x",
                "kind": "debrief",
                "start_date": "2026-05-20",
                "end_date": "2026-05-01",
            },
            {"id": "5", "text": "x", "created_at": "yesterday"},
            {"id": "6", "text": "fine"},
        ],
    )
    report = c.service.import_paths([f], ImportOptions(as_user="ada"))
    messages = [p.message for p in report.files[str(f)].problems]
    assert messages == [
        "unknown kind 'diary'; choose one of: journal, debrief, session_note, council_note, entry",
        "unknown visibility 'public'; choose one of: private, shared, published",
        "unknown author 'nobody'; add them with `playbook users add` or pass --create-users",
        "end_date 2026-05-01 is before start_date 2026-05-20",
        "created_at 'yesterday' is not a date like 2026-03-31 or 2026-03-31T09:30",
    ]
    assert report.total("created") == 1


def test_unknown_authors_can_be_created(c: Container, tmp_path: Path) -> None:
    f = write_jsonl(tmp_path / "a.jsonl", [{"id": "1", "text": "x", "author": "New.Person"}])
    report = c.service.import_paths([f], ImportOptions(as_user="ada", create_users=True))
    assert report.total("created") == 1
    assert c.records.principal("new.person").roles == {Role.LEADER}


def test_an_indexing_failure_keeps_what_was_stored_and_says_how_to_finish(
    c: Container, tmp_path: Path
) -> None:
    f = write_jsonl(
        tmp_path / "a.jsonl", [{"id": f"r{i}", "text": f"lesson {i}"} for i in range(3)]
    )

    def broken(*_a: object, **_k: object) -> None:
        raise ConnectionError("chroma is down")

    c.vectors.upsert = broken  # type: ignore[method-assign]
    report = c.service.import_paths([f], ImportOptions(as_user="ada"))
    assert report.total("created") == 3 and report.failed == 0
    assert report.index_errors == ["ConnectionError: chroma is down"]
    assert len(c.records.documents()) == 3
    assert c.records.stats()["pending_index"] == 3
    del c.vectors.upsert  # the index is back
    c.indexing.repair()
    assert c.vectors.count() == c.keywords.count() == 3


def test_an_indexing_failure_without_a_message_is_still_reported(
    c: Container, tmp_path: Path
) -> None:
    f = write_jsonl(tmp_path / "a.jsonl", [{"id": "r", "text": "lesson"}])

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError

    c.vectors.upsert = broken  # type: ignore[method-assign]
    report = c.service.import_paths([f], ImportOptions(as_user="ada"))
    assert report.total("created") == 1 and report.index_errors == ["RuntimeError: "]


def test_an_author_cannot_import_into_a_programme_they_are_not_in(
    c: Container, tmp_path: Path
) -> None:
    c.records.add_user("olga", roles=[Role.LEADER], programme="other")
    f = write_jsonl(
        tmp_path / "a.jsonl", [{"id": "1", "text": "shared note", "visibility": "shared"}]
    )
    report = c.service.import_paths([f], ImportOptions(as_user="olga"))  # into "default"
    assert report.failed == 1 and "not a member of programme 'default'" in str(
        next(iter(report.files.values())).problems[0]
    )
    assert c.records.documents() == []
    ok = c.service.import_paths([f], ImportOptions(as_user="olga", programme="other"))
    assert ok.failed == 0 and len(c.records.documents()) == 1
