"""The ``VectorIndex`` contract: what every dense index (fake or Chroma) must do."""

from __future__ import annotations

import dataclasses

import pytest

from ingest.pipeline import embed_chunks
from playbook.models import Visibility
from playbook.ports import VectorIndex
from tests.contracts.samples import CHUNKS, SCOPES, load_vectors, vector
from tests.fakes import FakeEmbedder


class VectorIndexContract:
    """Tests every ``VectorIndex`` adapter passes; a subclass provides ``subject``, and says
    whether it keeps sentence vectors (``keeps_sentences``; one that does not returns none)."""

    keeps_sentences = True

    @pytest.fixture
    def subject(self) -> VectorIndex:
        """An empty index of the adapter under test."""
        raise NotImplementedError("a subclass provides the VectorIndex under test")

    @pytest.mark.parametrize("who", list(SCOPES))
    def test_returns_only_what_the_scope_may_read(self, subject: VectorIndex, who: str) -> None:
        load_vectors(subject)
        scope, allowed = SCOPES[who]
        hits = subject.query(vector("pricing"), 10, scope)
        assert {h.chunk_id for h in hits} == allowed
        for h in hits:
            assert h.metadata["document_id"] and h.metadata["owner_id"] and h.text
        assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)

    def test_upsert_is_idempotent_and_delete_by_document(self, subject: VectorIndex) -> None:
        load_vectors(subject)
        load_vectors(subject)
        assert subject.count() == len(CHUNKS)
        subject.delete_documents(["d1", "d2"])
        assert subject.count() == len(CHUNKS) - 2
        subject.delete_documents(["does-not-exist"])
        subject.reset()
        assert subject.count() == 0

    def test_metadata_round_trip(self, subject: VectorIndex) -> None:
        load_vectors(subject)
        [hit] = subject.query(vector("ravi private pricing journal"), 1, SCOPES["ravi-mine"][0])
        assert hit.metadata["source_id"] == "src-c5" and hit.metadata["title"] == "title c5"
        assert hit.metadata["tags"] == "a|b" and hit.metadata["kind"] == "journal"

    def test_unshared_document_leaves_other_readers(self, subject: VectorIndex) -> None:
        load_vectors(subject)
        ravi = SCOPES["ravi"][0]
        query = vector("pricing")
        assert "c2" in {h.chunk_id for h in subject.query(query, 10, ravi)}
        subject.delete_documents(["d2"])  # what re-indexing does before the new version
        load_vectors(subject, [dataclasses.replace(CHUNKS[1], visibility=Visibility.PRIVATE)])
        assert "c2" not in {h.chunk_id for h in subject.query(query, 10, ravi)}
        assert "c2" in {h.chunk_id for h in subject.query(query, 10, SCOPES["ada"][0])}
        assert subject.count() == len(CHUNKS)

    def test_sentence_vectors_round_trip_by_chunk(self, subject: VectorIndex) -> None:
        text = "Price the pilot first. Then talk to the buyer. Never discount twice."
        chunks = [dataclasses.replace(c, text=text) for c in CHUNKS[:2]]
        vectors, sentences = embed_chunks(FakeEmbedder(), [c.text for c in chunks])
        subject.upsert(chunks, vectors, sentences)
        held = subject.vectors([chunks[0].chunk_id, "no-such-chunk"])
        if not self.keeps_sentences:
            assert held == {}
            return
        assert set(held) == {chunks[0].chunk_id}
        got = held[chunks[0].chunk_id]
        assert [text[a:b] for a, b in got.spans] == [
            "Price the pilot first.",
            "Then talk to the buyer.",
            "Never discount twice.",
        ]
        want = sentences[0]
        for a, b in zip([got.chunk, *got.sentences], [want.chunk, *want.sentences], strict=True):
            assert list(a) == pytest.approx(list(b), abs=2e-3)  # float16 may be kept
        subject.upsert(chunks[:1], vectors[:1])  # replaced without sentences: none left
        assert subject.vectors([chunks[0].chunk_id]) == {}
        subject.delete_documents([chunks[1].document_id])
        assert subject.vectors([chunks[1].chunk_id]) == {}
        subject.reset()
        assert subject.vectors([chunks[0].chunk_id]) == {}
