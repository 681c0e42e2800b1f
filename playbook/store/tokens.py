"""The personal-access-token port over SQLAlchemy: the ``api_tokens`` table (migration 0012),
keyed by the SHA-256 of each token; the token itself is never stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import select, update

from playbook.ports.tokens import AccessToken
from playbook.store.engine import SqlAdapter, aware
from playbook.store.tables import ApiTokenRow, new_id


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    # SQLite keeps datetimes without their zone: store them all in UTC so they compare.
    return value.astimezone(dt.UTC) if value is not None else None


def _token(row: ApiTokenRow) -> AccessToken:
    return AccessToken(
        token_id=row.id,
        token_hash=row.token_hash,
        username=row.username,
        name=row.name,
        scopes=tuple(row.scopes.split()),
        created_at=aware(row.created_at),
        expires_at=aware(row.expires_at) if row.expires_at else None,
        last_used_at=aware(row.last_used_at) if row.last_used_at else None,
        revoked_at=aware(row.revoked_at) if row.revoked_at else None,
    )


class SqlTokens(SqlAdapter):
    """Token store port: one row per personal access token."""

    def add(
        self,
        token_hash: str,
        username: str,
        name: str,
        scopes: Sequence[str],
        created_at: dt.datetime,
        expires_at: dt.datetime | None,
    ) -> AccessToken:
        """Store a new token (its hash); returns it with its id."""
        row = ApiTokenRow(
            id=new_id(),
            token_hash=token_hash,
            username=username,
            name=name,
            scopes=" ".join(scopes),
            created_at=_utc(created_at),
            expires_at=_utc(expires_at),
        )
        with self._session.begin() as s:
            s.add(row)
        return _token(row)

    def by_hash(self, token_hash: str) -> AccessToken | None:
        """The token with this hash, live or not; None when there is none."""
        with self._session() as s:
            row = s.scalar(select(ApiTokenRow).where(ApiTokenRow.token_hash == token_hash))
            return _token(row) if row is not None else None

    def get(self, token_id: str) -> AccessToken | None:
        """The token with this id; None when there is none."""
        with self._session() as s:
            row = s.get(ApiTokenRow, token_id)
            return _token(row) if row is not None else None

    def listing(self, username: str) -> list[AccessToken]:
        """Every token of ``username``, newest first."""
        with self._session() as s:
            rows = s.scalars(
                select(ApiTokenRow)
                .where(ApiTokenRow.username == username)
                .order_by(ApiTokenRow.created_at.desc(), ApiTokenRow.id)
            ).all()
            return [_token(r) for r in rows]

    def revoke(self, token_id: str, at: dt.datetime) -> bool:
        """End a token; False when there is none or it was already revoked."""
        with self._session.begin() as s:
            # One conditional update, so two revocations at once record one time.
            done = s.execute(
                update(ApiTokenRow)
                .where(ApiTokenRow.id == token_id, ApiTokenRow.revoked_at.is_(None))
                .values(revoked_at=_utc(at))
            )
            return bool(done.rowcount)  # type: ignore[attr-defined]

    def touch(self, token_id: str, at: dt.datetime) -> None:
        """Record a use of the token (unknown ids are ignored)."""
        with self._session.begin() as s:
            s.execute(
                update(ApiTokenRow).where(ApiTokenRow.id == token_id).values(last_used_at=_utc(at))
            )
