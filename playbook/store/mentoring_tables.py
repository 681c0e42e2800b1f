"""Tables of the mentorship ecosystem (issue 20, migration 0011): profiles, objectives,
pairings, their private reasons, sessions, touchpoints and the suggestion log. Every text
column holds redacted text. They share ``tables.Base`` (``tables`` imports this module, so
Alembic and ``Base.metadata`` see them); they live apart to keep ``tables`` small."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from playbook.store.tables import Base, new_id, utcnow


class MentoringProfileRow(Base):
    """A mentor, reverse mentor, advisor or mentee profile: one per programme, user, role.
    List fields are JSON lists; ``conflicts`` are user ids."""

    __tablename__ = "mentoring_profiles"
    __table_args__ = (UniqueConstraint("programme_id", "user_id", "role"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    expertise: Mapped[str] = mapped_column(Text, default="")
    industries: Mapped[list[str]] = mapped_column(JSON, default=list)
    functions: Mapped[list[str]] = mapped_column(JSON, default=list)
    markets: Mapped[list[str]] = mapped_column(JSON, default=list)
    style: Mapped[str] = mapped_column(String(100), default="")
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(Integer, default=0)
    availability: Mapped[str] = mapped_column(Text, default="")
    seniority: Mapped[int] = mapped_column(Integer, default=1)
    manager_id: Mapped[str | None] = mapped_column(String(32))
    conflicts: Mapped[list[str]] = mapped_column(JSON, default=list)
    goals: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MentoringObjectiveRow(Base):
    """A mentee's learning objective; retired, never deleted, once off the profile, so the
    recounts and validations attached to its id survive."""

    __tablename__ = "mentoring_objectives"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    profile_id: Mapped[str] = mapped_column(
        ForeignKey("mentoring_profiles.id", ondelete="CASCADE"), index=True
    )
    programme_id: Mapped[str] = mapped_column(String(32), index=True)
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    text: Mapped[str] = mapped_column(Text)
    goal: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    retired: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class PairingRow(Base):
    """A giver and a mentee: proposed -> approved -> active (both accepted); declined; ended."""

    __tablename__ = "mentoring_pairings"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    mentor_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    mentee_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(12), index=True)
    objective_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    min_sessions_per_quarter: Mapped[int] = mapped_column(Integer, default=2)
    mentor_accepted: Mapped[bool] = mapped_column(default=False)
    mentee_accepted: Mapped[bool] = mapped_column(default=False)
    proposed_by: Mapped[str] = mapped_column(String(32))
    approved_by: Mapped[str | None] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class PairingReasonRow(Base):
    """A private reason a pairing ended (coordinators and its author only)."""

    __tablename__ = "mentoring_pairing_reasons"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    pairing_id: Mapped[str] = mapped_column(
        ForeignKey("mentoring_pairings.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class MentoringSessionRow(Base):
    """A session a pairing held; ``document_id`` links its session note, if any."""

    __tablename__ = "mentoring_sessions"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    pairing_id: Mapped[str] = mapped_column(
        ForeignKey("mentoring_pairings.id", ondelete="CASCADE"), index=True
    )
    held_on: Mapped[dt.date] = mapped_column(Date)
    document_id: Mapped[str | None] = mapped_column(String(32))
    logged_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class TouchpointRow(Base):
    """A touchpoint planned against a business cycle."""

    __tablename__ = "mentoring_touchpoints"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    pairing_id: Mapped[str] = mapped_column(
        ForeignKey("mentoring_pairings.id", ondelete="CASCADE"), index=True
    )
    day: Mapped[dt.date] = mapped_column(Date)
    cycle: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SuggestionRow(Base):
    """A giver shown as a suggestion to a mentee: the balance check counts these."""

    __tablename__ = "mentoring_suggestions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    programme_id: Mapped[str] = mapped_column(String(32), index=True)
    mentee_id: Mapped[str] = mapped_column(String(32))
    mentor_id: Mapped[str] = mapped_column(String(32), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
