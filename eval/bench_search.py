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


def phrases(pool: list[str], n: int, seed: int = 11) -> list[str]:
    """``n`` distinct queries: runs of 3-8 words from the pool's sentences."""
    rnd = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        words = rnd.choice(pool).split()
        size = rnd.randint(3, 8)
        start = rnd.randint(0, max(0, len(words) - size))
        q = " ".join(words[start : start + size])
        if q not in out:
            out.append(q)
    return out


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


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p50 = statistics.median(ordered)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * len(ordered)) - 1)]
    return p50 * 1000, p95 * 1000


def documents(n: int, pool: list[str], seed: int = 7) -> Iterator[list[dict[str, Any]]]:
    """The same generated documents every time, three chunks each (the last may have fewer),
    n chunks in all, in batches of about 2,000 chunks: each document's text, its chunks'
    offsets, and its owner (index into the owners), programme, kind, visibility, market."""
    from playbook.models import Kind, Visibility

    rnd = random.Random(seed)
    kinds = list(Kind)
    batch: list[dict[str, Any]] = []
    made = 0
    while made < n:
        parts = [
            " ".join(rnd.choice(pool) for _ in range(rnd.randint(4, 9)))
            for _ in range(min(3, n - made))
        ]
        spans, start = [], 0
        for part in parts:
            spans.append((start, start + len(part)))
            start += len(part) + 2
        batch.append(
            {
                "text": "\n\n".join(parts),
                "spans": spans,
                "owner": made * OWNERS // n,
                "programme": rnd.randint(0, 9),
                "kind": rnd.choice(kinds),
                "visibility": rnd.choice(list(Visibility)),
                "title": rnd.choice(pool)[:80],
                "market": rnd.choice(MARKETS),
            }
        )
        made += len(parts)
        if sum(len(d["spans"]) for d in batch) >= 2000 or made >= n:
            yield batch
            batch = []


def unit_vectors(rng: Any, rows: int) -> Any:
    """Random unit vectors (latency does not depend on what they mean)."""
    import numpy as np

    emb = rng.normal(size=(rows, DIM)).astype("float32")
    return emb / np.linalg.norm(emb, axis=1, keepdims=True)


def build_product(n: int, workdir: Path, pool: list[str]) -> tuple[Any, list[tuple[Any, Any]]]:
    """The product as wired (SQL store, partitioned Chroma lending its text from the store,
    sentence vectors beside it, FTS5), filled with n generated chunks: documents saved in
    the store, their chunks indexed with random vectors for the chunk and each sentence.

    Returns the container and every chunk with its vector (for the baseline collection).
    """
    import numpy as np

    from ingest.chunk import sentences
    from playbook.models import DebriefFields, NewDocument, PreparedDocument, Role, Span
    from playbook.ports import ChunkVectors
    from playbook.settings import Settings
    from playbook.wiring import Container

    c = Container(Settings(data_dir=workdir, secret_key="bench"))
    programmes = [c.records.ensure_programme(f"p{i}") for i in range(10)]
    # The reader, u7, belongs to two of the ten programmes (p1 and p2); the others to p0.
    owners = [
        c.records.add_user(f"u{i}", programme="p1" if i == 7 else "p0").user_id
        for i in range(OWNERS)
    ]
    c.records.set_roles("u7", [Role.LEADER], "p2")
    rng = np.random.default_rng(7)
    held: list[tuple[Any, Any]] = []
    for batch in documents(n, pool):
        prepared = [
            PreparedDocument(
                doc=NewDocument(
                    owner_id=owners[d["owner"]],
                    programme_id=programmes[d["programme"]],
                    kind=d["kind"],
                    visibility=d["visibility"],
                    title=d["title"],
                    text=d["text"],
                    source_id=f"s{len(held)}-{i}",
                    debrief=DebriefFields(market=d["market"]),
                ),
                content_hash=f"h{len(held)}-{i}",
                redacted_text=d["text"],
                chunks=tuple(Span(d["text"][a:b], a, b) for a, b in d["spans"]),
            )
            for i, d in enumerate(batch)
        ]
        doc_ids = [doc_id for doc_id, _ in c.records.save(prepared)]
        chunks, _ = c.records.chunk_records(doc_ids)
        emb = unit_vectors(rng, len(chunks))
        spans = [[(s.start, s.end) for s in sentences(ch.text)] for ch in chunks]
        sent = unit_vectors(rng, sum(len(sp) for sp in spans))
        vectors, at = [], 0
        for v, sp in zip(emb, spans, strict=True):
            vectors.append(ChunkVectors(list(v), tuple(sp), sent[at : at + len(sp)]))
            at += len(sp)
        c.vectors.upsert(chunks, emb.tolist(), vectors)
        c.keywords.upsert(chunks)
        held.extend(zip(chunks, emb, strict=True))
    return c, held


