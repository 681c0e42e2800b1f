"""The coverage contracts: ``Declarations`` (a programme's goals and domains, one per kind
and name, all of a batch or none) and ``CoverageSources`` (shared and published text of the
programme; of private writing, metadata only)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import pytest

from playbook.models import (
    DebriefFields,
    Kind,
    NewDocument,
    PreparedDocument,
    Span,
    Visibility,
)
from playbook.ports import Documents
from playbook.ports.coverage import (
    CoverageSources,
    DeclarationDraft,
    DeclarationKind,
    Declarations,
    PrivateMark,
)
from tests.contracts.stores import DAY, Cast, PeopledStore, WithDocuments

GOAL, DOMAIN, MARKET = DeclarationKind.GOAL, DeclarationKind.DOMAIN, DeclarationKind.MARKET


def prepared(
    owner: str,
    programme: str,
    source: str,
    text: str,
    visibility: Visibility,
    kind: Kind = Kind.JOURNAL,
    day: int = 0,
    prompt_set: str | None = None,
    debrief: DebriefFields | None = None,
    tags: tuple[str, ...] = (),
) -> PreparedDocument:
    """A redacted one-chunk document with the fields coverage reads."""
    new = NewDocument(
        owner,
        programme,
        kind,
        visibility,
        f"title {source}",
        text,
        source,
        tags=tags,
        created_at=DAY + dt.timedelta(days=day),
        debrief=debrief or DebriefFields(),
        prompt_set=prompt_set,
    )
    digest = hashlib.sha256(f"{source}|{text}".encode()).hexdigest()
    return PreparedDocument(new, digest, text, (Span(text, 0, len(text)),))


class DeclarationsContract(PeopledStore):
    """Tests every ``Declarations`` adapter passes; a subclass provides ``subject``."""

    @pytest.fixture
    def subject(self) -> Declarations:
        """An empty declarations store of the adapter under test."""
        raise NotImplementedError("a subclass provides the Declarations under test")

    def test_a_declaration_round_trips(self, subject: Declarations, people: Cast) -> None:
        [ident] = subject.save(
            people.north,
            [DeclarationDraft(MARKET, "Nordics market", "north", ("Norway", "Sweden"))],
        )
        [d] = subject.declarations(people.north)
        assert (d.declaration_id, d.programme_id, d.kind, d.name) == (
            ident,
            people.north,
            MARKET,
            "Nordics market",
        )
        assert (d.description, d.keywords) == ("north", ("Norway", "Sweden"))
        assert d.updated_at.tzinfo is not None

    def test_the_same_kind_and_name_replaces(self, subject: Declarations, people: Cast) -> None:
        [first] = subject.save(people.north, [DeclarationDraft(GOAL, "Grow Asia", "old")])
        [again] = subject.save(people.north, [DeclarationDraft(GOAL, "  grow   ASIA ", "new")])
        [other] = subject.save(people.north, [DeclarationDraft(DOMAIN, "Grow Asia")])
        assert again == first and other != first
        found = subject.declarations(people.north)
        assert [(d.kind, d.description) for d in found] == [(GOAL, "new"), (DOMAIN, "")]

    def test_one_batch_naming_a_declaration_twice_keeps_one(
        self, subject: Declarations, people: Cast
    ) -> None:
        ids = subject.save(
            people.north,
            [DeclarationDraft(GOAL, "Pricing", "a"), DeclarationDraft(GOAL, "pricing", "b")],
        )
        assert ids[0] == ids[1]
        assert [d.description for d in subject.declarations(people.north)] == ["b"]

    def test_declarations_are_per_programme_goals_first(
        self, subject: Declarations, people: Cast
    ) -> None:
        subject.save(
            people.north,
            [
                DeclarationDraft(MARKET, "Brazil"),
                DeclarationDraft(DOMAIN, "Pricing"),
                DeclarationDraft(GOAL, "Zero waste"),
                DeclarationDraft(GOAL, "Agile teams"),
            ],
        )
        subject.save(people.south, [DeclarationDraft(GOAL, "South only")])
        assert [d.name for d in subject.declarations(people.north)] == [
            "Agile teams",
            "Zero waste",
            "Pricing",
            "Brazil",
        ]
        assert [d.name for d in subject.declarations(people.south)] == ["South only"]

    def test_remove_is_per_programme(self, subject: Declarations, people: Cast) -> None:
        [ident] = subject.save(people.north, [DeclarationDraft(GOAL, "Grow")])
        assert subject.remove(people.south, ident) is False
        assert subject.remove(people.north, ident) is True
        assert subject.remove(people.north, ident) is False
        assert subject.declarations(people.north) == []


class CoverageSourcesContract(WithDocuments):
    """Tests every ``CoverageSources`` adapter passes; a subclass provides ``subject`` over
    the same store as ``documents``."""

    @pytest.fixture
    def subject(self) -> CoverageSources:
        """The coverage sources of the adapter under test."""
        raise NotImplementedError("a subclass provides the CoverageSources under test")

    @pytest.fixture
    def stored(self, documents: Documents, people: Cast) -> dict[str, str]:
        """A private journal, a shared debrief, a published entry, a deleted shared note and
        another programme's shared journal: their ids by source."""
        docs = [
            prepared(
                people.ada,
                people.north,
                "j",
                "PLANTED private text",
                Visibility.PRIVATE,
                day=3,
                prompt_set="values-alignment",
                tags=("values",),
            ),
            prepared(
                people.ravi,
                people.north,
                "d",
                "debrief text",
                Visibility.SHARED,
                Kind.DEBRIEF,
                day=1,
                debrief=DebriefFields(
                    function="Sales", market="Norway", strategic_goal="Grow north"
                ),
            ),
            prepared(
                people.cora,
                people.north,
                "e",
                "entry text",
                Visibility.PUBLISHED,
                Kind.ENTRY,
                day=2,
                tags=("playbook",),
            ),
            prepared(
                people.ada,
                people.north,
                "gone",
                "deleted",
                Visibility.SHARED,
                Kind.SESSION_NOTE,
                day=0,
            ),
            prepared(people.olga, people.south, "s", "south text", Visibility.SHARED, day=0),
        ]
        results = documents.save(docs)
        ids = {d.doc.source_id: r[0] for d, r in zip(docs, results, strict=True)}
        documents.delete(ids["gone"])
        return ids

    def test_shared_texts_are_the_programmes_shared_and_published_oldest_first(
        self, subject: CoverageSources, people: Cast, stored: dict[str, str]
    ) -> None:
        texts = subject.shared_texts(people.north)
        assert [t.document_id for t in texts] == [stored["d"], stored["e"]]
        debrief, entry = texts
        assert (debrief.kind, debrief.visibility, debrief.owner_id) == (
            Kind.DEBRIEF,
            Visibility.SHARED,
            people.ravi,
        )
        assert (debrief.function, debrief.market, debrief.strategic_goal) == (
            "Sales",
            "Norway",
            "Grow north",
        )
        assert (debrief.title, debrief.text) == ("title d", "debrief text")
        assert (entry.kind, entry.visibility, entry.tags) == (
            Kind.ENTRY,
            Visibility.PUBLISHED,
            ("playbook",),
        )
        assert entry.created_at.tzinfo is not None
        assert [t.text for t in subject.shared_texts(people.south)] == ["south text"]

    def test_private_writing_comes_as_metadata_only(
        self, subject: CoverageSources, people: Cast, stored: dict[str, str]
    ) -> None:
        [mark] = subject.private_marks(people.north)
        assert {f.name for f in dataclasses.fields(PrivateMark)} == {
            "owner_id",
            "created_at",
            "prompt_set",
            "tags",
        }
        assert (mark.owner_id, mark.prompt_set, mark.tags) == (
            people.ada,
            "values-alignment",
            ("values",),
        )
        assert mark.created_at == DAY + dt.timedelta(days=3)
        assert "PLANTED" not in repr(subject.private_marks(people.north))
        assert all("PLANTED" not in t.text for t in subject.shared_texts(people.north))
        assert subject.private_marks(people.south) == []
