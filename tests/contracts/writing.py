"""The everyday-writing contracts: ``DocumentVersions`` (earlier texts of edited documents,
numbered from 1, newest first, forgotten on delete) and ``Notifications`` (each person's
own, newest first, counted and marked read only for them)."""

from __future__ import annotations

import time

import pytest

from playbook.ports import Documents
from playbook.ports.writing import DocumentVersions, Notifications
from tests.contracts.stores import Cast, PeopledStore, WithDocuments, doc


class DocumentVersionsContract(WithDocuments):
    """Tests every ``DocumentVersions`` adapter passes; a subclass provides ``subject`` and
    the ``directory`` and ``documents`` of the same store (versions belong to documents)."""

    @pytest.fixture
    def subject(self) -> DocumentVersions:
        """An empty version store of the adapter under test."""
        raise NotImplementedError("a subclass provides the DocumentVersions under test")

    def test_versions_number_from_one_newest_first(
        self, subject: DocumentVersions, documents: Documents, people: Cast
    ) -> None:
        [(a, _), (b, _)] = documents.save(
            [doc(people.ada, people.north, "a"), doc(people.ada, people.north, "b")]
        )
        assert subject.versions(a) == []
        assert subject.add(a, "t1", "first", b"sealed-1") == 1
        assert subject.add(a, "t2", "second", None) == 2
        assert subject.add(b, "other", "elsewhere", None) == 1
        [two, one] = subject.versions(a)
        assert (two.number, two.title, two.redacted_text, two.sealed) == (2, "t2", "second", None)
        assert (one.number, one.sealed, one.document_id) == (1, b"sealed-1", a)
        assert one.replaced_at.tzinfo is not None

    def test_discard_forgets_one_documents_versions(
        self, subject: DocumentVersions, documents: Documents, people: Cast
    ) -> None:
        [(a, _), (b, _)] = documents.save(
            [doc(people.ada, people.north, "a"), doc(people.ada, people.north, "b")]
        )
        subject.add(a, "t", "x", None)
        subject.add(b, "t", "y", None)
        subject.discard(a)
        subject.discard("no-such-document")
        assert subject.versions(a) == []
        assert [v.redacted_text for v in subject.versions(b)] == ["y"]
        assert subject.add(a, "t", "again", None) == 1


class NotificationsContract(PeopledStore):
    """Tests every ``Notifications`` adapter passes; a subclass provides ``subject`` and a
    ``directory`` over the same store (notifications belong to real users)."""

    @pytest.fixture
    def subject(self) -> Notifications:
        """An empty notification store of the adapter under test."""
        raise NotImplementedError("a subclass provides the Notifications under test")

    def test_a_persons_notifications_newest_first(
        self, subject: Notifications, people: Cast
    ) -> None:
        first = subject.add(people.ada, "approved", "one", "d1")
        time.sleep(0.01)  # distinct timestamps, so "newest first" is decidable
        second = subject.add(people.ada, "declined", "two", "d2")
        subject.add(people.ravi, "feedback", "three", "e1")
        [b, a] = subject.for_user(people.ada)
        assert (b.notification_id, b.kind, b.text, b.subject_id) == (
            second,
            "declined",
            "two",
            "d2",
        )
        assert a.notification_id == first and not a.read and a.created_at.tzinfo is not None
        assert [n.text for n in subject.for_user(people.ravi)] == ["three"]
        assert subject.for_user(people.olga) == []
        assert len(subject.for_user(people.ada, limit=1)) == 1

    def test_marking_read_counts_only_ones_own(self, subject: Notifications, people: Cast) -> None:
        one = subject.add(people.ada, "approved", "one", "d1")
        subject.add(people.ada, "promoted", "two", "e1")
        theirs = subject.add(people.ravi, "feedback", "three", "e1")
        assert subject.unread_count(people.ada) == 2
        subject.mark_read(people.ada, [one, theirs, "no-such-id"])
        subject.mark_read(people.ada, [])
        assert subject.unread_count(people.ada) == 1
        assert subject.unread_count(people.ravi) == 1  # ada cannot mark ravi's
        subject.mark_read(people.ada)
        assert subject.unread_count(people.ada) == 0
        assert all(n.read for n in subject.for_user(people.ada))
        assert subject.unread_count(people.ravi) == 1
