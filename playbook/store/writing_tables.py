"""Tables of everyday writing (issue 18, migration 0013): the earlier versions of edited
documents and each person's notifications. ``playbook.store.tables`` imports this module, so
they are on ``Base.metadata`` with the rest; they live apart to keep ``tables`` small."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from playbook.store.tables import Base, new_id, utcnow


class DocumentVersionRow(Base):
    """A document's text before one of its author's edits: the redacted copy that was stored
    and the author's own words, encrypted (key rotation re-seals ``sealed``)."""

    __tablename__ = "document_versions"
    __table_args__ = (Index("ix_document_versions_document", "document_id", "number"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(500))
    redacted_text: Mapped[str] = mapped_column(Text)
    sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    replaced_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class NotificationRow(Base):
    """Something that happened to what a person wrote (redacted text only)."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_read", "user_id", "read"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    # A document or an entry: no foreign key, so the note outlives a deletion.
    subject_id: Mapped[str] = mapped_column(String(32))
    read: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
