"""Per-sentence vectors of indexed chunks in the PostgreSQL store's database, for a dense
index on a Chroma server: the same rows as ``ingest.chroma_sentences.SentenceVectorFile``
(no text, offsets and float16 vectors by chunk id), in the table ``sentence_vectors``
(migration 0014), so an installation on PostgreSQL and a Chroma server keeps no SQLite file.

It has the file's interface and lifecycle (written, deleted, reset and scrubbed with the
dense index); ``scrub`` runs ``VACUUM`` (space reclaimed, not zeroed: see
``ingest.pg_fulltext``).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, text

from ingest.chroma_sentences import FORMAT, pack, unpack
from playbook.ports import ChunkVectors


class PgSentenceVectors:
    """Chunk and sentence vectors by chunk id, in PostgreSQL (see the module's notes)."""

    def __init__(self, engine: Engine, owns_engine: bool = False) -> None:
        if engine.dialect.name != "postgresql":
            raise ValueError("PostgreSQL sentence vectors need a PostgreSQL database URL")
        self._engine = engine
        self._owns_engine = owns_engine
        with engine.begin() as conn:
            if conn.execute(text("SELECT to_regclass('sentence_vectors')")).scalar() is None:
                raise RuntimeError(
                    "the database has no sentence_vectors table: run `playbook init` "
                    "(it applies the migrations) first"
                )
            row = conn.execute(
                text("SELECT value FROM sentence_vectors_info WHERE key = 'format'")
            ).scalar()
            # Rows of another format cannot be read as this one's: dropped, then rebuilt.
            self.outdated = row is not None and row != FORMAT
            if row is None or self.outdated:
                conn.execute(text("DELETE FROM sentence_vectors"))
                conn.execute(
                    text(
                        "INSERT INTO sentence_vectors_info (key, value) VALUES ('format', :f) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                    ),
                    {"f": FORMAT},
                )

    def upsert(
        self,
        chunk_ids: Sequence[str],
        document_ids: Sequence[str],
        vectors: Sequence[ChunkVectors],
    ) -> None:
        """Insert or replace the vectors of these chunks."""
        rows: dict[str, dict[str, object]] = {}
        for cid, doc_id, v in zip(chunk_ids, document_ids, vectors, strict=True):
            spans, matrix = pack(v)
            rows[cid] = {"c": cid, "d": doc_id, "s": spans, "v": matrix}
        if not rows:
            return
        with self._engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO sentence_vectors (chunk_id, document_id, spans, vectors) "
                    "VALUES (:c, :d, :s, :v) ON CONFLICT (chunk_id) DO UPDATE SET "
                    "document_id = excluded.document_id, spans = excluded.spans, "
                    "vectors = excluded.vectors"
                ),
                list(rows.values()),
            )

    def get(self, chunk_ids: Sequence[str]) -> dict[str, ChunkVectors]:
        """The vectors held for these chunks (chunks without any are left out); callers
        pass ids a query in the reader's scope returned (this checks no permission)."""
        ids = list(dict.fromkeys(chunk_ids))
        if not ids:
            return {}
        with self._engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT chunk_id, spans, vectors FROM sentence_vectors "
                    "WHERE chunk_id = ANY(CAST(:ids AS text[]))"
                ),
                {"ids": ids},
            ).all()
        return {cid: unpack(bytes(spans), bytes(blob)) for cid, spans, blob in rows}

    def discard(self, chunk_ids: Sequence[str]) -> None:
        """Remove the vectors of these chunks."""
        self._delete("chunk_id", chunk_ids)

    def delete_documents(self, document_ids: Sequence[str]) -> None:
        """Remove the vectors of every chunk of these documents."""
        self._delete("document_id", document_ids)

    def _delete(self, column: str, values: Sequence[str]) -> None:
        if not values:
            return
        with self._engine.begin() as conn:
            # ``column`` is one of the two names above, never user input.
            conn.execute(
                text(f"DELETE FROM sentence_vectors WHERE {column} = ANY(CAST(:ids AS text[]))"),
                {"ids": list(values)},
            )

    def count(self) -> int:
        """Number of chunks with vectors here."""
        with self._engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM sentence_vectors")).scalar_one())

    def reset(self) -> None:
        """Drop every row."""
        with self._engine.begin() as conn:
            conn.execute(text("TRUNCATE sentence_vectors"))

    def scrub(self) -> None:
        """Reclaim deleted and replaced rows (``VACUUM``)."""
        with self._engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM sentence_vectors"))

    def close(self) -> None:
        """Release the engine's connections when this made the engine."""
        if self._owns_engine:
            self._engine.dispose()
