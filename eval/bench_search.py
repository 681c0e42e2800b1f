"""Search latency: hybrid search (FTS5 + Chroma, permission scope inside both, fused) against
a bare Chroma query on the same data, in one run, at 10k and 100k generated chunks.

The chunks are 4-9 sentences drawn at random from the shared leader corpus and a bank of
leader-style sentences, so words are as common or as rare as in real writing. Owners write
in runs (each author's documents are imported together) and each chunk gets random
visibility, programme, kind and market. Vectors are random unit vectors: latency does not
depend on what they mean, and embedding 100k chunks would take this machine about ten
minutes. Queries are real phrases from the same sentences, embedded by the real model once,
before timing (the query-embedding time is reported on its own).

Baselines in the same run, on the same chunks: one plain Chroma collection holding all of
them, queried with no filter and with the permission scope as a ``where`` clause (the
single-collection layout the product used before), and the product's dense query alone
(only the reader's collections, no keyword side, no fusion).

Usage::

    python eval/bench_search.py                 # 10k and 100k chunks
    python eval/bench_search.py --sizes 10000   # one size
"""

from __future__ import annotations

import argparse
import random
import re
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

MARKETS = ["singapore", "jakarta", "lagos", "lisbon", "brazil", "germany", "india", "manila"]
DIM = 384
CORPUS = ROOT.parent / "shared" / "corpora" / "leader-action-plans.csv"
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


OWNERS = 500


def sentence_pool() -> list[str]:
    """Sentences of the leader corpus and of the generated leader-style bank."""
    from eval.bench_ingest import generated_corpus, leader_corpus

    texts = (leader_corpus() if CORPUS.exists() else []) + generated_corpus(300)
    pool = [s.strip() for t in texts for s in _SENTENCE_END.split(t) if len(s.split()) >= 4]
    return list(dict.fromkeys(pool))


def scope_where(scope: Any) -> dict[str, Any]:
    """The permission scope as one Chroma ``where`` clause: what the product did before it
    kept each reader's chunks in their own collections (kept here as a baseline)."""
    programmes = sorted(scope.programme_ids)
    return {
        "$or": [
            {"owner_id": scope.reader_id},
            {
                "$and": [
                    {"visibility": {"$in": ["shared", "published"]}},
                    {"programme_id": {"$in": programmes}},
                ]
            },
        ]
    }


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Fixed:
    """An embedder that returns precomputed query vectors (timing excludes the model)."""

    def __init__(self, table: dict[str, list[float]]) -> None:
        self.table = table
        self.dimension = DIM

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        return [self.table[t] for t in texts]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    return p50 * 1000, p95 * 1000


def batches(n: int, pool: list[str], seed: int = 7) -> Iterator[tuple[list[Any], Any]]:
    """The same n generated chunks and vectors every time, in batches of 2,000."""
    import numpy as np

    from playbook.models import ChunkRecord, Kind, Visibility

    rnd = random.Random(seed)
    rng = np.random.default_rng(seed)
    kinds = list(Kind)
    batch: list[ChunkRecord] = []
    for i in range(n):
        batch.append(
            ChunkRecord(
                chunk_id=f"c{i}",
                document_id=f"d{i // 3}",
                ordinal=i % 3,
                text=" ".join(rnd.choice(pool) for _ in range(rnd.randint(4, 9))),
                owner_id=f"u{i * OWNERS // n}",
                visibility=rnd.choice(list(Visibility)),
                programme_id=f"p{rnd.randint(0, 9)}",
                kind=rnd.choice(kinds),
                title=rnd.choice(pool)[:80],
                source_id=f"s{i}",
                market=rnd.choice(MARKETS),
            )
        )
        if len(batch) == 2000 or i == n - 1:
            emb = rng.normal(size=(len(batch), DIM)).astype("float32")
            emb /= np.linalg.norm(emb, axis=1, keepdims=True)
            yield batch, emb
            batch = []


def build_product(n: int, workdir: Path, pool: list[str]) -> tuple[Any, Any, Any]:
    """The product's indexes (partitioned Chroma, FTS5) filled with n generated chunks."""
    from ingest.chroma_index import ChromaVectorIndex, make_client
    from ingest.keyword_index import Fts5KeywordIndex

    client = make_client(path=workdir / "chroma")
    vectors = ChromaVectorIndex(client, "bench")
    keywords = Fts5KeywordIndex(workdir / "kw.sqlite3")
    for batch, emb in batches(n, pool):
        vectors.upsert(batch, emb.tolist())
        keywords.upsert(batch)
    return client, vectors, keywords


def build_plain(client: Any, n: int, pool: list[str]) -> Any:
    """One plain Chroma collection holding the same chunks and vectors."""
    plain = client.get_or_create_collection(
        "plain", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
    )
    for batch, emb in batches(n, pool):
        for s in range(0, len(batch), 1000):
            part = batch[s : s + 1000]
            plain.add(
                ids=[c.chunk_id for c in part],
                embeddings=emb[s : s + 1000].tolist(),
                documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],
            )
    return plain


