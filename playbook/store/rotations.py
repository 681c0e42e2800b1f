"""The rotations port over SQLAlchemy (migration 0015): rotations planned as programme
objects, each linked to the debrief written after it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, select

from playbook.models import StoreError
from playbook.ports.programme import PlannedRotation
from playbook.store.engine import SqlAdapter, aware
from playbook.store.governance_tables import PlannedRotationRow
from playbook.store.tables import new_id, utcnow


def _rotation(r: PlannedRotationRow) -> PlannedRotation:
    return PlannedRotation(
        rotation_id=r.id,
        programme_id=r.programme_id,
        person_id=r.person_id,
        function=r.function,
        market=r.market,
        start_date=r.start_date,
        end_date=r.end_date,
        anchor_project=r.anchor_project,
        strategic_goal=r.strategic_goal,
        host_sponsor_id=r.host_sponsor_id,
        debrief_id=r.debrief_id,
        created_by=r.created_by,
        created_at=aware(r.created_at),
    )


class SqlRotations(SqlAdapter):
    """Rotations port: planned rotations per programme."""

    def add(
        self,
        programme_id: str,
        person_id: str,
        function: str,
        market: str,
        start_date: dt.date,
        end_date: dt.date,
        anchor_project: str,
        strategic_goal: str,
        host_sponsor_id: str | None,
        by: str,
    ) -> str:
        """Plan a rotation (fields already checked and redacted); returns its id."""
        row = PlannedRotationRow(
            id=new_id(),
            programme_id=programme_id,
            person_id=person_id,
            function=function,
            market=market,
            start_date=start_date,
            end_date=end_date,
            anchor_project=anchor_project,
            strategic_goal=strategic_goal,
            host_sponsor_id=host_sponsor_id,
            created_by=by,
            created_at=utcnow(),
        )
        with self._session.begin() as s:
            s.add(row)
        return row.id

    def get(self, rotation_id: str) -> PlannedRotation | None:
        """One rotation, or None."""
        with self._session() as s:
            row = s.get(PlannedRotationRow, rotation_id)
            return _rotation(row) if row else None

    def listing(
        self, programme_ids: Iterable[str], person_id: str | None = None
    ) -> list[PlannedRotation]:
        """Rotations in these programmes (of one person), by start date."""
        wanted = list(programme_ids)
        if not wanted:
            return []
        query = select(PlannedRotationRow).where(PlannedRotationRow.programme_id.in_(wanted))
        if person_id is not None:
            query = query.where(PlannedRotationRow.person_id == person_id)
        with self._session() as s:
            rows = s.scalars(
                query.order_by(PlannedRotationRow.start_date, PlannedRotationRow.created_at)
            )
            return [_rotation(r) for r in rows]

    def link_debrief(self, rotation_id: str, document_id: str | None) -> PlannedRotation:
        """Link the debrief written after (None unlinks); ``StoreError`` for an unknown id."""
        with self._session.begin() as s:
            row = s.get(PlannedRotationRow, rotation_id)
            if row is None:
                raise StoreError(f"no planned rotation {rotation_id!r}")
            row.debrief_id = document_id
            return _rotation(row)

    def cancel(self, rotation_id: str) -> None:
        """Remove a planned rotation (unknown ids are ignored)."""
        with self._session.begin() as s:
            s.execute(delete(PlannedRotationRow).where(PlannedRotationRow.id == rotation_id))
