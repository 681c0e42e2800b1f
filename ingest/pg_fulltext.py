"""KeywordIndex port over PostgreSQL full-text search, in the store's own database.

Chosen automatically when the store is PostgreSQL (``ingest.keyword_backends``), so such an
installation keeps no SQLite file. The table is ``keyword_chunks`` (migration 0014): per
chunk a ``tsvector`` (text weighted A, title B, English stemming) with a GIN index, and the
chunk's filter tokens (``ingest.fts5_query.chunk_filters``: owner, programme once shared,
kind, function, market, tags, entry status) as a ``text[]`` with a GIN index. The reader's
scope is part of the one SQL query (``filters && ...`` plus the owner/visibility rule on the
columns), so PostgreSQL never ranks a chunk the reader may not read.

Ranking, and how it compares with BM25 (the FTS5 index): PostgreSQL's ``ts_rank_cd``
(cover density, normalised by document length, option 1: ``1 + log(length)``) has no notion
of how rare a term is; BM25's IDF is what makes a rare word count more than a common one.
So a chunk's score is the sum over the query's terms of ``idf(term) * ts_rank_cd(tsv,
term)``, with BM25's IDF ``ln(1 + (N - df + 0.5) / (df + 0.5))`` from document frequencies
counted on the GIN index (cached until a write). Like the FTS5 index, terms found in more
than ``common_share`` of the chunks are not scored (they cost most and move rankings least),
keeping the ``keep_rarest`` rarest (frequencies are counted up to that line only, so a
common term kept as one of the rarest gets the IDF of the line). Term-frequency saturation
is the part that differs: ``ts_rank_cd`` grows with repeated covers rather than BM25's ``k1``
curve.

Speed (20,000 chunks, 200 three-word queries, a reader with 5 programmes' shares in reach,
on a shared 2-core machine): p50 76 ms, p95 149 ms, against FTS5's 1.5 / 24 ms in-process.
The cost is reading and ranking every in-scope match's ``tsvector``; fine for search as a
person types, not for bulk use.

Deleted rows are dead tuples until VACUUM reclaims them: ``scrub()`` runs ``VACUUM`` on the
table (it frees the space for reuse; PostgreSQL does not zero it — an operator who must
guarantee that runs ``VACUUM FULL``).
"""

from __future__ import annotations

import json
import math
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Engine, text

from ingest.fts5_query import chunk_filters, filter_token, query_terms
from ingest.index_health import from_store
from playbook.models import ChunkRecord, IndexHit
from playbook.ports import Scope

_CONFIG = "english"
_VECTOR = (
    f"setweight(to_tsvector('{_CONFIG}', :body), 'A') || "
    f"setweight(to_tsvector('{_CONFIG}', :title), 'B')"
)
_UPSERT = text(
    "INSERT INTO keyword_chunks (chunk_id, document_id, owner_id, visibility, programme_id,"
    " kind, created_ts, filters, meta, body, tsv) VALUES (:chunk_id, :document_id, :owner_id,"
    " :visibility, :programme_id, :kind, :created_ts, :filters, CAST(:meta AS jsonb), :body,"
    f" {_VECTOR}) ON CONFLICT (chunk_id) DO UPDATE SET document_id = excluded.document_id,"
    " owner_id = excluded.owner_id, visibility = excluded.visibility, programme_id ="
    " excluded.programme_id, kind = excluded.kind, created_ts = excluded.created_ts,"
    " filters = excluded.filters, meta = excluded.meta, body = excluded.body, tsv = excluded.tsv"
)


def _clean(value: str) -> str:
    # PostgreSQL text cannot hold NUL; it carries no words anyway.
    return value.replace("\x00", " ")


