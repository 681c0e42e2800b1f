"""The ``Entries`` contract: curated entries with versions (optimistic locking), provenance
and readers' feedback, as every entry store keeps them."""

from __future__ import annotations

import datetime as dt

import pytest

from playbook.models import EntryConflictError, EntryContent, EntrySource, EntryStatus, StoreError
from playbook.ports import Entries
from tests.contracts.stores import Cast, PeopledStore

CONTENT = EntryContent(
    title="Price for the segment",
    sections={"decision": "We priced per segment.", "lesson": "Ask the sales team first."},
    function="Sales",
    market="Singapore",
    tags=("pricing",),
    review_interval_days=30,
)


class EntriesContract(PeopledStore):
    """Tests every ``Entries`` adapter passes; a subclass provides ``subject`` and a
    ``directory`` over the same store (entries belong to real people and programmes)."""

    @pytest.fixture
    def subject(self) -> Entries:
        """An empty entry store of the adapter under test."""
        raise NotImplementedError("a subclass provides the Entries under test")

    def test_a_new_entry_is_a_draft_at_version_one(self, subject: Entries, people: Cast) -> None:
        entry = subject.create(people.north, people.cora, CONTENT)
        assert (entry.status, entry.version) == (EntryStatus.DRAFT, 1)
        assert (entry.programme_id, entry.owner_id) == (people.north, people.cora)
        assert subject.get(entry.entry_id) == entry
        assert subject.get(entry.entry_id).content == CONTENT

    def test_an_unknown_entry_is_an_error(self, subject: Entries, people: Cast) -> None:
        with pytest.raises(StoreError):
            subject.get("no-such-id")
        with pytest.raises(StoreError):
            subject.add_feedback("no-such-id", people.ada, "helpful", "")

    def test_update_makes_one_new_version(self, subject: Entries, people: Cast) -> None:
        entry = subject.create(people.north, people.cora, CONTENT)
        new = EntryContent(title="Price per segment, reviewed", sections={"decision": "Yes."})
        due = dt.date(2026, 6, 1)
        updated = subject.update(
            entry.entry_id, 1, people.cora, "review", new, status=EntryStatus.IN_REVIEW
        )
        assert (updated.version, updated.content, updated.status) == (
            2,
            new,
            EntryStatus.IN_REVIEW,
        )
        later = subject.update(entry.entry_id, 2, people.ada, "due", review_due=due)
        assert later.content == new and later.review_due == due
        assert subject.get(entry.entry_id) == later

    def test_a_stale_version_is_a_conflict_that_changes_nothing(
        self, subject: Entries, people: Cast
    ) -> None:
        entry = subject.create(people.north, people.cora, CONTENT)
        subject.update(entry.entry_id, 1, people.cora, "first edit", status=EntryStatus.IN_REVIEW)
        with pytest.raises(EntryConflictError):
            subject.update(entry.entry_id, 1, people.ada, "late edit", EntryContent(title="x"))
        current = subject.get(entry.entry_id)
        assert (current.version, current.content, current.status) == (
            2,
            CONTENT,
            EntryStatus.IN_REVIEW,
        )
        assert len(subject.versions(entry.entry_id)) == 2

    def test_versions_oldest_first_with_author_and_note(
        self, subject: Entries, people: Cast
    ) -> None:
        entry = subject.create(people.north, people.cora, CONTENT, note="drafted")
        subject.update(entry.entry_id, 1, people.ada, "retitled", EntryContent(title="New"))
        versions = subject.versions(entry.entry_id)
        assert [(v.number, v.author_id, v.note) for v in versions] == [
            (1, people.cora, "drafted"),
            (2, people.ada, "retitled"),
        ]
        assert versions[0].snapshot != versions[1].snapshot

    def test_sources_round_trip(self, subject: Entries, people: Cast) -> None:
        sources = [
            EntrySource("doc-1", "A debrief", ({"chunk": "doc-1-0", "quote": "priced"},)),
            EntrySource("doc-2", "A journal"),
        ]
        entry = subject.create(people.north, people.cora, CONTENT, sources)
        assert sorted(subject.sources(entry.entry_id), key=lambda s: s.document_id) == sources
        other = subject.create(people.north, people.cora, CONTENT)
        assert subject.sources(other.entry_id) == []

    def test_listing_by_programme_and_status_most_recent_first(
        self, subject: Entries, people: Cast
    ) -> None:
        first = subject.create(people.north, people.cora, CONTENT)
        second = subject.create(people.north, people.cora, CONTENT)
        south = subject.create(people.south, people.olga, CONTENT)
        ids = [e.entry_id for e in subject.listing([people.north])]
        assert ids == [second.entry_id, first.entry_id]
        subject.update(first.entry_id, 1, people.cora, "publish", status=EntryStatus.PUBLISHED)
        ids = [e.entry_id for e in subject.listing([people.north, people.south])]
        assert ids == [first.entry_id, south.entry_id, second.entry_id]
        published = subject.listing([people.north], [EntryStatus.PUBLISHED])
        assert [e.entry_id for e in published] == [first.entry_id]
        assert subject.listing([]) == []

    def test_by_document_finds_published_entries(self, subject: Entries, people: Cast) -> None:
        entry = subject.create(people.north, people.cora, CONTENT)
        subject.create(people.north, people.cora, CONTENT)  # never published: no document
        subject.update(entry.entry_id, 1, people.cora, "publish", document_id="doc-9")
        found = subject.by_document(["doc-9", "doc-unknown"])
        assert list(found) == ["doc-9"] and found["doc-9"].entry_id == entry.entry_id

    def test_feedback_newest_first_until_resolved(self, subject: Entries, people: Cast) -> None:
        entry = subject.create(people.north, people.cora, CONTENT)
        subject.add_feedback(entry.entry_id, people.ada, "helpful", "worked for us")
        subject.add_feedback(entry.entry_id, people.ravi, "outdated", "prices changed")
        open_items = subject.feedback([entry.entry_id])
        assert [(f["user_id"], f["verdict"], f["comment"]) for f in open_items] == [
            (people.ravi, "outdated", "prices changed"),
            (people.ada, "helpful", "worked for us"),
        ]
        subject.resolve_feedback([open_items[0]["id"]])
        assert [f["user_id"] for f in subject.feedback([entry.entry_id])] == [people.ada]
        everything = subject.feedback([entry.entry_id], open_only=False)
        assert [f["user_id"] for f in everything] == [people.ravi, people.ada]
