"""Tables of the inclusion audit (issue 21, item 4, migration 0019): the attributes each
programme asks for, and people's own declarations with the consent they gave. They share
``tables.Base`` (``tables`` imports this module, so Alembic and ``Base.metadata`` see them)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from playbook.store.tables import Base, new_id, utcnow


class InclusionConfigRow(Base):
    """A programme's configured attributes: a JSON list of {name, label, values}, in order.
    One row per programme; no row means the defaults apply."""

    __tablename__ = "inclusion_configs"

    programme_id: Mapped[str] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True
    )
    attributes: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class InclusionDeclarationRow(Base):
    """One value a person declared about themself, and the consent text they agreed to.
    Withdrawal deletes the row; deleting the account deletes it too (cascade). ``batch`` is
    None while the value waits for enough others to declare the attribute; then the number
    of the batch it was counted in (the audit counts only rows with a batch)."""

    __tablename__ = "inclusion_declarations"
    __table_args__ = (UniqueConstraint("programme_id", "user_id", "attribute"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    programme_id: Mapped[str] = mapped_column(
        ForeignKey("programmes.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    attribute: Mapped[str] = mapped_column(String(40))
    value: Mapped[str] = mapped_column(String(120))
    consent_text: Mapped[str] = mapped_column(Text)
    consented_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    batch: Mapped[int | None] = mapped_column(Integer, nullable=True, default=None)
