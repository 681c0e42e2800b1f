"""Storage seams: people and programmes, documents, the index ledger, entries, drafts."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, Protocol

from playbook.models import (
    ChunkRecord,
    DocumentInfo,
    Entry,
    EntryContent,
    EntrySource,
    EntryStatus,
    EntryVersion,
    PreparedDocument,
    Principal,
    Role,
    UserInfo,
    Visibility,
)


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

    def programme_names(self, programme_ids: Iterable[str]) -> dict[str, str]:
        """Display names of these programmes in one lookup: every id asked for, its own id
        when unknown (as ``programme_name`` gives it)."""
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

    def display_names(self, user_ids: Iterable[str]) -> dict[str, str]:
        """Display names (the username when a user has none) of the ids that exist, in one
        lookup."""
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

    def documents_by_id(self, document_ids: Iterable[str]) -> dict[str, DocumentInfo]:
        """Live documents by id, in one lookup (deleted and unknown ids are absent)."""
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

    def index_rebuilt(
        self, name: str, token: str, stamp: Callable[[str], None] | None = None
    ) -> int:
        """Record that index ``name`` was emptied and carries ``token``; the new generation.
        ``stamp(token)`` writes it into the index, inside the same locked transaction."""
        ...

    def claim_index_token(
        self, name: str, token: str, stamp: Callable[[str], None] | None = None
    ) -> str:
        """Record ``token`` as the one index ``name`` carries, without counting a rebuild,
        unless the store records one already; returns the token the store records (another
        process opening the same new index at the same moment may have claimed first).
        ``stamp(kept)`` writes it into the index, inside the same locked transaction."""
        ...

    def ledger(self) -> tuple[int, int]:
        """(chunks the indexes must hold, the most they may hold)."""
        ...

    def stats(self) -> dict[str, Any]:
        """Counts of users, programmes, documents, chunks and documents waiting for indexing."""
        ...


class Records(Directory, Documents, IndexLedger, Protocol):
    """Every storage port the ingest pipeline and repair use, over one store."""


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
