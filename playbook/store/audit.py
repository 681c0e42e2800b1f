"""The audit log port over SQLAlchemy: lines are appended and read, never updated or deleted."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import func, select

from playbook.ports import AuditEvent
from playbook.store.engine import SqlAdapter, aware
from playbook.store.tables import AuditRow

# The sign-in use case records these actions; throttling reads them back.
_FAILED = "sign-in failed"
_SIGNED_IN = "sign-in"


class SqlAuditLog(SqlAdapter):
    """Audit store port: the append-only ``audit`` table."""

    def append(
        self, at: dt.datetime, actor: str | None, action: str, subject: str, detail: str
    ) -> None:
        """Add a line."""
        with self._session.begin() as s:
            s.add(AuditRow(at=at, actor=actor, action=action, subject=subject, detail=detail))

    def events(
        self, action: str | None = None, since: dt.datetime | None = None, limit: int = 1000
    ) -> list[AuditEvent]:
        """The newest lines first, optionally of one action or since a time."""
        q = select(AuditRow).order_by(AuditRow.id.desc()).limit(limit)
        if action:
            q = q.where(AuditRow.action == action)
        if since:
            q = q.where(AuditRow.at >= since)
        with self._session() as s:
            return [
                AuditEvent(r.id, aware(r.at), r.actor, r.action, r.subject, r.detail)
                for r in s.scalars(q)
            ]

    def failures_since(self, subject: str, since: dt.datetime) -> list[dt.datetime]:
        """Times of failed sign-ins recorded for ``subject`` since ``since``, oldest first."""
        with self._session() as s:
            rows = s.scalars(
                select(AuditRow.at)
                .where(
                    AuditRow.action == _FAILED,
                    AuditRow.subject == subject,
                    AuditRow.at >= since,
                )
                .order_by(AuditRow.at, AuditRow.id)
            )
            return [aware(t) for t in rows]

    def last_success(self, subject: str) -> dt.datetime | None:
        """When ``subject`` last signed in."""
        with self._session() as s:
            t = s.scalar(
                select(func.max(AuditRow.at)).where(
                    AuditRow.action == _SIGNED_IN, AuditRow.subject == subject
                )
            )
            return aware(t) if t else None
