"""The notifications port over SQLAlchemy: the ``notifications`` table (migration 0013),
redacted text only."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, update

from playbook.ports.writing import Notification
from playbook.store.engine import SqlAdapter, aware
from playbook.store.writing_tables import NotificationRow


class SqlNotifications(SqlAdapter):
    """Notifications port: each person's notes, newest first, until marked read."""

    def add(self, user_id: str, kind: str, text: str, subject_id: str) -> str:
        """Store a notification (its text already redacted); returns its id."""
        row = NotificationRow(user_id=user_id, kind=kind, text=text, subject_id=subject_id)
        with self._session.begin() as s:
            s.add(row)
            s.flush()
            return row.id

    def for_user(self, user_id: str, limit: int = 50) -> list[Notification]:
        """A person's notifications, unread and read, newest first."""
        with self._session() as s:
            rows = s.scalars(
                select(NotificationRow)
                .where(NotificationRow.user_id == user_id)
                .order_by(NotificationRow.created_at.desc(), NotificationRow.id)
                .limit(limit)
            ).all()
        return [
            Notification(r.id, r.user_id, r.kind, r.text, r.subject_id, aware(r.created_at), r.read)
            for r in rows
        ]

    def unread_count(self, user_id: str) -> int:
        """How many of a person's notifications are unread."""
        with self._session() as s:
            n = s.scalar(
                select(func.count())
                .select_from(NotificationRow)
                .where(NotificationRow.user_id == user_id, NotificationRow.read.is_(False))
            )
        return int(n or 0)

    def mark_read(self, user_id: str, notification_ids: Iterable[str] | None = None) -> None:
        """Mark these of the person's notifications read (every one when None); others'
        and unknown ids are ignored."""
        query = update(NotificationRow).where(NotificationRow.user_id == user_id)
        if notification_ids is not None:
            ids = list(notification_ids)
            if not ids:
                return
            query = query.where(NotificationRow.id.in_(ids))
        with self._session.begin() as s:
            s.execute(query.values(read=True))
