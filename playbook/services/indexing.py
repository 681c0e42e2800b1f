"""Indexing use cases: repair on start, rebuild, heal in the background, index a saved
entry after "Saved" (``index_later``), and the figures of `playbook stats`.

The store is the truth and the indexes are derived (DESIGN, principle 1). Each index reports
its own health (``check``, ``quarantined``; see ``ingest.index_health``); this service decides
what to do about it: empty and refill an index that must be rebuilt, finish indexing a crash
interrupted, and discard moved-aside files once a rebuild succeeded.
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from ingest.pipeline import IngestPipeline, IngestResult, SyncReport
from playbook.models import NewDocument
from playbook.ports import IndexLedger

log = logging.getLogger(__name__)


class Healable(Protocol):
    """An index as repair sees it (``ingest.index_health.GuardedIndex``)."""

    name: str

    def reset(self) -> None:
        """Drop everything (the next sync refills it)."""
        ...

    def count(self) -> int:
        """Number of chunks held."""
        ...


@dataclass(frozen=True)
class IndexState:
    """Where a saved document is on its way into search (``IndexingService.state``)."""

    searchable: bool
    # Texts (chunks and their sentences) embedded so far, of how many; 0 of 0 while queued.
    done: int = 0
    total: int = 0
    failed: bool = False


class IndexingService:
    """Keeps the dense and keyword indexes in step with the store."""

    def __init__(
        self,
        pipeline: IngestPipeline,
        ledger: IndexLedger,
        indexes: Callable[[], Mapping[str, Healable]],
        decrypt: Callable[[bytes], str] | None = None,
        repair_on_start: bool = True,
        background_nice: int = 0,
    ) -> None:
        self.pipeline = pipeline
        # How much the background threads (indexing after a save, rebuilds) lower their own
        # priority, so the sessions' threads of the same process come first.
        self.background_nice = background_nice
        self._decrypt = decrypt  # originals, for re-redaction
        self.ledger = ledger
        # {"vector": dense, "keyword": keyword}, built lazily: opening an index may move
        # damaged files aside.
        self._indexes = indexes
        self.repair_on_start = repair_on_start
        self._lock = threading.Lock()
        self._healing = False
        self._heal_again = False
        self._waits_at_exit = False
        # Saved documents waiting for the indexer thread, with their embedding progress.
        # None in the queue: scrub the files once what was queued before it is indexed.
        self._queue: queue.Queue[list[str] | None] = queue.Queue()
        self._pending: dict[str, tuple[int, int]] = {}
        self._queued: dict[str, int] = {}  # how many queued runs still include each one
        self._failed: set[str] = set()
        self._worker: threading.Thread | None = None

    def repair(self) -> None:
        """Finish indexing interrupted by a crash, and rebuild an index found missing, stale
        or damaged (cheap when all is well: a few small queries; see ``index_health``)."""
        if not self.repair_on_start:
            return
        if self.pipeline.upgrade_source_ids():
            log.info("source ids are now kept as keyed hashes with redacted labels")
        try:
            self.heal()
            # One indexed lookup, not the full counts of stats(): this runs on every start.
            stale, gone = self.ledger.stale_documents(limit=1)
            if stale or gone:
                log.info("repairing the indexes: some documents were not indexed")
                self.pipeline.sync()
        except ValueError as exc:  # IndexUnavailableError: a sentence saying what to do
            # An index out of reach (a Chroma server down) must not stop a start or an
            # import: what is written is stored and stays flagged; the next start, a later
            # write or `playbook reindex` indexes it. Searching says why it cannot, itself.
            log.warning("the indexes could not be repaired now: %s", exc)
            return
        self._discard_quarantined()

    def reindex(self, progress: Callable[[int], None] | None = None) -> SyncReport:
        """Drop both indexes and rebuild them from the store."""
        return self.pipeline.reindex(progress=progress)

    def reredact(self, progress: Callable[[int], None] | None = None) -> int:
        """Redact every document again from its encrypted original with today's engine,
        roster and lists; the number whose redacted text changed."""
        if self._decrypt is None:
            raise ValueError("re-redaction needs the encryption keys")
        return self.pipeline.reredact(self._decrypt, progress=progress)

    def events(self) -> list[str]:
        """What the indexes did to heal themselves since they were opened (for the report)."""
        return [e for index in self._indexes().values() for e in getattr(index, "events", ())]

    def problems(self) -> dict[str, str]:
        """Each index that must be rebuilt, with why (opening one whose files are damaged
        moves them aside, which is then the reason)."""
        found: dict[str, str] = {}
        for index in self._indexes().values():
            check = getattr(index, "check", None)
            reason = check() if check is not None else None
            if reason is None and getattr(index, "quarantined", None):
                reason = f"the {index.name} index was damaged and has been replaced"
            if reason is not None:
                found[getattr(index, "name", "search")] = reason
        return found

    def stats(self) -> dict[str, Any]:
        """The store's counts, each index's, and each index that must be rebuilt (with the
        fix)."""
        problems = self.problems()  # an index that cannot be opened is moved aside here
        figures = self.ledger.stats()
        for role, index in self._indexes().items():
            figures[f"{role}_index_chunks"] = index.count()
        if problems:
            # A missing, replaced or damaged index is everything pending, not "nothing pending".
            figures["pending_index"] = max(figures["pending_index"], figures["documents"])
            figures["index_problems"] = {
                k: f"{v}; run `playbook reindex`" for k, v in problems.items()
            }
        return figures

    def document_count(self) -> int:
        """Live documents in the store (the size of a rebuild)."""
        return int(self.ledger.stats()["documents"])

    def heal(self) -> bool:
        """Empty each index that must be rebuilt (the next sync fills them); True when one
        was."""
        problems = self.problems()
        by_name = {getattr(i, "name", "search"): i for i in self._indexes().values()}
        for name, reason in problems.items():
            log.warning("%s: rebuilding it from the store", reason)
            index = by_name[name]
            if not getattr(index, "quarantined", None):
                index.reset()
        if problems:
            self.ledger.mark_all_unindexed()
        return bool(problems)

    def _discard_quarantined(self) -> None:
        stale, gone = self.ledger.stale_documents(limit=1)
        if stale or gone:
            return  # not rebuilt yet: keep the damaged files until it is
        for index in self._indexes().values():
            discard = getattr(index, "discard_quarantined", None)
            if discard is not None:
                discard()

    def heal_later(self, reason: str) -> None:
        """An index was found damaged while in use and replaced by an empty one: rebuild it
        from the store in the background (once at a time); until then searches find less,
        never more, than the store allows."""
        with self._lock:
            if self._healing:
                self._heal_again = True
                return
            self._healing = True

        def run() -> None:
            lower_this_thread(self.background_nice)
            try:
                while True:
                    self._heal_again = False
                    self.pipeline.sync()
                    if not self._heal_again:
                        break
                self._discard_quarantined()
                log.warning("the search indexes are rebuilt from the store")
            except Exception:
                log.warning(
                    "rebuilding the search indexes failed; run `playbook reindex`", exc_info=True
                )
            finally:
                with self._lock:
                    self._healing = False

        self._wait_at_exit()
        threading.Thread(target=run, name="index-heal", daemon=True).start()

    def _wait_at_exit(self) -> None:
        if not self._waits_at_exit:
            # A short-lived command (or a server shutting down) waits for a rebuild or a
            # saved entry's indexing rather than die inside it; what is cut short anyway is
            # still flagged in the ledger and finished on the next start.
            atexit.register(self.wait_for_heal, 600.0)
            atexit.register(self.wait_for_indexing, 600.0)
            self._waits_at_exit = True

    def wait_for_heal(self, timeout: float = 120.0) -> None:
        """Wait until a background rebuild (``heal_later``) is done (tests and the CLI)."""
        deadline = time.monotonic() + timeout
        while self._healing and time.monotonic() < deadline:
            time.sleep(0.05)

    # -- index after saving ---------------------------------------------------------------

    def later(self) -> IndexAfterSave:
        """The pipeline as the reflection studio uses it: a save returns once the entry is
        redacted and stored; embedding and indexing follow on this service's thread."""
        return IndexAfterSave(self.pipeline, self)

    def index_later(self, document_ids: Sequence[str]) -> None:
        """Index these stored documents on a background thread, in the order given.

        The store already flags them as not indexed (the ledger), so if this process dies
        first, nothing is lost: ``repair`` on the next start, or `playbook reindex`,
        indexes them.
        """
        ids = list(dict.fromkeys(document_ids))
        if not ids:
            return
        with self._lock:
            for doc_id in ids:
                self._pending[doc_id] = (0, 0)
                self._queued[doc_id] = self._queued.get(doc_id, 0) + 1
                self._failed.discard(doc_id)
            if self._worker is None or not self._worker.is_alive():
                self._worker = threading.Thread(
                    target=self._index_queued, name="index-after-save", daemon=True
                )
                self._worker.start()
        self._wait_at_exit()
        self._queue.put(ids)

    def state(self, document_id: str) -> IndexState:
        """Whether a document saved through ``later`` is searchable yet, with progress."""
        with self._lock:
            if document_id in self._failed:
                return IndexState(searchable=False, failed=True)
            progress = self._pending.get(document_id)
        if progress is None:
            return IndexState(searchable=True)
        return IndexState(False, *progress)

    def wait_for_indexing(self, timeout: float = 120.0) -> bool:
        """Wait until every document given to ``index_later`` is indexed (or failed);
        True when none is left."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._pending:
                    return True
            time.sleep(0.02)
        return False

    def scrub_after_indexing(self) -> None:
        """Scrub the store's and indexes' files now, and again once the documents queued so
        far are indexed (an edit's replaced copy leaves the indexes only then)."""
        self.pipeline.scrub()
        with self._lock:
            if not self._pending:
                return
        self._queue.put(None)

    def _index_queued(self) -> None:
        lower_this_thread(self.background_nice)
        while True:
            ids = self._queue.get()
            if ids is None:
                try:
                    self.pipeline.scrub()
                except Exception:
                    log.warning("scrubbing after indexing failed", exc_info=True)
                self._queue.task_done()
                continue

            def embedded(done: int, total: int, ids: list[str] = ids) -> None:
                with self._lock:
                    for doc_id in ids:
                        if doc_id in self._pending:
                            self._pending[doc_id] = (done, total)

            try:
                self.pipeline.sync(only=ids, embedded=embedded)
            except Exception:
                # The ledger still flags them: the next start or `playbook reindex` retries.
                log.warning(
                    "indexing %d saved document(s) failed; they are stored and will be indexed "
                    "on the next start or by `playbook reindex`",
                    len(ids),
                    exc_info=True,
                )
                with self._lock:
                    self._failed.update(ids)
            finally:
                with self._lock:
                    for doc_id in ids:
                        self._queued[doc_id] -= 1
                        if not self._queued[doc_id]:  # saved again meanwhile: not yet
                            del self._queued[doc_id]
                            self._pending.pop(doc_id, None)
                self._queue.task_done()


class IndexAfterSave:
    """``DocumentPipeline`` for the studio: ``ingest`` redacts and stores (so the entry is
    saved, and redacted before anything is stored for others or embedded), then hands the
    indexing to ``IndexingService.index_later``. Everything else is the pipeline's own,
    synchronous: a share or withdrawal must reach the indexes before it returns."""

    def __init__(self, pipeline: IngestPipeline, indexing: IndexingService) -> None:
        self._pipeline = pipeline
        self._indexing = indexing

    def ingest(self, docs: Sequence[NewDocument]) -> list[IngestResult]:
        """Redact and store documents now; index them in the background."""
        results, to_index = self._pipeline.store(docs)
        self._indexing.index_later(to_index)
        return results

    def reredact(
        self, decrypt: Callable[[bytes], str], *, only: Sequence[str] | None = None
    ) -> int:
        """Redact these documents again from their encrypted originals (and re-index them)."""
        return self._pipeline.reredact(decrypt, only=only)

    def sync(self, only: Sequence[str] | None = None) -> SyncReport:
        """Bring the indexes up to date with the store for these documents, now."""
        return self._pipeline.sync(only=only)

    def scrub(self) -> None:
        """Leave no bytes of superseded text in the store's and indexes' files: now, and
        once what is being indexed in the background (an edit) is indexed."""
        self._indexing.scrub_after_indexing()

    def delete(self, document_id: str) -> None:
        """Delete a document from the store and both indexes, now (an author's delete in
        My reflections: issue 18's writing)."""
        self._pipeline.delete(document_id)


def lower_this_thread(nice: int) -> None:
    """Lower the calling thread's CPU priority by ``nice``. Linux keeps a nice value per
    thread, and with one torch thread the embedding runs on the calling thread, so a
    background index yields the cores to the sessions of the same process; elsewhere, or
    when the system refuses, nothing changes."""
    if not nice or not sys.platform.startswith("linux"):
        return
    try:
        tid = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, tid, min(19, os.getpriority(os.PRIO_PROCESS, tid) + nice))
    except OSError:
        log.debug("could not lower the priority of %s", threading.current_thread().name)
