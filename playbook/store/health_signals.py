"""The signal ports over SQLAlchemy: ``SqlSignalStates`` keeps what coordinators decided
about signals (the ``health_signal_states`` table, migration 0016); ``SqlActivityFacts``
reads the documents' metadata the signals count (owner, kind, dates), selecting those
columns only, so no title or body is ever loaded for a signal."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, select

from playbook.ports.signals import ShareWait, SignalState, SignalStatus
from playbook.store.engine import SqlAdapter, aware, once_more_on_conflict
from playbook.store.signals_tables import SignalStateRow
from playbook.store.tables import DocumentRow, new_id, utcnow


def _state(row: SignalStateRow) -> SignalState:
    return SignalState(
        programme_id=row.programme_id,
        key=row.key,
        status=SignalStatus(row.status),
        until=row.until,
        by_id=row.by_id,
        at=aware(row.at),
        note=row.note,
    )


class SqlSignalStates(SqlAdapter):
    """Signal states port: one row per programme and key, replaced on each decision."""

    def snooze(self, programme_id: str, key: str, until: dt.date, by_id: str) -> SignalState:
        """Hide the signal until ``until`` (replaces any earlier state of the key)."""
        return self._put(programme_id, key, SignalStatus.SNOOZED, until, by_id, "")

    def resolve(self, programme_id: str, key: str, by_id: str, note: str) -> SignalState:
        """Mark the signal dealt with (``note`` already redacted; replaces any earlier
        state of the key)."""
        return self._put(programme_id, key, SignalStatus.RESOLVED, None, by_id, note)

    def reopen(self, programme_id: str, key: str) -> bool:
        """Forget the state of a key; True when there was one."""
        with self._session.begin() as s:
            gone = s.execute(
                delete(SignalStateRow).where(
                    SignalStateRow.programme_id == programme_id, SignalStateRow.key == key
                )
            )
        return bool(getattr(gone, "rowcount", 0))

    def states(self, programme_id: str) -> dict[str, SignalState]:
        """Every stored state of the programme, by key."""
        with self._session() as s:
            rows = s.scalars(
                select(SignalStateRow).where(SignalStateRow.programme_id == programme_id)
            ).all()
        return {r.key: _state(r) for r in rows}

    def _put(
        self,
        programme_id: str,
        key: str,
        status: SignalStatus,
        until: dt.date | None,
        by_id: str,
        note: str,
    ) -> SignalState:
        def write() -> SignalState:
            with self._session.begin() as s:
                row = s.scalars(
                    select(SignalStateRow).where(
                        SignalStateRow.programme_id == programme_id, SignalStateRow.key == key
                    )
                ).one_or_none()
                if row is None:
                    row = SignalStateRow(id=new_id(), programme_id=programme_id, key=key)
                    s.add(row)
                row.status, row.until, row.by_id = status.value, until, by_id
                row.note, row.at = note, utcnow()
                s.flush()
                return _state(row)

        # Two coordinators deciding on the same new key at once: the second updates.
        return once_more_on_conflict(write)


class SqlActivityFacts(SqlAdapter):
    """Activity facts port: document metadata (owner, kind, dates), never text."""

    def writing_days(
        self, programme_id: str, since: dt.date, kinds: Iterable[str]
    ) -> list[tuple[str, dt.date]]:
        """(owner id, day created) of each live document of these kinds in the programme
        created on or after ``since``."""
        wanted = list(kinds)
        if not wanted:
            return []
        start = dt.datetime.combine(since, dt.time(), tzinfo=dt.UTC)
        q = select(DocumentRow.owner_id, DocumentRow.created_at).where(
            DocumentRow.programme_id == programme_id,
            DocumentRow.deleted_at.is_(None),
            DocumentRow.kind.in_(wanted),
            DocumentRow.created_at >= start,
        )
        with self._session() as s:
            return [(owner, aware(at).date()) for owner, at in s.execute(q)]

    def share_waits(self, programme_id: str) -> list[ShareWait]:
        """Share requests still pending in the programme, oldest first."""
        q = (
            select(
                DocumentRow.id,
                DocumentRow.owner_id,
                DocumentRow.share_requested_at,
                DocumentRow.updated_at,
            )
            .where(
                DocumentRow.programme_id == programme_id,
                DocumentRow.deleted_at.is_(None),
                DocumentRow.share_status == "pending",
            )
            .order_by(DocumentRow.share_requested_at, DocumentRow.id)
        )
        with self._session() as s:
            # A request made before the request time was kept (migration 0003) has none:
            # its last change is the best moment known.
            return [
                ShareWait(doc_id, owner, aware(asked or changed))
                for doc_id, owner, asked, changed in s.execute(q)
            ]
