"""The ``Pairings`` port over SQLAlchemy: pairings, their private reasons, sessions,
touchpoints and the suggestion log (migration 0011). Texts arrive redacted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select, update

from playbook.ports.mentoring import (
    Cycle,
    MentoringSession,
    Pairing,
    PairingState,
    PrivateReason,
    ProfileRole,
    Touchpoint,
)
from playbook.store.engine import SqlAdapter, aware
from playbook.store.mentoring_tables import (
    MentoringSessionRow,
    PairingReasonRow,
    PairingRow,
    SuggestionRow,
    TouchpointRow,
)
from playbook.store.tables import new_id, utcnow


class SqlPairings(SqlAdapter):
    """Pairings port: state changes are compare-and-set on the state a caller read."""

    def propose(
        self,
        programme_id: str,
        mentor_id: str,
        mentee_id: str,
        role: ProfileRole,
        objective_ids: Sequence[str],
        min_sessions_per_quarter: int,
        proposed_by: str,
    ) -> str:
        """Store a new pairing in the proposed state; returns its id."""
        now = utcnow()
        row = PairingRow(
            id=new_id(),
            programme_id=programme_id,
            mentor_id=mentor_id,
            mentee_id=mentee_id,
            role=role.value,
            state=PairingState.PROPOSED.value,
            objective_ids=list(objective_ids),
            min_sessions_per_quarter=min_sessions_per_quarter,
            mentor_accepted=False,
            mentee_accepted=False,
            proposed_by=proposed_by,
            created_at=now,
            updated_at=now,
        )
        with self._session.begin() as s:
            s.add(row)
        return row.id

    def pairing(self, pairing_id: str) -> Pairing | None:
        """One pairing by id, or None."""
        with self._session() as s:
            row = s.get(PairingRow, pairing_id)
            return None if row is None else _pairing(row)

    def pairings(
        self,
        programme_id: str,
        user_id: str | None = None,
        states: Iterable[PairingState] | None = None,
    ) -> list[Pairing]:
        """A programme's pairings, oldest first, optionally one person's and/or by state."""
        query = select(PairingRow).where(PairingRow.programme_id == programme_id)
        if user_id is not None:
            query = query.where(
                (PairingRow.mentor_id == user_id) | (PairingRow.mentee_id == user_id)
            )
        if states is not None:
            query = query.where(PairingRow.state.in_([s.value for s in states]))
        with self._session() as s:
            rows = s.scalars(query.order_by(PairingRow.created_at, PairingRow.id)).all()
            return [_pairing(r) for r in rows]

    def update(self, pairing: Pairing, expected: PairingState) -> bool:
        """Write state, acceptances, approver and end time if still in ``expected``."""
        with self._session.begin() as s:
            result = s.execute(
                update(PairingRow)
                .where(PairingRow.id == pairing.pairing_id, PairingRow.state == expected.value)
                .values(
                    state=pairing.state.value,
                    mentor_accepted=pairing.mentor_accepted,
                    mentee_accepted=pairing.mentee_accepted,
                    approved_by=pairing.approved_by,
                    ended_at=pairing.ended_at,
                    updated_at=utcnow(),
                )
            )
            return bool(getattr(result, "rowcount", 0))

    def add_reason(self, pairing_id: str, author_id: str, text: str) -> str:
        """Keep a private reason (redacted) for a pairing; returns its id."""
        row = PairingReasonRow(id=new_id(), pairing_id=pairing_id, author_id=author_id, text=text)
        with self._session.begin() as s:
            s.add(row)
        return row.id

    def reasons(self, pairing_id: str) -> list[PrivateReason]:
        """A pairing's private reasons, oldest first."""
        with self._session() as s:
            rows = s.scalars(
                select(PairingReasonRow)
                .where(PairingReasonRow.pairing_id == pairing_id)
                .order_by(PairingReasonRow.created_at, PairingReasonRow.id)
            ).all()
        return [
            PrivateReason(r.id, r.pairing_id, r.author_id, r.text, aware(r.created_at))
            for r in rows
        ]

    def log_session(
        self, pairing_id: str, held_on: dt.date, document_id: str | None, logged_by: str
    ) -> str:
        """Record a session held; returns its id."""
        row = MentoringSessionRow(
            id=new_id(),
            pairing_id=pairing_id,
            held_on=held_on,
            document_id=document_id,
            logged_by=logged_by,
        )
        with self._session.begin() as s:
            s.add(row)
        return row.id

    def sessions(self, pairing_id: str) -> list[MentoringSession]:
        """A pairing's sessions, by date held."""
        with self._session() as s:
            rows = s.scalars(
                select(MentoringSessionRow)
                .where(MentoringSessionRow.pairing_id == pairing_id)
                .order_by(MentoringSessionRow.held_on, MentoringSessionRow.created_at)
            ).all()
        return [
            MentoringSession(
                r.id, r.pairing_id, r.held_on, r.document_id, r.logged_by, aware(r.created_at)
            )
            for r in rows
        ]

    def add_touchpoint(self, pairing_id: str, day: dt.date, cycle: Cycle, title: str) -> str:
        """Plan a touchpoint; returns its id."""
        row = TouchpointRow(
            id=new_id(), pairing_id=pairing_id, day=day, cycle=cycle.value, title=title
        )
        with self._session.begin() as s:
            s.add(row)
        return row.id

    def touchpoints(self, pairing_id: str) -> list[Touchpoint]:
        """A pairing's touchpoints, by day."""
        with self._session() as s:
            rows = s.scalars(
                select(TouchpointRow)
                .where(TouchpointRow.pairing_id == pairing_id)
                .order_by(TouchpointRow.day, TouchpointRow.created_at)
            ).all()
        return [
            Touchpoint(r.id, r.pairing_id, r.day, Cycle(r.cycle), r.title, aware(r.created_at))
            for r in rows
        ]

    def record_suggestions(
        self, programme_id: str, mentee_id: str, mentor_ids: Sequence[str]
    ) -> None:
        """Note that these givers were suggested to this mentee."""
        if not mentor_ids:
            return
        now = utcnow()
        with self._session.begin() as s:
            s.add_all(
                SuggestionRow(
                    programme_id=programme_id, mentee_id=mentee_id, mentor_id=m, created_at=now
                )
                for m in mentor_ids
            )

    def suggestion_counts(self, programme_id: str, since: dt.datetime) -> dict[str, int]:
        """How often each giver was suggested in the programme since then."""
        with self._session() as s:
            rows = s.execute(
                select(SuggestionRow.mentor_id, func.count())
                .where(
                    SuggestionRow.programme_id == programme_id, SuggestionRow.created_at >= since
                )
                .group_by(SuggestionRow.mentor_id)
            ).all()
        return {mentor: int(n) for mentor, n in rows}


def _pairing(r: PairingRow) -> Pairing:
    return Pairing(
        pairing_id=r.id,
        programme_id=r.programme_id,
        mentor_id=r.mentor_id,
        mentee_id=r.mentee_id,
        role=ProfileRole(r.role),
        state=PairingState(r.state),
        objective_ids=tuple(r.objective_ids or ()),
        min_sessions_per_quarter=r.min_sessions_per_quarter,
        mentor_accepted=r.mentor_accepted,
        mentee_accepted=r.mentee_accepted,
        proposed_by=r.proposed_by,
        approved_by=r.approved_by,
        created_at=aware(r.created_at),
        updated_at=aware(r.updated_at),
        ended_at=aware(r.ended_at) if r.ended_at else None,
    )