def scope_condition(scope: Scope) -> tuple[str, dict[str, Any]]:
    """The SQL condition (on ``keyword_chunks``) and its parameters for what ``scope`` may
    read and its own narrowing: filter tokens matched on the GIN-indexed array, the access
    rule repeated on the columns, dates on ``created_ts``."""
    access = [filter_token("owner", scope.reader_id)]
    if not scope.only_mine:
        access.extend(filter_token("programme", p) for p in sorted(scope.programme_ids))
    params: dict[str, Any] = {"access": access, "reader": scope.reader_id}
    parts = ["filters && CAST(:access AS text[])"]
    if scope.only_mine or not scope.programme_ids:
        parts.append("owner_id = :reader")
    else:
        params["programmes"] = sorted(scope.programme_ids)
        parts.append(
            "(owner_id = :reader OR (visibility IN ('shared', 'published')"
            " AND programme_id = ANY(CAST(:programmes AS text[]))))"
        )
    if scope.kinds:
        params["kinds"] = [filter_token("kind", k.value) for k in scope.kinds]
        parts.append("filters && CAST(:kinds AS text[])")
    if scope.entry_statuses:
        params["statuses"] = [filter_token("status", s.value) for s in scope.entry_statuses]
        parts.append("filters && CAST(:statuses AS text[])")
    required = [filter_token("tag", t) for t in scope.tags]
    if scope.function:
        required.append(filter_token("function", scope.function))
    if scope.market:
        required.append(filter_token("market", scope.market))
    if required:
        params["required"] = required
        parts.append("filters @> CAST(:required AS text[])")
    if scope.since_ts is not None:
        params["since"] = scope.since_ts
        parts.append("created_ts >= :since")
    if scope.until_ts is not None:
        params["until"] = scope.until_ts
        parts.append("created_ts < :until")
    return " AND ".join(parts), params


