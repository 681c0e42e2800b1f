"""The ``Documents`` contract: what every system of record for documents must do.

The store is where the read rule is applied before anything reaches a reader (listings and
counts), so ``readable_documents`` and ``readable_counts`` are checked for every sample person:
their own documents in any visibility, shared and published ones in their programmes, never
someone else's private ones, nothing from a programme they are not in.
"""

from __future__ import annotations

import dataclasses

import pytest

from playbook.models import Kind, StoreError, Visibility
from playbook.ports import Directory, Documents
from tests.contracts.stores import Cast, PeopledStore, doc

# Who may read which sample document (by source id): see ``_library``.
READERS = {
    "ada": {"ada-private", "ada-shared", "ada-published", "cora-entry"},
    "ravi": {"ada-shared", "ada-published", "ravi-private", "cora-entry"},
    "cora": {"ada-shared", "ada-published", "cora-entry"},
    "olga": {"olga-private", "olga-shared"},
}

# The sample documents by source id, in the order ``_library`` dates them.
OLDEST_FIRST = [
    "ada-private",
    "ada-shared",
    "ada-published",
    "ravi-private",
    "cora-entry",
    "olga-private",
    "olga-shared",
]


def _library(subject: Documents, people: Cast) -> dict[str, str]:
    """Save the sample documents; their ids by source id."""
    saved = subject.save(
        [
            doc(people.ada, people.north, "ada-private", day=1),
            doc(people.ada, people.north, "ada-shared", visibility=Visibility.SHARED, day=2),
            doc(people.ada, people.north, "ada-published", visibility=Visibility.PUBLISHED, day=3),
            doc(people.ravi, people.north, "ravi-private", day=4),
            doc(
                people.cora,
                people.north,
                "cora-entry",
                visibility=Visibility.PUBLISHED,
                kind=Kind.ENTRY,
                day=5,
            ),
            doc(people.olga, people.south, "olga-private", day=6),
            doc(people.olga, people.south, "olga-shared", visibility=Visibility.SHARED, day=7),
        ]
    )
    return {source: doc_id for source, (doc_id, _) in zip(OLDEST_FIRST, saved, strict=True)}


