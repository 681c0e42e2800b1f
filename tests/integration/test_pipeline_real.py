"""The whole spine with real parts: Presidio, the embedding model, SQLite, Chroma, FTS5."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from playbook.models import Role
from playbook.services.documents import ImportOptions
from playbook.settings import Settings
from playbook.wiring import Container
from tests.conftest import CORPUS

pytestmark = pytest.mark.integration

PLANTED = {
    "email": "tony.mercer@northwind-example.com",
    "phone": "+44 20 7946 0958",
    "card": "4111 1111 1111 1111",
    "ip": "192.168.14.27",
}


@pytest.fixture(params=["embedded", "server"])
def c(request: pytest.FixtureRequest, data_dir: Path, nlp: Any, st_model: Any) -> Container:
    """The real container on embedded Chroma, and on a `chroma run` server: same code paths."""
    url = request.getfixturevalue("chroma_server") if request.param == "server" else None
    collection = f"c{abs(hash(str(data_dir))) % 10**10}"
    settings = Settings(
        data_dir=data_dir, secret_key="s", chroma_url=url, chroma_collection=collection
    )
    container = Container(settings)
    container.records.add_user("ada", roles=[Role.LEADER])
    container.records.add_user("ravi", roles=[Role.PARTICIPANT])
    return container


def _all_chroma(c: Container) -> str:
    return json.dumps(c.vectors.dump())


def _all_fts(c: Container) -> str:
    conn = sqlite3.connect(c.settings.resolved_keyword_index_path)
    rows = conn.execute("SELECT * FROM chunks_fts").fetchall()
    rows += conn.execute("SELECT * FROM chunk_meta").fetchall()
    conn.close()
    return json.dumps(rows)


def _import_one(c: Container, tmp_path: Path, text: str, title: str = "A call") -> dict[str, str]:
    f = tmp_path / "r.jsonl"
    f.write_text(json.dumps({"id": "x", "text": text, "title": title}) + "\n")
    report = c.service.import_paths([f], ImportOptions(as_user="ada"))
    assert report.total("created") + report.total("updated") == 1, report.files
    return {
        "chroma": _all_chroma(c),
        "fts": _all_fts(c),
        "store": json.dumps([d.redacted_text + d.title for d in c.records.documents()]),
    }


def test_planted_contact_and_payment_data_never_reaches_the_indexes(
    c: Container, tmp_path: Path
) -> None:
    text = (
        f"Write to {PLANTED['email']} or call {PLANTED['phone']}. "
        f"He paid with {PLANTED['card']} from {PLANTED['ip']}. The plan for Singapore stands."
    )
    blobs = _import_one(c, tmp_path, text, title=f"Mail from {PLANTED['email']}")
    for where, blob in blobs.items():
        for what, value in PLANTED.items():
            assert value not in blob, f"{what} leaked into {where}"
    assert "Singapore" in blobs["store"]
    # the author's original is kept, encrypted
    from playbook.store.tables import DocumentRow

    with c.records._session() as s:
        row = s.query(DocumentRow).one()
        assert row.original_ciphertext and PLANTED["email"].encode() not in row.original_ciphertext


def test_names_are_caught_and_business_terms_kept(c: Container, tmp_path: Path) -> None:
    blobs = _import_one(c, tmp_path, "Met Tony Mercer today. The Q3 plan for Singapore stands.")
    for where, blob in blobs.items():
        assert "Mercer" not in blob, f"name leaked into {where}"
    assert "Q3" in blobs["store"]


def test_a_name_typed_into_search_finds_its_pseudonymised_mentions(
    c: Container, tmp_path: Path
) -> None:
    f = tmp_path / "notes.jsonl"
    rows = [
        {
            "id": "launch",
            "text": "Tony Mercer from quality argued for a two-week delay.",
            "visibility": "shared",
        },
        {
            "id": "other",
            "text": "Quality argued for a delay on the packaging change.",
            "visibility": "shared",
        },
    ]
    f.write_text("\n".join(json.dumps(r) for r in rows))
    c.service.import_paths([f], ImportOptions(as_user="ada"))
    [first, *_] = c.service.search("ravi", "Tony Mercer", k=2)
    assert first.source_label == "launch"
    assert "Mercer" not in first.text and "[PERSON-" in first.snippet
    assert "Mercer" not in _all_fts(c) and "Mercer" not in _all_chroma(c)


def test_import_search_reindex_round_trip(c: Container, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "warehouse.md").write_text(
        "# Warehouse week\n\nThe distributors with the highest volume were the least "
        "profitable once returns were counted."
    )
    (docs / "launch.txt").write_text(
        "Cross-functional launches fail at the hand-offs between sales and regulatory."
    )
    (docs / "notes.jsonl").write_text(
        json.dumps(
            {
                "id": "n1",
                "text": "Reverse mentoring taught me how graduates draft replies with AI tools.",
                "visibility": "shared",
            }
        )
        + "\n"
        + json.dumps(
            {
                "id": "n2",
                "kind": "debrief",
                "market": "Brazil",
                "start_date": "2026-09-01",
                "end_date": "2026-09-20",
                "text": "Carnival season set the launch window in Brazil.",
            }
        )
        + "\n"
    )
    report = c.service.import_paths([docs], ImportOptions(as_user="ada"))
    assert report.total("created") == 4 and report.failed == 0
    queries = [
        "profitability of high volume customers",
        "handoffs between teams",
        "AI writing tools",
        "Brazil launch timing",
    ]
    expected = ["warehouse.md", "launch.txt", "n1", "n2"]
    before = {q: [(h.chunk_id, h.score) for h in c.service.search("ada", q, k=3)] for q in queries}
    for q, source in zip(queries, expected, strict=True):
        assert c.service.search("ada", q, k=1)[0].source_label == source, q
    # ravi only sees the shared note
    assert {h.source_label for h in c.service.search("ravi", "mentoring", k=10)} == {"n1"}
    again = c.service.import_paths([docs], ImportOptions(as_user="ada"))
    assert again.total("unchanged") == 4
    c.pipeline.reindex()
    after = {q: [(h.chunk_id, h.score) for h in c.service.search("ada", q, k=3)] for q in queries}
    assert [[cid for cid, _ in v] for v in after.values()] == [
        [cid for cid, _ in v] for v in before.values()
    ]
    for q in queries:
        assert [s for _, s in after[q]] == pytest.approx([s for _, s in before[q]], abs=1e-6)


@pytest.mark.slow
def test_leader_corpus_twice_gives_same_counts(real_container: Container) -> None:
    if not CORPUS.exists():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    c = real_container
    c.records.add_user("importer", roles=[Role.COORDINATOR])
    from ingest.loaders import CsvOptions, LoadOptions

    cols = ("firstTaskGoal", "addTaskGoals", "addFirstRelGoal", "addRelGoals", "addRelGoalsLater")
    load = LoadOptions(
        csv=CsvOptions(text_cols=cols, null_values=("undefined", "[No Response]"), multi_sep="|")
    )
    opts = ImportOptions(as_user="importer", load=load)
    first = c.service.import_paths([CORPUS], opts)
    stats1 = c.records.stats()
    with CORPUS.open(encoding="utf-8") as fh:
        rows = sum(1 for _ in csv.DictReader(fh))
    assert first.total("created") + first.failed == rows
    assert first.total("created") > 1000
    queries = [
        "meet with my team one on one",
        "give recognition to quiet colleagues",
        "delegate tasks",
    ]
    top = {q: [h.chunk_id for h in c.service.search("importer", q, k=5)] for q in queries}
    second = c.service.import_paths([CORPUS], opts)
    assert second.total("unchanged") == first.total("created") and second.total("created") == 0
    assert c.records.stats() == stats1
    assert c.vectors.count() == c.keywords.count() == stats1["chunks"]
    c.pipeline.reindex()
    assert {q: [h.chunk_id for h in c.service.search("importer", q, k=5)] for q in queries} == top


def test_the_embedder_runs_on_the_configured_number_of_torch_threads(
    data_dir: Path, st_model: Any
) -> None:
    import torch

    torch.set_num_threads(2)  # torch's own default on this machine
    Container(Settings(data_dir=data_dir, secret_key="t", torch_threads=1)).embedder.embed(["x"])
    assert torch.get_num_threads() == 1