class PgKeywordIndex:
    """Chunks in a PostgreSQL full-text table; the scope is filtered inside the query.

    With ``chunks`` (the store's lookup by chunk id), hits take their text and metadata from
    the store, which also has the last word on who may read them (as the FTS5 index does).
    """

    # One count(*) of a table in the same database: cheap enough for a check on every start.
    cheap_count = True

    def __init__(
        self,
        engine: Engine,
        common_share: float = 0.2,
        keep_rarest: int = 2,
        chunks: Callable[[Sequence[str]], Mapping[str, ChunkRecord]] | None = None,
        title_weight: float = 0.5,
        owns_engine: bool = False,
    ) -> None:
        if engine.dialect.name != "postgresql":
            raise ValueError("the postgres keyword index needs a PostgreSQL database URL")
        self._engine = engine
        self._owns_engine = owns_engine
        self._chunks = chunks
        self.title_weight = title_weight
        self.common_share = common_share
        self.keep_rarest = keep_rarest
        self.legacy_dropped = False
        self._lock = threading.Lock()
        self._df: dict[str, int] = {}
        self._total: int | None = None
        with engine.connect() as conn:
            # A store not migrated to 0014 has no table: say so rather than fail on a query.
            if conn.execute(text("SELECT to_regclass('keyword_chunks')")).scalar() is None:
                raise RuntimeError(
                    "the database has no keyword_chunks table: run `playbook init` "
                    "(it applies the migrations) first"
                )

    def _forget(self) -> None:
        with self._lock:
            self._df.clear()
            self._total = None

    def upsert(self, chunks: Sequence[ChunkRecord]) -> None:
        """Insert or replace chunks (by chunk id)."""
        if not chunks:
            return
        # One row per chunk id (the last wins), so one statement never updates a row twice.
        latest = {c.chunk_id: c for c in chunks}
        rows = [
            {
                "chunk_id": c.chunk_id,
                "document_id": c.document_id,
                "owner_id": c.owner_id,
                "visibility": c.visibility.value,
                "programme_id": c.programme_id,
                "kind": c.kind.value,
                "created_ts": c.metadata().get("created_ts"),
                "filters": chunk_filters(c).split(),
                "meta": json.dumps(c.metadata()),
                "body": _clean(c.text),
                "title": _clean(c.title or ""),
            }
            for c in latest.values()
        ]
        with self._engine.begin() as conn:
            conn.execute(_UPSERT, rows)
        self._forget()

    def delete_documents(self, document_ids: Sequence[str]) -> None:
        """Remove every chunk of these documents."""
        ids = list(document_ids)
        if not ids:
            return
        with self._engine.begin() as conn:
            conn.execute(
                text("DELETE FROM keyword_chunks WHERE document_id = ANY(CAST(:ids AS text[]))"),
                {"ids": ids},
            )
        self._forget()

    def query(self, text_: str, k: int, scope: Scope) -> list[IndexHit]:
        """Matches the scope may read, best first (score: IDF-weighted ``ts_rank_cd``)."""
        terms = [t for t in query_terms(text_) if t]
        if not terms:
            return []
        with self._engine.connect() as conn:
            weights = self._weights(conn, terms)
            if not weights:
                return []
            cond, params = scope_condition(scope)
            params["k"] = max(1, k)
            params["rank_weights"] = [0.0, 0.0, float(self.title_weight), 1.0]
            scored, matched = [], []
            for i, (term, idf) in enumerate(weights.items()):
                params[f"t{i}"], params[f"w{i}"] = term, idf
                q = f"plainto_tsquery('{_CONFIG}', :t{i})"
                matched.append(q)
                scored.append(f":w{i} * ts_rank_cd(CAST(:rank_weights AS real[]), tsv, {q}, 1)")
            sql = (
                f"SELECT chunk_id, body, meta, ({' + '.join(scored)}) AS score "
                f"FROM keyword_chunks WHERE tsv @@ ({' || '.join(matched)}) AND {cond} "
                "ORDER BY score DESC, chunk_id LIMIT :k"
            )
            rows = conn.execute(text(sql), params).all()
        hits = [
            IndexHit(
                chunk_id=cid,
                score=float(score),
                text=body,
                metadata=meta if isinstance(meta, dict) else json.loads(meta),
            )
            for cid, body, meta, score in rows
        ]
        return hits if self._chunks is None else from_store(hits, self._chunks, scope)

    def _weights(self, conn: Any, terms: list[str]) -> dict[str, float]:
        """BM25's IDF of each informative query term (those PostgreSQL can search at all:
        its stop words make an empty query), common terms dropped as in the FTS5 index."""
        with self._lock:
            total = self._total
            missing = [t for t in terms if t not in self._df]
        if total is None:
            total = int(conn.execute(text("SELECT count(*) FROM keyword_chunks")).scalar_one())
        found: dict[str, int] = {}
        # Counting stops past the common-term line: a term that common is skipped (or, as one
        # of the rarest, weighted by that lower bound), and counting all its rows would cost
        # a scan of most of the table.
        cap = int(self.common_share * total) + 1
        for t in missing:
            q = text(
                f"SELECT numnode(plainto_tsquery('{_CONFIG}', :t)), (SELECT count(*) FROM "
                f"(SELECT 1 FROM keyword_chunks WHERE tsv @@ plainto_tsquery('{_CONFIG}', :t) "
                "LIMIT :cap) AS m)"
            )
            nodes, df = conn.execute(q, {"t": t, "cap": cap}).one()
            found[t] = int(df) if nodes else -1  # -1: a stop word, nothing to match
        with self._lock:
            if len(self._df) > 50_000:
                self._df.clear()
            self._df.update(found)
            self._total = total
            df_of = {t: self._df.get(t, found.get(t, -1)) for t in terms}
        usable = [t for t in terms if df_of[t] >= 0]
        if len(usable) > self.keep_rarest:
            rarest = set(sorted(usable, key=lambda t: (df_of[t], t))[: self.keep_rarest])
            usable = [t for t in usable if t in rarest or df_of[t] <= self.common_share * total]
        return {
            t: math.log(1 + (total - df_of[t] + 0.5) / (df_of[t] + 0.5))
            for t in usable
            if df_of[t] > 0
        }

    def count(self) -> int:
        """Number of chunks held."""
        with self._engine.connect() as conn:
            return int(conn.execute(text("SELECT count(*) FROM keyword_chunks")).scalar_one())

    def reset(self) -> None:
        """Drop every chunk (the table stays: the migration owns it)."""
        with self._engine.begin() as conn:
            conn.execute(text("TRUNCATE keyword_chunks"))
        self._forget()

    def scrub(self) -> None:
        """Reclaim deleted and replaced rows (``VACUUM``; see the module's notes)."""
        with self._engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM keyword_chunks"))

    def refresh(self) -> bool:
        """After a rebuild elsewhere: forget cached frequencies. The table is the same one,
        so the connection stays valid (True)."""
        self._forget()
        return True

    def token(self) -> str | None:
        """The token stamped at the last rebuild, or None."""
        with self._engine.connect() as conn:
            value = conn.execute(
                text("SELECT value FROM keyword_index_info WHERE key = 'token'")
            ).scalar()
        return None if value is None else str(value)

    def stamp(self, token: str) -> None:
        """Record which rebuild this table holds."""
        with self._engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO keyword_index_info (key, value) VALUES ('token', :v) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value"
                ),
                {"v": token},
            )

    def close(self) -> None:
        """Release the engine's connections when this index made the engine."""
        if self._owns_engine:
            self._engine.dispose()
