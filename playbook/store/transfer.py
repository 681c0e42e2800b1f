"""Copying a whole store to another database (``playbook migrate-to``): every table of the
schema, rows as they are, so ids, pseudonym keys, encrypted originals, sessions and the audit
history arrive unchanged. The indexes are not copied: they are rebuilt from the store.

The target is migrated to the newest schema first and must be empty (no users, documents or
audit lines): a copy never merges into or overwrites an installation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, Integer, Table, func, insert, select, text

from playbook.models import StoreError
from playbook.store.engine import make_engine, migrate, normalise_url
from playbook.store.tables import Base

# Rows read and written per round trip: a large audit log never sits in memory at once.
BATCH = 500


def copy_store(
    source: Engine, target_url: str, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Copy every row of ``source`` into the (empty) database at ``target_url``.

    Args:
        source: The store's engine today.
        target_url: An SQLAlchemy URL of the new database (PostgreSQL or SQLite).
        progress: Told each table's name and how many rows it copied.

    Returns:
        Rows copied per table.

    Raises:
        StoreError: The target is the source, cannot be reached, or already holds data.
    """
    url = normalise_url(target_url.strip())
    if url == source.url.render_as_string(hide_password=False):
        raise StoreError("the target is the store itself: give the new database's URL")
    target = make_engine(url)
    try:
        try:
            migrate(target)
        except Exception as exc:  # the driver's own words say what is wrong with the URL
            raise StoreError(f"cannot open the target database: {exc}") from exc
        tables = Base.metadata.sorted_tables  # parents before children (foreign keys)
        with target.connect() as conn:
            for table in tables:
                if (
                    table.name in {"users", "documents", "audit_log"}
                    and conn.execute(select(func.count()).select_from(table)).scalar_one()
                ):
                    raise StoreError(
                        f"the target already holds data (table {table.name}): "
                        "migrate-to copies into an empty database only"
                    )
        copied: dict[str, int] = {}
        with source.connect() as read, target.begin() as write:
            for table in tables:
                write.execute(table.delete())  # rows a migration seeded are replaced as well
                rows = 0
                result = read.execution_options(stream_results=True).execute(select(table))
                zoned = [c.name for c in table.columns if _zoned(c.type)]
                while batch := result.fetchmany(BATCH):
                    write.execute(insert(table), [_aware(dict(r._mapping), zoned) for r in batch])
                    rows += len(batch)
                copied[table.name] = rows
                if progress is not None:
                    progress(table.name, rows)
            if target.dialect.name == "postgresql":
                _advance_sequences(write, tables)
        return copied
    finally:
        target.dispose()


class SqlStoreCopy:
    """The ``StoreCopy`` port over the store's engine."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def copy_to(
        self, url: str, progress: Callable[[str, int], None] | None = None
    ) -> dict[str, int]:
        """Copy the store into the empty database at ``url`` (see ``copy_store``)."""
        return copy_store(self.engine, url, progress)


def _zoned(kind: Any) -> bool:
    return isinstance(kind, DateTime) and bool(kind.timezone)


def _aware(row: dict[str, Any], zoned: list[str]) -> dict[str, Any]:
    """SQLite hands back the store's UTC times without their zone; a server would read a
    naive time in its own zone, so each gets UTC back before it is written."""
    for name in zoned:
        value = row.get(name)
        if isinstance(value, dt.datetime) and value.tzinfo is None:
            row[name] = value.replace(tzinfo=dt.UTC)
    return row


def _advance_sequences(conn: Connection, tables: Sequence[Table]) -> None:
    """Rows keep their integer ids; PostgreSQL's sequences must then start after them."""
    for table in tables:
        for column in table.primary_key.columns:
            if isinstance(column.type, Integer) and column.autoincrement in (True, "auto"):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', '{column.name}'), "
                        f"COALESCE((SELECT MAX({column.name}) FROM {table.name}), 0) + 1, false)"
                    )
                )
