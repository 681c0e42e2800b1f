"""The system of record: SQLAlchemy over SQLite (default) or PostgreSQL.

Writes happen here first, in one transaction; the indexes follow and are repaired from the
``index_hash`` / ``indexed_hash`` bookkeeping when they fall behind.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    Engine,
    create_engine,
    delete,
    event,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from playbook.models import (
    ChunkRecord,
    DebriefFields,
    DocumentInfo,
    EntryStatus,
    Kind,
    PreparedDocument,
    Principal,
    Role,
    StoreError,
    UserInfo,
    Visibility,
)
from playbook.permissions import RULES, Action
from playbook.store.tables import (
    ChunkRow,
    DocumentRow,
    EntryRow,
    IndexStateRow,
    MembershipRow,
    ProgrammeRow,
    UserRow,
    utcnow,
)

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
T = TypeVar("T")


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys, a busy timeout and secure deletes
    (freed space is zeroed, so a re-redacted or deleted text leaves no bytes behind)."""
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA secure_delete=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    # hide_parameters: an error message must never carry a document's text into a log.
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


# PRAGMA user_version once a SQLite store has been rewritten with secure_delete on.
_SCRUBBED = 1


def scrub_files(engine: Engine) -> None:
    """SQLite: write the log back into the database and truncate it, so superseded pages
    (a text before re-redaction, a deleted document) are not left in the -wal file.
    PostgreSQL: nothing (its files are the server's; VACUUM is its operator's)."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def scrub_files_once(engine: Engine) -> None:
    """SQLite: rewrite (VACUUM) a store written before secure deletes were on, once, so its
    free pages hold no deleted text; later deletes zero what they free."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        if conn.exec_driver_sql("PRAGMA user_version").scalar_one() >= _SCRUBBED:
            return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM")
        conn.exec_driver_sql(f"PRAGMA user_version = {_SCRUBBED}")
    scrub_files(engine)


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def _aware(value: dt.datetime) -> dt.datetime:
    # SQLite hands datetimes back naive; they were stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def index_hash(row: DocumentRow) -> str:
    """Hash of everything the indexes hold for a document: text, permissions and filters."""
    payload = [
        row.redacted_text,
        row.owner_id,
        row.programme_id,
        row.kind,
        row.visibility,
        row.title,
        list(row.tags or []),
        row.source_id,
        row.source_label or "",
        row.function,
        row.market,
        _aware(row.created_at).isoformat() if row.created_at else None,
    ]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


