"""KeywordIndex port over SQLite FTS5 (BM25). The only SQLite-specific code in the product.

It lives in its own file: it is derived data, dropped and rebuilt by ``playbook reindex``,
and it works the same whether the system of record is SQLite or PostgreSQL.
"""

from __future__ import annotations

import json
import re
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path

from playbook.models import ChunkRecord, IndexHit
from playbook.ports import Scope

_WORD = re.compile(r"\w+", re.UNICODE)
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "she",
        "so",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "you",
        "your",
    ]
)
MAX_QUERY_TERMS = 32

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
        text, title, tokenize = 'porter unicode61 remove_diacritics 2'
    )
    """,
)


def match_expression(text: str) -> str | None:
    """A safe FTS5 MATCH expression: each word quoted, OR-ed; None when nothing is searchable.

    User text never reaches FTS5 syntax directly, so quotes, ``*`` or ``NEAR(`` are plain
    characters here.
    """
    words = [w.lower() for w in _WORD.findall(text)]
    terms = [w for w in words if w not in _STOPWORDS] or words
    unique = list(dict.fromkeys(terms))[:MAX_QUERY_TERMS]
    if not unique:
        return None
    return " OR ".join(f'"{t}"' for t in unique)


def scope_sql(scope: Scope) -> tuple[str, list[str]]:
    """SQL condition and parameters for what a reader may see, and their own narrowing."""
    params: list[str] = [scope.reader_id]
    if scope.only_mine or not scope.programme_ids:
        cond = "m.owner_id = ?"
    else:
        marks = ",".join("?" * len(scope.programme_ids))
        cond = (
            "(m.owner_id = ? OR (m.visibility IN ('shared', 'published') "
            f"AND m.programme_id IN ({marks})))"
        )
        params.extend(sorted(scope.programme_ids))
    if scope.kinds:
        cond += f" AND m.kind IN ({','.join('?' * len(scope.kinds))})"
        params.extend(k.value for k in scope.kinds)
    if scope.function:
        cond += " AND json_extract(m.meta, '$.function_key') = ?"
        params.append(scope.function)
    if scope.market:
        cond += " AND json_extract(m.meta, '$.market_key') = ?"
        params.append(scope.market)
    return cond, params


class Fts5KeywordIndex:
    """Chunks in FTS5; the permission columns are filtered inside the same SQL query."""

    def __init__(self, path: Path | str) -> None:
        if isinstance(path, Path):
            path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        self._lock = threading.Lock()
        with self._lock, self._conn:
            self._conn.execute("PRAGMA journal_mode=WAL")
            for statement in _SCHEMA:
                self._conn.execute(statement)

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
                    "INSERT INTO chunks_fts (rowid, text, title) VALUES (?, ?, ?)",
                    (cur.lastrowid, c.text, c.title),
                )

    def delete_documents(self, document_ids: Sequence[str]) -> None:
        """Remove every chunk of these documents."""
        with self._lock, self._conn:
            self._delete_rows("document_id", document_ids)

    def query(self, text: str, k: int, scope: Scope) -> list[IndexHit]:
        """BM25-ranked matches the scope may read (score = -bm25, higher is better)."""
        expr = match_expression(text)
        if expr is None:
            return []
        cond, params = scope_sql(scope)
        sql = (
            "SELECT m.chunk_id, f.text, m.meta, bm25(chunks_fts, 1.0, 0.5) AS rank "
            "FROM chunks_fts AS f JOIN chunk_meta AS m ON m.rowid = f.rowid "
            f"WHERE chunks_fts MATCH ? AND {cond} ORDER BY rank LIMIT ?"
        )
        with self._lock:
            rows = self._conn.execute(sql, [expr, *params, max(1, k)]).fetchall()
        return [
            IndexHit(chunk_id=cid, score=-float(rank), text=body, metadata=json.loads(meta))
            for cid, body, meta, rank in rows
        ]

    def count(self) -> int:
        """Number of chunks held."""
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM chunk_meta").fetchone()[0])

    def reset(self) -> None:
        """Drop and recreate both tables."""
        with self._lock, self._conn:
            self._conn.execute("DROP TABLE IF EXISTS chunks_fts")
            self._conn.execute("DROP TABLE IF EXISTS chunk_meta")
            for statement in _SCHEMA:
                self._conn.execute(statement)

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()
