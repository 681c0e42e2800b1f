"""Chroma clients: making one (embedded or a server), releasing it, and the files an
embedded one keeps.

Chroma shares one "system" per path inside a process and keeps it after a failed start;
the functions here work around that so a path can be opened again after its files were
moved aside, damaged or rebuilt. Only ``ingest.chroma_index`` and tools use them.
"""

from __future__ import annotations

import contextlib
import logging
import re
import shutil
import sqlite3
import time
from pathlib import Path
from typing import Any

from playbook.heap import scrub_freed_memory
from playbook.private_files import DIR_MODE, tighten

log = logging.getLogger(__name__)
_UUID_DIR = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def make_client(path: Path | None = None, url: str | None = None) -> Any:
    """An embedded client on ``path``, or an HTTP client for ``url``; telemetry off either way."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if url:
        from urllib.parse import urlparse

        parsed = urlparse(url)
        if parsed.scheme not in {"http", "https"} or not parsed.hostname:
            raise ValueError(f"Chroma URL {url!r} should look like http://host:port")
        try:
            return chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=settings,
            )
        except ValueError as exc:  # "Could not connect to a Chroma server..."
            if "connect" not in str(exc).lower():
                raise
            raise ValueError(
                f"the Chroma server at {url} cannot be reached; start it (`chroma run --path "
                "DIR --host 127.0.0.1 --port N`) or unset PLAYBOOK_CHROMA_URL to use the "
                "embedded index. What is stored is kept"
            ) from None
    if path is None:
        raise ValueError("give Chroma either a path or a URL")
    # The HNSW files take whole malloc'd blocks, unused slots included: see playbook.heap.
    scrub_freed_memory()
    # Chroma creates its files itself: only the process's umask keeps new ones owner-only;
    # what an earlier version left readable is tightened here.
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    tighten(path)
    for attempt in range(3):
        try:
            return _persistent_client(chromadb, path, settings)
        except Exception as exc:
            # Two processes opening a new Chroma directory at once race in its first
            # migration ("table collections already exists"): the loser opens it again.
            if attempt == 2 or "already exists" not in str(exc):
                raise
            time.sleep(0.2 + 0.3 * attempt)
    raise AssertionError("unreachable")


def _persistent_client(chromadb: Any, path: Path, settings: Any) -> Any:
    try:
        return chromadb.PersistentClient(path=str(path), settings=settings)
    except Exception as exc:
        # Chroma 1.5 caches a system for the path before starting it, and keeps it when
        # starting fails ("file is not a database"): every later client on the path would get
        # that broken system. Its clean-up then fails in turn ("no attribute 'bindings'"),
        # hiding the cause: forget the system and raise the cause.
        _forget_system(path)
        if isinstance(exc, AttributeError) and exc.__context__ is not None:
            raise exc.__context__ from None
        raise


def _forget_system(path: Path) -> None:
    from chromadb.api.shared_system_client import SharedSystemClient

    for identifier in (str(path), str(path.resolve())):
        SharedSystemClient._identifier_to_system.pop(identifier, None)
        SharedSystemClient._identifier_to_refcount.pop(identifier, None)


def compact_files(client: Any) -> None:
    """Embedded Chroma only: rewrite ``chroma.sqlite3`` (VACUUM) so deleted records leave
    no bytes in free pages, and remove the HNSW folders of segments that no longer
    exist. A server's files are out of reach: there, nothing is done."""
    settings = client.get_settings()
    if not settings.is_persistent or not settings.persist_directory:
        return
    root = Path(settings.persist_directory)
    db = root / "chroma.sqlite3"
    if not db.exists():
        return
    conn = sqlite3.connect(db, timeout=30)
    try:
        conn.execute("PRAGMA secure_delete=ON")
        live = {str(r[0]) for r in conn.execute("SELECT id FROM segments")}
        conn.execute("VACUUM")
    except sqlite3.Error as exc:
        log.warning("could not compact Chroma's database: %s", exc)
        return
    finally:
        conn.close()
    for folder in root.iterdir():
        if folder.is_dir() and _UUID_DIR.fullmatch(folder.name) and folder.name not in live:
            shutil.rmtree(folder, ignore_errors=True)


def files_id(client: Any) -> tuple[int, int] | None:
    """Which database file an embedded client has open (device, inode); None for a server."""
    settings = client.get_settings()
    if not settings.is_persistent or not settings.persist_directory:
        return None
    try:
        st = (Path(settings.persist_directory) / "chroma.sqlite3").stat()
    except OSError:
        return (-1, -1)
    return (st.st_dev, st.st_ino)


def release(client: Any) -> None:
    """Close a Chroma client for good. Chroma shares one system per path in a process: it is
    dropped from that cache too, so the next client on the path opens the files again (they
    may have been moved aside and rebuilt) instead of reusing the old ones."""
    from chromadb.api.shared_system_client import SharedSystemClient

    with contextlib.suppress(Exception):
        client.close()
    settings = getattr(client, "get_settings", lambda: None)()
    if settings is None or not settings.is_persistent:
        return
    with contextlib.suppress(Exception):
        identifier = SharedSystemClient._get_identifier_from_settings(settings)
        system = SharedSystemClient._identifier_to_system.pop(identifier, None)
        SharedSystemClient._identifier_to_refcount.pop(identifier, None)
        if system is not None:
            system.stop()
