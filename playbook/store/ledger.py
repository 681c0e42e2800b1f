"""The index ledger over SQLAlchemy: what each derived index must hold, what it holds, and
its rebuild generation, so indexes are repaired from the store when they fall behind."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from playbook.models import (
    ChunkRecord,
    EntryStatus,
    Kind,
    Visibility,
)
from playbook.store.engine import SqlAdapter, aware, once_more_on_conflict
from playbook.store.tables import (
    ChunkRow,
    DocumentRow,
    EntryRow,
    IndexStateRow,
    ProgrammeRow,
    UserRow,
    utcnow,
)


class SqlLedger(SqlAdapter):
    """Index ledger port: stale documents, chunk records for the indexes, generations."""

    def stale_documents(self, limit: int = 500) -> tuple[list[str], list[str]]:
        """Documents whose index entries are behind: (to re-index, tombstones to purge)."""
        with self._session() as s:
            stale = s.scalars(
                select(DocumentRow.id)
                .where(DocumentRow.deleted_at.is_(None))
                .where(index_behind())
                .limit(limit)
            ).all()
            gone = s.scalars(
                select(DocumentRow.id).where(DocumentRow.deleted_at.is_not(None)).limit(limit)
            ).all()
        return list(stale), list(gone)

    def chunks_by_id(self, chunk_ids: Sequence[str]) -> dict[str, ChunkRecord]:
        """Chunks of live documents by chunk id, as ``chunk_records`` builds them (the dense
        index keeps no text and fills its hits in from here). One select of the chunks
        with their documents, and one of the entries' review dates: only the chunks asked
        for are read, not every chunk of their documents."""
        if not chunk_ids:
            return {}
        with self._session() as s:
            rows = list(
                s.execute(
                    select(
                        ChunkRow.id.label("chunk_id"),
                        ChunkRow.ordinal,
                        ChunkRow.text,
                        *_INDEXED_COLUMNS,
                    )
                    .join(DocumentRow, ChunkRow.document_id == DocumentRow.id)
                    .where(ChunkRow.id.in_(list(dict.fromkeys(chunk_ids))))
                    .where(DocumentRow.deleted_at.is_(None))
                )
            )
            review = self._review_dates(s, rows)
        return {r.chunk_id: _record(r, r.chunk_id, r.ordinal, r.text, review) for r in rows}

    @staticmethod
    def _review_dates(s: Session, rows: Sequence[Any]) -> dict[str | None, dt.date | None]:
        """A curated entry's document carries its review date into the indexes."""
        entry_docs = list({r.id for r in rows if r.kind == Kind.ENTRY})
        if not entry_docs:
            return {}
        found = s.execute(
            select(EntryRow.document_id, EntryRow.review_due).where(
                EntryRow.document_id.in_(entry_docs)
            )
        )
        return {doc_id: due for doc_id, due in found}

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
            review = self._review_dates(s, rows)
            for row in rows:
                hashes[row.id] = row.index_hash
                records.extend(_record(row, c.id, c.ordinal, c.text, review) for c in row.chunks)
        return records, hashes

    def mark_unindexed(self, document_ids: Sequence[str]) -> None:
        """Flag documents for re-indexing (what the index holds about them changed)."""
        with self._session.begin() as s:
            s.execute(
                update(DocumentRow)
                .where(DocumentRow.id.in_(list(document_ids)))
                .values(indexed_hash=None)
            )

    def mark_indexed(self, hashes: dict[str, str], generation: int | None = None) -> None:
        """Record that the indexes now hold these documents at these index hashes.

        ``generation`` is ``index_generation()`` as it was before the indexes were written:
        when an index was rebuilt in between (by another process), what was written may
        have gone to the index that was dropped, so nothing is marked and the rebuild picks
        the documents up. A document changed meanwhile (another writer) is flagged again:
        what was written is its older state."""
        with self._session.begin() as s:
            if generation is not None and current_generation(s) != generation:
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
            return current_generation(s)

    def index_states(self) -> dict[str, tuple[int, str | None]]:
        """Each index's (generation, token) as the store expects it; absent: (0, None)."""
        with self._session() as s:
            return {r.name: (r.generation, r.token) for r in s.scalars(select(IndexStateRow))}

    def index_rebuilt(
        self, name: str, token: str, stamp: Callable[[str], None] | None = None
    ) -> int:
        """Record that index ``name`` was emptied to be rebuilt and now carries ``token``;
        returns the new generation of all indexes. ``stamp(token)`` writes the token into
        the index itself, inside this transaction (see ``claim_index_token``)."""
        return once_more_on_conflict(lambda: self._index_rebuilt(name, token, stamp))

    def _index_rebuilt(self, name: str, token: str, stamp: Callable[[str], None] | None) -> int:
        with self._session.begin() as s:
            _lock_index_state(s, name)
            row = s.get(IndexStateRow, name)
            if row is None:
                row = IndexStateRow(name=name, generation=0)
                s.add(row)
            row.generation = (row.generation or 0) + 1
            row.token = token
            row.rebuilt_at = utcnow()
            s.flush()
            if stamp is not None:
                stamp(token)
            return current_generation(s)

    def claim_index_token(
        self, name: str, token: str, stamp: Callable[[str], None] | None = None
    ) -> str:
        """Record ``token`` for index ``name`` unless a token is recorded already (no rebuild
        is counted); the token recorded now. ``stamp(kept)`` writes it into the index inside
        this transaction, which holds the row's write lock: another process's claim or
        rebuild waits, so the store and the index never end with two different tokens."""
        return once_more_on_conflict(lambda: self._claim_index_token(name, token, stamp))

    def _claim_index_token(self, name: str, token: str, stamp: Callable[[str], None] | None) -> str:
        with self._session.begin() as s:
            _lock_index_state(s, name)
            row = s.get(IndexStateRow, name)
            if row is None:
                row = IndexStateRow(name=name, generation=0, token=token)
                s.add(row)
            elif row.token is None:
                row.token = token
            s.flush()
            kept = str(row.token)
            if stamp is not None:
                stamp(kept)
            return kept

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
                    .where(or_(DocumentRow.deleted_at.is_not(None), index_behind()))
                )
                or 0,
            }


