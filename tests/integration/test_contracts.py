"""One contract per port, run against the fake and every real adapter so they cannot drift."""

from __future__ import annotations

import dataclasses
import datetime as dt
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from ingest.chroma_index import ChromaVectorIndex, make_client
from ingest.embed import SentenceTransformerEmbedder
from ingest.keyword_index import Fts5KeywordIndex
from ingest.redact import PresidioRedactor
from playbook.models import ChunkRecord, EntryStatus, Kind, RedactionPolicy, Visibility
from playbook.ports import Scope
from playbook.pseudonyms import Pseudonymizer, Roster
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
CHUNKS[1] = dataclasses.replace(
    CHUNKS[1], function="Supply Chain", market="Singapore", tags=("a", "b", "rotation")
)
CHUNKS[2] = dataclasses.replace(
    CHUNKS[2],
    created_at=dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC),
    entry_status=EntryStatus.PUBLISHED,
)
CHUNKS[3] = dataclasses.replace(CHUNKS[3], market="Singapore")
JUNE = int(dt.datetime(2026, 6, 1, tzinfo=dt.UTC).timestamp())
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
    "ravi-tagged": (Scope("ravi", frozenset({"p1"}), tags=("rotation", "a")), {"c2"}),
    "ravi-since-june": (Scope("ravi", frozenset({"p1"}), since_ts=JUNE), {"c3"}),
    "ravi-before-june": (Scope("ravi", frozenset({"p1"}), until_ts=JUNE), {"c2", "c5"}),
    "ravi-entries-since-june": (
        Scope("ravi", frozenset({"p1"}), kinds=(Kind.ENTRY,), since_ts=JUNE),
        {"c3"},
    ),
    "olga-tagged-elsewhere": (Scope("olga", frozenset({"p2"}), tags=("rotation",)), set()),
    "ravi-published": (
        Scope("ravi", frozenset({"p1"}), entry_statuses=(EntryStatus.PUBLISHED,)),
        {"c3"},
    ),
    "ravi-in-review": (
        Scope(
            "ravi",
            frozenset({"p1"}),
            entry_statuses=(EntryStatus.DRAFT, EntryStatus.IN_REVIEW),
        ),
        set(),
    ),
}


@pytest.fixture(scope="module")
def embedder_real(st_model: Any) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(st_model)


@pytest.fixture(params=["fake", "sentence-transformers"])
def embedder(request: pytest.FixtureRequest) -> Any:
    return FakeEmbedder() if request.param == "fake" else request.getfixturevalue("embedder_real")


class StoreBackedChroma(ChromaVectorIndex):
    """Chroma holding no text (as the product runs it): hits are filled in from a dict that
    stands in for the store, which always holds what was indexed."""

    def __init__(self, client: Any, name: str) -> None:
        self.held: dict[str, ChunkRecord] = {}
        super().__init__(
            client, name, chunks=lambda ids: {i: self.held[i] for i in ids if i in self.held}
        )

    def upsert(self, chunks: Sequence[ChunkRecord], embeddings: Sequence[Sequence[float]]) -> None:
        self.held.update((c.chunk_id, c) for c in chunks)
        super().upsert(chunks, embeddings)


