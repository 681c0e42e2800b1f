"""The container's search indexes: the dense index (Chroma, embedded or a server) and the
keyword index (chosen by ``keyword_index``), each guarded so it re-opens after a rebuild
elsewhere and heals from the store when its files are damaged."""

from __future__ import annotations

import functools
import logging
from typing import TYPE_CHECKING, Any

from playbook.services.indexing import IndexingService
from playbook.settings import Settings
from playbook.store import SqlRecords

if TYPE_CHECKING:
    from ingest.index_health import GuardedIndex

log = logging.getLogger(__name__)


class IndexParts:
    """The index half of ``Container`` (a mixin: it reads the settings and the store the
    container holds, and hands damage to its indexing service)."""

    settings: Settings

    if TYPE_CHECKING:

        @property
        def records(self) -> SqlRecords: ...

        @property
        def indexing(self) -> IndexingService: ...

    def chroma_client(self) -> Any:
        """A new Chroma client: embedded, or a server when a URL is set (the dense index
        makes one each time it opens its files; this is for tools and tests)."""
        from ingest.chroma_index import make_client

        if self.settings.chroma_url:
            return make_client(url=self.settings.chroma_url)
        return make_client(path=self.settings.resolved_chroma_path)

    def _heal_later(self, reason: str) -> None:
        self.indexing.heal_later(reason)

    def _open_vectors(self) -> Any:
        from ingest.chroma_index import ChromaVectorIndex, release

        client = self.chroma_client()
        try:
            index = ChromaVectorIndex(
                client,
                self.settings.chroma_collection,
                owner_buckets=self.settings.chroma_owner_buckets,
                # Chroma keeps no text: hits are filled in from the store.
                chunks=self.records.chunks_by_id,
                sentences=self._open_sentences(),
            )
        except BaseException:
            release(client)  # its files may be moved aside next
            raise
        if index.legacy_dropped:
            # A layout from an earlier version or bucket count: rebuilt from the store on repair.
            log.info("the dense index changed layout; re-indexing everything")
            self.records.mark_all_unindexed()
        return index

    def _open_sentences(self) -> Any:
        """Sentence vectors made at index time. Beside a Chroma server on a PostgreSQL
        store: a table in its database (no SQLite file at all in that mode). Otherwise a
        file; embedded, inside Chroma's folder, so a damaged index is moved aside (and
        rebuilt) with them."""
        from ingest.chroma_sentences import FILE_NAME, SentenceVectorFile
        from ingest.keyword_backends import is_postgres_url

        url = self.settings.resolved_database_url
        if self.settings.chroma_url and is_postgres_url(url):
            from ingest.pg_sentences import PgSentenceVectors
            from playbook.store import make_engine

            return PgSentenceVectors(make_engine(url), owns_engine=True)
        folder = (
            self.settings.data_dir / "chroma-server"
            if self.settings.chroma_url
            else self.settings.resolved_chroma_path
        )
        return SentenceVectorFile(folder / FILE_NAME)

    def _open_keywords(self) -> Any:
        from ingest.keyword_backends import open_keyword_index

        # The backend the settings name (``keyword_index``), else the store's own kind:
        # SQLite FTS5, or PostgreSQL full text for a PostgreSQL store.
        index = open_keyword_index(self.settings, self.records.chunks_by_id)
        if getattr(index, "legacy_dropped", False):
            log.info("the keyword index gained access tokens; re-indexing everything")
            self.records.mark_all_unindexed()
        return index

    @functools.cached_property
    def vectors(self) -> GuardedIndex:
        """The dense index (Chroma), re-opened after a rebuild by another process and
        healed from the store when its files are damaged (``ingest.index_health``)."""
        from ingest.index_health import GuardedIndex

        return GuardedIndex(
            "dense",
            self._open_vectors,
            self.records,
            path=None if self.settings.chroma_url else self.settings.resolved_chroma_path,
            on_damage=self._heal_later,
        )

    @functools.cached_property
    def keywords(self) -> GuardedIndex:
        """The keyword index (``keyword_index``; by default SQLite FTS5, or PostgreSQL full
        text on a PostgreSQL store), guarded like the dense one."""
        from ingest.index_health import GuardedIndex
        from ingest.keyword_backends import chosen_keyword_backend, keyword_backend

        name = chosen_keyword_backend(self.settings)
        # An unknown name fails here, as a sentence, not later as an index that failed.
        keyword_backend(name)
        return GuardedIndex(
            "keyword",
            self._open_keywords,
            self.records,
            # Only FTS5 has files of its own to move aside when damaged; PostgreSQL's table
            # is healed by a reset, like a Chroma server's collections.
            path=self.settings.resolved_keyword_index_path if name == "fts5" else None,
            on_damage=self._heal_later,
        )
