"""Tables of knowledge coverage (issue 21, item 3; migration 0018): the strategic goals and
knowledge domains a programme declares. Names and descriptions hold redacted text. They
share ``tables.Base`` (``tables`` imports this module, so Alembic and ``Base.metadata`` see
them)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from playbook.store.tables import Base, new_id, utcnow


class CoverageDeclarationRow(Base):
    """A declared strategic goal or knowledge domain (market and function included).
    ``name_key`` is the folded name: one declaration per programme, kind and name."""

    __tablename__ = "coverage_declarations"
    __table_args__ = (UniqueConstraint("programme_id", "kind", "name_key"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    programme_id: Mapped[str] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list[str]] = mapped_column(JSON, default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