def timed(
    label: str, fn: Callable[[str], Any], queries: list[str], out: dict[str, tuple[float, float]]
) -> None:
    """p50 and p95 of ``fn`` over the queries, after a warm-up."""
    for q in queries[:10]:
        fn(q)
    samples = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        samples.append(time.perf_counter() - t)
    out[label] = percentiles(samples)
    print(f"{label:44}{out[label][0]:>10.1f}{out[label][1]:>10.1f}", flush=True)


def run(
    n: int, pool: list[str], queries: list[str], table: dict[str, list[float]], embed_s: float
) -> None:
    from playbook.models import Kind
    from playbook.ports import Scope
    from playbook.retrieval import Retriever

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        client, vectors, keywords = build_product(n, Path(tmp), pool)
        built = time.perf_counter() - t0
        retriever = Retriever(Fixed(table), vectors, keywords)
        scope = Scope("u7", frozenset({"p1", "p2"}))
        filtered = Scope("u7", frozenset({"p1", "p2"}), kinds=(Kind.DEBRIEF,), market="lagos")
        print(f"\n## {n:,} chunks (product indexes built in {built:.0f} s; {len(queries)} queries)")
        print(f"{'':44}{'p50 ms':>10}{'p95 ms':>10}")
        res: dict[str, tuple[float, float]] = {}
        timed("hybrid search, scope", lambda q: retriever.search(q, scope, 10), queries, res)
        timed(
            "hybrid search, scope + kind + market",
            lambda q: retriever.search(q, filtered, 10),
            queries,
            res,
        )
        timed(
            "dense only, reader's collections (k=10)",
            lambda q: vectors.query(table[q], 10, scope),
            queries,
            res,
        )
        timed("keyword only, FTS5 (k=50)", lambda q: keywords.query(q, 50, scope), queries, res)
        rss = peak_rss_mb()
        # The baseline collection comes last, so its memory is not counted against ours.
        plain = build_plain(client, n, pool)
        timed(
            "bare Chroma, one collection, no filter",
            lambda q: plain.query(query_embeddings=[table[q]], n_results=10),
            queries,
            res,
        )
        timed(
            "bare Chroma, one collection, scope where*",
            lambda q: plain.query(
                query_embeddings=[table[q]], n_results=10, where=scope_where(scope)
            ),
            queries[:50],
            res,
        )
        print("* 50 queries: it is slow")
        hybrid = res["hybrid search, scope"][1]
        for base in (
            "bare Chroma, one collection, no filter",
            "bare Chroma, one collection, scope where*",
            "dense only, reader's collections (k=10)",
        ):
            print(f"hybrid p95 / {base} p95 = {hybrid / res[base][1]:.2f}")
        print("(target: <= 1.5 against a bare Chroma query)")
        print(f"hybrid p95 = {hybrid:.1f} ms  (target <= 50 ms at 100k chunks)")
        print(
            f"query embedding (real model, not in the figures above): "
            f"{embed_s / len(queries) * 1000:.1f} ms per query"
        )
        print(f"peak RSS of the product path: {rss:,.0f} MB  (target <= 1,536 MB)")
        print(f"peak RSS with the baseline collection too: {peak_rss_mb():,.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args()
    from ingest.embed import SentenceTransformerEmbedder
    from playbook.settings import Settings
    from playbook.wiring import Container, offline_environment, sentence_model

    offline_environment()
    rnd = random.Random(11)
    pool = sentence_pool()
    queries: list[str] = []
    while len(queries) < args.queries:
        words = rnd.choice(pool).split()
        size = rnd.randint(3, 8)
        start = rnd.randint(0, max(0, len(words) - size))
        q = " ".join(words[start : start + size])
        if q not in queries:
            queries.append(q)
    embedder = SentenceTransformerEmbedder(sentence_model(Settings().embedding_model))
    t = time.perf_counter()
    table = dict(zip(queries, embedder.embed(queries), strict=True))
    embed_s = time.perf_counter() - t
    with tempfile.TemporaryDirectory() as tmp:
        redactor = Container(Settings(data_dir=Path(tmp), secret_key="bench")).redactor
        redactor.redact_batch(["warm up with Tony"])
        t = time.perf_counter()
        for q in queries:
            redactor.redact_batch([q])
        print(
            "query redaction (real Presidio, one query at a time, not in the figures below): "
            f"{(time.perf_counter() - t) / len(queries) * 1000:.1f} ms per query"
        )
    print(f"Search benchmark on this machine; vectors of {DIM} dimensions; {len(pool):,} sentences")
    for n in args.sizes:
        run(n, pool, queries, table, embed_s)


if __name__ == "__main__":
    main()
