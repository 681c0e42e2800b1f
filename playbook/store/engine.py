"""The database engine: connection, SQLite pragmas, migrations, file scrubbing, and the base
that every storage adapter shares (one engine, a session factory, retry on a lost race)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import (
    Engine,
    create_engine,
    event,
)
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import sessionmaker

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
T = TypeVar("T")


def normalise_url(url: str) -> str:
    """The URL with PostgreSQL's driver made explicit: ``postgresql://`` and ``postgres://``
    (what operators and hosting panels write) become ``postgresql+psycopg://``, the driver
    installed with the ``postgres`` extra (SQLAlchemy would otherwise look for psycopg2)."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme.lower() in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return url


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys, a busy timeout and secure deletes
    (freed space is zeroed, so a re-redacted or deleted text leaves no bytes behind).
    A PostgreSQL URL without a driver gets psycopg (``normalise_url``)."""
    url = normalise_url(url)
    if url.startswith("sqlite"):
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, hide_parameters=True
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA secure_delete=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    # hide_parameters: an error message must never carry a document's text into a log.
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)


# PRAGMA user_version once a SQLite store has been rewritten with secure_delete on.
_SCRUBBED = 1


def scrub_files(engine: Engine) -> None:
    """SQLite: write the log back into the database and truncate it, so superseded pages
    (a text before re-redaction, a deleted document) are not left in the -wal file.
    PostgreSQL: nothing (its files are the server's; VACUUM is its operator's)."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def scrub_files_once(engine: Engine) -> None:
    """SQLite: rewrite (VACUUM) a store written before secure deletes were on, once, so its
    free pages hold no deleted text; later deletes zero what they free."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as conn:
        if conn.exec_driver_sql("PRAGMA user_version").scalar_one() >= _SCRUBBED:
            return
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM")
        conn.exec_driver_sql(f"PRAGMA user_version = {_SCRUBBED}")
    scrub_files(engine)


_REVISION = re.compile(r"^revision\s*(?::[^=\n]*)?=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*(?::[^=\n]*)?=\s*(?:['\"]([^'\"]+)['\"]|None)\s*$", re.M)


def head_revision(versions: Path = MIGRATIONS_DIR / "versions") -> str | None:
    """The newest migration's id, read from the files without importing Alembic; None when
    it is not one plain chain (a merge, say), and then Alembic decides."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in versions.glob("*.py"):
        if script.name == "__init__.py":
            continue
        text = script.read_text(encoding="utf-8")
        rev, down = _REVISION.search(text), _DOWN.search(text)
        if rev is None or down is None:
            return None
        revisions.add(rev.group(1))
        if down.group(1):
            parents.add(down.group(1))
    heads = revisions - parents
    return next(iter(heads)) if len(heads) == 1 else None


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest Alembic revision. A store already there is left
    alone without loading Alembic (every command opens the store; this keeps it quick)."""
    head = head_revision()
    if head is not None:
        with engine.connect() as conn:
            try:
                current = list(
                    conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalars()
                )
            except DBAPIError:  # a new store: no version table yet
                current = []
        if current == [head]:
            return
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def aware(value: dt.datetime) -> dt.datetime:
    # SQLite hands datetimes back naive; they were stored in UTC.
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def once_more_on_conflict(write: Callable[[], T]) -> T:
    """Run a create-if-missing write again when another process created the same row
    between its lookup and its commit (the second run finds the row and updates it)."""
    try:
        return write()
    except IntegrityError:
        return write()


class SqlAdapter:
    """What every storage adapter shares: the engine and a session factory over it."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._session = sessionmaker(engine, expire_on_commit=False)
