"""SQLAlchemy table definitions of the system of record (portable: SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
import uuid

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def new_id() -> str:
    """A random, URL-safe identifier."""
    return uuid.uuid4().hex


def utcnow() -> dt.datetime:
    """Timezone-aware now, in UTC."""
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    """Declarative base; Alembic migrations are generated against its metadata."""


class UserRow(Base):
    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # The e-mail a single sign-on provider vouches for, linked by an admin (lower case).
    sso_identity: Mapped[str | None] = mapped_column(String(320), unique=True, index=True)
    active: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    memberships: Mapped[list[MembershipRow]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )


class ProgrammeRow(Base):
    __tablename__ = "programmes"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MembershipRow(Base):
    """A role a user holds in a programme."""

    __tablename__ = "memberships"

    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    programme_id: Mapped[str] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(16), primary_key=True)

    user: Mapped[UserRow] = relationship(back_populates="memberships")


class DocumentRow(Base):
    __tablename__ = "documents"
    __table_args__ = (
        UniqueConstraint("owner_id", "source_id", name="uq_documents_owner_source"),
        Index("ix_documents_index_state", "indexed_hash"),
    )

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    owner_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    visibility: Mapped[str] = mapped_column(String(16), index=True)
    title: Mapped[str] = mapped_column(String(500))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # A keyed hash of the file path or record id (``playbook.source_ids``), never the value.
    source_id: Mapped[str] = mapped_column(String(500))
    # That origin as people read it, redacted like every other field.
    source_label: Mapped[str] = mapped_column(String(500), default="")
    # Hash of everything the author supplied: an identical re-import changes nothing.
    content_hash: Mapped[str] = mapped_column(String(64))
    redacted_text: Mapped[str] = mapped_column(Text)
    # The author's original, encrypted; filled by the privacy engine (never indexed, never shared).
    original_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary)
    # Placeholder -> original value for this document, encrypted; only its author re-identifies.
    vault_ciphertext: Mapped[bytes | None] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )
    # Debrief fields (null for other kinds).
    function: Mapped[str | None] = mapped_column(String(200))
    market: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    end_date: Mapped[dt.date | None] = mapped_column(Date)
    anchor_project: Mapped[str | None] = mapped_column(String(500))
    strategic_goal: Mapped[str | None] = mapped_column(String(500))
    # The reflection prompt set an entry answered (its category feeds the growth view).
    prompt_set: Mapped[str | None] = mapped_column(String(64))
    # Sharing from the studio: pending (awaiting a coordinator), approved or declined.
    share_status: Mapped[str | None] = mapped_column(String(12), index=True)
    share_requested_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # Index bookkeeping: the indexes are up to date when indexed_hash == index_hash.
    index_hash: Mapped[str] = mapped_column(String(64))
    indexed_hash: Mapped[str | None] = mapped_column(String(64))
    # Set when deleted: the row stays as a tombstone until both indexes have dropped its chunks.
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    chunks: Mapped[list[ChunkRow]] = relationship(
        back_populates="document",
        cascade="all, delete-orphan",
        order_by="ChunkRow.ordinal",
        lazy="selectin",
    )


class ChunkRow(Base):
    __tablename__ = "chunks"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    start_char: Mapped[int] = mapped_column(Integer)
    end_char: Mapped[int] = mapped_column(Integer)

    document: Mapped[DocumentRow] = relationship(back_populates="chunks")


class PrivacyTermRow(Base):
    """A term a user marked: ``deny`` (a missed name: always redact) or ``allow`` (a business
    term wrongly redacted). Terms may be names, so they are stored encrypted, with a keyed
    hash for lookups. An allow term applies to shared content only once a coordinator
    approved it. ``user_id`` NULL means installation-wide (set by an admin)."""

    __tablename__ = "privacy_terms"
    __table_args__ = (UniqueConstraint("user_id", "kind", "term_hash"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))
    term_hash: Mapped[str] = mapped_column(String(64))
    term_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    approved: Mapped[bool] = mapped_column(default=False)
    decided_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class RosterRow(Base):
    """The people directory an admin uploaded, as encrypted CSV (one row, id 1)."""

    __tablename__ = "privacy_roster"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    people: Mapped[int] = mapped_column(Integer)
    updated_by: Mapped[str | None] = mapped_column(String(32))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class DraftRow(Base):
    """A reflection being written: autosaved, encrypted (it is not redacted yet), one per user
    and form."""

    __tablename__ = "drafts"
    __table_args__ = (UniqueConstraint("user_id", "form"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    form: Mapped[str] = mapped_column(String(24))
    data_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EntryRow(Base):
    """A curated playbook entry. Every text field holds redacted text only. ``version``
    increases with each save; a save that read an older version is refused (optimistic
    locking), so two coordinators never silently overwrite each other."""

    __tablename__ = "entries"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    # decision, context, options, outcome, lesson, advice: section name -> redacted text.
    sections: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    function: Mapped[str | None] = mapped_column(String(200))
    market: Mapped[str | None] = mapped_column(String(200))
    competency: Mapped[str | None] = mapped_column(String(200))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    owner_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    verifier_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(12), index=True)
    review_interval_days: Mapped[int] = mapped_column(Integer, default=90)
    review_due: Mapped[dt.date | None] = mapped_column(Date, index=True)
    last_verified_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # The published text as a document of kind "entry" (what search and Ask index).
    document_id: Mapped[str | None] = mapped_column(String(32))
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class EntryVersionRow(Base):
    """One saved state of an entry: who, when, why, and every field as it then stood."""

    __tablename__ = "entry_versions"
    __table_args__ = (UniqueConstraint("entry_id", "number"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    entry_id: Mapped[str] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    author_id: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(String(500), default="")
    snapshot: Mapped[dict[str, object]] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class EntrySourceRow(Base):
    """Provenance: a reflection or debrief an entry was drawn from, with the passages each
    sentence of the draft came from. Kept when the source is later deleted."""

    __tablename__ = "entry_sources"
    __table_args__ = (UniqueConstraint("entry_id", "document_id"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    entry_id: Mapped[str] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"))
    document_id: Mapped[str] = mapped_column(String(32), index=True)
    title: Mapped[str] = mapped_column(String(500))
    pointers: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)


class EntryFeedbackRow(Base):
    """A reader's word on a published entry: it helped, or it is outdated (comment redacted)."""

    __tablename__ = "entry_feedback"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    entry_id: Mapped[str] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    verdict: Mapped[str] = mapped_column(String(12))
    comment: Mapped[str] = mapped_column(Text, default="")
    resolved: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditRow(Base):
    """Append-only record of what happened: sign-ins and failures, shares, approvals,
    publications, exports, role changes, views of originals. Never updated or deleted by the
    product; ``subject`` is a username or id, never document text."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    actor: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40), index=True)
    subject: Mapped[str] = mapped_column(String(200), default="", index=True)
    detail: Mapped[str] = mapped_column(String(500), default="")


class IndexStateRow(Base):
    """Which build of each derived index the store expects (one row per index: "vectors",
    "keywords"). ``token`` is stamped into the index when it is rebuilt, so an index that
    was deleted, replaced or restored from an old copy is told apart from the one the
    ledger describes; ``generation`` goes up at every rebuild, so a long-lived process
    notices that another one (``playbook reindex``) rebuilt an index and re-opens it."""

    __tablename__ = "index_state"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    token: Mapped[str | None] = mapped_column(String(64))
    rebuilt_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class ApiTokenRow(Base):
    """A personal access token for the HTTP API (migration 0012): only the SHA-256 of the
    secret is kept, so a copy of the store does not let anyone call the API."""

    __tablename__ = "api_tokens"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    name: Mapped[str] = mapped_column(String(80))
    scopes: Mapped[str] = mapped_column(String(64))  # space-separated: "read write"
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class RateEventRow(Base):
    """One counted request of a rate limit (migration 0012), so every replica counts the
    same requests; rows older than their limit's window are pruned as requests come."""

    __tablename__ = "rate_events"
    __table_args__ = (Index("ix_rate_events_bucket_key_at", "bucket", "key", "at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    bucket: Mapped[str] = mapped_column(String(32))
    key: Mapped[str] = mapped_column(String(128))
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


# The ecosystem's tables (issue 20) live in their own module; importing it here puts them
# on Base.metadata, where Alembic and the store look for every table.
# Mentoring (0011), council/rotations/impact (0015), versions and notifications (0013).
import playbook.store.coverage_tables  # noqa: E402  (coverage declarations, 0018)
import playbook.store.governance_tables  # noqa: E402
import playbook.store.inclusion_tables  # noqa: E402  (inclusion audit attributes, 0019)
import playbook.store.mentoring_tables  # noqa: E402
import playbook.store.signals_tables  # noqa: E402  (early-warning signal states, 0016)
import playbook.store.surveys_tables  # noqa: E402  (pulse surveys, 0017)
import playbook.store.writing_tables  # noqa: E402, F401
