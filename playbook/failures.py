"""Operational failures as sentences that name the fix: a read-only or full disk, a locked or
damaged database, an unreachable Chroma server, a permission refused. The command line and
the pages show these instead of a traceback; nothing here ever quotes a document's text.
"""

from __future__ import annotations

import errno
from pathlib import Path

# What the store's driver says (SQLite, psycopg), lower-cased, and what it means.
_DATABASE = (
    (
        ("database is locked", "database table is locked", "could not obtain lock"),
        "the database is busy: another import, reindex or server holds it. Wait a moment and "
        "run the command again (nothing committed was lost)",
    ),
    (
        ("readonly database", "read-only", "readonly"),
        "the data directory {where} is read-only for this user. Make it writable "
        "(e.g. `chmod -R u+w {where}`) or point PLAYBOOK_DATA_DIR at a writable folder",
    ),
    (
        ("database or disk is full", "no space left", "disk full", "diskfull"),
        "the disk holding {where} is full. Free some space and run the command again "
        "(nothing committed was lost)",
    ),
    (
        ("unable to open database file",),
        "the database in {where} cannot be opened. Check that the folder exists and that this "
        "user may write to it",
    ),
    (
        ("file is not a database", "database disk image is malformed", "malformed"),
        "the database file in {where} is damaged. Restore it from a backup; the search "
        "indexes can be rebuilt (`playbook reindex`), the store cannot",
    ),
    (
        ("disk i/o error",),
        "the disk holding {where} failed to read or write. Check the disk, then run the "
        "command again",
    ),
    (
        ("connection refused", "could not connect", "could not translate host name", "timeout"),
        "the database server cannot be reached. Start it, or check PLAYBOOK_DATABASE_URL",
    ),
)


def explain(exc: BaseException, where: Path | str = "the data directory") -> str | None:
    """A sentence for an operational failure, or None when ``exc`` is not one."""
    text = first_line(exc).lower()
    name = type(exc).__name__
    module = type(exc).__module__
    if module.startswith("sqlalchemy") or name in {"OperationalError", "DatabaseError"}:
        for needles, sentence in _DATABASE:
            if any(n in text for n in needles):
                return sentence.format(where=where)
        if name == "IntegrityError":
            return (
                "another process wrote the same records at the same time. Run the command "
                "again: what is already stored is kept"
            )
        return f"the database refused the request ({name}). Run `playbook stats` to check it"
    if isinstance(exc, OSError):
        return _os_error(exc, where)
    if module.startswith(("chromadb", "httpx", "httpcore")) or name in {
        "ConnectError",
        "ConnectTimeout",
    }:
        if any(n in text for n in ("connect", "refused", "unreachable", "timed out", "timeout")):
            return (
                "the Chroma server cannot be reached. Start it (`chroma run --path DIR --port "
                "N`) or unset PLAYBOOK_CHROMA_URL to use the embedded index"
            )
        return (
            f"the search index failed ({name}). Run `playbook reindex` to rebuild it from the "
            "store (nothing stored is lost)"
        )
    return None


def _os_error(exc: OSError, where: Path | str) -> str:
    target = exc.filename or where
    if not exc.filename and exc.errno is None:  # a socket or library error, not a file's
        return f"{type(exc).__name__}: {first_line(exc)}"
    if exc.errno == errno.ENOSPC:
        return (
            f"the disk holding {target} is full. Free some space and run the command again "
            "(nothing committed was lost)"
        )
    if exc.errno == errno.EROFS:
        return f"{target} is on a read-only file system. Point PLAYBOOK_DATA_DIR elsewhere"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return (
            f"permission denied for {target}. Give this user access to it "
            "(e.g. `chmod u+rw`) or run as its owner"
        )
    if exc.errno == errno.ENOENT:
        return f"{target} does not exist"
    if exc.errno == errno.EISDIR:
        return f"{target} is a folder where a file was expected"
    return f"{target}: {exc.strerror or first_line(exc)}"


def first_line(exc: BaseException) -> str:
    """The first line of an error's message, without SQLAlchemy's statement echo."""
    message = str(getattr(exc, "orig", None) or exc)
    return message.split("\n", 1)[0][:300]
