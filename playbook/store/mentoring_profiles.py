"""The ``Profiles`` port over SQLAlchemy: ``mentoring_profiles`` and ``mentoring_objectives``
(migration 0011). Texts arrive redacted; a batch of profiles is one transaction."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from playbook.ports.mentoring import (
    Objective,
    ObjectiveDraft,
    Profile,
    ProfileDraft,
    ProfileRole,
)
from playbook.store.engine import SqlAdapter, aware
from playbook.store.mentoring_tables import MentoringObjectiveRow, MentoringProfileRow
from playbook.store.tables import new_id, utcnow


class SqlProfiles(SqlAdapter):
    """Profiles port: one profile per programme, user and role; objectives with stable ids."""

    def save_profiles(self, drafts: Sequence[ProfileDraft]) -> list[str]:
        """Create or replace profiles, all or none; unchanged objectives keep their ids."""
        ids: list[str] = []
        with self._session.begin() as s:
            for draft in drafts:
                ids.append(self._save_one(s, draft))
        return ids

    def _save_one(self, s: Session, d: ProfileDraft) -> str:
        row = s.scalars(
            select(MentoringProfileRow).where(
                MentoringProfileRow.programme_id == d.programme_id,
                MentoringProfileRow.user_id == d.user_id,
                MentoringProfileRow.role == d.role.value,
            )
        ).one_or_none()
        if row is None:
            row = MentoringProfileRow(
                id=new_id(), programme_id=d.programme_id, user_id=d.user_id, role=d.role.value
            )
            s.add(row)
        row.expertise = d.expertise
        row.industries = list(d.industries)
        row.functions = list(d.functions)
        row.markets = list(d.markets)
        row.style = d.style
        row.languages = list(d.languages)
        row.capacity = d.capacity
        row.availability = d.availability
        row.seniority = d.seniority
        row.manager_id = d.manager_id
        row.conflicts = list(d.conflicts)
        row.goals = d.goals
        row.updated_at = utcnow()
        s.flush()
        self._save_objectives(s, row, d.objectives)
        return row.id

    @staticmethod
    def _save_objectives(
        s: Session, profile: MentoringProfileRow, wanted: Sequence[ObjectiveDraft]
    ) -> None:
        existing = s.scalars(
            select(MentoringObjectiveRow).where(MentoringObjectiveRow.profile_id == profile.id)
        ).all()
        # Same text, same objective: its id (and what others attached to it) carries on.
        by_text: dict[str, MentoringObjectiveRow] = {}
        for old in existing:
            by_text.setdefault(old.text, old)
        kept: set[str] = set()
        for position, obj in enumerate(wanted):
            found = by_text.get(obj.text)
            if found is not None and found.id not in kept:
                row = found
            else:
                row = MentoringObjectiveRow(
                    id=new_id(),
                    profile_id=profile.id,
                    programme_id=profile.programme_id,
                    user_id=profile.user_id,
                    text=obj.text,
                )
                s.add(row)
            row.goal = obj.goal
            row.position = position
            row.retired = False
            kept.add(row.id)
        for old in existing:
            if old.id not in kept:
                old.retired = True

    def profile(self, profile_id: str) -> Profile | None:
        """One profile by id, or None."""
        with self._session() as s:
            row = s.get(MentoringProfileRow, profile_id)
            return None if row is None else self._profiles(s, [row])[0]

    def profiles(
        self, programme_id: str, role: ProfileRole | None = None, user_id: str | None = None
    ) -> list[Profile]:
        """A programme's profiles, optionally of one role and/or person, by user id."""
        query = select(MentoringProfileRow).where(MentoringProfileRow.programme_id == programme_id)
        if role is not None:
            query = query.where(MentoringProfileRow.role == role.value)
        if user_id is not None:
            query = query.where(MentoringProfileRow.user_id == user_id)
        with self._session() as s:
            rows = s.scalars(
                query.order_by(MentoringProfileRow.user_id, MentoringProfileRow.role)
            ).all()
            return self._profiles(s, rows)

    def objective(self, objective_id: str) -> Objective | None:
        """One objective by id (retired ones too), or None."""
        with self._session() as s:
            row = s.get(MentoringObjectiveRow, objective_id)
            return None if row is None else _objective(row)

    def objectives(self, programme_id: str, user_id: str | None = None) -> list[Objective]:
        """A programme's objectives, retired ones included, optionally of one person."""
        query = select(MentoringObjectiveRow).where(
            MentoringObjectiveRow.programme_id == programme_id
        )
        if user_id is not None:
            query = query.where(MentoringObjectiveRow.user_id == user_id)
        with self._session() as s:
            rows = s.scalars(
                query.order_by(
                    MentoringObjectiveRow.user_id,
                    MentoringObjectiveRow.retired,
                    MentoringObjectiveRow.position,
                    MentoringObjectiveRow.created_at,
                )
            ).all()
            return [_objective(r) for r in rows]

    @staticmethod
    def _profiles(s: Session, rows: Sequence[MentoringProfileRow]) -> list[Profile]:
        ids = [r.id for r in rows]
        objectives: dict[str, list[Objective]] = {i: [] for i in ids}
        if ids:
            for o in s.scalars(
                select(MentoringObjectiveRow)
                .where(
                    MentoringObjectiveRow.profile_id.in_(ids),
                    MentoringObjectiveRow.retired.is_(False),
                )
                .order_by(MentoringObjectiveRow.position)
            ):
                objectives[o.profile_id].append(_objective(o))
        return [
            Profile(
                profile_id=r.id,
                programme_id=r.programme_id,
                user_id=r.user_id,
                role=ProfileRole(r.role),
                expertise=r.expertise,
                industries=tuple(r.industries or ()),
                functions=tuple(r.functions or ()),
                markets=tuple(r.markets or ()),
                style=r.style,
                languages=tuple(r.languages or ()),
                capacity=r.capacity,
                availability=r.availability,
                seniority=r.seniority,
                manager_id=r.manager_id,
                conflicts=tuple(r.conflicts or ()),
                goals=r.goals,
                updated_at=aware(r.updated_at),
                objectives=tuple(objectives[r.id]),
            )
            for r in rows
        ]


def _objective(r: MentoringObjectiveRow) -> Objective:
    return Objective(
        objective_id=r.id,
        profile_id=r.profile_id,
        programme_id=r.programme_id,
        user_id=r.user_id,
        text=r.text,
        goal=r.goal,
        position=r.position,
        retired=r.retired,
        created_at=aware(r.created_at),
    )
