"""Scrubbing freed memory (``playbook.heap``): what it stops, and what it costs, in one run.

Leak: the process fills its heap with freed text (a scratch Chroma collection keeping
documents, emptied), then writes a new one-vector index (384 dimensions, the store keeps the
text), and every ``*.bin`` file of it is searched for the text. Three runs with glibc's
``M_PERTURB`` off (the baseline), three on.

Cost: the same work with the scrub off and on, alternating, five rounds each, median:
redacting 60 texts of the shared leader corpus, embedding 256 of them (batch 32), embedding
one question 20 times, and upserting 2,000 vectors into an embedded index.

Usage::

    python eval/bench_heap.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eval.bench_ingest import leader_corpus  # noqa: E402
from playbook.heap import M_PERTURB, SCRUB_BYTE, mallopt  # noqa: E402

MARK = "Wisteria"


def scrub(on: bool) -> None:
    if not mallopt(M_PERTURB, SCRUB_BYTE if on else 0):
        raise SystemExit("mallopt(M_PERTURB) refused: not glibc?")


def fill_heap_with_freed_text(client: Any, name: str, mark: str = MARK) -> None:
    """Leave the heap full of freed copies of ``mark``: a scratch collection that keeps
    documents, written, read back and emptied five times, then dropped."""
    scratch = client.get_or_create_collection(f"scratch-{name}")
    ids = [f"s{i}" for i in range(50)]
    for _ in range(5):
        scratch.upsert(
            ids=ids,
            embeddings=[[0.1 * i] * 8 for i in range(50)],
            documents=[f"{mark} said the Singapore review went well. " * 300] * 50,
        )
        scratch.get(include=["documents"])
        scratch.delete(ids=ids)
    client.delete_collection(f"scratch-{name}")


def leaked_copies(client: Any, name: str, on: int) -> int:
    """Copies of MARK in a new index's HNSW files after the heap was filled with freed text,
    with the scrub on or off throughout."""
    from ingest.chroma_index import ChromaVectorIndex

    scrub(bool(on))
    fill_heap_with_freed_text(client, name)
    index = ChromaVectorIndex(client, f"pbk-{name}", chunks=lambda ids: {})
    before = set(Path(client.get_settings().persist_directory).rglob("*.bin"))
    index.upsert([_chunk()], [[0.5] * 384])
    files = set(Path(client.get_settings().persist_directory).rglob("*.bin")) - before
    return sum(p.read_bytes().count(MARK.encode()) for p in files)


def _chunk() -> Any:
    from playbook.models import ChunkRecord, Kind, Visibility

    return ChunkRecord(
        chunk_id="c1",
        document_id="d1",
        ordinal=0,
        text="Q3 notes",
        owner_id="ada",
        visibility=Visibility.SHARED,
        programme_id="p1",
        kind=Kind.JOURNAL,
        title="Q3",
        source_id="notes/q3.md",
        tags=(),
    )


def timed(work: Callable[[int], object], arg: int = 0) -> float:
    start = time.perf_counter()
    work(arg)
    return time.perf_counter() - start


def main() -> None:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import chromadb
    import numpy as np
    from chromadb.config import Settings as ChromaSettings

    from ingest.embed import load_sentence_transformer
    from ingest.redact import EngineConfig, PresidioRedactor, load_spacy
    from playbook.pseudonyms import Pseudonymizer
    from playbook.settings import Settings, default_embedding_model

    texts = leader_corpus()
    tmp = Path(tempfile.mkdtemp(prefix="bench-heap-"))
    client = chromadb.PersistentClient(
        path=str(tmp / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
    )

    # -- what it stops: three provoked runs each, off (the baseline) then on ------------
    leaks = {on: [leaked_copies(client, f"{on}-{r}", on) for r in range(3)] for on in (0, 1)}
    print("| freed memory | copies of the freed text in a new index's HNSW files (3 runs) |")
    print("|---|---|")
    for on, label in ((0, "not scrubbed (baseline)"), (1, "scrubbed (M_PERTURB)")):
        print(f"| {label} | {', '.join(f'{n:,}' for n in leaks[on])} |")

    # -- what it costs: the same work with it off and on, alternating, 5 rounds ---------
    model = load_sentence_transformer(default_embedding_model())
    engine = PresidioRedactor(
        load_spacy(Settings().spacy_model), Pseudonymizer(b"bench"), EngineConfig()
    )
    vectors = np.array(
        [[((i * 7 + j) % 13) / 13 for j in range(384)] for i in range(2000)], dtype=np.float32
    )
    ids = [f"c{i}" for i in range(2000)]
    question = "what have rotation participants learned about pricing?"
    work: dict[str, Callable[[int], object]] = {
        "redact 60 texts": lambda r: engine.redact_batch(texts[:60]),
        "embed 256 texts": lambda r: model.encode(texts[:256], batch_size=32),
        "embed one question x20": lambda r: [model.encode([question]) for _ in range(20)],
        "upsert 2,000 vectors": lambda r: client.get_or_create_collection(
            f"cost-{r}-{time.perf_counter_ns()}"
        ).upsert(ids=ids, embeddings=vectors),
    }
    times: dict[tuple[str, bool], list[float]] = {}
    engine.redact_batch(texts[:5])
    model.encode(texts[:8])
    for r in range(5):
        for on in (False, True):
            for name, job in work.items():
                scrub(on)
                times.setdefault((name, on), []).append(timed(job, r))
    scrub(True)
    print()
    print("| work | not scrubbed s | scrubbed s | ratio |")
    print("|---|---|---|---|")
    for name in work:
        base = statistics.median(times[name, False])
        new = statistics.median(times[name, True])
        print(f"| {name} | {base:.3f} | {new:.3f} | {new / base:.2f}x |")


if __name__ == "__main__":
    main()
