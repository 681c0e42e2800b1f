"""Indexes that notice they are stale or damaged, and heal from the store.

The store is the truth and the indexes are derived (DESIGN, principle 1), so an index that
cannot be read is never worth a failed command: it is moved aside and rebuilt. ``GuardedIndex``
wraps a dense or keyword index and

* re-opens it when another process rebuilt it (``playbook reindex`` while the app runs): the
  store's index generation is read (one small query) before each use, and a collection that
  vanished under a handle is looked up again;
* heals it when its files are damaged (garbage in a file, a folder where a file belongs, a
  write log Chroma can no longer apply): the files are moved aside as ``*.corrupt-<time>``
  beside them, a fresh index is opened, every document is flagged for indexing, and the
  callback given (the container's background rebuild) is told; the moved files are deleted
  once a rebuild succeeded (``discard_quarantined``);
* checks itself cheaply on start (``check``): the token stamped into the index at its last
  rebuild against the store's, and for the keyword index its chunk count against the ledger.

Errors it cannot heal (a Chroma server that is down, a full disk) become ``IndexUnavailableError``,
a sentence naming the fix, never a traceback.
"""

from __future__ import annotations

import datetime as dt
import errno
import logging
import shutil
import threading
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from playbook.models import ChunkRecord, IndexHit, Visibility
from playbook.ports import IndexLedger, Scope

log = logging.getLogger(__name__)

QUARANTINE = ".corrupt-"

# What SQLite, FTS5 and Chroma say when their files are damaged (lower case, as found in
# the first line of the message). Not here on purpose: "locked", "disk is full", "permission
# denied", "readonly": moving files aside cannot fix those, and rebuilding would fail alike.
_DAMAGE = (
    "file is not a database",
    "malformed",
    "corrupt",
    "no such table",
    "no such column",
    "vtable constructor failed",
    "error loading hnsw",
    "hnsw segment",
    "failed to apply logs",
    "error in compaction",
    "file exists (os error 17)",
    "not a directory (os error 20)",
    "is a directory (os error 21)",
    "unable to open database file",
    "invalid fts5 file format",
    # Embedded Chroma whose database opened but holds no readable tenant table.
    "could not connect to tenant",
)
_NOT_DAMAGE = ("locked", "disk is full", "no space", "permission denied", "readonly", "read-only")


class IndexUnavailableError(ValueError):
    """An index that cannot be used right now, with a sentence saying what to do.

    A ``ValueError`` so that every front end shows the sentence as it stands."""


def _message(exc: BaseException) -> str:
    return str(getattr(exc, "orig", None) or exc).split("\n", 1)[0].lower()


def is_damage(exc: BaseException) -> bool:
    """Whether ``exc`` (or the error it was raised while handling) says an index's files are
    damaged, so rebuilding them fixes it."""
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, OSError) and cause.errno in (
            errno.EEXIST,
            errno.ENOTDIR,
            errno.EISDIR,
        ):
            return True
        text = _message(cause)
        if any(n in text for n in _NOT_DAMAGE):
            return False
        if any(n in text for n in _DAMAGE):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def is_vanished(exc: BaseException) -> bool:
    """Whether ``exc`` says a collection was dropped under a handle (another process
    rebuilt the index): looking it up again fixes it."""
    return type(exc).__name__ == "NotFoundError" or "does not exist" in _message(exc)


def readable(chunk: ChunkRecord, scope: Scope) -> bool:
    """The store's word on who may read a chunk, checked again on every hit: an index
    behind a visibility change (a withdrawal it failed to apply) must not hand the chunk to
    anyone the store no longer allows."""
    if chunk.owner_id == scope.reader_id:
        return True
    return (
        not scope.only_mine
        and chunk.visibility is not Visibility.PRIVATE
        and chunk.programme_id in scope.programme_ids
    )


def from_store(
    hits: Sequence[IndexHit],
    lookup: Callable[[Sequence[str]], Mapping[str, ChunkRecord]],
    scope: Scope,
) -> list[IndexHit]:
    """Hits with their text and metadata as the store has them now; hits of deleted
    documents, of chunks since replaced, or no longer readable by the scope are dropped."""
    if not hits:
        return []
    held = lookup([h.chunk_id for h in hits])
    return [
        IndexHit(h.chunk_id, h.score, c.text, dict(c.metadata()))
        for h in hits
        if (c := held.get(h.chunk_id)) is not None and readable(c, scope)
    ]


