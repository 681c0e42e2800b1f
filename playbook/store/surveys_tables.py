"""Tables of anonymous pulse surveys (issue 21, item 2; migration 0017): series, rounds,
used tokens and ballots. They share ``tables.Base`` (``tables`` imports this module).

The token and ballot tables are built so that no row of one can be paired with a row of
the other: neither holds a user id or a time; their keys are random (ballots) or keyed
hashes (tokens); and on SQLite both are ``WITHOUT ROWID`` tables, stored in key order, so
no hidden rowid keeps the order of insertion. (PostgreSQL keeps rows in insertion order in
its heap; the adapter rewrites a round's ballots in random order on each answer.)
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from playbook.store.tables import Base, new_id, utcnow


class SurveySeriesRow(Base):
    """A survey: title and questions (a JSON list of {kind, text, low, high}), redacted."""

    __tablename__ = "survey_series"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    programme_id: Mapped[str] = mapped_column(ForeignKey("programmes.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    questions: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    # The coordinator who drafted it: their work, not an answer; a time is harmless here.
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SurveyRoundRow(Base):
    """One round of a series: open or closed, its days, its population and group size."""

    __tablename__ = "survey_rounds"
    __table_args__ = (UniqueConstraint("series_id", "number"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    series_id: Mapped[str] = mapped_column(
        ForeignKey("survey_series.id", ondelete="CASCADE"), index=True
    )
    programme_id: Mapped[str] = mapped_column(String(32), index=True)
    number: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(12))
    opened_on: Mapped[dt.date] = mapped_column(Date)
    closed_on: Mapped[dt.date | None] = mapped_column(Date)
    invited: Mapped[int] = mapped_column(Integer, default=0)
    group_size: Mapped[int] = mapped_column(Integer)


class SurveyTokenRow(Base):
    """A used one-time token: the round and a keyed hash of the person, nothing else."""

    __tablename__ = "survey_tokens"
    __table_args__ = ({"sqlite_with_rowid": False},)

    round_id: Mapped[str] = mapped_column(
        ForeignKey("survey_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    token: Mapped[str] = mapped_column(String(64), primary_key=True)


class SurveyBallotRow(Base):
    """One anonymous ballot: a random id, the round, whether a complete group counts it yet,
    and the answers (a JSON object: question position -> scale point or redacted text)."""

    __tablename__ = "survey_ballots"
    __table_args__ = ({"sqlite_with_rowid": False},)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    round_id: Mapped[str] = mapped_column(
        ForeignKey("survey_rounds.id", ondelete="CASCADE"), index=True
    )
    counted: Mapped[bool] = mapped_column(default=False)
    answers: Mapped[str] = mapped_column(Text)
