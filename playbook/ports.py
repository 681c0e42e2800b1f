"""Interfaces the services depend on. Adapters implement them; only ``wiring`` picks which."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from playbook.models import (
    ChunkRecord,
    DocumentInfo,
    Entry,
    EntryContent,
    EntrySource,
    EntryStatus,
    EntryVersion,
    IndexHit,
    Kind,
    PreparedDocument,
    Principal,
    Redaction,
    RedactionPolicy,
    Role,
    UserInfo,
    Visibility,
)
from playbook.pseudonyms import Finding, Pseudonymizer, Roster


@dataclass(frozen=True)
class Scope:
    """What one reader may see, plus their own narrowing. Every index query must apply it.

    A chunk is readable when its owner is the reader, or when it is shared or published in a
    programme the reader belongs to.
    """

    reader_id: str
    programme_ids: frozenset[str]
    kinds: tuple[Kind, ...] = ()
    only_mine: bool = False
    function: str | None = None  # casefolded; matches the chunk's function exactly
    market: str | None = None
    tags: tuple[str, ...] = ()  # the chunk carries every one of them
    since_ts: int | None = None  # created at or after (Unix seconds)
    until_ts: int | None = None  # created before (Unix seconds)
    entry_statuses: tuple[EntryStatus, ...] = ()  # entries in one of these states only


class Redactor(Protocol):
    """Replaces personal data with placeholders."""

    def redact_batch(
        self, texts: Sequence[str], policy: RedactionPolicy | None = None
    ) -> list[Redaction]:
        """Redact many texts at once; the result has one item per text, in order. The policy
        adds an author's deny-list and the allow-list terms that apply."""
        ...


class Embedder(Protocol):
    """Turns text into unit-length vectors."""

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        ...

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed texts (passages or queries), one vector each."""
        ...


class VectorIndex(Protocol):
    """Dense index of chunks. Derived from the store; can be reset and rebuilt."""

    def upsert(self, chunks: Sequence[ChunkRecord], embeddings: Sequence[Sequence[float]]) -> None:
        """Insert or replace chunks with their vectors."""
        ...

    def delete_documents(self, document_ids: Sequence[str]) -> None:
        """Remove every chunk of these documents."""
        ...

    def query(self, embedding: Sequence[float], k: int, scope: Scope) -> list[IndexHit]:
        """Nearest chunks the scope may read, best first (score = cosine similarity)."""
        ...

    def count(self) -> int:
        """Number of chunks held."""
        ...

    def reset(self) -> None:
        """Drop everything."""
        ...

    def scrub(self) -> None:
        """Leave no bytes of deleted or replaced chunks in the index's own files (after a
        delete, a withdrawal or a re-redaction)."""
        ...


class KeywordIndex(Protocol):
    """Full-text index of chunks. Derived from the store; can be reset and rebuilt."""

    def upsert(self, chunks: Sequence[ChunkRecord]) -> None:
        """Insert or replace chunks."""
        ...

    def delete_documents(self, document_ids: Sequence[str]) -> None:
        """Remove every chunk of these documents."""
        ...

    def query(self, text: str, k: int, scope: Scope) -> list[IndexHit]:
        """Best keyword matches the scope may read, best first (score: higher is better)."""
        ...

    def count(self) -> int:
        """Number of chunks held."""
        ...

    def reset(self) -> None:
        """Drop everything."""
        ...

    def scrub(self) -> None:
        """Leave no bytes of deleted or replaced chunks in the index's own files (after a
        delete, a withdrawal or a re-redaction)."""
        ...


class Directory(Protocol):
    """Programmes, people and their roles: who someone is, for permission scoping."""

    def ensure_programme(self, slug: str, name: str | None = None) -> str:
        """Id of the programme with this slug, created if needed."""
        ...

    def programmes(self) -> list[tuple[str, str, int]]:
        """Every programme: (slug, name, number of members), by slug."""
        ...

    def programme_id(self, slug: str) -> str:
        """Id of an existing programme (``StoreError`` when there is none)."""
        ...

    def programme_name(self, programme_id: str) -> str:
        """A programme's display name (its id when unknown)."""
        ...

    def member_ids(self, programme_id: str) -> set[str]:
        """Ids of the users who hold any role in a programme."""
        ...

    def coordinated_programmes(self, user_id: str) -> set[str]:
        """Programmes whose entries and share requests ``user_id`` looks after."""
        ...

    def add_user(
        self,
        username: str,
        display_name: str | None = None,
        roles: Iterable[Role] = (Role.LEADER,),
        programme: str = "default",
        is_demo: bool = False,
    ) -> UserInfo:
        """Create a user holding ``roles`` in ``programme``."""
        ...

    def set_roles(
        self, username: str, roles: Iterable[Role], programme: str = "default"
    ) -> UserInfo:
        """Replace a user's roles in one programme."""
        ...

    def set_active(self, username: str, active: bool) -> UserInfo:
        """Deactivate or reactivate an account."""
        ...

    def user(self, username: str) -> UserInfo:
        """A user by name, with roles (``StoreError`` when unknown)."""
        ...

    def users(self) -> list[UserInfo]:
        """All users, by name."""
        ...

    def principal(self, username: str) -> Principal:
        """Who ``username`` is, for permission scoping."""
        ...

    def user_ids(self, usernames: Iterable[str]) -> dict[str, str]:
        """Ids of the usernames that exist."""
        ...

    def usernames(self, user_ids: Iterable[str]) -> dict[str, str]:
        """Usernames of these ids."""
        ...


