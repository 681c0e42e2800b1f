"""The ``IndexLedger`` contract: what the store says each derived index must hold, so indexes
heal from it. A document is stale from the moment it is saved until the indexes are marked as
holding it at its current hash; a deleted document is a tombstone until it is purged."""

from __future__ import annotations

import pytest

from playbook.models import Kind, Visibility
from playbook.ports import Documents, IndexLedger
from tests.contracts.stores import Cast, WithDocuments, doc


class IndexLedgerContract(WithDocuments):
    """Tests every ``IndexLedger`` adapter passes; a subclass provides ``subject`` and the
    ``documents`` and ``directory`` of the same store (the ledger follows what they write)."""

    @pytest.fixture
    def subject(self) -> IndexLedger:
        """The index ledger of an empty store of the adapter under test."""
        raise NotImplementedError("a subclass provides the IndexLedger under test")

    @pytest.fixture
    def two(self, documents: Documents, people: Cast) -> list[str]:
        """Ids of two saved documents of ada's, one private and one shared."""
        saved = documents.save(
            [
                doc(people.ada, people.north, "one", "first text"),
                doc(people.ada, people.north, "two", "second text", Visibility.SHARED),
            ]
        )
        return [doc_id for doc_id, _ in saved]

    def _index(self, subject: IndexLedger, ids: list[str]) -> None:
        """Do what an indexer does: read the chunks, then mark them held."""
        generation = subject.index_generation()
        _, hashes = subject.chunk_records(ids)
        subject.mark_indexed(hashes, generation)

    def test_a_saved_document_is_stale_until_marked_indexed(
        self, subject: IndexLedger, two: list[str]
    ) -> None:
        stale, gone = subject.stale_documents()
        assert sorted(stale) == sorted(two) and gone == []
        self._index(subject, two[:1])
        assert subject.stale_documents() == ([two[1]], [])
        self._index(subject, two)
        assert subject.stale_documents() == ([], [])

    def test_a_stale_generation_marks_nothing(self, subject: IndexLedger, two: list[str]) -> None:
        generation = subject.index_generation()
        _, hashes = subject.chunk_records(two)
        subject.index_rebuilt("vectors", "token-2")  # another process rebuilt meanwhile
        subject.mark_indexed(hashes, generation)
        assert sorted(subject.stale_documents()[0]) == sorted(two)
        subject.mark_indexed(hashes, subject.index_generation())
        assert subject.stale_documents() == ([], [])

    def test_an_outdated_hash_leaves_the_document_stale(
        self, subject: IndexLedger, documents: Documents, people: Cast, two: list[str]
    ) -> None:
        _, hashes = subject.chunk_records(two)
        documents.save([doc(people.ada, people.north, "one", "rewritten meanwhile")])
        subject.mark_indexed(hashes)
        assert subject.stale_documents() == ([two[0]], [])

    def test_changes_that_touch_the_index_make_a_document_stale(
        self, subject: IndexLedger, documents: Documents, two: list[str]
    ) -> None:
        self._index(subject, two)
        documents.set_visibility(two[0], Visibility.PUBLISHED)
        assert subject.stale_documents() == ([two[0]], [])
        self._index(subject, two)
        subject.mark_unindexed([two[1]])
        assert subject.stale_documents() == ([two[1]], [])
        subject.mark_all_unindexed()
        assert sorted(subject.stale_documents()[0]) == sorted(two)

    def test_tombstones_wait_for_purge(
        self, subject: IndexLedger, documents: Documents, two: list[str]
    ) -> None:
        self._index(subject, two)
        documents.delete(two[0])
        assert subject.stale_documents() == ([], [two[0]])
        subject.mark_all_unindexed()  # a tombstone is purged, never re-indexed
        assert subject.stale_documents() == ([two[1]], [two[0]])
        subject.purge(two)  # a live document is not a tombstone: it stays
        assert subject.stale_documents() == ([two[1]], [])
        assert documents.document(two[1]) is not None

    def test_chunk_records_carry_what_the_indexes_filter_on(
        self, subject: IndexLedger, documents: Documents, people: Cast, two: list[str]
    ) -> None:
        records, hashes = subject.chunk_records([*two, "no-such-id"])
        assert set(hashes) == set(two)
        by_doc = {r.document_id: r for r in records}
        shared = by_doc[two[1]]
        assert (shared.text, shared.owner_id, shared.programme_id) == (
            "second text",
            people.ada,
            people.north,
        )
        assert (shared.visibility, shared.kind, shared.source_id) == (
            Visibility.SHARED,
            Kind.JOURNAL,
            "two",
        )
        documents.delete(two[0])
        assert [r.document_id for r in subject.chunk_records(two)[0]] == [two[1]]

    def test_chunks_by_id_of_live_documents_only(
        self, subject: IndexLedger, documents: Documents, two: list[str]
    ) -> None:
        records, _ = subject.chunk_records(two)
        ids = [r.chunk_id for r in records]
        found = subject.chunks_by_id([*ids, "no-such-chunk"])
        assert set(found) == set(ids)
        assert {r.text for r in found.values()} == {"first text", "second text"}
        # The same records as chunk_records builds, field for field, asked for alone or twice.
        assert found == {r.chunk_id: r for r in records}
        assert subject.chunks_by_id([ids[0], ids[0]]) == {ids[0]: records[0]}
        documents.delete(two[0])
        assert [r.document_id for r in subject.chunks_by_id(ids).values()] == [two[1]]
        assert subject.chunks_by_id([]) == {}

    def test_generations_count_rebuilds_not_stamps(self, subject: IndexLedger) -> None:
        start = subject.index_generation()
        assert subject.claim_index_token("keywords", "k1") == "k1"
        assert subject.claim_index_token("keywords", "k9") == "k1"  # claimed first: kept
        assert subject.index_generation() == start
        assert subject.index_rebuilt("vectors", "v1") == start + 1
        assert subject.index_rebuilt("keywords", "k2") == start + 2
        assert subject.index_generation() == start + 2
        states = subject.index_states()
        assert states["keywords"][1] == "k2" and states["vectors"][1] == "v1"
        # The index is stamped inside the store's transaction, with the token kept.
        stamped: list[str] = []
        assert subject.claim_index_token("keywords", "k3", stamped.append) == "k2"
        assert subject.index_rebuilt("vectors", "v1b", stamped.append) == start + 3
        assert stamped == ["k2", "v1b"]
        assert subject.index_rebuilt("vectors", "v1") == start + 4
        states = subject.index_states()
        # A rebuilt index's token is the store's; a later claim does not replace it.
        assert subject.claim_index_token("vectors", "v2") == "v1"
        assert subject.index_states()["vectors"] == (states["vectors"][0], "v1")

    def test_ledger_bounds_what_the_indexes_hold(
        self, subject: IndexLedger, documents: Documents, two: list[str]
    ) -> None:
        assert subject.ledger() == (0, 2)
        self._index(subject, two)
        assert subject.ledger() == (2, 2)
        documents.delete(two[0])
        assert subject.ledger() == (1, 2)  # the tombstone's chunk may still be in an index
        subject.purge([two[0]])
        assert subject.ledger() == (1, 1)

    def test_stats_count_the_store(
        self, subject: IndexLedger, documents: Documents, two: list[str]
    ) -> None:
        self._index(subject, two[:1])
        stats = subject.stats()
        assert (stats["users"], stats["programmes"]) == (4, 2)
        assert (stats["documents"], stats["chunks"], stats["pending_index"]) == (2, 2, 1)
        documents.delete(two[0])
        assert subject.stats()["documents"] == 1
