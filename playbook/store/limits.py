"""The rate-events port over SQLAlchemy: the ``rate_events`` table (migration 0012), so the
language-model limit and the API's per-token limit count the same requests in every
process of an installation.

``take`` must be atomic across processes. On SQLite its transaction starts with a write (the
prune), which takes the database's one write lock until the commit, so the count and the
insert of two processes cannot interleave. On PostgreSQL a transaction-scoped advisory lock
on (bucket, key) does the same for that key alone (``READ COMMITTED`` then lets the count see
every request committed before the lock was granted).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from sqlalchemy import delete, func, insert, select, text

from playbook.store.engine import SqlAdapter, aware
from playbook.store.tables import RateEventRow


def _lock_key(bucket: str, key: str) -> int:
    """A signed 64-bit number naming (bucket, key), for ``pg_advisory_xact_lock``."""
    digest = hashlib.sha256(f"rate\x00{bucket}\x00{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class SqlRateEvents(SqlAdapter):
    """Rate events port: one row per counted request, pruned past its window."""

    def take(
        self, bucket: str, key: str, now: dt.datetime, window: dt.timedelta, limit: int
    ) -> dt.datetime | None:
        """Count one request unless ``limit`` were counted in ``window``; see the port."""
        now = now.astimezone(dt.UTC)
        since = now - window
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(
                    text("SELECT pg_advisory_xact_lock(:k)"), {"k": _lock_key(bucket, key)}
                )
            # Pruning first is also what takes SQLite's write lock (see the module's note).
            conn.execute(
                delete(RateEventRow).where(RateEventRow.bucket == bucket, RateEventRow.at <= since)
            )
            counted = conn.execute(
                select(func.count()).where(
                    RateEventRow.bucket == bucket,
                    RateEventRow.key == key,
                    RateEventRow.at > since,
                )
            ).scalar_one()
            if counted >= limit:
                # The request whose expiry leaves room: the limit-th newest.
                frees = conn.execute(
                    select(RateEventRow.at)
                    .where(
                        RateEventRow.bucket == bucket,
                        RateEventRow.key == key,
                        RateEventRow.at > since,
                    )
                    .order_by(RateEventRow.at.desc())
                    .offset(limit - 1)
                    .limit(1)
                ).scalar_one()
                return aware(frees)
            conn.execute(insert(RateEventRow).values(bucket=bucket, key=key, at=now))
            return None

    def times(self, bucket: str, key: str, since: dt.datetime) -> list[dt.datetime]:
        """Times counted after ``since``, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(RateEventRow.at)
                .where(
                    RateEventRow.bucket == bucket,
                    RateEventRow.key == key,
                    RateEventRow.at > since.astimezone(dt.UTC),
                )
                .order_by(RateEventRow.at)
            ).scalars()
            return [aware(t) for t in rows]
