"""``VectorIndexContract`` against the in-memory fake and Chroma (embedded and as a server,
holding text or lending it from the store), plus what only Chroma does."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

from ingest.chroma_index import ChromaVectorIndex, make_client
from ingest.chroma_sentences import SentenceVectorFile, SentenceVectors
from ingest.pipeline import embed_chunks
from playbook.models import ChunkRecord
from playbook.ports import ChunkVectors, VectorIndex
from tests.contracts.samples import CHUNKS, SCOPES, load_vectors, vector
from tests.contracts.vector_index import VectorIndexContract
from tests.fakes import FakeEmbedder, InMemoryVectorIndex


class StoreBackedChroma(ChromaVectorIndex):
    """Chroma holding no text (as the product runs it): hits are filled in from a dict that
    stands in for the store, which always holds what was indexed."""

    def __init__(self, client: Any, name: str, sentences: SentenceVectors | None = None) -> None:
        self.held: dict[str, ChunkRecord] = {}
        super().__init__(
            client,
            name,
            chunks=lambda ids: {i: self.held[i] for i in ids if i in self.held},
            sentences=sentences,
        )

    def upsert(
        self,
        chunks: Sequence[ChunkRecord],
        embeddings: Sequence[Sequence[float]],
        sentences: Sequence[ChunkVectors] | None = None,
    ) -> None:
        self.held.update((c.chunk_id, c) for c in chunks)
        super().upsert(chunks, embeddings, sentences)


def _name() -> str:
    # a collection prefix of its own, so tests sharing one server never see each other's
    return f"t{uuid.uuid4().hex[:12]}"


def _on_server(index: ChromaVectorIndex) -> Iterator[VectorIndex]:
    yield index
    index.reset()  # the server outlives the test: leave nothing behind


class TestFakeVectorIndex(VectorIndexContract):
    @pytest.fixture
    def subject(self) -> VectorIndex:
        return InMemoryVectorIndex()


class TestChromaServer(VectorIndexContract):
    pytestmark = pytest.mark.integration
    keeps_sentences = False

    @pytest.fixture
    def subject(self, chroma_server: str) -> Iterator[VectorIndex]:
        yield from _on_server(ChromaVectorIndex(make_client(url=chroma_server), _name()))


class TestChromaServerNoText(VectorIndexContract):
    pytestmark = pytest.mark.integration
    keeps_sentences = False

    @pytest.fixture
    def subject(self, chroma_server: str) -> Iterator[VectorIndex]:
        yield from _on_server(StoreBackedChroma(make_client(url=chroma_server), _name()))


class TestChromaEmbeddedNoText(VectorIndexContract):
    pytestmark = pytest.mark.integration
    keeps_sentences = False

    @pytest.fixture
    def subject(self, tmp_path: Path) -> VectorIndex:
        return StoreBackedChroma(make_client(path=tmp_path / "chroma"), _name())


class TestChromaEmbeddedWithSentences(VectorIndexContract):
    """As the product runs it: no text in Chroma, sentence vectors in a file beside it."""

    pytestmark = pytest.mark.integration

    @pytest.fixture
    def subject(self, tmp_path: Path) -> VectorIndex:
        sentences = SentenceVectorFile(tmp_path / "chroma" / "sentences.sqlite3")
        return StoreBackedChroma(make_client(path=tmp_path / "chroma"), _name(), sentences)

    def test_rebuilds_an_index_made_without_sentence_vectors(self, tmp_path: Path) -> None:
        client = make_client(path=tmp_path / "chroma")
        load_vectors(ChromaVectorIndex(client, "pbk"))
        path = tmp_path / "chroma" / "sentences.sqlite3"
        index = ChromaVectorIndex(client, "pbk", sentences=SentenceVectorFile(path))
        assert index.legacy_dropped and index.count() == 0
        vectors, sentences = embed_chunks(FakeEmbedder(), [c.text for c in CHUNKS])
        index.upsert(CHUNKS, vectors, sentences)
        again = ChromaVectorIndex(client, "pbk", sentences=SentenceVectorFile(path))
        assert not again.legacy_dropped
        # Rows of an earlier format (sentences embedded alone, before "2"): rebuilt too.
        index.upsert(CHUNKS, vectors, sentences)
        with sqlite3.connect(path) as db:
            db.execute("UPDATE info SET value = '1' WHERE key = 'format'")
        db.close()
        index = ChromaVectorIndex(client, "pbk", sentences=SentenceVectorFile(path))
        assert index.legacy_dropped and index.count() == 0
        # The file lost (deleted, replaced): what Chroma holds is rebuilt to fill it again.
        index.upsert(CHUNKS, vectors, sentences)
        path.unlink()
        index = ChromaVectorIndex(client, "pbk", sentences=SentenceVectorFile(path))
        assert index.legacy_dropped and index.count() == 0


class TestChromaEmbedded(VectorIndexContract):
    """The contract on embedded Chroma, then Chroma's own layout: one collection per owner
    bucket and per programme, searched only where the scope may read."""

    pytestmark = pytest.mark.integration
    keeps_sentences = False

    @pytest.fixture
    def subject(self, tmp_path: Path) -> VectorIndex:
        return ChromaVectorIndex(make_client(path=tmp_path / "chroma"), _name())

    def test_searches_only_the_scope_collections(self, tmp_path: Path) -> None:
        index = ChromaVectorIndex(make_client(path=tmp_path / "chroma"), "pbk")
        load_vectors(index)
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
    def test_one_bucket_for_everyone_still_keeps_owners_apart(
        self, tmp_path: Path, who: str
    ) -> None:
        index = ChromaVectorIndex(make_client(path=tmp_path / "chroma"), "pbk", owner_buckets=1)
        load_vectors(index)
        scope, allowed = SCOPES[who]
        assert index.owner_collection("ada") == index.owner_collection("ravi")
        hits = index.query(vector("pricing"), 10, scope)
        assert {h.chunk_id for h in hits} == allowed

    def test_rebuilds_when_the_bucket_count_changes(self, tmp_path: Path) -> None:
        client = make_client(path=tmp_path / "chroma")
        load_vectors(ChromaVectorIndex(client, "pbk", owner_buckets=4))
        assert not ChromaVectorIndex(client, "pbk", owner_buckets=4).legacy_dropped
        index = ChromaVectorIndex(client, "pbk", owner_buckets=8)
        assert index.legacy_dropped and index.count() == 0

    def test_drops_a_legacy_single_collection_and_says_so(self, tmp_path: Path) -> None:
        client = make_client(path=tmp_path / "chroma")
        old = client.get_or_create_collection("pbk", embedding_function=None)
        old.add(ids=["x"], embeddings=[[1.0, 0.0]], documents=["old layout"])
        index = ChromaVectorIndex(client, "pbk")
        assert index.legacy_dropped and index.count() == 0
        assert not ChromaVectorIndex(client, "pbk").legacy_dropped

    def test_refuses_a_collection_name_it_cannot_use(self, tmp_path: Path) -> None:
        with pytest.raises(ValueError, match="collection name"):
            ChromaVectorIndex(make_client(path=tmp_path / "chroma"), "no spaces!")

    def test_reader_survives_a_reset_by_another_process(self, tmp_path: Path) -> None:
        client = make_client(path=tmp_path / "chroma")
        reader, writer = ChromaVectorIndex(client, "pb"), ChromaVectorIndex(client, "pb")
        load_vectors(writer)
        query = vector("pricing")
        assert len(reader.query(query, 10, SCOPES["ada"][0])) == 3
        writer.reset()
        assert reader.query(query, 10, SCOPES["ada"][0]) == []
        load_vectors(writer)
        assert len(reader.query(query, 10, SCOPES["ada"][0])) == 3
