"""The ``InclusionAttributes`` and ``InclusionActivity`` contracts: configured attributes
per programme, one person's declarations with their consent (replaced per attribute,
deleted on withdrawal, counted only in batches of enough people per attribute), counts of
values among a set of people, and the activity metadata (writers in a period, authors of
showcased entries' sources)."""

from __future__ import annotations

import datetime as dt

import pytest

from playbook.models import EntryContent, EntrySource, EntryStatus, Kind, Visibility
from playbook.ports import Documents, Entries
from playbook.ports.inclusion import AttributeSpec, InclusionActivity, InclusionAttributes
from tests.contracts.stores import DAY, Cast, WithDocuments, doc

AT = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)
SPECS = [AttributeSpec("level", "Level", ("IC", "Manager")), AttributeSpec("city", "City")]


class InclusionContract(WithDocuments):
    """Tests every inclusion adapter passes; a subclass provides ``subject`` (both ports over
    one store), ``directory``, ``documents`` and ``entries`` over the same store."""

    @pytest.fixture
    def subject(self) -> InclusionAttributes:
        """An empty inclusion store of the adapter under test."""
        raise NotImplementedError("a subclass provides the inclusion store under test")

    @pytest.fixture
    def activity(self, subject: InclusionAttributes) -> InclusionActivity:
        """The activity side (the same adapter by default)."""
        return subject  # type: ignore[return-value]

    @pytest.fixture
    def entries(self) -> Entries:
        """The entries of the same store."""
        raise NotImplementedError("a subclass provides the Entries of the store under test")

    def test_configuration_round_trips_per_programme(
        self, subject: InclusionAttributes, people: Cast
    ) -> None:
        assert subject.attributes(people.north) is None
        subject.set_attributes(people.north, SPECS)
        assert subject.attributes(people.north) == SPECS
        assert subject.attributes(people.south) is None
        subject.set_attributes(people.north, [])
        assert subject.attributes(people.north) == []

    def test_a_declaration_keeps_its_consent_and_replaces_per_attribute(
        self, subject: InclusionAttributes, people: Cast
    ) -> None:
        subject.declare(
            people.north, people.ravi, {"level": "IC", "city": "Oslo"}, "I agree", AT, batch_of=1
        )
        later = AT + dt.timedelta(days=1)
        subject.declare(
            people.north, people.ravi, {"level": "Manager"}, "I agree v2", later, batch_of=1
        )
        got = {d.attribute: d for d in subject.declared(people.north, people.ravi)}
        assert (got["level"].value, got["level"].consent_text) == ("Manager", "I agree v2")
        assert got["level"].consented_at == later
        assert (got["city"].value, got["city"].consent_text) == ("Oslo", "I agree")
        assert subject.declared(people.north, people.ada) == []
        assert subject.declared(people.south, people.ravi) == []

    def test_withdrawal_deletes_the_rows(self, subject: InclusionAttributes, people: Cast) -> None:
        subject.declare(
            people.north, people.ravi, {"level": "IC", "city": "Oslo"}, "ok", AT, batch_of=1
        )
        subject.declare(people.north, people.ada, {"level": "IC"}, "ok", AT, batch_of=1)
        assert subject.withdraw(people.north, people.ravi, ["city"]) == 1
        assert [d.attribute for d in subject.declared(people.north, people.ravi)] == ["level"]
        assert subject.withdraw(people.north, people.ravi) == 1
        assert subject.declared(people.north, people.ravi) == []
        assert subject.withdraw(people.north, people.ravi) == 0
        # Gone from the counts too, and nobody else's values were touched.
        everyone = [people.ada, people.ravi]
        assert subject.tally(people.north, ["level"], everyone) == {("IC",): 1, (None,): 1}

    def test_tally_counts_combinations_among_the_people_given(
        self, subject: InclusionAttributes, people: Cast
    ) -> None:
        subject.declare(
            people.north, people.ravi, {"level": "IC", "city": "Oslo"}, "ok", AT, batch_of=1
        )
        subject.declare(people.north, people.ada, {"level": "IC"}, "ok", AT, batch_of=1)
        subject.declare(people.south, people.olga, {"level": "IC"}, "ok", AT, batch_of=1)
        trio = [people.ada, people.ravi, people.cora]
        assert subject.tally(people.north, ["level"], trio) == {("IC",): 2, (None,): 1}
        assert subject.tally(people.north, ["level", "city"], trio) == {
            ("IC", "Oslo"): 1,
            ("IC", None): 1,
            (None, None): 1,
        }
        assert subject.tally(people.north, ["level"], [people.ravi, people.ravi]) == {("IC",): 1}
        assert subject.tally(people.north, ["level"], []) == {}

    def test_dropping_an_attribute_deletes_everyones_values_of_it(
        self, subject: InclusionAttributes, people: Cast
    ) -> None:
        subject.declare(
            people.north, people.ravi, {"level": "IC", "city": "Oslo"}, "ok", AT, batch_of=1
        )
        subject.declare(people.north, people.ada, {"city": "Lima"}, "ok", AT, batch_of=1)
        assert subject.drop_attribute_values(people.north, "city") == 2
        assert [d.attribute for d in subject.declared(people.north, people.ravi)] == ["level"]
        assert subject.declared(people.north, people.ada) == []
        subject.declare(people.north, people.ada, {"level": "Manager"}, "ok", AT, batch_of=1)
        assert subject.drop_attribute_values(people.north, "level", ["IC", "Director"]) == 1
        assert [d.value for d in subject.declared(people.north, people.ravi)] == ["IC"]
        assert subject.declared(people.north, people.ada) == []

    def test_declarations_wait_until_a_batch_of_people_declared_the_attribute(
        self, subject: InclusionAttributes, people: Cast
    ) -> None:
        north, trio = people.north, [people.ada, people.ravi, people.cora]
        subject.declare(north, people.ada, {"level": "IC", "city": "Oslo"}, "ok", AT, batch_of=3)
        subject.declare(north, people.ravi, {"level": "IC"}, "ok", AT, batch_of=3)
        subject.declare(people.south, people.olga, {"level": "IC"}, "ok", AT, batch_of=3)
        # Stored and shown to the person, but not counted yet (other programmes apart).
        assert [(d.value, d.counted) for d in subject.declared(north, people.ada)] == [
            ("Oslo", False),
            ("IC", False),
        ]
        assert subject.waiting(north) == {"level": 2, "city": 1}
        assert subject.tally(north, ["level"], trio) == {(None,): 3}
        # The third person waiting on "level" completes its batch: all three count at once;
        # "city" still waits (one person).
        subject.declare(north, people.cora, {"level": "Manager"}, "ok", AT, batch_of=3)
        assert subject.tally(north, ["level"], trio) == {("IC",): 2, ("Manager",): 1}
        assert subject.tally(north, ["level", "city"], trio) == {
            ("IC", None): 2,
            ("Manager", None): 1,
        }
        assert subject.waiting(north) == {"city": 1}
        assert subject.waiting(people.south) == {"level": 1}
        assert [d.counted for d in subject.declared(north, people.ada)] == [False, True]

    def test_a_changed_value_waits_again_and_the_same_value_keeps_counting(
        self, subject: InclusionAttributes, people: Cast
    ) -> None:
        north, pair = people.north, [people.ada, people.ravi]
        for who in pair:
            subject.declare(north, who, {"level": "IC"}, "ok", AT, batch_of=2)
        assert subject.tally(north, ["level"], pair) == {("IC",): 2}
        later = AT + dt.timedelta(days=1)
        # The same value again: still counted, the consent renewed.
        subject.declare(north, people.ada, {"level": "IC"}, "ok v2", later, batch_of=2)
        [d] = subject.declared(north, people.ada)
        assert (d.counted, d.consent_text, d.consented_at) == (True, "ok v2", later)
        assert subject.tally(north, ["level"], pair) == {("IC",): 2}
        # A change: the old value is gone at once, the new one waits for another person.
        subject.declare(north, people.ada, {"level": "Manager"}, "ok", later, batch_of=2)
        [d] = subject.declared(north, people.ada)
        assert (d.value, d.counted) == ("Manager", False)
        assert subject.tally(north, ["level"], pair) == {("IC",): 1, (None,): 1}
        # Withdrawing a waiting value deletes it (and it leaves the waiting count).
        assert subject.withdraw(north, people.ada) == 1
        assert subject.waiting(north) == {}

    def test_writers_are_owners_of_live_documents_in_the_period(
        self, activity: InclusionActivity, documents: Documents, people: Cast
    ) -> None:
        documents.save(
            [
                doc(people.ada, people.north, "a", day=10),
                doc(people.ravi, people.north, "r", day=40),
                doc(people.olga, people.south, "o", day=10),
                doc(people.cora, people.north, "e", day=10, kind=Kind.ENTRY),
            ]
        )
        first = DAY.date() + dt.timedelta(days=10)
        assert activity.writers(people.north, first, first) == {people.ada}
        assert activity.writers(people.north, first, first + dt.timedelta(days=30)) == {
            people.ada,
            people.ravi,
        }
        gone = documents.document_id(people.ada, "a")
        assert gone is not None
        documents.delete(gone)
        assert activity.writers(people.north, first, first) == set()

    def test_showcased_authors_are_the_sources_of_entries_published_in_the_period(
        self,
        activity: InclusionActivity,
        documents: Documents,
        entries: Entries,
        people: Cast,
    ) -> None:
        documents.save(
            [
                doc(people.ravi, people.north, "r", visibility=Visibility.SHARED),
                doc(people.ada, people.north, "a", visibility=Visibility.SHARED),
            ]
        )
        ids = {u: documents.document_id(u, s) for u, s in ((people.ravi, "r"), (people.ada, "a"))}
        published = entries.create(
            people.north,
            people.cora,
            EntryContent(title="Pricing"),
            [EntrySource(str(ids[people.ravi]), "r")],
        )
        entries.update(
            published.entry_id, 1, people.cora, "published", status=EntryStatus.PUBLISHED
        )
        entries.create(
            people.north,
            people.cora,
            EntryContent(title="Draft"),
            [EntrySource(str(ids[people.ada]), "a")],
        )
        today = dt.datetime.now(dt.UTC).date()
        assert activity.showcased_authors(people.north, today, today) == {people.ravi}
        assert activity.showcased_authors(people.north, DAY.date(), DAY.date()) == set()
        assert activity.showcased_authors(people.south, today, today) == set()
