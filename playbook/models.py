"""Domain types shared by every layer. No I/O here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

E = TypeVar("E", bound=StrEnum)


class Role(StrEnum):
    """What a person does in a programme. One person may hold several roles."""

    LEADER = "leader"
    PARTICIPANT = "participant"
    COORDINATOR = "coordinator"
    ADMIN = "admin"
    # The mentorship ecosystem's governance (issue 20): sponsors and champions read programme
    # summaries, never private writing; stewards own matching integrity.
    SPONSOR = "sponsor"
    CHAMPION = "champion"
    STEWARD = "steward"


class Kind(StrEnum):
    """The kinds of document the playbook holds."""

    JOURNAL = "journal"
    DEBRIEF = "debrief"
    SESSION_NOTE = "session_note"
    COUNCIL_NOTE = "council_note"
    ENTRY = "entry"


class Visibility(StrEnum):
    """Who may read a document: its owner only, the programme, or everyone in it as playbook."""

    PRIVATE = "private"
    SHARED = "shared"
    PUBLISHED = "published"


class EntryStatus(StrEnum):
    """Where a playbook entry is in its lifecycle (transitions: ``playbook.lifecycle``)."""

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class StoreError(ValueError):
    """A request the system of record cannot satisfy, phrased for the person who made it."""


def parse_enum(enum: type[E], value: str, what: str) -> E:
    """Parse a user-supplied enum value, with a sentence naming the valid choices on failure."""
    try:
        return enum(value.strip().lower())
    except ValueError:
        choices = ", ".join(m.value for m in enum)
        raise ValueError(f"unknown {what} {value!r}; choose one of: {choices}") from None


MAX_TAGS = 50
MAX_TAG_CHARS = 64


def tag_problem(
    tags: Sequence[str], max_tags: int = MAX_TAGS, max_chars: int = MAX_TAG_CHARS
) -> str | None:
    """Why a document's or an entry's tags cannot be stored, or None. Each tag is a filter
    in both indexes, so their number and length are bounded (named settings)."""
    if len(tags) > max_tags:
        return (
            f"{len(tags):,} tags is too many; keep at most {max_tags} (the ones people filter by)"
        )
    long = next((t for t in tags if len(t) > max_chars), None)
    if long is not None:
        return (
            f"the tag {long[:40] + '…' if len(long) > 40 else long!r} has {len(long):,} "
            f"characters; a tag has at most {max_chars}"
        )
    return None


@dataclass(frozen=True)
class Principal:
    """The person a request is made for, with the roles they hold in each programme.

    What they may read and do follows from this (``playbook.permissions``).
    """

    user_id: str
    username: str
    memberships: frozenset[tuple[str, Role]] = frozenset()  # (programme id, role)
    active: bool = True  # a deactivated account is signed out and cannot sign in

    @property
    def programme_ids(self) -> frozenset[str]:
        """Programmes the person belongs to, in any role."""
        return frozenset(p for p, _ in self.memberships)

    @property
    def roles(self) -> frozenset[Role]:
        """Roles held in any programme."""
        return frozenset(r for _, r in self.memberships)

    def roles_in(self, programme_id: str) -> frozenset[Role]:
        """Roles held in one programme."""
        return frozenset(r for p, r in self.memberships if p == programme_id)


@dataclass(frozen=True)
class Entity:
    """One piece of personal data found and replaced: ``start``/``end`` in the redacted text,
    ``source_start``/``source_end`` in the original."""

    type: str
    start: int
    end: int
    source_start: int = -1
    source_end: int = -1


@dataclass(frozen=True)
class Redaction:
    """Redacted text and where the placeholders stand in it.

    ``originals`` maps each placeholder to the value it replaced. It is personal data: it goes
    only into the encrypted vault, is never logged (kept out of ``repr``) and never indexed.
    """

    text: str
    entities: tuple[Entity, ...] = ()
    originals: dict[str, str] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True)
class RedactionPolicy:
    """Per-call additions to redaction: terms always redacted (a user's deny-list) and
    business terms never redacted (allow-list entries that apply to this content)."""

    deny: tuple[str, ...] = ()
    allow: tuple[str, ...] = ()


@dataclass(frozen=True)
class DebriefFields:
    """The structured part of a rotation debrief."""

    function: str | None = None
    market: str | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    anchor_project: str | None = None
    strategic_goal: str | None = None

    def is_empty(self) -> bool:
        """True when no debrief field is set."""
        return all(getattr(self, f) is None for f in self.__dataclass_fields__)


@dataclass(frozen=True)
class ChunkRecord:
    """A piece of a document's redacted text, as indexed. Carries what permission filters need."""

    chunk_id: str
    document_id: str
    ordinal: int
    text: str
    owner_id: str
    visibility: Visibility
    programme_id: str
    kind: Kind
    title: str
    source_id: str
    tags: tuple[str, ...] = ()
    created_at: dt.datetime | None = None
    function: str | None = None
    market: str | None = None
    source_label: str = ""  # where it came from, redacted (the source id is a keyed hash)
    review_due: dt.date | None = None  # playbook entries: when a coordinator should re-check it
    entry_status: EntryStatus | None = None  # playbook entries only

    def metadata(self) -> dict[str, str | int | float | bool]:
        """Flat metadata for indexes whose filters take scalar values only."""
        meta: dict[str, str | int | float | bool] = {
            "document_id": self.document_id,
            "ordinal": self.ordinal,
            "owner_id": self.owner_id,
            "visibility": self.visibility.value,
            "programme_id": self.programme_id,
            "kind": self.kind.value,
            "title": self.title,
            "source_id": self.source_id,
            "source_label": self.source_label,
            "tags": "|".join(self.tags),
        }
        if self.created_at is not None:
            meta["created_ts"] = int(self.created_at.timestamp())
        if self.function:
            meta["function"] = self.function
            meta["function_key"] = self.function.strip().casefold()
        if self.market:
            meta["market"] = self.market
            meta["market_key"] = self.market.strip().casefold()
        if self.review_due is not None:
            meta["review_due"] = self.review_due.isoformat()
        if self.entry_status is not None:
            meta["entry_status"] = self.entry_status.value
        for tag in self.tags:
            meta[f"tag:{tag}"] = True
        return meta


@dataclass(frozen=True)
class SearchFilters:
    """Optional narrowing of a search; permission scoping is applied separately and always."""

    kinds: tuple[Kind, ...] = ()
    only_mine: bool = False
    function: str | None = None
    market: str | None = None
    tags: tuple[str, ...] = ()  # every one of them
    since: dt.date | None = None  # written on or after
    until: dt.date | None = None  # written on or before
    entry_statuses: tuple[EntryStatus, ...] = ()  # playbook entries in one of these states

    def __post_init__(self) -> None:
        if self.since and self.until and self.since > self.until:
            raise ValueError(
                f"the date range ends ({self.until}) before it starts ({self.since}); "
                "swap the dates"
            )


@dataclass(frozen=True)
class IndexHit:
    """One chunk an index returned, with its rank-specific score (higher is better)."""

    chunk_id: str
    score: float
    text: str
    metadata: dict[str, str | int | float | bool] = field(default_factory=dict)


@dataclass(frozen=True)
class SearchHit:
    """One fused search result as shown to a user."""

    chunk_id: str
    document_id: str
    source_id: str
    score: float
    kind: str
    title: str
    snippet: str
    text: str
    review_due: dt.date | None = None
    source_label: str = ""  # where it came from, redacted
    created_at: dt.datetime | None = None  # when its document was written
    # Whose it is and who may read it, and a debrief's (or entry's) place: so a brief can
    # tell others' approved writing from the reader's own, and match places by alias.
    owner_id: str = ""
    visibility: str = ""
    function: str | None = None
    market: str | None = None

    def past_review(self, today: dt.date) -> bool:
        """Whether this passage comes from an entry whose review date has passed."""
        return self.review_due is not None and self.review_due < today


@dataclass(frozen=True)
class NewDocument:
    """A document as a user or an import supplies it, before redaction. ``text`` is the original."""

    owner_id: str
    programme_id: str
    kind: Kind
    visibility: Visibility
    title: str
    text: str
    source_id: str
    tags: tuple[str, ...] = ()
    created_at: dt.datetime | None = None
    debrief: DebriefFields = field(default_factory=DebriefFields)
    prompt_set: str | None = None
    # What people read as its origin (a file name, a record id); None: the raw source id.
    # Redacted like every other field; the source id itself is stored as a keyed hash.
    source_label: str | None = None
    # Source ids an earlier version gave the same record (a file's path below the folder
    # imported): a document stored under one of them is this one, not another.
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class Span:
    """A chunk of text with its character offsets in the text it was cut from."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class PreparedDocument:
    """A document ready for the store: redacted and chunked. The original never goes further."""

    doc: NewDocument
    content_hash: str
    redacted_text: str
    chunks: tuple[Span, ...]
    original_ciphertext: bytes | None = None
    vault_ciphertext: bytes | None = None


@dataclass(frozen=True)
class UserInfo:
    """A user and the roles they hold, per programme slug."""

    user_id: str
    username: str
    display_name: str
    roles: dict[str, tuple[Role, ...]]
    is_demo: bool = False
    active: bool = True


@dataclass(frozen=True)
class DocumentInfo:
    """A stored document as listings show it (redacted text only)."""

    document_id: str
    owner_id: str
    programme_id: str
    kind: Kind
    visibility: Visibility
    title: str
    source_id: str
    tags: tuple[str, ...]
    created_at: dt.datetime
    redacted_text: str
    chunk_count: int
    debrief: DebriefFields = field(default_factory=DebriefFields)
    prompt_set: str | None = None
    share_status: str | None = None
    source_label: str = ""

    def as_new(self, text: str, title: str | None = None) -> NewDocument:
        """This document as an author would supply it again, with ``text`` (and ``title``)
        in place of the stored, redacted ones: for re-redaction and edits."""
        return NewDocument(
            owner_id=self.owner_id,
            programme_id=self.programme_id,
            kind=self.kind,
            visibility=self.visibility,
            title=self.title if title is None else title,
            text=text,
            source_id=self.source_id,
            tags=self.tags,
            created_at=self.created_at,
            debrief=self.debrief,
            prompt_set=self.prompt_set,
            source_label=self.source_label,
        )


SECTIONS = ("decision", "context", "options", "outcome", "lesson", "advice")
SECTION_LABELS = {
    "decision": "Decision",
    "context": "Context",
    "options": "Options and trade-offs",
    "outcome": "Outcome",
    "lesson": "Lesson",
    "advice": "Advice for a successor",
}


@dataclass(frozen=True)
class EntryContent:
    """What a coordinator writes in an entry (redacted before it is stored)."""

    title: str
    sections: dict[str, str] = field(default_factory=dict)  # keys from SECTIONS
    function: str | None = None
    market: str | None = None
    competency: str | None = None
    tags: tuple[str, ...] = ()
    verifier_id: str | None = None
    review_interval_days: int = 90

    def text(self) -> str:
        """The entry as one readable text, section by section (what search indexes)."""
        parts = [
            f"{SECTION_LABELS[name]}: {self.sections[name].strip()}"
            for name in SECTIONS
            if self.sections.get(name, "").strip()
        ]
        return "\n\n".join(parts)


@dataclass(frozen=True)
class Entry:
    """A playbook entry as stored: its content, lifecycle state and bookkeeping."""

    entry_id: str
    programme_id: str
    owner_id: str
    content: EntryContent
    status: EntryStatus
    version: int
    review_due: dt.date | None
    last_verified_at: dt.datetime | None
    document_id: str | None
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass(frozen=True)
class EntryVersion:
    """One saved state of an entry."""

    number: int
    author_id: str
    note: str
    created_at: dt.datetime
    snapshot: dict[str, object]


@dataclass(frozen=True)
class EntrySource:
    """Where an entry came from: a shared reflection or debrief, and the passages used."""

    document_id: str
    title: str
    pointers: tuple[dict[str, object], ...] = ()


class EntryConflictError(StoreError):
    """Someone else saved the entry since it was opened; carries what they saved."""

    def __init__(self, current: Entry) -> None:
        super().__init__(
            f"this entry was changed by someone else (now version {current.version}); "
            "reload it, or merge your changes into theirs and save again"
        )
        self.current = current