class Documents(Protocol):
    """Redacted documents and their chunks: the system of record the indexes derive from."""

    def content_hashes(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """Content hashes of live documents by (owner_id, source_id)."""
        ...

    def save(
        self, prepared: Sequence[PreparedDocument], force: bool = False
    ) -> list[tuple[str, str]]:
        """Insert or replace documents in one transaction: (document_id, status) each.
        ``force`` replaces documents even when their content hash is unchanged."""
        ...

    def delete(self, document_id: str) -> None:
        """Tombstone a document until the indexes have dropped it."""
        ...

    def set_visibility(self, document_id: str, visibility: Visibility) -> None:
        """Change who may read a document (its chunks are then re-indexed)."""
        ...

    def set_share_status(self, document_id: str, status: str | None) -> None:
        """Record where a share request stands (pending, approved, declined, or none)."""
        ...

    def pending_shares(self, programme_ids: Iterable[str]) -> list[DocumentInfo]:
        """Documents awaiting a coordinator's approval in these programmes, oldest first."""
        ...

    def document(self, document_id: str) -> DocumentInfo | None:
        """A live document."""
        ...

    def document_id(self, owner_id: str, source_id: str) -> str | None:
        """The id of a live document by its owner and source id."""
        ...

    def documents(self, owner_id: str | None = None, limit: int = 1000) -> list[DocumentInfo]:
        """Live documents, newest first; optionally one owner's only."""
        ...

    def document_page(
        self, after_id: str | None, limit: int, ids: Sequence[str] | None = None
    ) -> list[tuple[DocumentInfo, str, bytes | None, bytes | None]]:
        """Live documents in id order with content hash, encrypted original and vault."""
        ...

    def readable_documents(self, principal: Principal, limit: int = 100_000) -> list[DocumentInfo]:
        """Live documents ``principal`` may read (the read rule applied in the query)."""
        ...

    def readable_counts(self, principal: Principal) -> dict[tuple[bool, str], int]:
        """Counts of what ``principal`` may read, by (their own?, kind)."""
        ...

    def clear_source_ids(self, limit: int = 256) -> list[tuple[str, str]]:
        """(document id, source id) of documents whose source id is not yet keyed."""
        ...

    def rekey_sources(self, changes: Sequence[tuple[str, str, str | None]]) -> None:
        """Store keyed source ids and redacted labels: (document id, source id, label or
        None to keep it)."""
        ...

    def scrub(self) -> None:
        """Leave no bytes of superseded text in the store's files (its write-ahead log)."""
        ...


class IndexLedger(Protocol):
    """What each derived index must hold and holds, so indexes heal from the store."""

    def stale_documents(self, limit: int = 500) -> tuple[list[str], list[str]]:
        """(documents to re-index, tombstones to purge)."""
        ...

    def chunk_records(
        self, document_ids: Sequence[str]
    ) -> tuple[list[ChunkRecord], dict[str, str]]:
        """Chunks with index metadata, and each document's index hash."""
        ...

    def chunks_by_id(self, chunk_ids: Sequence[str]) -> dict[str, ChunkRecord]:
        """Chunks of live documents by chunk id (indexes keep no text; hits are filled in)."""
        ...

    def mark_indexed(self, hashes: dict[str, str], generation: int | None = None) -> None:
        """Record that the indexes hold these documents at these hashes (unless the indexes
        were rebuilt since ``generation``, as ``index_generation`` gave it before writing)."""
        ...

    def mark_unindexed(self, document_ids: Sequence[str]) -> None:
        """Flag documents for re-indexing (what the index holds about them changed)."""
        ...

    def mark_all_unindexed(self) -> None:
        """Flag every live document for re-indexing."""
        ...

    def purge(self, document_ids: Sequence[str]) -> None:
        """Remove tombstones the indexes have dropped."""
        ...

    def index_generation(self) -> int:
        """A number that goes up whenever an index is rebuilt."""
        ...

    def index_states(self) -> dict[str, tuple[int, str | None]]:
        """Each index's (generation, token) as the store expects it."""
        ...

    def index_rebuilt(self, name: str, token: str) -> int:
        """Record that index ``name`` was emptied and carries ``token``; the new generation."""
        ...

    def stamp_index(self, name: str, token: str) -> None:
        """Record the token an index carries without counting a rebuild."""
        ...

    def ledger(self) -> tuple[int, int]:
        """(chunks the indexes must hold, the most they may hold)."""
        ...

    def stats(self) -> dict[str, Any]:
        """Counts of users, programmes, documents, chunks and documents waiting for indexing."""
        ...


class Entries(Protocol):
    """Curated playbook entries with their versions, provenance and readers' feedback."""

    def create(
        self,
        programme_id: str,
        owner_id: str,
        content: EntryContent,
        sources: Sequence[EntrySource] = (),
        note: str = "created",
    ) -> Entry:
        """A new draft entry (version 1) with its provenance."""
        ...

    def get(self, entry_id: str) -> Entry:
        """An entry (``StoreError`` when there is none with this id)."""
        ...

    def update(
        self,
        entry_id: str,
        expected_version: int,
        author_id: str,
        note: str,
        content: EntryContent | None = None,
        **changes: Any,
    ) -> Entry:
        """Change an entry still at ``expected_version`` as one new version
        (``EntryConflictError`` when it moved on)."""
        ...

    def versions(self, entry_id: str) -> list[EntryVersion]:
        """Every saved state, oldest first."""
        ...

    def sources(self, entry_id: str) -> list[EntrySource]:
        """Where an entry came from."""
        ...

    def listing(
        self, programme_ids: Iterable[str], statuses: Iterable[EntryStatus] = ()
    ) -> list[Entry]:
        """Entries of these programmes (in these states), most recently changed first."""
        ...

    def by_document(self, document_ids: Iterable[str]) -> dict[str, Entry]:
        """Entries by the id of their published document."""
        ...

    def add_feedback(self, entry_id: str, user_id: str, verdict: str, comment: str) -> None:
        """A reader's feedback (``comment`` already redacted)."""
        ...

    def feedback(self, entry_ids: Iterable[str], open_only: bool = True) -> list[dict[str, Any]]:
        """Feedback on these entries, newest first."""
        ...

    def resolve_feedback(self, feedback_ids: Iterable[str]) -> None:
        """Mark feedback as dealt with."""
        ...


Message = tuple[str, str]  # (role, text); role is "system", "human" or "ai"


class ChatModel(Protocol):
    """A language model that answers a conversation with text (optional: without one the
    assistant is extractive). Text in and out only, so prompts are inspectable and model
    output is never trusted as anything but text."""

    def invoke(self, messages: Sequence[Message]) -> str:
        """The model's reply to the conversation."""
        ...

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        """The reply in pieces, as the model writes it."""
        ...


class Records(Directory, Documents, IndexLedger, Protocol):
    """Every storage port the ingest pipeline and repair use, over one store."""


# -- drafts, vault, audit, credentials --
# Adapters store bytes and strings only: encryption and keyed hashes stay in the services, so
# a fake or another database needs no crypto.


class Keys(Protocol):
    """The installation's encryption keys as they are now (they change when keys rotate)."""

    def encrypt(self, text: str) -> bytes:
        """Encrypt text with the newest key."""
        ...

    def decrypt(self, token: bytes) -> str:
        """Decrypt a token made with any key still held."""
        ...

    def rotate(self, token: bytes) -> bytes:
        """The same plaintext under the newest key."""
        ...

    def is_current(self, token: bytes) -> bool:
        """Whether the newest key protects this token."""
        ...


class RedactionEngine(Redactor, Protocol):
    """A redactor that also shows its work (for the preview) and takes a new roster."""

    @property
    def pseudonymizer(self) -> Pseudonymizer:
        """Makes the placeholders that findings are replaced with."""
        ...

    def analyze_batch(
        self, texts: Sequence[str], policy: RedactionPolicy | None = None
    ) -> list[list[Finding]]:
        """Findings in original-text coordinates, one list per text, non-overlapping."""
        ...

    def set_roster(self, roster: Roster) -> None:
        """Use a new people directory from the next call on."""
        ...


class Audit(Protocol):
    """What a use case writes to the audit log."""

    def record(self, actor: str | None, action: str, subject: str = "", detail: str = "") -> None:
        """Add a line (``subject`` and ``detail`` are names and ids, never document text)."""
        ...


class Drafts(Protocol):
    """A user's autosaved form content, one draft per form, stored as the service sealed it."""

    def save(self, user_id: str, form: str, ciphertext: bytes) -> None:
        """Store (or replace) the draft of ``form``."""
        ...

    def get(self, user_id: str, form: str) -> bytes | None:
        """The stored draft of ``form``, if any."""
        ...

    def discard(self, user_id: str, form: str) -> None:
        """Forget the draft of ``form`` (nothing happens when there is none)."""
        ...


@dataclass(frozen=True)
class StoredTerm:
    """A deny or allow term as stored: encrypted, with the keyed hash that finds it again."""

    id: str
    user_id: str | None  # None: the installation's own list
    kind: str
    ciphertext: bytes
    approved: bool
    decided_by: str | None


@dataclass(frozen=True)
class SealedDocument:
    """What only a document's author may read, with what the permission check needs."""

    owner_id: str
    programme_id: str
    original_ciphertext: bytes | None
    vault_ciphertext: bytes | None


@dataclass(frozen=True)
class SealedValue:
    """One encrypted value at rest; ``column`` and ``row_id`` mean something only to the
    adapter that yielded it."""

    column: str
    row_id: str | int
    token: bytes


class PrivacyVault(Protocol):
    """Term lists, the roster and the encrypted originals, as ciphertext."""

    def add_term(
        self, user_id: str | None, kind: str, term_hash: str, ciphertext: bytes, approved: bool
    ) -> StoredTerm:
        """The term with this hash on this list, added when missing (once, even when two
        callers add it at the same moment)."""
        ...

    def terms(self, user_id: str | None) -> list[StoredTerm]:
        """A user's list (``None``: the installation's), oldest first."""
        ...

    def policy_terms(self, user_id: str | None) -> list[StoredTerm]:
        """The terms that apply to a user's content: theirs and the installation's."""
        ...

    def remove_term(self, user_id: str | None, term_id: str) -> bool:
        """Delete a term from this list; False when it holds no such term."""
        ...

    def term(self, term_id: str) -> StoredTerm | None:
        """A term by id, on whichever list."""
        ...

    def pending_terms(self, user_ids: Collection[str]) -> list[StoredTerm]:
        """These users' allow terms that nobody decided on yet."""
        ...

    def decide_term(self, term_id: str, approved: bool, decided_by: str) -> StoredTerm | None:
        """Record a coordinator's decision on a term; None when there is no such term."""
        ...

    def members_of(self, programme_ids: Collection[str]) -> set[str]:
        """Ids of the users who hold any role in these programmes."""
        ...

    def save_roster(self, ciphertext: bytes, people: int, updated_by: str) -> None:
        """Replace the stored roster."""
        ...

    def roster(self) -> bytes | None:
        """The stored roster, if one was uploaded."""
        ...

    def sealed_document(self, document_id: str) -> SealedDocument | None:
        """A live document's owner, programme, encrypted original and vault."""
        ...

    def sealed_values(self, batch: int) -> Iterator[list[SealedValue]]:
        """Every encrypted value at rest, ``batch`` at a time, each batch read on its own
        (the store stays usable between batches)."""
        ...

    def replace_sealed(self, changes: Sequence[tuple[SealedValue, bytes]]) -> int:
        """Put new tokens in place of values that still hold the token read; how many."""
        ...

    def count_sealed(self, where: Callable[[bytes], bool]) -> int:
        """How many encrypted values at rest ``where`` holds true for."""
        ...


@dataclass(frozen=True)
class AuditEvent:
    """One line of the audit log."""

    id: int
    at: dt.datetime
    actor: str | None
    action: str
    subject: str
    detail: str


class AuditStore(Protocol):
    """The audit log's lines: appended, read, never changed."""

    def append(
        self, at: dt.datetime, actor: str | None, action: str, subject: str, detail: str
    ) -> None:
        """Add a line."""
        ...

    def events(
        self, action: str | None = None, since: dt.datetime | None = None, limit: int = 1000
    ) -> list[AuditEvent]:
        """The newest lines first, optionally of one action or since a time."""
        ...

    def failures_since(self, subject: str, since: dt.datetime) -> list[dt.datetime]:
        """Times of failed sign-ins recorded for ``subject`` since ``since``, oldest first."""
        ...

    def last_success(self, subject: str) -> dt.datetime | None:
        """When ``subject`` last signed in."""
        ...


@dataclass(frozen=True)
class Credential:
    """How a user signs in: their password hash and their linked single sign-on identity."""

    username: str
    password_hash: str | None
    active: bool
    is_demo: bool
    sso_identity: str | None


class Credentials(Protocol):
    """Password hashes and sign-on identities of the directory's users."""

    def credential(self, username: str) -> Credential | None:
        """A user's credential by username."""
        ...

    def by_sso_identity(self, identity: str) -> Credential | None:
        """The user linked to this single sign-on identity."""
        ...

    def set_password_hash(self, username: str, password_hash: str) -> bool:
        """Store a new hash; False when there is no such user."""
        ...

    def set_sso_identity(self, username: str, identity: str | None) -> bool:
        """Link (or with None unlink) an identity; False when there is no such user."""
        ...

    def has_passwords(self) -> bool:
        """Whether any active user has a password."""
        ...

    def admin_has_password(self) -> bool:
        """Whether any admin has a password (so one can sign in)."""
        ...


# -- administration --


class AuditTrail(Audit, Protocol):
    """The audit log as administration uses it: written, read and exported for an auditor."""

    def events(
        self, action: str | None = None, since: dt.datetime | None = None, limit: int = 1000
    ) -> list[AuditEvent]:
        """The newest lines first, optionally of one action or since a time."""
        ...

    def to_csv(self, events: Iterable[AuditEvent]) -> str:
        """Lines as CSV for an auditor (oldest first)."""
        ...


class AccountKeeper(Protocol):
    """How administration sets a user's password and single sign-on link."""

    def set_password(self, username: str, password: str, actor: str | None = None) -> None:
        """Give a user a new password (checked against the policy first)."""
        ...

    def link_sso(self, username: str, email: str | None, actor: str | None = None) -> None:
        """Link a user to the e-mail their sign-on provider vouches for (None unlinks)."""
        ...
