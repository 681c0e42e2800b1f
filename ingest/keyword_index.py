"""KeywordIndex port over SQLite FTS5 (BM25). The only SQLite-specific code in the product.

It lives in its own file: it is derived data, dropped and rebuilt by ``playbook reindex``,
and it works the same whether the system of record is SQLite or PostgreSQL.

Deleted text must not linger in the file: every connection zeroes what it frees
(``secure_delete``), FTS5 drops deleted rows' terms from its segments (the ``secure-delete``
option where SQLite has it, else ``scrub()`` merges the segments), and ``scrub()`` empties
the write-ahead log.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import threading
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from ingest.fts5_query import (
    MAX_QUERY_TERMS,
    chunk_filters,
    filter_token,
    match_expression,
    query_terms,
    scope_match,
    scope_sql,
)
from ingest.index_health import from_store
from playbook.models import ChunkRecord, IndexHit
from playbook.ports import Scope
from playbook.private_files import FILE_MODE, tighten

# The query helpers moved to ingest.fts5_query; code imports them from here as before.
__all__ = [
    "MAX_QUERY_TERMS",
    "Fts5KeywordIndex",
    "chunk_filters",
    "filter_token",
    "match_expression",
    "query_terms",
    "scope_match",
    "scope_sql",
]

# FTS5's own secure-delete (no deleted terms left in segments) arrived in SQLite 3.44.
_FTS5_SECURE_DELETE = sqlite3.sqlite_version_info >= (3, 44, 0)
# PRAGMA user_version once the file has been rewritten with secure_delete on.
_SCRUBBED = 1

# Text lives in an FTS5 table; what filters and deletes need lives in an ordinary table with
# indexes, joined on rowid. (FTS5 UNINDEXED columns would make every delete a full scan.)
_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS chunk_meta (
        rowid INTEGER PRIMARY KEY,
        chunk_id TEXT NOT NULL UNIQUE,
        document_id TEXT NOT NULL,
        owner_id TEXT NOT NULL,
        visibility TEXT NOT NULL,
        programme_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        meta TEXT NOT NULL
    )
    """,
    "CREATE INDEX IF NOT EXISTS ix_chunk_meta_document ON chunk_meta (document_id)",
    "CREATE INDEX IF NOT EXISTS ix_chunk_meta_owner ON chunk_meta (owner_id)",
    """
    CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(
        text, title, filters, tokenize = 'porter unicode61 remove_diacritics 2'
    )
    """,
    # Which rebuild this file holds (``stamp``; the store keeps the same token).
    "CREATE TABLE IF NOT EXISTS index_info (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)