def build_plain(client: Any, held: list[tuple[Any, Any]]) -> Any:
    """One plain Chroma collection holding the same chunks and vectors (text included)."""
    plain = client.get_or_create_collection(
        "plain", embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
    )
    for s in range(0, len(held), 1000):
        part = held[s : s + 1000]
        plain.add(
            ids=[c.chunk_id for c, _ in part],
            embeddings=[v.tolist() for _, v in part],
            documents=[c.text for c, _ in part],
            metadatas=[c.metadata() for c, _ in part],
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


class Fixed:
    """An embedder that returns precomputed query vectors, so timing excludes the model for
    them; any other text (a passage embedded at query time) goes to the real model and is
    counted in ``extra``, so such work shows in the figures."""

    def __init__(self, table: dict[str, list[float]], model: Any = None) -> None:
        self.table = table
        self.model = model
        self.dimension = DIM
        self.extra = 0

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        missing = [t for t in texts if t not in self.table]
        if missing:
            if self.model is None:
                raise KeyError(f"not a benchmark query: {missing[0][:60]!r}")
            self.extra += len(missing)
            self.table.update(zip(missing, self.model.embed(missing), strict=True))
        return [self.table[t] for t in texts]


def run(
    n: int,
    pool: list[str],
    queries: list[str],
    table: dict[str, list[float]],
    embed_s: float,
    model: Any,
) -> None:
    """Build the product at ``n`` chunks and time search, Ask and the baselines."""
    import dataclasses

    from playbook.models import Kind
    from playbook.permissions import read_scope
    from playbook.services.ask import Assistant

    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        c, held = build_product(n, Path(tmp), pool)
        built = time.perf_counter() - t0
        embedder = Fixed(dict(table), model)
        # The product's retriever as wired, with the query vectors computed beforehand
        # (queries are generated words: redaction is timed on its own, and in Ask).
        retriever = dataclasses.replace(c.retriever, embedder=embedder, redact=None)
        principal = c.records.principal("u7")
        scope = read_scope(principal)
        filtered = dataclasses.replace(scope, kinds=(Kind.DEBRIEF,), market="lagos")
        assistant = Assistant(retriever, c.redactor, None, embedder)
        # Ask embeds the redacted question (a generated phrase may hold a capitalised word
        # taken for a name): embedded beforehand too, so ``extra`` counts passages only.
        asked = [r.text for r in c.redactor.redact_batch(queries)]
        embedder.table.update(zip(asked, model.embed(asked), strict=True))
        print(f"\n## {n:,} chunks (product built in {built:.0f} s; {len(queries)} queries)")
        print(f"{'':44}{'p50 ms':>10}{'p95 ms':>10}")
        res: dict[str, tuple[float, float]] = {}
        timed("hybrid search, scope", lambda q: retriever.search(q, scope, 10), queries, res)
        timed(
            "hybrid search, scope + kind + market",
            lambda q: retriever.search(q, filtered, 10),
            queries,
            res,
        )
        before = embedder.extra
        timed(
            "Ask, extractive (redaction included)",
            lambda q: assistant.ask(principal, q),
            queries,
            res,
        )
        passages = embedder.extra - before
        timed(
            "dense only, reader's collections (k=10)",
            lambda q: c.vectors.query(table[q], 10, scope),
            queries,
            res,
        )
        timed("keyword only, FTS5 (k=50)", lambda q: c.keywords.query(q, 50, scope), queries, res)
        rss = peak_rss_mb()
        # The baseline collection comes last, so its memory is not counted against ours.
        plain = build_plain(c.chroma_client(), held)
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
        print(f"hybrid p95 = {hybrid:.1f} ms  (target <= 60 ms at 100k chunks)")
        ask = res["Ask, extractive (redaction included)"][1]
        print(f"Ask p95 = {ask:.1f} ms  (target <= 300 ms at 100k chunks)")
        print(f"passages or sentences embedded at query time during Ask: {passages}")
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
    ap.add_argument("--threads", type=int, default=1, help="torch threads (1: steadier)")
    args = ap.parse_args()
    import torch

    torch.set_num_threads(args.threads)
    from ingest.embed import SentenceTransformerEmbedder
    from playbook.settings import Settings
    from playbook.wiring import Container, offline_environment, sentence_model

    offline_environment()
    pool = sentence_pool()
    queries = phrases(pool, args.queries)
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
        run(n, pool, queries, table, embed_s, embedder)


if __name__ == "__main__":
    main()
