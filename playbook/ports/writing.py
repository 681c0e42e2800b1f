"""Seams of everyday writing: the earlier versions of a document its author edited, and the
notifications that tell authors what became of what they wrote."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class DocumentVersion:
    """A document as it was before one of its author's edits. ``title`` and
    ``redacted_text`` are the redacted ones that were stored; ``sealed`` holds the author's
    own words (title and text), encrypted by the service: only the author may read them."""

    document_id: str
    number: int  # 1 is the first text written; each edit keeps the one it replaced
    title: str
    redacted_text: str
    sealed: bytes | None
    replaced_at: dt.datetime


class DocumentVersions(Protocol):
    """Earlier versions of documents, kept when their author edits them."""

    def add(self, document_id: str, title: str, redacted_text: str, sealed: bytes | None) -> int:
        """Keep the text an edit is about to replace; returns its version number."""
        ...

    def versions(self, document_id: str) -> list[DocumentVersion]:
        """A document's earlier versions, newest first."""
        ...

    def discard(self, document_id: str) -> None:
        """Forget every earlier version of a document (it was deleted)."""
        ...


@dataclass(frozen=True)
class Notification:
    """Something that happened to what a person wrote. ``text`` is redacted text only."""

    notification_id: str
    user_id: str
    kind: str  # approved, declined, promoted, feedback
    text: str
    subject_id: str  # the document or entry it is about
    created_at: dt.datetime
    read: bool = False


class Notifications(Protocol):
    """Each person's notifications, newest first, until they mark them read."""

    def add(self, user_id: str, kind: str, text: str, subject_id: str) -> str:
        """Store a notification (its text already redacted); returns its id."""
        ...

    def for_user(self, user_id: str, limit: int = 50) -> list[Notification]:
        """A person's notifications, unread and read, newest first."""
        ...

    def unread_count(self, user_id: str) -> int:
        """How many of a person's notifications are unread."""
        ...

    def mark_read(self, user_id: str, notification_ids: Iterable[str] | None = None) -> None:
        """Mark these of the person's notifications read (every one when None); others'
        and unknown ids are ignored."""
        ...
