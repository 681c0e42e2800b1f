"""Search latency: hybrid search (FTS5 + Chroma, permission scope inside both, fused) against
a bare Chroma query on the same data, in one run, at 10k and 100k generated chunks.

The chunks are generated business sentences with random permission metadata (owners,
visibility, programmes, kinds, markets). Their vectors are random unit vectors: latency does
not depend on what the vectors mean, and embedding 100k chunks would take this machine about
ten minutes. Queries are real: 200 generated questions, embedded by the real model once,
before timing (the query-embedding time is reported on its own).

Usage::

    python eval/bench_search.py                 # 10k and 100k chunks
    python eval/bench_search.py --sizes 10000   # one size
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

WORDS = (
    "pricing decision distributor margin returns warehouse launch regulatory hospital buyers "
    "sales kickoff price floor churn onboarding dissent stakeholder trust budget forecast "
    "supplier audit night shift freight island rotation lesson advice trade-off timeline "
    "assumption evidence customer support quarter growth hiring graduate mentor council"
).split()
MARKETS = ["singapore", "jakarta", "lagos", "lisbon", "brazil", "germany", "india", "manila"]
DIM = 384


def sentence(rnd: random.Random, n: int) -> str:
    return " ".join(rnd.choice(WORDS) for _ in range(n)).capitalize() + "."


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


def build(n: int, workdir: Path, seed: int = 7) -> tuple[Any, Any, Any]:
    """Fill an embedded Chroma collection and an FTS5 index with n generated chunks."""
    import numpy as np

    from ingest.chroma_index import ChromaVectorIndex, make_client
    from ingest.keyword_index import Fts5KeywordIndex
    from playbook.models import ChunkRecord, Kind, Visibility

    rnd = random.Random(seed)
    rng = np.random.default_rng(seed)
    client = make_client(path=workdir / "chroma")
    vectors = ChromaVectorIndex(client, "bench")
    keywords = Fts5KeywordIndex(workdir / "kw.sqlite3")
    kinds = list(Kind)
    batch: list[ChunkRecord] = []
    for i in range(n):
        batch.append(
            ChunkRecord(
                chunk_id=f"c{i}",
                document_id=f"d{i // 3}",
                ordinal=i % 3,
                text=" ".join(sentence(rnd, rnd.randint(8, 20)) for _ in range(rnd.randint(4, 9))),
                owner_id=f"u{rnd.randint(0, 499)}",
                visibility=rnd.choice(list(Visibility)),
                programme_id=f"p{rnd.randint(0, 9)}",
                kind=rnd.choice(kinds),
                title=sentence(rnd, 5),
                source_id=f"s{i}",
                market=rnd.choice(MARKETS),
            )
        )
        if len(batch) == 2000 or i == n - 1:
            emb = rng.normal(size=(len(batch), DIM)).astype("float32")
            emb /= np.linalg.norm(emb, axis=1, keepdims=True)
            vectors.upsert(batch, emb.tolist())
            keywords.upsert(batch)
            batch = []
    return client, vectors, keywords


def run(n: int, queries: list[str], table: dict[str, list[float]], embed_s: float) -> None:
    from ingest.chroma_index import scope_where
    from playbook.models import Kind
    from playbook.ports import Scope
    from playbook.retrieval import Retriever

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        _, vectors, keywords = build(n, Path(tmp))
        built = time.perf_counter() - t0
        retriever = Retriever(Fixed(table), vectors, keywords)
        collection = vectors._collection
        plain = Scope("u7", frozenset({"p1", "p2"}))
        filtered = Scope("u7", frozenset({"p1", "p2"}), kinds=(Kind.DEBRIEF,), market="lagos")
        cases: list[tuple[str, Callable[[str], Any]]] = [
            (
                "bare Chroma query (no scope)",
                lambda q: collection.query(query_embeddings=[table[q]], n_results=10),
            ),
            (
                "bare Chroma query, scope where",
                lambda q: collection.query(
                    query_embeddings=[table[q]], n_results=10, where=scope_where(plain)
                ),
            ),
            ("hybrid search, scope", lambda q: retriever.search(q, plain, 10)),
            ("hybrid search, scope + kind + market", lambda q: retriever.search(q, filtered, 10)),
        ]
        print(f"\n## {n:,} chunks (built in {built:.0f} s; {len(queries)} queries each)")
        print(f"{'':40}{'p50 ms':>10}{'p95 ms':>10}")
        results: dict[str, tuple[float, float]] = {}
        for label, fn in cases:
            for q in queries[:10]:
                fn(q)  # warm caches
            samples = []
            for q in queries:
                t = time.perf_counter()
                fn(q)
                samples.append(time.perf_counter() - t)
            results[label] = percentiles(samples)
            print(f"{label:40}{results[label][0]:>10.1f}{results[label][1]:>10.1f}")
        base = results["bare Chroma query, scope where"][1]
        hybrid = results["hybrid search, scope"][1]
        print(f"hybrid p95 / bare Chroma p95 (same scope) = {hybrid / base:.2f}  (target <= 1.5)")
        print(f"hybrid p95 = {hybrid:.1f} ms  (target <= 50 ms at 100k chunks)")
        print(
            f"query embedding (real model, not in the figures above): "
            f"{embed_s / len(queries) * 1000:.1f} ms per query"
        )
        print(f"peak RSS so far: {peak_rss_mb():,.0f} MB  (target <= 1,536 MB)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args()
    from ingest.embed import SentenceTransformerEmbedder
    from playbook.settings import Settings
    from playbook.wiring import offline_environment, sentence_model

    offline_environment()
    rnd = random.Random(11)
    queries = list(
        dict.fromkeys(
            f"how do we handle {rnd.choice(WORDS)} and {rnd.choice(WORDS)} in {rnd.choice(MARKETS)}"
            for _ in range(args.queries * 2)
        )
    )[: args.queries]
    embedder = SentenceTransformerEmbedder(sentence_model(Settings().embedding_model))
    t = time.perf_counter()
    table = dict(zip(queries, embedder.embed(queries), strict=True))
    embed_s = time.perf_counter() - t
    print(f"Search benchmark on this machine; vectors of {DIM} dimensions")
    for n in args.sizes:
        run(n, queries, table, embed_s)


if __name__ == "__main__":
    main()