class SqlRecords:
    """Records port over SQLAlchemy."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._session = sessionmaker(engine, expire_on_commit=False)

    # -- programmes and users -------------------------------------------------------------

    def ensure_programme(self, slug: str, name: str | None = None) -> str:
        """Return the id of the programme with this slug, creating it if needed (another
        process creating it at the same moment is not an error)."""
        return _once_more_on_conflict(lambda: self._ensure_programme(slug, name))

    def _ensure_programme(self, slug: str, name: str | None) -> str:
        with self._session.begin() as s:
            row = s.scalar(select(ProgrammeRow).where(ProgrammeRow.slug == slug))
            if row is None:
                row = ProgrammeRow(slug=slug, name=name or slug)
                s.add(row)
                s.flush()
            return row.id

    def programmes(self) -> list[tuple[str, str, int]]:
        """Every programme: (slug, name, how many people hold a role in it), by slug."""
        members = func.count(func.distinct(MembershipRow.user_id))
        q = (
            select(ProgrammeRow.slug, ProgrammeRow.name, members)
            .outerjoin(MembershipRow, MembershipRow.programme_id == ProgrammeRow.id)
            .group_by(ProgrammeRow.id)
            .order_by(ProgrammeRow.slug)
        )
        with self._session() as s:
            return [(slug, name, n) for slug, name, n in s.execute(q).all()]

    def coordinated_programmes(self, user_id: str) -> set[str]:
        """Programmes whose entries and share requests ``user_id`` looks after (coordinators)."""
        with self._session() as s:
            return coordinated_programmes(s, user_id)

    def member_ids(self, programme_id: str) -> set[str]:
        """Ids of the users who hold any role in a programme."""
        with self._session() as s:
            return set(
                s.scalars(
                    select(MembershipRow.user_id).where(MembershipRow.programme_id == programme_id)
                )
            )

    def programme_name(self, programme_id: str) -> str:
        """A programme's display name (its id when unknown)."""
        with self._session() as s:
            row = s.get(ProgrammeRow, programme_id)
            return row.name if row else programme_id

    def programme_id(self, slug: str) -> str:
        """The id of an existing programme."""
        with self._session() as s:
            pid = s.scalar(select(ProgrammeRow.id).where(ProgrammeRow.slug == slug))
        if pid is None:
            raise StoreError(f"no programme called {slug!r}")
        return pid

    def add_user(
        self,
        username: str,
        display_name: str | None = None,
        roles: Iterable[Role] = (Role.LEADER,),
        programme: str = "default",
        is_demo: bool = False,
    ) -> UserInfo:
        """Create a user holding ``roles`` in ``programme`` (created if missing)."""
        username = _clean_username(username)
        pid = self.ensure_programme(programme)
        with self._session.begin() as s:
            if s.scalar(select(UserRow.id).where(UserRow.username == username)):
                raise StoreError(f"a user called {username!r} already exists")
            user = UserRow(
                username=username, display_name=display_name or username, is_demo=is_demo
            )
            s.add(user)
            s.flush()
            for role in set(roles):
                s.add(MembershipRow(user_id=user.id, programme_id=pid, role=role.value))
        return self.user(username)

    def set_roles(
        self, username: str, roles: Iterable[Role], programme: str = "default"
    ) -> UserInfo:
        """Replace a user's roles in one programme."""
        pid = self.ensure_programme(programme)
        with self._session.begin() as s:
            user = self._user_row(s, username)
            s.execute(
                delete(MembershipRow).where(
                    MembershipRow.user_id == user.id, MembershipRow.programme_id == pid
                )
            )
            for role in set(roles):
                s.add(MembershipRow(user_id=user.id, programme_id=pid, role=role.value))
        return self.user(username)

    def set_active(self, username: str, active: bool) -> UserInfo:
        """Deactivate an account (it cannot sign in, and open sessions end) or reactivate
        it. Its writing, roles and audit lines stay."""
        with self._session.begin() as s:
            self._user_row(s, username).active = active
        return self.user(username)

    def user(self, username: str) -> UserInfo:
        """A user by name, with roles."""
        with self._session() as s:
            row = self._user_row(s, username)
            slugs = dict(s.execute(select(ProgrammeRow.id, ProgrammeRow.slug)).all())
            return _user_info(row, slugs)

    def users(self) -> list[UserInfo]:
        """All users, by name."""
        with self._session() as s:
            slugs = dict(s.execute(select(ProgrammeRow.id, ProgrammeRow.slug)).all())
            rows = s.scalars(select(UserRow).order_by(UserRow.username)).all()
            return [_user_info(r, slugs) for r in rows]

    def principal(self, username: str) -> Principal:
        """Who ``username`` is, for permission scoping."""
        with self._session() as s:
            row = self._user_row(s, username)
            return Principal(
                user_id=row.id,
                username=row.username,
                memberships=frozenset((m.programme_id, Role(m.role)) for m in row.memberships),
                active=row.active,
            )

    def user_ids(self, usernames: Iterable[str]) -> dict[str, str]:
        """Map the usernames that exist to their ids."""
        names = {_clean_username(u) for u in usernames}
        with self._session() as s:
            rows = s.execute(
                select(UserRow.username, UserRow.id).where(UserRow.username.in_(names))
            )
            return dict(rows.all())

    @staticmethod
    def _user_row(s: Session, username: str) -> UserRow:
        row = s.scalar(select(UserRow).where(UserRow.username == _clean_username(username)))
        if row is None:
            raise StoreError(
                f"no user called {username!r}; add one with `playbook users add {username}`"
            )
        return row

    # -- documents ------------------------------------------------------------------------

    def content_hashes(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """Current content hashes of live documents, by (owner_id, source_id)."""
        keys = list(keys)
        found: dict[tuple[str, str], str] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            owners = {k[0] for k in part}
            sources = {k[1] for k in part}
            with self._session() as s:
                rows = s.execute(
                    select(DocumentRow.owner_id, DocumentRow.source_id, DocumentRow.content_hash)
                    .where(DocumentRow.owner_id.in_(owners), DocumentRow.source_id.in_(sources))
                    .where(DocumentRow.deleted_at.is_(None))
                )
                wanted = set(part)
                for owner, source, chash in rows:
                    if (owner, source) in wanted:
                        found[(owner, source)] = chash
        return found

    def save(
        self, prepared: Sequence[PreparedDocument], force: bool = False
    ) -> list[tuple[str, str]]:
        """Insert or replace documents and their chunks in one transaction.

        Returns (document_id, status) per document, status being created, updated or unchanged.
        ``force`` replaces documents whose content hash is unchanged (re-redaction). When
        another process stored one of the same documents at the same moment, the batch is
        written again over what it stored (the later write wins, as in one process).
        """
        try:
            return self._save(prepared, force)
        except IntegrityError:
            return self._save(prepared, force)

    def _save(self, prepared: Sequence[PreparedDocument], force: bool) -> list[tuple[str, str]]:
        results: list[tuple[str, str]] = []
        with self._session.begin() as s:
            for p in prepared:
                d = p.doc
                row = s.scalar(
                    select(DocumentRow).where(
                        DocumentRow.owner_id == d.owner_id, DocumentRow.source_id == d.source_id
                    )
                )
                if (
                    not force
                    and row is not None
                    and row.deleted_at is None
                    and row.content_hash == p.content_hash
                ):
                    results.append((row.id, "unchanged"))
                    continue
                status = "updated" if row is not None and row.deleted_at is None else "created"
                if row is not None:
                    # Reviving a tombstone keeps its id, so indexing replaces its old chunks.
                    row.deleted_at = None
                else:
                    row = DocumentRow(owner_id=d.owner_id, source_id=d.source_id, index_hash="")
                    s.add(row)
                row.programme_id = d.programme_id
                row.kind = d.kind.value
                row.visibility = d.visibility.value
                row.title = d.title
                row.tags = list(d.tags)
                row.source_label = d.source_label or ""
                row.content_hash = p.content_hash
                row.redacted_text = p.redacted_text
                row.original_ciphertext = p.original_ciphertext
                row.vault_ciphertext = p.vault_ciphertext
                row.prompt_set = d.prompt_set
                row.created_at = d.created_at or row.created_at or utcnow()
                row.updated_at = utcnow()
                deb = d.debrief
                row.function, row.market = deb.function, deb.market
                row.start_date, row.end_date = deb.start_date, deb.end_date
                row.anchor_project, row.strategic_goal = deb.anchor_project, deb.strategic_goal
                s.flush()
                row.chunks = [
                    ChunkRow(
                        id=f"{row.id}-{i}",
                        ordinal=i,
                        text=c.text,
                        start_char=c.start,
                        end_char=c.end,
                    )
                    for i, c in enumerate(p.chunks)
                ]
                row.index_hash = index_hash(row)
                row.indexed_hash = None
                results.append((row.id, status))
        return results

    def delete(self, document_id: str) -> None:
        """Delete a document: a tombstone now; the row goes once the indexes have dropped it."""
        with self._session.begin() as s:
            row = s.get(DocumentRow, document_id)
            if row is None or row.deleted_at is not None:
                raise StoreError(f"no document with id {document_id!r}")
            row.deleted_at = utcnow()

    def set_visibility(self, document_id: str, visibility: Visibility) -> None:
        """Change who may read a document; its chunks are re-indexed with the new scope."""
        with self._session.begin() as s:
            row = s.get(DocumentRow, document_id)
            if row is None or row.deleted_at is not None:
                raise StoreError(f"no document with id {document_id!r}")
            row.visibility = visibility.value
            row.index_hash = index_hash(row)

    def set_share_status(self, document_id: str, status: str | None) -> None:
        """Record where a share request stands (pending, approved, declined, or none)."""
        with self._session.begin() as s:
            row = s.get(DocumentRow, document_id)
            if row is None or row.deleted_at is not None:
                raise StoreError(f"no document with id {document_id!r}")
            row.share_status = status
            row.share_requested_at = utcnow() if status == "pending" else row.share_requested_at

    def pending_shares(self, programme_ids: Iterable[str]) -> list[DocumentInfo]:
        """Documents awaiting a coordinator's approval in these programmes, oldest first."""
        q = (
            select(DocumentRow)
            .where(
                DocumentRow.deleted_at.is_(None),
                DocumentRow.share_status == "pending",
                DocumentRow.programme_id.in_(list(programme_ids)),
            )
            .order_by(DocumentRow.share_requested_at)
        )
        with self._session() as s:
            return [_document_info(r) for r in s.scalars(q)]

    def document(self, document_id: str) -> DocumentInfo | None:
        """A live document by id."""
        with self._session() as s:
            row = s.get(DocumentRow, document_id)
            if row is None or row.deleted_at is not None:
                return None
            return _document_info(row)

    def documents(self, owner_id: str | None = None, limit: int = 1000) -> list[DocumentInfo]:
        """Live documents, newest first; optionally one owner's only."""
        q = select(DocumentRow).where(DocumentRow.deleted_at.is_(None))
        if owner_id is not None:
            q = q.where(DocumentRow.owner_id == owner_id)
        q = q.order_by(DocumentRow.created_at.desc()).limit(limit)
        with self._session() as s:
            return [_document_info(r) for r in s.scalars(q)]

    def document_page(
        self, after_id: str | None, limit: int, ids: Sequence[str] | None = None
    ) -> list[tuple[DocumentInfo, str, bytes | None, bytes | None]]:
        """Live documents in id order after ``after_id`` (optionally only ``ids``), with their
        content hash and the encrypted original and vault (for re-redaction; never shown)."""
        q = select(DocumentRow).where(DocumentRow.deleted_at.is_(None))
        if ids is not None:
            q = q.where(DocumentRow.id.in_(list(ids)))
        if after_id is not None:
            q = q.where(DocumentRow.id > after_id)
        q = q.order_by(DocumentRow.id).limit(limit)
        with self._session() as s:
            return [
                (_document_info(r), r.content_hash, r.original_ciphertext, r.vault_ciphertext)
                for r in s.scalars(q)
            ]

    def readable_documents(self, principal: Principal, limit: int = 100_000) -> list[DocumentInfo]:
        """Live documents ``principal`` may read (the permission rule applied in SQL)."""
        q = (
            select(DocumentRow)
            .where(DocumentRow.deleted_at.is_(None), _readable_by(principal))
            .order_by(DocumentRow.created_at, DocumentRow.id)
            .limit(limit)
        )
        with self._session() as s:
            return [_document_info(r) for r in s.scalars(q)]

    def readable_counts(self, principal: Principal) -> dict[tuple[bool, str], int]:
        """How many live documents ``principal`` may read, by (their own?, kind), counted in
        SQL under the same rule as ``readable_documents``."""
        own = DocumentRow.owner_id == principal.user_id
        q = (
            select(own, DocumentRow.kind, func.count())
            .where(DocumentRow.deleted_at.is_(None), _readable_by(principal))
            .group_by(own, DocumentRow.kind)
        )
        with self._session() as s:
            return {(bool(mine), kind): n for mine, kind, n in s.execute(q).all()}

    def usernames(self, user_ids: Iterable[str]) -> dict[str, str]:
        """Map user ids to usernames."""
        with self._session() as s:
            rows = s.execute(
                select(UserRow.id, UserRow.username).where(UserRow.id.in_(set(user_ids)))
            )
            return dict(rows.all())

    # -- index bookkeeping ----------------------------------------------------------------

    def stale_documents(self, limit: int = 500) -> tuple[list[str], list[str]]:
        """Documents whose index entries are behind: (to re-index, tombstones to purge)."""
        with self._session() as s:
            stale = s.scalars(
                select(DocumentRow.id)
                .where(DocumentRow.deleted_at.is_(None))
                .where(_index_behind())
                .limit(limit)
            ).all()
            gone = s.scalars(
                select(DocumentRow.id).where(DocumentRow.deleted_at.is_not(None)).limit(limit)
            ).all()
        return list(stale), list(gone)

    def chunks_by_id(self, chunk_ids: Sequence[str]) -> dict[str, ChunkRecord]:
        """Chunks of live documents by chunk id, as ``chunk_records`` builds them (the dense
        index keeps no text and fills its hits in from here)."""
        if not chunk_ids:
            return {}
        with self._session() as s:
            doc_ids = set(
                s.scalars(select(ChunkRow.document_id).where(ChunkRow.id.in_(list(chunk_ids))))
            )
        wanted = set(chunk_ids)
        records, _ = self.chunk_records(sorted(doc_ids))
        return {r.chunk_id: r for r in records if r.chunk_id in wanted}

    def scrub(self) -> None:
        """Leave no superseded text in the store's files (see ``scrub_files``)."""
        scrub_files(self.engine)

    def chunk_records(
        self, document_ids: Sequence[str]
    ) -> tuple[list[ChunkRecord], dict[str, str]]:
        """Chunks of live documents, with what each index needs; and each document's index hash."""
        records: list[ChunkRecord] = []
        hashes: dict[str, str] = {}
        with self._session() as s:
            rows = list(
                s.scalars(
                    select(DocumentRow)
                    .where(DocumentRow.id.in_(document_ids))
                    .where(DocumentRow.deleted_at.is_(None))
                )
            )
            # A curated entry's document carries its review date into the indexes.
            entry_docs = [r.id for r in rows if r.kind == Kind.ENTRY]
            review: dict[str | None, dt.date | None] = {
                doc_id: due
                for doc_id, due in s.execute(
                    select(EntryRow.document_id, EntryRow.review_due).where(
                        EntryRow.document_id.in_(entry_docs)
                    )
                )
            }
            for row in rows:
                published_entry = row.kind == Kind.ENTRY and row.visibility == Visibility.PUBLISHED
                hashes[row.id] = row.index_hash
                for c in row.chunks:
                    records.append(
                        ChunkRecord(
                            chunk_id=c.id,
                            document_id=row.id,
                            ordinal=c.ordinal,
                            text=c.text,
                            owner_id=row.owner_id,
                            visibility=Visibility(row.visibility),
                            programme_id=row.programme_id,
                            kind=Kind(row.kind),
                            title=row.title,
                            source_id=row.source_id,
                            source_label=row.source_label or "",
                            tags=tuple(row.tags or ()),
                            created_at=_aware(row.created_at),
                            function=row.function,
                            market=row.market,
                            review_due=review.get(row.id),
                            entry_status=EntryStatus.PUBLISHED if published_entry else None,
                        )
                    )
        return records, hashes

    def mark_unindexed(self, document_ids: Sequence[str]) -> None:
        """Flag documents for re-indexing (what the index holds about them changed)."""
        with self._session.begin() as s:
            s.execute(
                update(DocumentRow)
                .where(DocumentRow.id.in_(list(document_ids)))
                .values(indexed_hash=None)
            )

    def document_id(self, owner_id: str, source_id: str) -> str | None:
        """The id of a live document by its owner and source id."""
        with self._session() as s:
            return s.scalar(
                select(DocumentRow.id).where(
                    DocumentRow.owner_id == owner_id,
                    DocumentRow.source_id == source_id,
                    DocumentRow.deleted_at.is_(None),
                )
            )

    def mark_indexed(self, hashes: dict[str, str], generation: int | None = None) -> None:
        """Record that the indexes now hold these documents at these index hashes.

        ``generation`` is ``index_generation()`` as it was before the indexes were written:
        when an index was rebuilt in between (by another process), what was written may
        have gone to the index that was dropped, so nothing is marked and the rebuild picks
        the documents up. A document changed meanwhile (another writer) is flagged again:
        what was written is its older state."""
        with self._session.begin() as s:
            if generation is not None and _generation(s) != generation:
                return
            for doc_id, h in hashes.items():
                s.execute(
                    update(DocumentRow)
                    .where(DocumentRow.id == doc_id, DocumentRow.index_hash == h)
                    .values(indexed_hash=h)
                )
                s.execute(
                    update(DocumentRow)
                    .where(DocumentRow.id == doc_id, DocumentRow.index_hash != h)
                    .values(indexed_hash=None)
                )

    def index_generation(self) -> int:
        """A number that goes up whenever either index is rebuilt (one small query: long-lived
        processes check it before using an index, to re-open one another process rebuilt)."""
        with self._session() as s:
            return _generation(s)

    def index_states(self) -> dict[str, tuple[int, str | None]]:
        """Each index's (generation, token) as the store expects it; absent: (0, None)."""
        with self._session() as s:
            return {r.name: (r.generation, r.token) for r in s.scalars(select(IndexStateRow))}

    def index_rebuilt(self, name: str, token: str) -> int:
        """Record that index ``name`` was emptied to be rebuilt and now carries ``token``;
        returns the new generation of all indexes."""
        return _once_more_on_conflict(lambda: self._index_rebuilt(name, token))

    def _index_rebuilt(self, name: str, token: str) -> int:
        with self._session.begin() as s:
            row = s.get(IndexStateRow, name)
            if row is None:
                row = IndexStateRow(name=name, generation=0)
                s.add(row)
            row.generation = (row.generation or 0) + 1
            row.token = token
            row.rebuilt_at = utcnow()
            s.flush()
            return _generation(s)

    def stamp_index(self, name: str, token: str) -> None:
        """Record the token an index carries without counting a rebuild (first stamp)."""
        _once_more_on_conflict(lambda: self._stamp_index(name, token))

    def _stamp_index(self, name: str, token: str) -> None:
        with self._session.begin() as s:
            row = s.get(IndexStateRow, name)
            if row is None:
                s.add(IndexStateRow(name=name, generation=0, token=token))
            else:
                row.token = token

    def ledger(self) -> tuple[int, int]:
        """Chunks the indexes must hold (of live documents marked indexed) and the most they
        may hold (every chunk row, tombstones not yet purged included): an index outside
        these bounds has lost chunks or holds some the store does not know."""
        with self._session() as s:
            indexed = s.scalar(
                select(func.count())
                .select_from(ChunkRow)
                .join(DocumentRow)
                .where(
                    DocumentRow.deleted_at.is_(None),
                    DocumentRow.indexed_hash == DocumentRow.index_hash,
                )
            )
            every = s.scalar(select(func.count()).select_from(ChunkRow))
        return int(indexed or 0), int(every or 0)

    def purge(self, document_ids: Sequence[str]) -> None:
        """Remove tombstones whose chunks the indexes have dropped."""
        with self._session.begin() as s:
            for doc_id in document_ids:
                row = s.get(DocumentRow, doc_id)
                if row is not None and row.deleted_at is not None:
                    s.delete(row)

    def clear_source_ids(self, limit: int = 256) -> list[tuple[str, str]]:
        """Documents whose source id an earlier version stored in the clear: (id, source id)."""
        keyed = or_(*(DocumentRow.source_id.like(f"{p}:%") for p in ("sid", "studio", "entry")))
        with self._session() as s:
            rows = s.execute(
                select(DocumentRow.id, DocumentRow.source_id)
                .where(~keyed)
                .order_by(DocumentRow.id)
                .limit(limit)
            )
            return [(doc_id, sid) for doc_id, sid in rows]

    def rekey_sources(self, changes: Sequence[tuple[str, str, str | None]]) -> None:
        """Give documents their keyed source id and redacted label: (id, source id, label;
        None keeps the label).

        A document already imported again under the keyed id supersedes the old row, which
        becomes a tombstone (the indexes then drop it)."""
        with self._session.begin() as s:
            for doc_id, source_id, label in changes:
                row = s.get(DocumentRow, doc_id)
                if row is None:
                    continue
                twin = s.scalar(
                    select(DocumentRow.id).where(
                        DocumentRow.owner_id == row.owner_id,
                        DocumentRow.source_id == source_id,
                        DocumentRow.id != doc_id,
                    )
                )
                if twin is not None:
                    row.source_id = f"sid:{row.id}"  # unique and keyed-looking: never clear
                    row.deleted_at = row.deleted_at or utcnow()
                else:
                    row.source_id = source_id
                if label is not None:
                    row.source_label = label
                row.index_hash = index_hash(row)

    def mark_all_unindexed(self) -> None:
        """Flag every live document for re-indexing (used by reindex)."""
        with self._session.begin() as s:
            s.execute(update(DocumentRow).values(indexed_hash=None))

    def stats(self) -> dict[str, Any]:
        """Counts for `playbook stats`."""
        with self._session() as s:
            live = DocumentRow.deleted_at.is_(None)
            by_kind = dict(
                s.execute(
                    select(DocumentRow.kind, func.count()).where(live).group_by(DocumentRow.kind)
                ).all()
            )
            by_vis = dict(
                s.execute(
                    select(DocumentRow.visibility, func.count())
                    .where(live)
                    .group_by(DocumentRow.visibility)
                ).all()
            )
            return {
                "users": s.scalar(select(func.count()).select_from(UserRow)) or 0,
                "programmes": s.scalar(select(func.count()).select_from(ProgrammeRow)) or 0,
                "documents": sum(by_kind.values()),
                "documents_by_kind": by_kind,
                "documents_by_visibility": by_vis,
                "chunks": s.scalar(
                    select(func.count()).select_from(ChunkRow).join(DocumentRow).where(live)
                )
                or 0,
                "pending_index": s.scalar(
                    select(func.count())
                    .select_from(DocumentRow)
                    .where(or_(DocumentRow.deleted_at.is_not(None), _index_behind()))
                )
                or 0,
            }


def coordinated_programmes(s: Session, user_id: str) -> set[str]:
    """Programmes whose entries and share requests ``user_id`` looks after (coordinators)."""
    return set(
        s.scalars(
            select(MembershipRow.programme_id).where(
                MembershipRow.user_id == user_id,
                MembershipRow.role.in_([r.value for r in RULES[Action.CURATE].roles]),
            )
        )
    )


def _readable_by(principal: Principal) -> ColumnElement[bool]:
    """The read rule (``permissions``, ``Action.READ``) as a SQL condition on documents."""
    own = DocumentRow.owner_id == principal.user_id
    if not principal.programme_ids:
        return own
    return or_(
        own,
        (DocumentRow.visibility != Visibility.PRIVATE.value)
        & DocumentRow.programme_id.in_(principal.programme_ids),
    )


def _once_more_on_conflict(write: Callable[[], T]) -> T:
    """Run a create-if-missing write again when another process created the same row
    between its lookup and its commit (the second run finds the row and updates it)."""
    try:
        return write()
    except IntegrityError:
        return write()


def _generation(s: Session) -> int:
    return int(s.scalar(select(func.coalesce(func.sum(IndexStateRow.generation), 0))) or 0)


def _index_behind() -> ColumnElement[bool]:
    """Documents whose indexes do not hold what the store says they should."""
    return or_(
        DocumentRow.indexed_hash.is_(None), DocumentRow.indexed_hash != DocumentRow.index_hash
    )


def _clean_username(username: str) -> str:
    name = username.strip().lower()
    if not name or len(name) > 64 or any(ch.isspace() for ch in name):
        raise StoreError(f"{username!r} is not a valid user name (1-64 characters, no spaces)")
    return name


def _user_info(row: UserRow, slugs: dict[str, str]) -> UserInfo:
    roles: dict[str, list[Role]] = {}
    for m in row.memberships:
        roles.setdefault(slugs.get(m.programme_id, m.programme_id), []).append(Role(m.role))
    return UserInfo(
        user_id=row.id,
        username=row.username,
        display_name=row.display_name,
        roles={k: tuple(sorted(v)) for k, v in roles.items()},
        is_demo=row.is_demo,
        active=row.active,
    )


def _document_info(row: DocumentRow) -> DocumentInfo:
    return DocumentInfo(
        document_id=row.id,
        owner_id=row.owner_id,
        programme_id=row.programme_id,
        kind=Kind(row.kind),
        visibility=Visibility(row.visibility),
        title=row.title,
        source_id=row.source_id,
        tags=tuple(row.tags or ()),
        created_at=_aware(row.created_at),
        redacted_text=row.redacted_text,
        chunk_count=len(row.chunks),
        debrief=DebriefFields(
            function=row.function,
            market=row.market,
            start_date=row.start_date,
            end_date=row.end_date,
            anchor_project=row.anchor_project,
            strategic_goal=row.strategic_goal,
        ),
        prompt_set=row.prompt_set,
        share_status=row.share_status,
        source_label=row.source_label or "",
    )