def quarantine(path: Path) -> list[Path]:
    """Move an index's files (``path`` and SQLite's ``-wal``/``-shm`` beside it, whether
    files or folders) aside as ``<name>.corrupt-<time>``; returns where they went."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
    moved: list[Path] = []
    for part in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))):
        if part.exists() or part.is_symlink():
            target = part.with_name(f"{part.name}{QUARANTINE}{stamp}")
            part.rename(target)
            moved.append(target)
    return moved


def discard_quarantined(path: Path) -> int:
    """Delete what ``quarantine`` moved aside for ``path`` (after a successful rebuild: it
    is derived data, and the keyword index's copy holds redacted text)."""
    gone = 0
    if not path.parent.is_dir():
        return 0
    for part in path.parent.iterdir():
        if part.name.startswith(path.name) and QUARANTINE in part.name:
            if part.is_dir() and not part.is_symlink():
                shutil.rmtree(part, ignore_errors=True)
            else:
                part.unlink(missing_ok=True)
            gone += 1
    return gone


class GuardedIndex:
    """A dense or keyword index that re-opens itself after another process rebuilt it and
    heals itself when its files are damaged (see the module's notes).

    ``open_index`` builds the adapter (it must open the files afresh each time it is called);
    ``path`` is where its files live (None for a Chroma server, whose files are out of
    reach: there, healing is a reset through the API). ``on_damage`` is called, with a
    sentence, after the index was healed and everything flagged for indexing.
    """

    def __init__(
        self,
        name: str,
        open_index: Callable[[], Any],
        records: IndexLedger,
        path: Path | None = None,
        on_damage: Callable[[str], None] | None = None,
    ) -> None:
        self.name = name
        self.path = path
        self.on_damage = on_damage
        self._open = open_index
        self._records = records
        self._lock = threading.RLock()
        self._index: Any | None = None
        self._seen: int | None = None
        self.quarantined: list[Path] = []
        # What was healed in this process, as sentences (for the CLI and logs).
        self.events: list[str] = []

    def __repr__(self) -> str:
        return f"GuardedIndex({self.name!r}, {self._index!r})"

    # -- opening ---------------------------------------------------------------------------

    @property
    def inner(self) -> Any:
        """The adapter, opened (and re-opened after a rebuild elsewhere) as needed."""
        with self._lock:
            # Read under the lock: a rebuild in this process may be stamping a newer one.
            generation = self._generation()
            if self._index is None:
                self._seen = generation  # (a heal while opening sets the newer one)
                self._index = self._open_or_heal()
            elif generation != self._seen:
                log.info("the %s index was rebuilt by another process; re-opening it", self.name)
                self._seen = generation
                self._reopen()
            return self._index

    def _generation(self) -> int:
        # This index's own count of rebuilds (one query of a two-row table).
        return self._records.index_states().get(self.name, (0, None))[0]

    def _open_or_heal(self) -> Any:
        try:
            return self._open()
        except Exception as exc:
            if self.path is None or not is_damage(exc):
                raise self._unavailable(exc) from exc
            log.warning("the %s index could not be opened (%s)", self.name, _message(exc))
            self.quarantined.extend(quarantine(self.path))
            self.events.append(
                f"the {self.name} index could not be opened; its files were moved aside"
            )
            index = self._open()
            self._fresh(index, f"the {self.name} index could not be opened ({_message(exc)})")
            return index

    def _close(self) -> None:
        index, self._index = self._index, None
        close = getattr(index, "close", None)
        if close is not None:
            try:
                close()
            except Exception:  # a damaged index may not even close cleanly
                log.debug("closing the %s index failed", self.name, exc_info=True)

    def _reopen(self) -> None:
        # Same files (collections dropped and made again): forgetting handles is enough, and
        # other threads' calls in flight keep working. Files replaced: open them afresh.
        refresh = getattr(self._index, "refresh", None)
        if refresh is not None and refresh():
            return
        self._close()
        self._index = self._open_or_heal()

    def _stamp_rebuilt(self, index: Any) -> None:
        """Give a rebuilt index a new token and count the rebuild in the store, so other
        processes re-open it (and this one knows it is current)."""
        token = uuid.uuid4().hex
        self._records.index_rebuilt(self.name, token, getattr(index, "stamp", None))
        self._seen = self._generation()

    def _fresh(self, index: Any, reason: str) -> None:
        """A new, empty index: stamp it, tell the store, flag everything for indexing."""
        self._stamp_rebuilt(index)
        self._records.mark_all_unindexed()
        log.warning("%s: rebuilding it from the store", reason)
        if self.on_damage is not None:
            self.on_damage(reason)

    def _unavailable(self, exc: BaseException) -> IndexUnavailableError:
        if type(exc).__module__.startswith(("httpx", "httpcore")) or any(
            n in _message(exc)
            for n in ("connect", "refused", "unreachable", "timed out", "cannot be reached")
        ):
            return IndexUnavailableError(
                f"the {self.name} index (a Chroma server) cannot be reached: start it "
                "(`chroma run --path DIR --host 127.0.0.1 --port N`), or unset "
                "PLAYBOOK_CHROMA_URL to use the embedded index; what is stored is kept and is "
                "indexed once it is back"
            )
        if (isinstance(exc, OSError) and exc.errno == errno.ENOSPC) or "full" in _message(exc):
            return IndexUnavailableError(
                f"the disk holding the {self.name} index is full: free some space; what is "
                "stored is kept and is indexed at the next start or `playbook reindex`"
            )
        return IndexUnavailableError(
            f"the {self.name} index failed ({type(exc).__name__}: {_message(exc)[:200]}); "
            "what is stored is kept. Run `playbook reindex` to rebuild it from the store"
        )

    # -- healing ---------------------------------------------------------------------------

    def heal(self, reason: str) -> None:
        """Replace a damaged index by an empty one (files moved aside; a server's collections
        dropped) and flag everything for indexing."""
        with self._lock:
            self.events.append(reason)
            if self.path is not None:
                self._close()
                self.quarantined.extend(quarantine(self.path))
                index = self._open()
            else:
                index = self._index if self._index is not None else self._open()
                try:
                    index.reset()
                except Exception as exc:
                    raise self._unavailable(exc) from exc
            self._index = index
            self._fresh(index, reason)

    def reset(self) -> None:
        """Empty the index to rebuild it, from any state of its files: when they cannot be
        reset (or even opened), they are moved aside and a fresh index is made."""
        with self._lock:
            on_damage, self.on_damage = self.on_damage, None  # the caller rebuilds next
            try:
                index = self.inner
                index.reset()
            except IndexUnavailableError:
                raise
            except Exception as exc:
                if self.path is None:
                    raise self._unavailable(exc) from exc
                log.warning("the %s index could not be reset (%s)", self.name, _message(exc))
                self._close()
                self.quarantined.extend(quarantine(self.path))
                self.events.append(
                    f"the {self.name} index could not be reset; its files were moved aside"
                )
                index = self._open()
                self._index = index
            finally:
                self.on_damage = on_damage
            self._stamp_rebuilt(index)

    def discard_quarantined(self) -> int:
        """Delete the damaged files moved aside (call once a rebuild succeeded)."""
        self.quarantined.clear()
        return discard_quarantined(self.path) if self.path is not None else 0

    def check(self) -> str | None:
        """Why the index must be rebuilt, or None: cheap enough for every start (the
        stamped token against the store's, and for an index that counts cheaply, its
        chunks against the ledger). Opening it heals files that cannot be opened."""
        index = self.inner
        expected = self._records.index_states().get(self.name, (0, None))[1]
        read_token = getattr(index, "token", None)
        try:
            token = read_token() if read_token is not None else None
        except Exception as exc:  # a server gone since it was opened: say so, plainly
            raise self._unavailable(exc) from exc
        cheap_count = bool(getattr(index, "cheap_count", False))
        if expected is not None and token != expected:
            return (
                f"the {self.name} index is not the one the store describes (deleted, replaced "
                "or restored from an older copy)"
            )
        if expected is None or cheap_count:
            try:
                held = int(index.count())
            except Exception as exc:
                raise self._unavailable(exc) from exc
            indexed, most = self._records.ledger()
            if held < indexed:
                return (
                    f"the {self.name} index holds {held} chunks where the store has "
                    f"{indexed} indexed"
                )
            if held > most:
                return f"the {self.name} index holds {held} chunks, more than the store knows"
            if expected is None and read_token is not None:
                # A new index (or one an earlier version built): the store's token first, so
                # two processes opening it at once agree on one (the first to claim it), and
                # the index is stamped with it while the store's row stays locked (a rebuild
                # does the same), so no other process's token write can land in between.
                # Unlocked, the two tokens crossed: index B's, store A's, and the next
                # start took the index for a replaced one.
                def stamp(kept: str) -> None:  # inside the store's locked transaction
                    if index.token() != kept:
                        index.stamp(kept)

                self._records.claim_index_token(self.name, token or uuid.uuid4().hex, stamp)
        return None

    # -- the port ----------------------------------------------------------------------------

    def _run(self, op: str, *args: Any) -> Any:
        for attempt in range(3):
            index = self.inner
            try:
                return getattr(index, op)(*args)
            except IndexUnavailableError:
                raise
            except Exception as exc:
                if attempt < 2 and is_vanished(exc):
                    with self._lock:  # dropped under our handles: look everything up again
                        if self._index is index:
                            self._reopen()
                    continue
                if attempt < 2 and is_damage(exc):
                    reason = f"the {self.name} index is damaged ({_message(exc)[:200]})"
                    self.heal(reason)
                    continue
                raise self._unavailable(exc) from exc
        raise IndexUnavailableError(f"the {self.name} index keeps failing; run `playbook reindex`")

    def upsert(self, *args: Any) -> None:
        self._run("upsert", *args)

    def delete_documents(self, document_ids: Sequence[str]) -> None:
        self._run("delete_documents", document_ids)

    def query(self, *args: Any) -> list[IndexHit]:
        hits: list[IndexHit] = self._run("query", *args)
        return hits

    def vectors(self, chunk_ids: Sequence[str]) -> dict[str, Any]:
        found: dict[str, Any] = self._run("vectors", chunk_ids)
        return found

    def count(self) -> int:
        return int(self._run("count"))

    def scrub(self) -> None:
        self._run("scrub")

    def dump(self) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = self._run("dump")
        return rows

    def compact(self) -> None:
        self._run("compact")

    def close(self) -> None:
        with self._lock:
            self._close()

    def __getattr__(self, attr: str) -> Any:
        # Anything else the adapter offers (owner_collection, scope_collections, ...).
        if attr.startswith("_") or attr == "inner":
            raise AttributeError(attr)
        return getattr(self.inner, attr)
