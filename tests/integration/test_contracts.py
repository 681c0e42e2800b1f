"""One contract per port, run against the fake and every real adapter so they cannot drift."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from ingest.chroma_index import ChromaVectorIndex, make_client
from ingest.embed import SentenceTransformerEmbedder
from ingest.keyword_index import Fts5KeywordIndex
from ingest.redact import PresidioRedactor, Pseudonymizer, RedactionPolicy, Roster
from playbook.models import ChunkRecord, Kind, Visibility
from playbook.ports import Scope
from tests.fakes import FakeEmbedder, FakeRedactor, InMemoryKeywordIndex, InMemoryVectorIndex

pytestmark = pytest.mark.integration


def chunk(
    cid: str,
    doc: str,
    text: str,
    owner: str,
    vis: Visibility,
    prog: str = "p1",
    kind: Kind = Kind.JOURNAL,
) -> ChunkRecord:
    return ChunkRecord(
        chunk_id=cid,
        document_id=doc,
        ordinal=0,
        text=text,
        owner_id=owner,
        visibility=vis,
        programme_id=prog,
        kind=kind,
        title=f"title {cid}",
        source_id=f"src-{cid}",
        tags=("a", "b"),
        created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )


CHUNKS = [
    chunk("c1", "d1", "pricing decision under time pressure", "ada", Visibility.PRIVATE),
    chunk("c2", "d2", "pricing lessons shared with the programme", "ada", Visibility.SHARED),
    chunk(
        "c3",
        "d3",
        "published playbook entry on pricing",
        "cora",
        Visibility.PUBLISHED,
        kind=Kind.ENTRY,
    ),
    chunk("c4", "d4", "pricing notes from another programme", "olga", Visibility.SHARED, prog="p2"),
    chunk("c5", "d5", "ravi private pricing journal", "ravi", Visibility.PRIVATE),
]
# c2 is a debrief from a Supply chain rotation in Singapore; c4 from Singapore in another
# programme (never visible to p1 readers, filter or not).
CHUNKS[1] = dataclasses.replace(CHUNKS[1], function="Supply Chain", market="Singapore")
CHUNKS[3] = dataclasses.replace(CHUNKS[3], market="Singapore")
SCOPES = {
    "ada": (Scope("ada", frozenset({"p1"})), {"c1", "c2", "c3"}),
    "ravi": (Scope("ravi", frozenset({"p1"})), {"c2", "c3", "c5"}),
    "olga": (Scope("olga", frozenset({"p2"})), {"c4"}),
    "nobody": (Scope("zed", frozenset()), set()),
    "ravi-mine": (Scope("ravi", frozenset({"p1"}), only_mine=True), {"c5"}),
    "ravi-entries": (Scope("ravi", frozenset({"p1"}), kinds=(Kind.ENTRY,)), {"c3"}),
    "two-programmes": (Scope("zed", frozenset({"p1", "p2"})), {"c2", "c3", "c4"}),
    "ravi-singapore": (Scope("ravi", frozenset({"p1"}), market="singapore"), {"c2"}),
    "ravi-supply-chain": (Scope("ravi", frozenset({"p1"}), function="supply chain"), {"c2"}),
    "both-singapore": (Scope("zed", frozenset({"p1", "p2"}), market="singapore"), {"c2", "c4"}),
    "ravi-nowhere": (Scope("ravi", frozenset({"p1"}), market="lagos"), set()),
}


@pytest.fixture(scope="module")
def embedder_real(st_model: Any) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(st_model)


@pytest.fixture(params=["fake", "sentence-transformers"])
def embedder(request: pytest.FixtureRequest) -> Any:
    return FakeEmbedder() if request.param == "fake" else request.getfixturevalue("embedder_real")


@pytest.fixture(params=["memory", "chroma-embedded", "chroma-server"])
def vector_index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    name = f"t{uuid.uuid4().hex[:12]}"
    if request.param == "memory":
        yield InMemoryVectorIndex()
    elif request.param == "chroma-embedded":
        yield ChromaVectorIndex(make_client(path=tmp_path / "chroma"), name)
    else:
        client = make_client(url=request.getfixturevalue("chroma_server"))
        yield ChromaVectorIndex(client, name)
        client.delete_collection(name)


@pytest.fixture(params=["memory", "fts5"])
def keyword_index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "memory":
        yield InMemoryKeywordIndex()
    else:
        index = Fts5KeywordIndex(tmp_path / "kw.sqlite3")
        yield index
        index.close()


@pytest.fixture(params=["fake", "presidio"])
def redactor(request: pytest.FixtureRequest) -> Any:
    if request.param == "fake":
        return FakeRedactor(names=("Tony",))
    return PresidioRedactor(request.getfixturevalue("nlp"), Pseudonymizer(b"k"))


# -- Embedder ------------------------------------------------------------------------------


def test_embedder_gives_unit_vectors_of_its_dimension(embedder: Any) -> None:
    vectors = embedder.embed(["pricing lesson", "a warehouse visit", ""])
    assert len(vectors) == 3 and all(len(v) == embedder.dimension for v in vectors)
    for v in vectors[:2]:
        assert abs(sum(x * x for x in v) - 1.0) < 1e-3
    assert embedder.embed([]) == []


def test_embedder_is_deterministic_and_similar_texts_are_closer(embedder: Any) -> None:
    a, b, c = embedder.embed(
        ["pricing decision lesson", "lesson about a pricing decision", "zebra migration"]
    )
    assert embedder.embed(["pricing decision lesson"])[0] == pytest.approx(a, abs=1e-5)
    dot = lambda x, y: sum(p * q for p, q in zip(x, y, strict=True))  # noqa: E731
    assert dot(a, b) > dot(a, c)


# -- VectorIndex ---------------------------------------------------------------------------


def _load_vectors(index: Any) -> None:
    emb = FakeEmbedder()
    index.upsert(CHUNKS, emb.embed([c.text for c in CHUNKS]))


@pytest.mark.parametrize("who", list(SCOPES))
def test_vector_index_returns_only_what_the_scope_may_read(vector_index: Any, who: str) -> None:
    _load_vectors(vector_index)
    scope, allowed = SCOPES[who]
    hits = vector_index.query(FakeEmbedder().embed(["pricing"])[0], 10, scope)
    assert {h.chunk_id for h in hits} == allowed
    for h in hits:
        assert h.metadata["document_id"] and h.metadata["owner_id"] and h.text
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_vector_index_upsert_is_idempotent_and_delete_by_document(vector_index: Any) -> None:
    _load_vectors(vector_index)
    _load_vectors(vector_index)
    assert vector_index.count() == len(CHUNKS)
    vector_index.delete_documents(["d1", "d2"])
    assert vector_index.count() == len(CHUNKS) - 2
    vector_index.delete_documents(["does-not-exist"])
    vector_index.reset()
    assert vector_index.count() == 0


def test_vector_index_metadata_round_trip(vector_index: Any) -> None:
    _load_vectors(vector_index)
    [hit] = vector_index.query(
        FakeEmbedder().embed(["ravi private pricing journal"])[0], 1, SCOPES["ravi-mine"][0]
    )
    assert hit.metadata["source_id"] == "src-c5" and hit.metadata["title"] == "title c5"
    assert hit.metadata["tags"] == "a|b" and hit.metadata["kind"] == "journal"


# -- KeywordIndex --------------------------------------------------------------------------


@pytest.mark.parametrize("who", list(SCOPES))
def test_keyword_index_returns_only_what_the_scope_may_read(keyword_index: Any, who: str) -> None:
    keyword_index.upsert(CHUNKS)
    scope, allowed = SCOPES[who]
    assert {h.chunk_id for h in keyword_index.query("pricing", 10, scope)} == allowed


def test_keyword_index_ranks_better_matches_first(keyword_index: Any) -> None:
    keyword_index.upsert(CHUNKS)
    hits = keyword_index.query("playbook entry", 10, SCOPES["ravi"][0])
    assert hits[0].chunk_id == "c3"


@pytest.mark.parametrize(
    "query", ['"', "*", "NEAR(", "pricing AND", "OR", "a:b", "'; DROP TABLE x; --", "x" * 10_000]
)
def test_keyword_index_survives_query_syntax(keyword_index: Any, query: str) -> None:
    keyword_index.upsert(CHUNKS)
    assert isinstance(keyword_index.query(query, 5, SCOPES["ada"][0]), list)


def test_keyword_index_upsert_delete_reset(keyword_index: Any) -> None:
    keyword_index.upsert(CHUNKS)
    keyword_index.upsert(CHUNKS)
    assert keyword_index.count() == len(CHUNKS)
    keyword_index.delete_documents(["d3"])
    assert keyword_index.count() == len(CHUNKS) - 1
    keyword_index.reset()
    assert keyword_index.count() == 0


# -- Redactor ------------------------------------------------------------------------------


def test_redactor_keeps_order_and_offsets_point_at_placeholders(redactor: Any) -> None:
    texts = ["Tony missed the meeting.", "", "Nothing personal in Q3 revenue.", "  "]
    out = redactor.redact_batch(texts)
    assert len(out) == 4
    assert "Tony" not in out[0].text and out[0].entities
    for e in out[0].entities:
        assert out[0].text[e.start : e.end].startswith("[") and out[0].text[e.end - 1] == "]"
    assert (
        out[1].text == ""
        and out[2].text == "Nothing personal in Q3 revenue."
        and out[3].text == "  "
    )


def test_redactor_is_consistent_across_calls(redactor: Any) -> None:
    a = redactor.redact_batch(["Tony called."])[0].text
    b = redactor.redact_batch(["We asked Tony."])[0].text
    assert a.split()[0] == b.split()[-1].rstrip(".")


def test_redactor_applies_a_policy(redactor: Any) -> None:
    policy = RedactionPolicy(deny=("Obadiah",), allow=("Tony",))
    out = redactor.redact_batch(["Obadiah met Tony."], policy)[0].text
    assert "Obadiah" not in out and "Tony" in out


def test_redactor_findings_point_into_the_original(redactor: Any) -> None:
    text = "Ask Tony about the Q3 plan."
    [found] = redactor.analyze_batch([text])
    assert [text[f.start : f.end] for f in found] == ["Tony"]


def test_redactor_uses_a_new_roster_at_once(redactor: Any) -> None:
    text = "zebedee agreed with the plan."
    assert "zebedee" in redactor.redact_batch([text])[0].text
    redactor.set_roster(Roster.from_csv("name,email\nZebedee Quartermaine,z@acme.example\n"))
    assert "zebedee" not in redactor.redact_batch([text])[0].text
