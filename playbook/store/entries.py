"""Playbook entries in the system of record (SQLAlchemy): content, lifecycle, versions with
optimistic locking, provenance and reader feedback. Text arrives here redacted."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import select, update
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from sqlalchemy.engine import CursorResult

from playbook.lifecycle import snapshot
from playbook.models import (
    Entry,
    EntryConflictError,
    EntryContent,
    EntrySource,
    EntryStatus,
    EntryVersion,
    StoreError,
)
from playbook.store.engine import SqlAdapter, aware
from playbook.store.tables import (
    EntryFeedbackRow,
    EntryRow,
    EntrySourceRow,
    EntryVersionRow,
    utcnow,
)


def _entry(row: EntryRow) -> Entry:
    return Entry(
        entry_id=row.id,
        programme_id=row.programme_id,
        owner_id=row.owner_id,
        content=EntryContent(
            title=row.title,
            sections=dict(row.sections or {}),
            function=row.function,
            market=row.market,
            competency=row.competency,
            tags=tuple(row.tags or ()),
            verifier_id=row.verifier_id,
            review_interval_days=row.review_interval_days,
        ),
        status=EntryStatus(row.status),
        version=row.version,
        review_due=row.review_due,
        last_verified_at=aware(row.last_verified_at) if row.last_verified_at else None,
        document_id=row.document_id,
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
    )


def _apply(row: EntryRow, content: EntryContent) -> None:
    row.title = content.title
    row.sections = dict(content.sections)
    row.function, row.market, row.competency = content.function, content.market, content.competency
    row.tags = list(content.tags)
    row.verifier_id = content.verifier_id
    row.review_interval_days = content.review_interval_days


_LIFECYCLE_COLUMNS = frozenset({"status", "review_due", "last_verified_at", "document_id"})


class SqlEntries(SqlAdapter):
    """Entries over SQLAlchemy. Every change writes a version row in the same transaction."""

    def create(
        self,
        programme_id: str,
        owner_id: str,
        content: EntryContent,
        sources: Sequence[EntrySource] = (),
        note: str = "created",
    ) -> Entry:
        """A new draft entry (version 1) with its provenance."""
        with self._session.begin() as s:
            row = EntryRow(
                programme_id=programme_id,
                owner_id=owner_id,
                status=EntryStatus.DRAFT.value,
                version=1,
            )
            _apply(row, content)
            s.add(row)
            s.flush()
            for src in sources:
                s.add(
                    EntrySourceRow(
                        entry_id=row.id,
                        document_id=src.document_id,
                        title=src.title,
                        pointers=list(src.pointers),
                    )
                )
            self._version(s, row, owner_id, note)
            return _entry(row)

    def get(self, entry_id: str) -> Entry:
        """An entry; ``StoreError`` when there is none with this id."""
        with self._session() as s:
            return _entry(self._row(s, entry_id))

    def update(
        self,
        entry_id: str,
        expected_version: int,
        author_id: str,
        note: str,
        content: EntryContent | None = None,
        **changes: Any,
    ) -> Entry:
        """Change an entry that is still at ``expected_version``, as one new version.

        ``changes`` sets lifecycle columns: ``status`` (an EntryStatus), ``review_due``,
        ``last_verified_at`` and ``document_id`` (None clears the last three).

        Raises:
            EntryConflictError: the entry moved on since ``expected_version`` was read.
        """
        with self._session.begin() as s:
            row = self._row(s, entry_id)
            # The version check and bump are one UPDATE, so two writers cannot both pass it.
            result = s.execute(
                update(EntryRow)
                .where(EntryRow.id == entry_id, EntryRow.version == expected_version)
                .values(version=expected_version + 1)
            )
            if cast("CursorResult[Any]", result).rowcount != 1:
                s.rollback()
                raise EntryConflictError(self.get(entry_id))
            s.refresh(row)
            if content is not None:
                _apply(row, content)
            unknown = set(changes) - _LIFECYCLE_COLUMNS
            if unknown:
                raise ValueError(f"not a lifecycle column: {', '.join(sorted(unknown))}")
            for column, value in changes.items():
                setattr(row, column, value.value if isinstance(value, EntryStatus) else value)
            row.updated_at = utcnow()
            self._version(s, row, author_id, note)
            return _entry(row)

    def versions(self, entry_id: str) -> list[EntryVersion]:
        """Every saved state, oldest first."""
        with self._session() as s:
            rows = s.scalars(
                select(EntryVersionRow)
                .where(EntryVersionRow.entry_id == entry_id)
                .order_by(EntryVersionRow.number)
            )
            return [
                EntryVersion(r.number, r.author_id, r.note, aware(r.created_at), dict(r.snapshot))
                for r in rows
            ]

    def sources(self, entry_id: str) -> list[EntrySource]:
        """Where an entry came from."""
        with self._session() as s:
            rows = s.scalars(select(EntrySourceRow).where(EntrySourceRow.entry_id == entry_id))
            return [EntrySource(r.document_id, r.title, tuple(r.pointers or ())) for r in rows]

    def listing(
        self, programme_ids: Iterable[str], statuses: Iterable[EntryStatus] = ()
    ) -> list[Entry]:
        """Entries of these programmes (in these states), most recently changed first."""
        with self._session() as s:
            q = select(EntryRow).where(EntryRow.programme_id.in_(list(programme_ids)))
            wanted = [st.value for st in statuses]
            if wanted:
                q = q.where(EntryRow.status.in_(wanted))
            return [
                _entry(r) for r in s.scalars(q.order_by(EntryRow.updated_at.desc(), EntryRow.id))
            ]

    def by_document(self, document_ids: Iterable[str]) -> dict[str, Entry]:
        """Entries by the id of their published document."""
        ids = list(document_ids)
        with self._session() as s:
            rows = s.scalars(select(EntryRow).where(EntryRow.document_id.in_(ids)))
            return {r.document_id: _entry(r) for r in rows if r.document_id}

    def add_feedback(self, entry_id: str, user_id: str, verdict: str, comment: str) -> None:
        """A reader's feedback (``comment`` already redacted)."""
        with self._session.begin() as s:
            self._row(s, entry_id)
            s.add(
                EntryFeedbackRow(
                    entry_id=entry_id, user_id=user_id, verdict=verdict, comment=comment
                )
            )

    def feedback(self, entry_ids: Iterable[str], open_only: bool = True) -> list[dict[str, Any]]:
        """Feedback on these entries, newest first."""
        with self._session() as s:
            q = select(EntryFeedbackRow).where(EntryFeedbackRow.entry_id.in_(list(entry_ids)))
            if open_only:
                q = q.where(EntryFeedbackRow.resolved.is_(False))
            return [
                {
                    "id": r.id,
                    "entry_id": r.entry_id,
                    "user_id": r.user_id,
                    "verdict": r.verdict,
                    "comment": r.comment,
                    "created_at": aware(r.created_at),
                }
                for r in s.scalars(
                    q.order_by(EntryFeedbackRow.created_at.desc(), EntryFeedbackRow.id)
                )
            ]

    def resolve_feedback(self, feedback_ids: Iterable[str]) -> None:
        """Mark feedback as dealt with."""
        with self._session.begin() as s:
            s.execute(
                update(EntryFeedbackRow)
                .where(EntryFeedbackRow.id.in_(list(feedback_ids)))
                .values(resolved=True)
            )

    @staticmethod
    def _row(s: Session, entry_id: str) -> EntryRow:
        row = s.get(EntryRow, entry_id)
        if row is None:
            raise StoreError(f"no playbook entry with id {entry_id!r}")
        return row

    @staticmethod
    def _version(s: Session, row: EntryRow, author_id: str, note: str) -> None:
        entry = _entry(row)
        s.add(
            EntryVersionRow(
                entry_id=row.id,
                number=row.version,
                author_id=author_id,
                note=note[:500],
                snapshot=snapshot(entry.content, entry.status, entry.review_due),
            )
        )
