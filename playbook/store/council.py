"""The council port over SQLAlchemy (migration 0015): a charter per programme, members,
meetings with their council-note document ids, and options until their owner decides."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select

from playbook.models import StoreError
from playbook.ports.programme import (
    Charter,
    CouncilMeeting,
    CouncilMember,
    CouncilOption,
    OptionStatus,
)
from playbook.store.engine import SqlAdapter, aware
from playbook.store.governance_tables import (
    CouncilCharterRow,
    CouncilMeetingRow,
    CouncilMemberRow,
    CouncilOptionRow,
)
from playbook.store.tables import new_id, utcnow


def _charter(r: CouncilCharterRow) -> Charter:
    return Charter(
        r.programme_id, r.scope, r.decision_rights, r.cadence, r.updated_by, aware(r.updated_at)
    )


def _member(r: CouncilMemberRow) -> CouncilMember:
    return CouncilMember(
        r.id,
        r.programme_id,
        r.user_id,
        r.name,
        r.affiliation,
        r.expertise,
        r.active,
        aware(r.added_at),
    )


def _meeting(r: CouncilMeetingRow) -> CouncilMeeting:
    return CouncilMeeting(
        r.id,
        r.programme_id,
        r.held_on,
        r.topic,
        tuple(r.note_ids or ()),
        r.created_by,
        aware(r.created_at),
    )


def _option(r: CouncilOptionRow) -> CouncilOption:
    return CouncilOption(
        option_id=r.id,
        programme_id=r.programme_id,
        meeting_id=r.meeting_id,
        text=r.text,
        owner_id=r.owner_id,
        status=OptionStatus(r.status),
        decision=r.decision,
        raised_by=r.raised_by,
        raised_at=aware(r.raised_at),
        decided_at=aware(r.decided_at) if r.decided_at else None,
    )


class SqlCouncil(SqlAdapter):
    """Council port: charter, members, meetings and options per programme."""

    def charter(self, programme_id: str) -> Charter | None:
        """The programme's charter, or None before one is written."""
        with self._session() as s:
            row = s.get(CouncilCharterRow, programme_id)
            return _charter(row) if row else None

    def set_charter(
        self, programme_id: str, scope: str, decision_rights: str, cadence: str, by: str
    ) -> Charter:
        """Write (or replace) the programme's charter."""
        with self._session.begin() as s:
            row = s.get(CouncilCharterRow, programme_id)
            if row is None:
                row = CouncilCharterRow(programme_id=programme_id)
                s.add(row)
            row.scope, row.decision_rights, row.cadence = scope, decision_rights, cadence
            row.updated_by, row.updated_at = by, utcnow()
            s.flush()
            return _charter(row)

    def add_member(
        self,
        programme_id: str,
        user_id: str | None,
        name: str,
        affiliation: str,
        expertise: str,
    ) -> str:
        """Seat an advisor; returns the member id."""
        row = CouncilMemberRow(
            id=new_id(),
            programme_id=programme_id,
            user_id=user_id,
            name=name,
            affiliation=affiliation,
            expertise=expertise,
            active=True,
            added_at=utcnow(),
        )
        with self._session.begin() as s:
            s.add(row)
        return row.id

    def members(self, programme_id: str, active_only: bool = True) -> list[CouncilMember]:
        """The council's members, in the order they joined."""
        query = select(CouncilMemberRow).where(CouncilMemberRow.programme_id == programme_id)
        if active_only:
            query = query.where(CouncilMemberRow.active.is_(True))
        with self._session() as s:
            rows = s.scalars(query.order_by(CouncilMemberRow.added_at, CouncilMemberRow.id))
            return [_member(r) for r in rows]

    def set_member_active(self, member_id: str, active: bool) -> CouncilMember:
        """Retire a member or bring them back (``StoreError`` for an unknown id)."""
        with self._session.begin() as s:
            row = s.get(CouncilMemberRow, member_id)
            if row is None:
                raise StoreError(f"no council member {member_id!r}")
            row.active = active
            return _member(row)

    def add_meeting(
        self, programme_id: str, held_on: dt.date, topic: str, note_ids: Sequence[str], by: str
    ) -> str:
        """Record a meeting; returns its id."""
        row = CouncilMeetingRow(
            id=new_id(),
            programme_id=programme_id,
            held_on=held_on,
            topic=topic,
            note_ids=list(note_ids),
            created_by=by,
            created_at=utcnow(),
        )
        with self._session.begin() as s:
            s.add(row)
        return row.id

    def meeting(self, meeting_id: str) -> CouncilMeeting | None:
        """One meeting, or None."""
        with self._session() as s:
            row = s.get(CouncilMeetingRow, meeting_id)
            return _meeting(row) if row else None

    def meetings(self, programme_id: str) -> list[CouncilMeeting]:
        """The programme's meetings, newest first."""
        with self._session() as s:
            rows = s.scalars(
                select(CouncilMeetingRow)
                .where(CouncilMeetingRow.programme_id == programme_id)
                .order_by(CouncilMeetingRow.held_on.desc(), CouncilMeetingRow.created_at.desc())
            )
            return [_meeting(r) for r in rows]

    def add_option(
        self, programme_id: str, meeting_id: str | None, text: str, owner_id: str, by: str
    ) -> str:
        """Track an option the council raised; returns its id (status open)."""
        row = CouncilOptionRow(
            id=new_id(),
            programme_id=programme_id,
            meeting_id=meeting_id,
            text=text,
            owner_id=owner_id,
            status=OptionStatus.OPEN.value,
            decision="",
            raised_by=by,
            raised_at=utcnow(),
        )
        with self._session.begin() as s:
            s.add(row)
        return row.id

    def option(self, option_id: str) -> CouncilOption | None:
        """One option, or None."""
        with self._session() as s:
            row = s.get(CouncilOptionRow, option_id)
            return _option(row) if row else None

    def options(self, programme_id: str, status: OptionStatus | None = None) -> list[CouncilOption]:
        """The programme's options (of one status), oldest first."""
        query = select(CouncilOptionRow).where(CouncilOptionRow.programme_id == programme_id)
        if status is not None:
            query = query.where(CouncilOptionRow.status == status.value)
        with self._session() as s:
            rows = s.scalars(query.order_by(CouncilOptionRow.raised_at, CouncilOptionRow.id))
            return [_option(r) for r in rows]

    def decide_option(self, option_id: str, status: OptionStatus, decision: str) -> CouncilOption:
        """Close an open option as decided or declined; ``StoreError`` when it is not open."""
        if status is OptionStatus.OPEN:
            raise StoreError("an option is closed as decided or declined, not reopened")
        with self._session.begin() as s:
            row = s.get(CouncilOptionRow, option_id, with_for_update=True)
            if row is None:
                raise StoreError(f"no council option {option_id!r}")
            if row.status != OptionStatus.OPEN.value:
                raise StoreError(f"this option was already {row.status}; it stays as it was")
            row.status, row.decision, row.decided_at = status.value, decision, utcnow()
            return _option(row)
