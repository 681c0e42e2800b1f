"""Tables of the early-warning signals (issue 21, item 1; migration 0016): the state a
coordinator gave a signal (snoozed until a day, or resolved with an optional note, redacted).
Signals are computed from metadata on demand and never stored; only these decisions are.
They share ``tables.Base`` (``tables`` imports this module, so Alembic and ``Base.metadata``
see them)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from playbook.store.tables import Base, new_id, utcnow


class SignalStateRow(Base):
    """One signal's state in a programme, by the signal's stable key (one row per key)."""

    __tablename__ = "health_signal_states"
    __table_args__ = (UniqueConstraint("programme_id", "key"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    programme_id: Mapped[str] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    # kind:subject:cause, ids and dates only (never a name or a title).
    key: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(12))
    until: Mapped[dt.date | None] = mapped_column(Date)
    by_id: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