class DocumentsContract(PeopledStore):
    """Tests every ``Documents`` adapter passes; a subclass provides ``subject`` and a
    ``directory`` over the same store (documents belong to real people and programmes)."""

    @pytest.fixture
    def subject(self) -> Documents:
        """An empty document store of the adapter under test."""
        raise NotImplementedError("a subclass provides the Documents under test")

    def test_save_reports_created_unchanged_and_updated(
        self, subject: Documents, people: Cast
    ) -> None:
        [(doc_id, status)] = subject.save([doc(people.ada, people.north, "s1", "hello")])
        assert status == "created"
        assert subject.save([doc(people.ada, people.north, "s1", "hello")]) == [
            (doc_id, "unchanged")
        ]
        assert subject.save([doc(people.ada, people.north, "s1", "changed")]) == [
            (doc_id, "updated")
        ]
        info = subject.document(doc_id)
        assert info is not None and info.redacted_text == "changed"

    def test_force_replaces_an_unchanged_document(self, subject: Documents, people: Cast) -> None:
        [(doc_id, _)] = subject.save([doc(people.ada, people.north, "s1", "hello")])
        again = dataclasses.replace(doc(people.ada, people.north, "s1", "hello"), redacted_text="x")
        assert subject.save([again], force=True) == [(doc_id, "updated")]
        info = subject.document(doc_id)
        assert info is not None and info.redacted_text == "x"

    def test_a_saved_document_round_trips(self, subject: Documents, people: Cast) -> None:
        prepared = doc(people.ada, people.north, "s1", "hello", Visibility.SHARED, day=3)
        [(doc_id, _)] = subject.save([prepared])
        info = subject.document(doc_id)
        assert info is not None
        assert (info.owner_id, info.programme_id, info.source_id) == (
            people.ada,
            people.north,
            "s1",
        )
        assert (info.kind, info.visibility, info.title) == (
            Kind.JOURNAL,
            Visibility.SHARED,
            "title s1",
        )
        assert info.created_at == prepared.doc.created_at
        assert info.tags == ("a",) and info.chunk_count == 1
        assert subject.document_id(people.ada, "s1") == doc_id
        assert subject.content_hashes([(people.ada, "s1"), (people.ada, "nope")]) == {
            (people.ada, "s1"): prepared.content_hash
        }

    def test_unknown_documents_are_absent(self, subject: Documents, people: Cast) -> None:
        assert subject.document("no-such-id") is None
        assert subject.document_id(people.ada, "nope") is None
        for change in (
            lambda: subject.delete("no-such-id"),
            lambda: subject.set_visibility("no-such-id", Visibility.SHARED),
            lambda: subject.set_share_status("no-such-id", "pending"),
        ):
            with pytest.raises(StoreError):
                change()

    def test_documents_by_id_are_the_live_ones_asked_for(
        self, subject: Documents, people: Cast
    ) -> None:
        ids = _library(subject, people)
        subject.delete(ids["ravi-private"])
        wanted = [ids["olga-shared"], ids["ravi-private"], "no-such-id", ids["ada-private"]]
        found = subject.documents_by_id([*wanted, ids["olga-shared"]])
        assert set(found) == {ids["olga-shared"], ids["ada-private"]}  # deleted, unknown: absent
        for doc_id, info in found.items():
            assert info == subject.document(doc_id)  # the same as one lookup each
        assert subject.documents_by_id([]) == {}
        assert subject.documents_by_id(["no-such-id"]) == {}

    def test_a_deleted_document_is_gone_from_every_read(
        self, subject: Documents, directory: Directory, people: Cast
    ) -> None:
        [(doc_id, _)] = subject.save([doc(people.ada, people.north, "s1")])
        subject.delete(doc_id)
        assert subject.document(doc_id) is None
        assert subject.document_id(people.ada, "s1") is None
        assert subject.documents() == []
        assert subject.content_hashes([(people.ada, "s1")]) == {}
        assert subject.readable_documents(directory.principal("ada")) == []
        assert subject.document_page(None, 10) == []
        with pytest.raises(StoreError):
            subject.delete(doc_id)
        # Importing it again brings it back.
        assert subject.save([doc(people.ada, people.north, "s1")])[0][1] == "created"

    def test_documents_are_listed_newest_first(self, subject: Documents, people: Cast) -> None:
        _library(subject, people)
        assert [d.source_id for d in subject.documents()] == OLDEST_FIRST[::-1]
        assert [d.source_id for d in subject.documents(people.ada)] == [
            "ada-published",
            "ada-shared",
            "ada-private",
        ]
        assert len(subject.documents(limit=2)) == 2

    @pytest.mark.parametrize("who", list(READERS))
    def test_readable_documents_apply_the_read_rule(
        self, subject: Documents, directory: Directory, people: Cast, who: str
    ) -> None:
        _library(subject, people)
        readable = subject.readable_documents(directory.principal(who))
        assert {d.source_id for d in readable} == READERS[who]

    @pytest.mark.parametrize("who", list(READERS))
    def test_readable_counts_apply_the_same_rule(
        self, subject: Documents, directory: Directory, people: Cast, who: str
    ) -> None:
        _library(subject, people)
        principal = directory.principal(who)
        expected: dict[tuple[bool, str], int] = {}
        for d in subject.readable_documents(principal):
            key = (d.owner_id == principal.user_id, d.kind.value)
            expected[key] = expected.get(key, 0) + 1
        counts = subject.readable_counts(principal)
        assert {(mine, str(kind)): n for (mine, kind), n in counts.items()} == expected
        assert sum(counts.values()) == len(READERS[who])

    def test_set_visibility_changes_who_may_read(
        self, subject: Documents, directory: Directory, people: Cast
    ) -> None:
        ids = _library(subject, people)
        ravi = directory.principal("ravi")
        subject.set_visibility(ids["ada-private"], Visibility.SHARED)
        subject.set_visibility(ids["ada-shared"], Visibility.PRIVATE)
        readable = {d.source_id for d in subject.readable_documents(ravi)}
        assert readable == READERS["ravi"] - {"ada-shared"} | {"ada-private"}

    def test_pending_shares_oldest_first_in_the_programmes_asked(
        self, subject: Documents, people: Cast
    ) -> None:
        ids = _library(subject, people)
        for source in ("ada-private", "ravi-private", "olga-private"):
            subject.set_share_status(ids[source], "pending")
        pending = subject.pending_shares([people.north])
        assert [d.source_id for d in pending] == ["ada-private", "ravi-private"]
        assert {d.share_status for d in pending} == {"pending"}
        subject.set_share_status(ids["ada-private"], "approved")
        assert [d.source_id for d in subject.pending_shares([people.north, people.south])] == [
            "ravi-private",
            "olga-private",
        ]
        assert subject.pending_shares([]) == []

    def test_document_page_walks_live_documents_in_id_order(
        self, subject: Documents, people: Cast
    ) -> None:
        prepared = dataclasses.replace(
            doc(people.ada, people.north, "sealed"),
            original_ciphertext=b"original",
            vault_ciphertext=b"vault",
        )
        subject.save([prepared])
        ids = sorted(_library(subject, people).values())
        walked: list[str] = []
        after: str | None = None
        while page := subject.document_page(after, 3):
            walked += [info.document_id for info, _, _, _ in page]
            after = page[-1][0].document_id
        sealed_id = subject.document_id(people.ada, "sealed")
        assert walked == sorted([*ids, sealed_id])
        [(info, chash, original, vault)] = subject.document_page(None, 10, ids=[sealed_id])
        assert (info.source_id, chash, original, vault) == (
            "sealed",
            prepared.content_hash,
            b"original",
            b"vault",
        )

    def test_rekeyed_source_ids_are_no_longer_clear(self, subject: Documents, people: Cast) -> None:
        [(doc_id, _)] = subject.save([doc(people.ada, people.north, "notes/plain.txt")])
        assert (doc_id, "notes/plain.txt") in subject.clear_source_ids()
        keyed = "sid:" + "0" * 32
        subject.rekey_sources([(doc_id, keyed, "[FILE].txt")])
        assert subject.clear_source_ids() == []
        info = subject.document(doc_id)
        assert info is not None and (info.source_id, info.source_label) == (keyed, "[FILE].txt")
        subject.rekey_sources([(doc_id, keyed, None)])  # None keeps the label
        info = subject.document(doc_id)
        assert info is not None and info.source_label == "[FILE].txt"
        subject.scrub()  # callable at any time; what it removes is the adapter's to test
