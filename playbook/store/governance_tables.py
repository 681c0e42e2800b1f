"""The tables of issue 20, part 2 (migration 0015): the advisor council (charter, members,
meetings, options), planned rotations, impact reports and objective recounts with their
validations. Every text column holds redacted text only. ``playbook.store.tables`` imports
this module, so these tables are on ``Base.metadata`` with the rest."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from playbook.store.tables import Base, new_id, utcnow


class CouncilCharterRow(Base):
    """The advisor council's charter, one per programme."""

    __tablename__ = "council_charters"

    programme_id: Mapped[str] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )
    scope: Mapped[str] = mapped_column(Text, default="")
    decision_rights: Mapped[str] = mapped_column(Text, default="")
    cadence: Mapped[str] = mapped_column(String(500), default="")
    updated_by: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CouncilMemberRow(Base):
    """An advisor: a user, or an external person known by (redacted) name only."""

    __tablename__ = "council_members"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    user_id: Mapped[str | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200), default="")
    affiliation: Mapped[str] = mapped_column(String(200), default="")
    expertise: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(default=True)
    added_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CouncilMeetingRow(Base):
    """A council meeting; ``note_ids`` lists its council-note documents (JSON)."""

    __tablename__ = "council_meetings"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    held_on: Mapped[dt.date] = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(500))
    note_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CouncilOptionRow(Base):
    """An option the council raised, until its internal owner decides or declines it."""

    __tablename__ = "council_options"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    meeting_id: Mapped[str | None] = mapped_column(
        ForeignKey("council_meetings.id", ondelete="SET NULL")
    )
    text: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[str] = mapped_column(ForeignKey("users.id"))
    status: Mapped[str] = mapped_column(String(12), default="open")
    decision: Mapped[str] = mapped_column(Text, default="")
    raised_by: Mapped[str] = mapped_column(String(32))
    raised_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


class PlannedRotationRow(Base):
    """A rotation as a programme object, and the debrief written after it."""

    __tablename__ = "planned_rotations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    person_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    function: Mapped[str] = mapped_column(String(200), default="")
    market: Mapped[str] = mapped_column(String(200), default="")
    start_date: Mapped[dt.date] = mapped_column(Date)
    end_date: Mapped[dt.date] = mapped_column(Date)
    anchor_project: Mapped[str] = mapped_column(String(500), default="")
    strategic_goal: Mapped[str] = mapped_column(String(500), default="")
    host_sponsor_id: Mapped[str | None] = mapped_column(ForeignKey("users.id"))
    debrief_id: Mapped[str | None] = mapped_column(String(32))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ImpactReportRow(Base):
    """A mentor's quarterly impact report: prompt id -> redacted answer (JSON)."""

    __tablename__ = "impact_reports"
    __table_args__ = (UniqueConstraint("programme_id", "mentor_id", "quarter"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    mentor_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    quarter: Mapped[str] = mapped_column(String(7), index=True)
    answers: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    shared: Mapped[bool] = mapped_column(default=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class ObjectiveRecountRow(Base):
    """A mentee's recount of a learning objective, and its named observer's validation."""

    __tablename__ = "objective_recounts"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    mentee_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    # The objective's id in the mentoring store (no foreign key: that table is another
    # migration's, and a recount keeps the objective's text beside it).
    objective_id: Mapped[str] = mapped_column(String(32), index=True)
    objective: Mapped[str] = mapped_column(Text, default="")
    quarter: Mapped[str] = mapped_column(String(7))
    text: Mapped[str] = mapped_column(Text)
    observer_id: Mapped[str] = mapped_column(ForeignKey("users.id"), index=True)
    shared: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    validation: Mapped[str | None] = mapped_column(Text)
    validated_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