@pytest.fixture(
    params=[
        "memory",
        "chroma-embedded",
        "chroma-server",
        "chroma-embedded-no-text",
        "chroma-server-no-text",
    ]
)
def vector_index(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    name = f"t{uuid.uuid4().hex[:12]}"
    kind = StoreBackedChroma if request.param.endswith("-no-text") else ChromaVectorIndex
    if request.param == "memory":
        yield InMemoryVectorIndex()
    elif request.param.startswith("chroma-embedded"):
        yield kind(make_client(path=tmp_path / "chroma"), name)
    else:
        index = kind(make_client(url=request.getfixturevalue("chroma_server")), name)
        yield index
        index.reset()


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


def test_vector_index_unshared_document_leaves_other_readers(vector_index: Any) -> None:
    _load_vectors(vector_index)
    ravi = SCOPES["ravi"][0]
    query = FakeEmbedder().embed(["pricing"])[0]
    assert "c2" in {h.chunk_id for h in vector_index.query(query, 10, ravi)}
    vector_index.delete_documents(["d2"])  # what re-indexing does before the new version
    private = dataclasses.replace(CHUNKS[1], visibility=Visibility.PRIVATE)
    vector_index.upsert([private], FakeEmbedder().embed([private.text]))
    assert "c2" not in {h.chunk_id for h in vector_index.query(query, 10, ravi)}
    assert "c2" in {h.chunk_id for h in vector_index.query(query, 10, SCOPES["ada"][0])}
    assert vector_index.count() == len(CHUNKS)


def test_chroma_searches_only_the_scope_collections(tmp_path: Path) -> None:
    index = ChromaVectorIndex(make_client(path=tmp_path / "chroma"), "pbk")
    _load_vectors(index)
    names = index.scope_collections(SCOPES["ravi"][0])
    assert names == [index.owner_collection("ravi"), index.programme_collection("p1")]
    assert index.scope_collections(SCOPES["ravi-mine"][0]) == [index.owner_collection("ravi")]
    held = {(r["collection"], r["id"]) for r in index.dump() if r["text"]}
    # Private chunks sit in their owner's bucket only; shared ones in the programme's too.
    assert (index.programme_collection("p1"), "c1") not in held
    assert (index.programme_collection("p1"), "c2") in held
    assert (index.owner_collection("ada"), "c2") in held
    assert index.programme_collection("a/b c") != index.programme_collection("a-b-c")


@pytest.mark.parametrize("who", list(SCOPES))
def test_chroma_one_bucket_for_everyone_still_keeps_owners_apart(tmp_path: Path, who: str) -> None:
    index = ChromaVectorIndex(make_client(path=tmp_path / "chroma"), "pbk", owner_buckets=1)
    _load_vectors(index)
    scope, allowed = SCOPES[who]
    assert index.owner_collection("ada") == index.owner_collection("ravi")
    hits = index.query(FakeEmbedder().embed(["pricing"])[0], 10, scope)
    assert {h.chunk_id for h in hits} == allowed


def test_chroma_rebuilds_when_the_bucket_count_changes(tmp_path: Path) -> None:
    client = make_client(path=tmp_path / "chroma")
    _load_vectors(ChromaVectorIndex(client, "pbk", owner_buckets=4))
    assert not ChromaVectorIndex(client, "pbk", owner_buckets=4).legacy_dropped
    index = ChromaVectorIndex(client, "pbk", owner_buckets=8)
    assert index.legacy_dropped and index.count() == 0


def test_chroma_drops_a_legacy_single_collection_and_says_so(tmp_path: Path) -> None:
    client = make_client(path=tmp_path / "chroma")
    old = client.get_or_create_collection("pbk", embedding_function=None)
    old.add(ids=["x"], embeddings=[[1.0, 0.0]], documents=["old layout"])
    index = ChromaVectorIndex(client, "pbk")
    assert index.legacy_dropped and index.count() == 0
    assert not ChromaVectorIndex(client, "pbk").legacy_dropped


def test_chroma_refuses_a_collection_name_it_cannot_use(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="collection name"):
        ChromaVectorIndex(make_client(path=tmp_path / "chroma"), "no spaces!")


def test_chroma_reader_survives_a_reset_by_another_process(tmp_path: Path) -> None:
    client = make_client(path=tmp_path / "chroma")
    reader, writer = ChromaVectorIndex(client, "pb"), ChromaVectorIndex(client, "pb")
    _load_vectors(writer)
    query = FakeEmbedder().embed(["pricing"])[0]
    assert len(reader.query(query, 10, SCOPES["ada"][0])) == 3
    writer.reset()
    assert reader.query(query, 10, SCOPES["ada"][0]) == []
    _load_vectors(writer)
    assert len(reader.query(query, 10, SCOPES["ada"][0])) == 3


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


def test_fts5_rebuilds_an_index_without_filter_tokens(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "kw.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIRTUAL TABLE chunks_fts USING fts5(text, title)")
    conn.execute("INSERT INTO chunks_fts VALUES ('old pricing text', 't')")
    conn.commit()
    conn.close()
    index = Fts5KeywordIndex(path)
    assert index.legacy_dropped and index.count() == 0
    index.upsert(CHUNKS)
    assert {h.chunk_id for h in index.query("pricing", 10, SCOPES["ravi"][0])} == SCOPES["ravi"][1]
    index.close()
    assert not Fts5KeywordIndex(path).legacy_dropped


def test_fts5_skips_terms_most_chunks_contain(tmp_path: Path) -> None:
    index = Fts5KeywordIndex(tmp_path / "kw.sqlite3", common_share=0.2, keep_rarest=1)
    filler = [
        chunk(f"f{i}", f"df{i}", f"team meeting today number {i}", "ada", Visibility.PRIVATE)
        for i in range(20)
    ]
    index.upsert(
        [*filler, chunk("m", "dm", "teach the team to cut mackerel", "ada", Visibility.PRIVATE)]
    )
    scope = Scope("ada", frozenset())
    # "team" is in every chunk and "today" in most: only "mackerel" is scored.
    assert [h.chunk_id for h in index.query("team today mackerel", 50, scope)] == ["m"]
    # When every term is common, the rarest are kept, so the search still finds something.
    assert len(index.query("team today", 50, scope)) == 20
    # A write refreshes the frequencies: once "mackerel" is everywhere it is common too.
    index.upsert(
        [chunk(f"x{i}", f"dx{i}", "mackerel again", "ada", Visibility.PRIVATE) for i in range(30)]
    )
    assert len(index.query("team mackerel", 50, scope)) == 21  # "team" is now the rarer
    index.close()


def test_fts5_filter_tokens_cannot_be_matched_by_a_query(tmp_path: Path) -> None:
    from ingest.keyword_index import filter_token

    index = Fts5KeywordIndex(tmp_path / "kw.sqlite3")
    index.upsert(CHUNKS)
    # Typing another reader's token finds nothing: query words match the text and title only.
    assert index.query(filter_token("owner", "ravi"), 10, SCOPES["ada"][0]) == []
    assert filter_token("owner", "p1") != filter_token("programme", "p1")
    assert filter_token("kind", "entry").startswith("3")
    index.close()


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