def _lock_index_state(s: Session, name: str) -> None:
    """Take the write lock for an index's state row now (SQLite: the database's, before
    anything is read; PostgreSQL: the row's, when it exists), so two processes' token
    writes run one after the other."""
    s.execute(
        update(IndexStateRow).where(IndexStateRow.name == name).values(token=IndexStateRow.token)
    )


def current_generation(s: Session) -> int:
    return int(s.scalar(select(func.coalesce(func.sum(IndexStateRow.generation), 0))) or 0)


def index_behind() -> ColumnElement[bool]:
    """Documents whose indexes do not hold what the store says they should."""
    return or_(
        DocumentRow.indexed_hash.is_(None), DocumentRow.indexed_hash != DocumentRow.index_hash
    )


# What the indexes need of a document (not its text, original or vault: a search reads
# these for every hit).
_INDEXED_COLUMNS = (
    DocumentRow.id,
    DocumentRow.kind,
    DocumentRow.visibility,
    DocumentRow.owner_id,
    DocumentRow.programme_id,
    DocumentRow.title,
    DocumentRow.source_id,
    DocumentRow.source_label,
    DocumentRow.tags,
    DocumentRow.created_at,
    DocumentRow.function,
    DocumentRow.market,
)


def _record(
    row: Any, chunk_id: str, ordinal: int, text: str, review: dict[str | None, dt.date | None]
) -> ChunkRecord:
    """One chunk of a live document as the indexes see it (``row``: the document's row or
    its ``_INDEXED_COLUMNS``)."""
    published_entry = row.kind == Kind.ENTRY and row.visibility == Visibility.PUBLISHED
    return ChunkRecord(
        chunk_id=chunk_id,
        document_id=row.id,
        ordinal=ordinal,
        text=text,
        owner_id=row.owner_id,
        visibility=Visibility(row.visibility),
        programme_id=row.programme_id,
        kind=Kind(row.kind),
        title=row.title,
        source_id=row.source_id,
        source_label=row.source_label or "",
        tags=tuple(row.tags or ()),
        created_at=aware(row.created_at),
        function=row.function,
        market=row.market,
        review_due=review.get(row.id),
        entry_status=EntryStatus.PUBLISHED if published_entry else None,
    )
