"""Indexing use cases: repair on start, rebuild, heal in the background, and the figures of
`playbook stats`.

The store is the truth and the indexes are derived (DESIGN, principle 1). Each index reports
its own health (``check``, ``quarantined``; see ``ingest.index_health``); this service decides
what to do about it: empty and refill an index that must be rebuilt, finish indexing a crash
interrupted, and discard moved-aside files once a rebuild succeeded.
"""

from __future__ import annotations

import atexit
import logging
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from ingest.pipeline import IngestPipeline, SyncReport
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


class IndexingService:
    """Keeps the dense and keyword indexes in step with the store."""

    def __init__(
        self,
        pipeline: IngestPipeline,
        ledger: IndexLedger,
        indexes: Callable[[], Mapping[str, Healable]],
        decrypt: Callable[[bytes], str] | None = None,
        repair_on_start: bool = True,
    ) -> None:
        self.pipeline = pipeline
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

    def repair(self) -> None:
        """Finish indexing interrupted by a crash, and rebuild an index found missing, stale
        or damaged (cheap when all is well: a few small queries; see ``index_health``)."""
        if not self.repair_on_start:
            return
        if self.pipeline.upgrade_source_ids():
            log.info("source ids are now kept as keyed hashes with redacted labels")
        self.heal()
        # One indexed lookup, not the full counts of stats(): this runs on every start.
        stale, gone = self.ledger.stale_documents(limit=1)
        if stale or gone:
            log.info("repairing the indexes: some documents were not indexed")
            self.pipeline.sync()
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

        if not self._waits_at_exit:
            # A short-lived command waits for the rebuild rather than die inside it.
            atexit.register(self.wait_for_heal, 600.0)
            self._waits_at_exit = True
        threading.Thread(target=run, name="index-heal", daemon=True).start()

    def wait_for_heal(self, timeout: float = 120.0) -> None:
        """Wait until a background rebuild (``heal_later``) is done (tests and the CLI)."""
        deadline = time.monotonic() + timeout
        while self._healing and time.monotonic() < deadline:
            time.sleep(0.05)
