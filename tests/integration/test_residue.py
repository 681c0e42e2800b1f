"""Residue tests: once a name is re-redacted, or its document deleted or withdrawn and then
re-redacted, no file in the data directory holds it any more: not the store's free pages or
write-ahead log, not the keyword index's segments, not Chroma's database or segment folders.

Everything is real (Presidio with spaCy, sentence-transformers, embedded Chroma, FTS5), and
every byte of every file under the data directory is scanned for the name in UTF-8 (as
written and lowercased) and UTF-16 (both byte orders). The author's original stays, but
encrypted, so its bytes never match.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from playbook import cli
from playbook.models import Role
from playbook.services.documents import ImportOptions
from playbook.settings import Settings
from playbook.wiring import Container

pytestmark = pytest.mark.integration

# Names the engine misses in this text (checked below before each one is dealt with).
RE_REDACTED = "Larkspur"  # caught once the roster names it, then `reindex --re-redact`
DELETED = "Tamarisk"  # its document is deleted
WITHDRAWN = "Wisteria"  # shared, withdrawn, then put on the author's deny list

TEXT = (
    "Spoke with {name} after the Q3 pricing review in Singapore. {name} will own the supplier "
    "renegotiation; {name} thinks the rollout should wait for the audit."
)


def forms(name: str) -> dict[str, bytes]:
    """The byte patterns a name can take in a file."""
    out: dict[str, bytes] = {}
    for label, text in (("as written", name), ("lowercase", name.lower())):
        out[f"utf-8 {label}"] = text.encode("utf-8")
        out[f"utf-16-le {label}"] = text.encode("utf-16-le")
        out[f"utf-16-be {label}"] = text.encode("utf-16-be")
    return out


@dataclass
class Scan:
    files: int
    size: int
    hits: list[str]

    def __str__(self) -> str:
        return f"{self.files} files, {self.size} bytes, {len(self.hits)} hits: {self.hits[:12]}"


def scan(root: Path, name: str) -> Scan:
    """Every file under ``root``, every byte, for every form of ``name``."""
    files = size = 0
    hits: list[str] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        raw = path.read_bytes()
        files, size = files + 1, size + len(raw)
        for form, pattern in forms(name).items():
            if n := raw.count(pattern):
                hits.append(f"{path.relative_to(root)}: {form} x{n}")
    return Scan(files, size, hits)


@pytest.fixture
def c(data_dir: Path, nlp: Any, st_model: Any) -> Container:
    container = Container(Settings(data_dir=data_dir, secret_key="residue-test"))
    r = container.records
    r.add_user("ada", roles=[Role.LEADER])
    r.add_user("ravi", roles=[Role.PARTICIPANT])
    r.add_user("sam", roles=[Role.ADMIN])
    return container


def _import(c: Container, tmp_path: Path) -> dict[str, str]:
    rows = [
        {"id": "rr", "title": "Supplier call", "text": TEXT.format(name=RE_REDACTED)},
        {"id": "del", "title": "Rollout notes", "text": TEXT.format(name=DELETED)},
        {
            "id": "wd",
            "title": "Audit lessons",
            "text": TEXT.format(name=WITHDRAWN),
            "visibility": "shared",
        },
        {"id": "other", "title": "Q3", "text": "The Q3 pricing review in Singapore went well."},
    ]
    src = tmp_path / "notes.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    report = c.service.import_paths([src], ImportOptions(as_user="ada"))
    assert report.failed == 0 and report.total("created") == len(rows)
    by_title = {d.title: d.document_id for d in c.records.documents()}
    return {
        "rr": by_title["Supplier call"],
        "del": by_title["Rollout notes"],
        "wd": by_title["Audit lessons"],
    }


def test_superseded_names_leave_no_bytes_in_the_data_directory(
    c: Container, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    docs = _import(c, tmp_path)
    for name in (RE_REDACTED, DELETED, WITHDRAWN):
        # The engine misses each name, so it is in the indexes (else this test proves nothing).
        assert scan(data_dir, name).hits, f"{name} was caught at import: pick another name"
    ravi = c.service.search("ravi", "supplier renegotiation rollout audit", k=10)
    assert {h.document_id for h in ravi} == {docs["wd"]}

    results: dict[str, Scan] = {}

    # Deleted: nothing of it anywhere (the original goes with the row).
    c.service.delete("ada", docs["del"])
    results["deleted"] = scan(data_dir, DELETED)

    # Withdrawn, then the author puts the name on their deny list: re-redaction must reach
    # every copy the document had while shared.
    ada = c.records.principal("ada")
    c.reflection.withdraw(ada, docs["wd"])
    assert not c.service.search("ravi", "supplier renegotiation rollout audit", k=10)
    c.privacy.add_term(ada.user_id, "deny", WITHDRAWN)
    assert c.pipeline.reredact(c.keyring.decrypt) == 1
    results["withdrawn, then re-redacted"] = scan(data_dir, WITHDRAWN)

    # A roster upload names someone the engine missed; `playbook reindex --re-redact`.
    c.privacy.set_roster(
        c.records.principal("sam"), f"name,email\n{RE_REDACTED} Vance,l.vance@acme.example\n"
    )
    monkeypatch.setattr(cli, "container", lambda: c)
    result = CliRunner().invoke(cli.app, ["reindex", "--re-redact"])
    assert result.exit_code == 0, result.output
    assert "1 changed" in result.output
    results["re-redacted (CLI)"] = scan(data_dir, RE_REDACTED)

    for what, found in results.items():
        print(f"residue after {what}: {found}")
    assert {what: found.hits for what, found in results.items() if found.hits} == {}

    # The text people read is still there, redacted, and searchable from both indexes.
    hits = [
        h
        for h in c.service.search("ada", "supplier renegotiation", k=10)
        if h.document_id in {docs["rr"], docs["wd"]}
    ]
    assert len({h.document_id for h in hits}) == 2
    assert all("[PERSON-" in h.text for h in hits)
    assert c.privacy.original(ada, docs["rr"]).count(RE_REDACTED) == 3  # the author's own


# -- the adapters on their own -------------------------------------------------------------


def _chunk(text: str, visibility: Any = None) -> Any:
    from playbook.models import ChunkRecord, Kind, Visibility

    return ChunkRecord(
        chunk_id="c1",
        document_id="d1",
        ordinal=0,
        text=text,
        owner_id="ada",
        visibility=visibility or Visibility.SHARED,
        programme_id="p1",
        kind=Kind.JOURNAL,
        title=f"Call with {DELETED}",
        source_id=f"notes/{DELETED}.md",
        tags=(DELETED,),
        function="Supply Chain",
        market="Singapore",
    )


def test_chroma_lent_the_store_keeps_no_text_and_reads_it_back(tmp_path: Path) -> None:
    from ingest.chroma_index import ChromaVectorIndex, make_client
    from playbook.models import Visibility
    from playbook.ports import Scope

    held = {"c1": _chunk(TEXT.format(name=DELETED))}
    index = ChromaVectorIndex(
        make_client(path=tmp_path / "chroma"),
        "pbk",
        chunks=lambda ids: {i: held[i] for i in ids if i in held},
    )
    index.upsert([held["c1"]], [[1.0, 0.0, 0.5]])
    assert scan(tmp_path / "chroma", DELETED).hits == []  # not the text, title, tags or source
    assert scan(tmp_path / "chroma", "Singapore").hits == []  # facets are hashed
    ravi = Scope("ravi", frozenset({"p1"}), tags=(DELETED,), market="singapore")
    [hit] = index.query([1.0, 0.0, 0.5], 5, ravi)
    assert hit.text == held["c1"].text and hit.metadata["title"] == held["c1"].title
    # The store's word wins: withdrawn there, not handed to the programme even if the index
    # is behind; gone there, gone from results.
    held["c1"] = _chunk(held["c1"].text, Visibility.PRIVATE)
    assert index.query([1.0, 0.0, 0.5], 5, ravi) == []
    assert len(index.query([1.0, 0.0, 0.5], 5, Scope("ada", frozenset({"p1"})))) == 1
    held.clear()
    assert index.query([1.0, 0.0, 0.5], 5, Scope("ada", frozenset({"p1"}))) == []


def test_an_embedded_index_writes_no_freed_memory_into_its_files(tmp_path: Path) -> None:
    """Chroma's HNSW writes whole malloc'd blocks, unused slots too. Without the scrub
    (playbook.heap) a new one-vector index held hundreds of copies of text the process had
    freed moments before (measured: 606 in a 3-dimension index, 6,699 in a 384-dimension one).
    """
    from eval.bench_heap import fill_heap_with_freed_text
    from ingest.chroma_index import ChromaVectorIndex, make_client
    from playbook.heap import scrub_freed_memory

    client = make_client(path=tmp_path / "chroma")
    assert scrub_freed_memory()
    fill_heap_with_freed_text(client, "pbk", WITHDRAWN)
    for dim in (3, 384):
        index = ChromaVectorIndex(client, f"pbk{dim}", chunks=lambda ids: {})
        index.upsert([_chunk("Q3 notes")], [[0.5] * dim])
    assert len(list((tmp_path / "chroma").rglob("*.bin"))) >= 8  # both indexes' files
    found = scan(tmp_path / "chroma", WITHDRAWN).hits
    # chroma.sqlite3 may keep the scratch documents in free pages; the HNSW files may not.
    assert [h for h in found if ".bin:" in h] == []


def test_resetting_a_self_contained_chroma_wipes_its_files(tmp_path: Path) -> None:
    from ingest.chroma_index import ChromaVectorIndex, make_client

    index = ChromaVectorIndex(make_client(path=tmp_path / "chroma"), "pbk")
    index.upsert([_chunk(TEXT.format(name=DELETED))], [[1.0, 0.0, 0.5]])
    assert scan(tmp_path / "chroma", DELETED).hits
    index.reset()
    assert scan(tmp_path / "chroma", DELETED).hits == []
    assert not [p for p in (tmp_path / "chroma").iterdir() if p.is_dir()]  # orphaned folders


def test_keyword_index_scrub_leaves_no_deleted_terms(tmp_path: Path) -> None:
    from ingest.keyword_index import Fts5KeywordIndex

    path = tmp_path / "kw.sqlite3"
    index = Fts5KeywordIndex(path)
    index.upsert([_chunk(TEXT.format(name=DELETED))])
    index.delete_documents(["d1"])
    index.scrub()
    assert scan(tmp_path, DELETED).hits == []
    assert scan(tmp_path, "tamarisk").hits == []  # the porter stem, in FTS5's segments
