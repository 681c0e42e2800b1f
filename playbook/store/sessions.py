"""The sign-in sessions port over SQLAlchemy: the ``sign_in_sessions`` table, keyed by the
keyed hash of each token (the token itself is never stored)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, String, delete, or_, update
from sqlalchemy.orm import Mapped, mapped_column

from playbook.ports import SignInSession
from playbook.store.engine import SqlAdapter, aware
from playbook.store.tables import Base


class SessionRow(Base):
    """One sign-in session (migration 0009)."""

    __tablename__ = "sign_in_sessions"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))


def _session(row: SessionRow) -> SignInSession:
    return SignInSession(
        row.token_hash,
        row.username,
        aware(row.created_at),
        aware(row.expires_at),
        aware(row.revoked_at) if row.revoked_at else None,
    )


class SqlSessions(SqlAdapter):
    """Session store port: what the sessions use case keeps about who is signed in."""

    def add(
        self, token_hash: str, username: str, created_at: dt.datetime, expires_at: dt.datetime
    ) -> None:
        """Store a new session."""
        with self._session.begin() as s:
            s.add(
                SessionRow(
                    token_hash=token_hash,
                    username=username,
                    created_at=created_at,
                    expires_at=expires_at,
                )
            )

    def get(self, token_hash: str) -> SignInSession | None:
        """The session with this token hash, ended or not; None when there is none."""
        with self._session() as s:
            row = s.get(SessionRow, token_hash)
            return _session(row) if row is not None else None

    def revoke(self, token_hash: str, at: dt.datetime) -> bool:
        """End one session; False when there was no such session still open."""
        return self._revoke(SessionRow.token_hash == token_hash, at) > 0

    def revoke_user(self, username: str, at: dt.datetime) -> int:
        """End every open session of ``username``; how many were open."""
        return self._revoke(SessionRow.username == username, at)

    def _revoke(self, which: object, at: dt.datetime) -> int:
        q = (
            update(SessionRow)
            .where(which, SessionRow.revoked_at.is_(None))  # type: ignore[arg-type]
            .values(revoked_at=at)
        )
        with self._session.begin() as s:
            return int(getattr(s.execute(q), "rowcount", 0) or 0)

    def purge(self, before: dt.datetime) -> int:
        """Forget sessions that expired or were ended before ``before``; how many."""
        q = delete(SessionRow).where(
            or_(SessionRow.expires_at < before, SessionRow.revoked_at < before)
        )
        with self._session.begin() as s:
            return int(getattr(s.execute(q), "rowcount", 0) or 0)
