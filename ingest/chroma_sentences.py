"""Per-sentence vectors of indexed chunks, in a small SQLite file beside the dense index.

Chroma holds one vector per record. Ranking and answering need more: the vector of each
sentence of a chunk (a paraphrase matches one sentence better than the whole chunk, and the
extractive answer picks sentences). Embedding them at query time cost seconds per question,
so they are made once, at index time, and kept here by chunk id: a query reads the rows of
the few candidate chunks by primary key (well under a millisecond for fifty) and never
embeds a passage.

The file holds no text, only offsets into the chunk's text (which the store keeps), as
int32 pairs, and the vectors as float16 (half the bytes; cosine to float32 within 1e-3).
It is derived data with the dense index's lifecycle: written, deleted, reset and scrubbed
with it, and moved aside with it when damaged (an embedded Chroma keeps it in its own
folder).
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Protocol, cast

import numpy as np

from playbook.ports import ChunkVectors
from playbook.private_files import FILE_MODE, tighten

FILE_NAME = "sentence_vectors.sqlite3"
# Bump when what a row means changes (another sentence split): rows are then dropped and
# the dense index rebuilt from the store. "2": sentence vectors pooled from their chunk's
# pass (``SentenceTransformerEmbedder.embed_spans``), no longer each embedded on its own.
FORMAT = "2"

_SCHEMA = (
    """
    CREATE TABLE IF NOT EXISTS chunk_vectors (
        chunk_id TEXT PRIMARY KEY,
        document_id TEXT NOT NULL,
        spans BLOB NOT NULL,
        vectors BLOB NOT NULL
    ) WITHOUT ROWID
    """,
    "CREATE INDEX IF NOT EXISTS ix_chunk_vectors_document ON chunk_vectors (document_id)",
    "CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
)


class SentenceVectors(Protocol):
    """Where the dense index keeps sentence vectors: this file, or a PostgreSQL table
    (``ingest.pg_sentences``) beside a Chroma server."""

    def upsert(
        self, chunk_ids: Sequence[str], document_ids: Sequence[str], vectors: Sequence[ChunkVectors]
    ) -> None:
        """Insert or replace the vectors of these chunks."""
        ...

    def get(self, chunk_ids: Sequence[str]) -> dict[str, ChunkVectors]:
        """The vectors held for these chunks."""
        ...

    def discard(self, chunk_ids: Sequence[str]) -> None:
        """Remove the vectors of these chunks."""
        ...

    def delete_documents(self, document_ids: Sequence[str]) -> None:
        """Remove the vectors of every chunk of these documents."""
        ...

    def count(self) -> int:
        """Number of chunks with vectors."""
        ...

    def reset(self) -> None:
        """Drop every row."""
        ...

    def scrub(self) -> None:
        """Leave no trace of deleted rows where the engine allows."""
        ...

    def close(self) -> None:
        """Release the connection."""
        ...


def pack(vectors: ChunkVectors) -> tuple[bytes, bytes]:
    """A chunk's row as stored: its spans as int32 pairs and its vectors (the chunk's, then
    each sentence's) as a float16 matrix (also the PostgreSQL table's layout)."""
    matrix = np.asarray([vectors.chunk, *vectors.sentences], dtype=np.float16)
    spans = np.asarray(vectors.spans, dtype=np.int32).reshape(-1, 2)
    return spans.tobytes(), matrix.tobytes()


def unpack(packed: bytes, blob: bytes) -> ChunkVectors:
    """The ``ChunkVectors`` of a row that ``pack`` made."""
    spans = np.frombuffer(packed, dtype=np.int32).reshape(-1, 2).tolist()
    matrix = np.frombuffer(blob, dtype=np.float16).astype(np.float32)
    matrix = matrix.reshape(len(spans) + 1, -1)
    # numpy rows serve as the port's sequences (indexable, sized), uncopied.
    return ChunkVectors(
        chunk=cast("Sequence[float]", matrix[0]),
        spans=tuple((a, b) for a, b in spans),
        sentences=cast("Sequence[Sequence[float]]", matrix[1:]),
    )


class SentenceVectorFile:
    """Chunk and sentence vectors by chunk id (see the module's notes).

    Row layout: ``vectors`` is a float16 matrix whose first row is the chunk's own vector
    and whose next rows belong, in order, to the sentence ``spans`` (offsets into the chunk's
    text).
    """

    def __init__(self, path: Path | str) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileExistsError):
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))
        for part in (path, *(path.with_name(path.name + s) for s in ("-wal", "-shm"))):
            tighten(part)
        self.path = path
        self._lock = threading.Lock()
        self._conn = sqlite3.connect(str(path), check_same_thread=False, timeout=30)
        try:
            with self._lock, self._conn:
                self._conn.execute("PRAGMA secure_delete=ON")
                self._conn.execute("PRAGMA journal_mode=WAL")
                for statement in _SCHEMA:
                    self._conn.execute(statement)
                row = self._conn.execute("SELECT value FROM info WHERE key = 'format'").fetchone()
                # Another format: its rows cannot be read as this one's.
                self.outdated = row is not None and row[0] != FORMAT
                if row is None or self.outdated:
                    self._conn.execute("DELETE FROM chunk_vectors")
                    self._conn.execute(
                        "INSERT OR REPLACE INTO info (key, value) VALUES ('format', ?)", (FORMAT,)
                    )
        except BaseException:
            self._conn.close()  # a damaged file is moved aside next: let go of it
            raise

    def upsert(
        self,
        chunk_ids: Sequence[str],
        document_ids: Sequence[str],
        vectors: Sequence[ChunkVectors],
    ) -> None:
        """Insert or replace the vectors of these chunks."""
        rows = [
            (cid, doc_id, *pack(v))
            for cid, doc_id, v in zip(chunk_ids, document_ids, vectors, strict=True)
        ]
        with self._lock, self._conn:
            self._conn.executemany(
                "INSERT OR REPLACE INTO chunk_vectors (chunk_id, document_id, spans, vectors) "
                "VALUES (?, ?, ?, ?)",
                rows,
            )

    def get(self, chunk_ids: Sequence[str]) -> dict[str, ChunkVectors]:
        """The vectors held for these chunks (chunks without any are left out).

        Callers pass ids an index query of the reader's scope returned: the file itself
        knows nothing of permissions, and holds no text.
        """
        out: dict[str, ChunkVectors] = {}
        ids = list(dict.fromkeys(chunk_ids))
        for s in range(0, len(ids), 500):
            part = ids[s : s + 500]
            marks = ",".join("?" * len(part))
            with self._lock:
                rows = self._conn.execute(
                    "SELECT chunk_id, spans, vectors FROM chunk_vectors"
                    f" WHERE chunk_id IN ({marks})",
                    part,
                ).fetchall()
            for cid, packed, blob in rows:
                out[cid] = unpack(packed, blob)
        return out

    def discard(self, chunk_ids: Sequence[str]) -> None:
        """Remove the vectors of these chunks."""
        self._delete("chunk_id", chunk_ids)

    def delete_documents(self, document_ids: Sequence[str]) -> None:
        """Remove the vectors of every chunk of these documents."""
        self._delete("document_id", document_ids)

    def _delete(self, column: str, values: Sequence[str]) -> None:
        ids = list(values)
        with self._lock, self._conn:
            for s in range(0, len(ids), 500):
                part = ids[s : s + 500]
                marks = ",".join("?" * len(part))
                self._conn.execute(f"DELETE FROM chunk_vectors WHERE {column} IN ({marks})", part)

    def count(self) -> int:
        """Number of chunks with vectors here."""
        with self._lock:
            return int(self._conn.execute("SELECT count(*) FROM chunk_vectors").fetchone()[0])

    def reset(self) -> None:
        """Drop every row (and what the log still holds)."""
        with self._lock, self._conn:
            self._conn.execute("DELETE FROM chunk_vectors")
        self.scrub()

    def scrub(self) -> None:
        """Write the log back and truncate it (secure_delete zeroes freed pages)."""
        with self._lock:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def close(self) -> None:
        """Close the connection."""
        self._conn.close()