class Fts5KeywordIndex:
    """Chunks in FTS5; the permission columns are filtered inside the same SQL query.

    With ``chunks`` (the store's lookup by chunk id), hits take their text and metadata
    from the store, which also has the last word on who may read them: a keyword index
    behind a withdrawal or a delete it failed to apply shows nobody the withdrawn text.
    """

    # Counting chunks is one scan of a small table: cheap enough for a check on every start.
    cheap_count = True

    def __init__(
        self,
        path: Path | str,
        common_share: float = 0.2,
        keep_rarest: int = 2,
        chunks: Callable[[Sequence[str]], Mapping[str, ChunkRecord]] | None = None,
        title_weight: float = 0.5,
    ) -> None:
        self._chunks = chunks
        # BM25 weight of a title match against one in the text (1.0).
        self.title_weight = title_weight
        self.common_share = common_share
        self.keep_rarest = keep_rarest
        self._df: dict[str, int] = {}
        self._total: int | None = None
        if isinstance(path, Path):
            path.parent.mkdir(parents=True, exist_ok=True)
            # SQLite gives the -wal and -shm files the database file's mode.
            with contextlib.suppress(FileExistsError):
                os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
            for part in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))):
                tighten(part)
        self._path = Path(path)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._lock = threading.Lock()
        self._file = _file_id(self._path)
        try:
            self._open()
        except BaseException:
            self._conn.close()  # a damaged file is moved aside next: let go of it
            raise

    def _open(self) -> None:
        with self._lock, self._conn:
            self._conn.execute("PRAGMA secure_delete=ON")
            self._conn.execute("PRAGMA journal_mode=WAL")
            columns = {row[1] for row in self._conn.execute("PRAGMA table_info(chunks_fts)")}
            # An index from before the access tokens: dropped, to be rebuilt from the store.
            self.legacy_dropped = bool(columns) and "filters" not in columns
            if self.legacy_dropped:
                self._conn.execute("DROP TABLE chunks_fts")
                self._conn.execute("DROP TABLE IF EXISTS chunk_meta")
            self._create()
        self._scrub_once()

    def _create(self) -> None:
        for statement in _SCHEMA:
            self._conn.execute(statement)
        if _FTS5_SECURE_DELETE:
            self._conn.execute(
                "INSERT INTO chunks_fts (chunks_fts, rank) VALUES ('secure-delete', 1)"
            )

    def _scrub_once(self) -> None:
        """A file written before secure_delete was on may hold deleted text in free pages or
        old segments: merge and rewrite it once."""
        with self._lock:
            if self._conn.execute("PRAGMA user_version").fetchone()[0] >= _SCRUBBED:
                return
        self.scrub()
        with self._lock:
            self._conn.execute("VACUUM")
            self._conn.execute(f"PRAGMA user_version = {_SCRUBBED}")
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def scrub(self) -> None:
        """Leave no trace of deleted or replaced chunks in the file: merge FTS5's segments
        (so deleted rows' terms go; not needed where FTS5 deletes securely itself) and write
        the log back into the database, truncating it. Call after deletes or re-redaction;
        it costs a rewrite of the full-text index."""
        with self._lock:
            if not _FTS5_SECURE_DELETE:
                with self._conn:
                    self._conn.execute("INSERT INTO chunks_fts (chunks_fts) VALUES ('optimize')")
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _delete_rows(self, column: str, values: Sequence[str]) -> None:
        for i in range(0, len(values), 500):
            part = list(values[i : i + 500])
            marks = ",".join("?" * len(part))
            rowids = [
                (r,)
                for (r,) in self._conn.execute(
                    f"SELECT rowid FROM chunk_meta WHERE {column} IN ({marks})", part
                )
            ]
            self._conn.executemany("DELETE FROM chunks_fts WHERE rowid = ?", rowids)
            self._conn.executemany("DELETE FROM chunk_meta WHERE rowid = ?", rowids)

    def upsert(self, chunks: Sequence[ChunkRecord]) -> None:
        """Insert or replace chunks (by chunk id)."""
        with self._lock, self._conn:
            self._df.clear()
            self._total = None
            self._delete_rows("chunk_id", [c.chunk_id for c in chunks])
            for c in chunks:
                cur = self._conn.execute(
                    "INSERT INTO chunk_meta (chunk_id, document_id, owner_id, visibility,"
                    " programme_id, kind, meta) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        c.chunk_id,
                        c.document_id,
                        c.owner_id,
                        c.visibility.value,
                        c.programme_id,
                        c.kind.value,
                        json.dumps(c.metadata()),
                    ),
                )
                self._conn.execute(
                    "INSERT INTO chunks_fts (rowid, text, title, filters) VALUES (?, ?, ?, ?)",
                    (cur.lastrowid, c.text, c.title, chunk_filters(c)),
                )

    def delete_documents(self, document_ids: Sequence[str]) -> None:
        """Remove every chunk of these documents."""
        with self._lock, self._conn:
            self._df.clear()
            self._total = None
            self._delete_rows("document_id", document_ids)

    def query(self, text: str, k: int, scope: Scope) -> list[IndexHit]:
        """BM25-ranked matches the scope may read (score = -bm25, higher is better)."""
        terms = self._informative(query_terms(text))
        expr = match_expression(terms)
        if expr is None:
            return []
        cond, params = scope_sql(scope)
        match = f"{{text title}} : ({expr}) AND {scope_match(scope)}"
        rank = f"bm25(chunks_fts, 1.0, {float(self.title_weight)!r}, 0.0)"
        if scope.since_ts is None and scope.until_ts is None:
            # Everything but dates is in MATCH: rank inside FTS5 alone, then fetch the few
            # rows kept (reading every match's text and metadata first costs more than BM25).
            sql = (
                f"SELECT m.chunk_id, f.text, m.meta, top.rank FROM (SELECT rowid, {rank} AS rank "
                "FROM chunks_fts WHERE chunks_fts MATCH ? ORDER BY rank LIMIT ?) AS top "
                "JOIN chunk_meta AS m ON m.rowid = top.rowid "
                "JOIN chunks_fts AS f ON f.rowid = top.rowid "
                f"WHERE {cond} ORDER BY top.rank"
            )
            args: list[str | int] = [match, max(1, k), *params]
        else:
            sql = (
                f"SELECT m.chunk_id, f.text, m.meta, {rank} AS rank "
                "FROM chunks_fts AS f JOIN chunk_meta AS m ON m.rowid = f.rowid "
                f"WHERE chunks_fts MATCH ? AND {cond} ORDER BY rank LIMIT ?"
            )
            args = [match, *params, max(1, k)]
        with self._lock:
            rows = self._conn.execute(sql, args).fetchall()
        hits = [
            IndexHit(chunk_id=cid, score=-float(rank), text=body, metadata=json.loads(meta))
            for cid, body, meta, rank in rows
        ]
        return hits if self._chunks is None else from_store(hits, self._chunks, scope)

    def _informative(self, terms: list[str]) -> list[str]:
        """The query terms without those in more than ``common_share`` of all chunks, keeping
        the ``keep_rarest`` rarest whatever their frequency.

        BM25 gives such a term almost no weight (its IDF is near zero), yet scoring it means
        visiting most of the index; dropping it changes rankings little and saves most of
        the time (Lucene's "common terms" idea). Frequencies are cached until a write.
        """
        if len(terms) <= self.keep_rarest:
            return terms
        with self._lock:
            if self._total is None:
                self._total = int(
                    self._conn.execute("SELECT count(*) FROM chunk_meta").fetchone()[0]
                )
            total = self._total
            for t in terms:
                if t not in self._df:
                    if len(self._df) > 50_000:
                        self._df.clear()
                    self._df[t] = int(
                        self._conn.execute(
                            "SELECT count(*) FROM chunks_fts WHERE chunks_fts MATCH ?",
                            [f'{{text title}} : "{t}"'],
                        ).fetchone()[0]
                    )
            df = {t: self._df[t] for t in terms}
        rarest = set(sorted(terms, key=lambda t: (df[t], t))[: self.keep_rarest])
        return [t for t in terms if t in rarest or df[t] <= self.common_share * total]

    def count(self) -> int:
        """Number of chunks held."""
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM chunk_meta").fetchone()[0])

    def reset(self) -> None:
        """Drop and recreate both tables."""
        with self._lock, self._conn:
            self._df.clear()
            self._total = None
            self._conn.execute("DROP TABLE IF EXISTS chunks_fts")
            self._conn.execute("DROP TABLE IF EXISTS chunk_meta")
            self._create()
        with self._lock:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def refresh(self) -> bool:
        """After a rebuild elsewhere: drop cached frequencies, and say whether the connection
        still reads the file at this path (False when it was moved aside and made anew)."""
        with self._lock:
            self._df.clear()
            self._total = None
        return self._file == _file_id(self._path)

    def token(self) -> str | None:
        """The token stamped at the last rebuild, or None (a new or older file)."""
        with self._lock:
            row = self._conn.execute("SELECT value FROM index_info WHERE key = 'token'").fetchone()
        return str(row[0]) if row else None

    def stamp(self, token: str) -> None:
        """Record which rebuild this file holds."""
        with self._lock, self._conn:
            self._conn.execute(
                "INSERT INTO index_info (key, value) VALUES ('token', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (token,),
            )

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()


def _file_id(path: Path) -> tuple[int, int]:
    try:
        st = path.stat()
    except OSError:
        return (-1, -1)
    return (st.st_dev, st.st_ino)
