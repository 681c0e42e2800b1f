"""Torch thread policy: latency of one query embedding, and throughput of a batch, with 1 and 2
intra-op threads, on an idle machine and beside a busy process, in one run.

The busy process is a pure-Python loop (one core, as another session's import or a second
worker would take it). Each configuration embeds the same 40 short queries one at a time
(p50/p95 in ms) and a batch of 256 passages (passages per second).

Usage::

    python eval/bench_threads.py
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

QUERIES = [f"what did we learn about pricing decision number {i} under pressure" for i in range(40)]
PASSAGES = [
    f"Passage {i}: we decided to hold the price floor for the distributor after a long debate "
    "about margins, exceptions and what the regional team could absorb this quarter."
    for i in range(256)
]


def measure(model: object, threads: int) -> tuple[float, float, float]:
    """(p50 ms, p95 ms) of single-query embedding, and batch passages per second."""
    import torch

    torch.set_num_threads(threads)
    encode = model.encode  # type: ignore[attr-defined]
    encode(QUERIES[:4])  # warm
    times = []
    for q in QUERIES:
        start = time.perf_counter()
        encode([q])
        times.append((time.perf_counter() - start) * 1000)
    start = time.perf_counter()
    encode(PASSAGES, batch_size=32)
    rate = len(PASSAGES) / (time.perf_counter() - start)
    times.sort()
    return statistics.median(times), times[int(0.95 * (len(times) - 1))], rate


def main() -> None:
    """Print the table."""
    import os

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from ingest.embed import load_sentence_transformer
    from playbook.settings import default_embedding_model

    model = load_sentence_transformer(default_embedding_model())
    rows = []
    for busy in (False, True):
        hog = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if busy else None
        try:
            time.sleep(0.5 if busy else 0)
            for threads in (1, 2):
                rows.append((busy, threads, *measure(model, threads)))
        finally:
            if hog is not None:
                hog.kill()
                hog.wait()
    print("| other process | torch threads | query p50 ms | query p95 ms | batch passages/s |")
    print("|---|---|---|---|---|")
    for busy, threads, p50, p95, rate in rows:
        print(f"| {'busy' if busy else 'idle'} | {threads} | {p50:.1f} | {p95:.1f} | {rate:.0f} |")


if __name__ == "__main__":
    main()
