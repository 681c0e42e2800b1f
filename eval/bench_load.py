"""Latency under real load: N concurrent sessions (threads of one process, as Streamlit runs
them) doing search, Ask and save through the services of the real container (the real
embedding model, Presidio, embedded Chroma, FTS5, the SQL store), at 1, 4 and 16 sessions,
with and without a `playbook import` running in another process, at 10k and 100k chunks.

In the same run, one idle session does the same actions first: the baseline. Each session
works through a fixed mix (search, Ask, search, save) with a think time between actions
(``--think``, jittered ±50%; 0 for a closed loop); a cell ends after ``--duration`` seconds
or ``--rounds`` rounds per session, whichever comes first. "Save" is the time until the
studio's save returns ("Saved"): redaction and the store; "searchable" is the time from
then until the background indexing made the entry searchable.

The corpus is ``eval/bench_search.py``'s (its generated documents, chunks and random
vectors, built by its ``build_product``), built once per size and cached under
``--cache`` (a temp folder by default); each run works on a copy, so saves never grow the
cache. The import runs the real CLI over 2,000 generated entries (``eval/bench_ingest``'s
generator) into its own fresh data folder, again and again until the cell ends, so it loads
the machine as an import does (CPU, model threads) without changing the measured corpus.
Loopback only; no network.

Usage::

    python eval/bench_load.py                     # 10k and 100k chunks; 1, 4, 16 sessions
    python eval/bench_load.py --quick             # 10k chunks, 1 and 4 sessions, short cells
    python eval/bench_load.py --sizes 100000 --sessions 4 --duration 60
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eval.bench_ingest import generated_corpus  # noqa: E402
from eval.bench_search import build_product, percentiles, phrases, sentence_pool  # noqa: E402

ACTIONS = ("search", "ask", "save")
MIX = ("search", "ask", "search", "save")
READER = "u7"  # bench_search's reader: owns ~200 chunks, in 2 of 10 programmes
PROGRAMME = "p2"  # where the reader saves (a leader there)
CACHE_VERSION = 1
SEARCH_P95_MS, ASK_P95_MS = 150.0, 500.0


@dataclass
class Cell:
    """Samples (seconds) of one configuration."""

    label: str
    samples: dict[str, list[float]] = field(default_factory=lambda: {a: [] for a in ACTIONS})
    searchable: list[float] = field(default_factory=list)
    wall: float = 0.0
    errors: list[str] = field(default_factory=list)


# -- the corpus -----------------------------------------------------------------------------


def corpus_dir(cache: Path, n: int, pool: list[str]) -> Path:
    """The built product at ``n`` chunks under ``cache`` (built on first use)."""
    d = cache / f"chunks-{n}"
    marker = d / "built.json"
    if marker.exists() and json.loads(marker.read_text()).get("version") == CACHE_VERSION:
        return d
    shutil.rmtree(d, ignore_errors=True)
    d.mkdir(parents=True)
    t = time.perf_counter()
    c, _ = build_product(n, d, pool)
    c.vectors.count()
    del c
    marker.write_text(json.dumps({"version": CACHE_VERSION, "chunks": n}))
    print(f"built {n:,} chunks in {time.perf_counter() - t:.0f} s (cached in {d})", flush=True)
    return d


def open_product(data_dir: Path) -> Any:
    """The real container over a copy of a built corpus."""
    from playbook.settings import Settings
    from playbook.wiring import Container

    return Container(Settings(data_dir=data_dir, secret_key="bench", repair_on_start=False))


# -- the import in another process ----------------------------------------------------------


@contextmanager
def import_running(enabled: bool, work: Path) -> Iterator[list[float]]:
    """While inside, `playbook import` runs again and again in another process (each time
    into a fresh data folder); yields the list of finished imports' durations."""
    done: list[float] = []
    if not enabled:
        yield done
        return
    feed = work / "import.jsonl"
    if not feed.exists():
        with feed.open("w", encoding="utf-8") as fh:
            for i, text in enumerate(generated_corpus(2_000, seed=23)):
                fh.write(json.dumps({"id": f"e{i}", "text": text}) + "\n")
    stop = threading.Event()
    cli = str(Path(sys.executable).with_name("playbook"))
    procs: list[subprocess.Popen[bytes]] = []

    def loop() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            data = work / f"import-{n}"
            shutil.rmtree(data, ignore_errors=True)
            env = {**os.environ, "PLAYBOOK_DATA_DIR": str(data), "PLAYBOOK_SECRET_KEY": "bench"}
            quiet = {"env": env, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
            subprocess.run([cli, "users", "add", "importer", "--role", "coordinator"], **quiet)  # type: ignore[call-overload]
            t = time.perf_counter()
            proc = subprocess.Popen([cli, "import", str(feed), "--as", "importer"], **quiet)  # type: ignore[call-overload]
            procs.append(proc)
            proc.wait()
            if not stop.is_set():
                done.append(time.perf_counter() - t)
            shutil.rmtree(data, ignore_errors=True)

    runner = threading.Thread(target=loop, name="import-loop", daemon=True)
    runner.start()
    time.sleep(8.0)  # past the import's model loading: measure while it redacts and embeds
    try:
        yield done
    finally:
        stop.set()
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        runner.join(timeout=60)


# -- sessions -------------------------------------------------------------------------------


def run_cell(
    c: Any,
    label: str,
    sessions: int,
    qs: list[str],
    texts: list[str],
    args: argparse.Namespace,
) -> Cell:
    """``sessions`` threads doing the mix until the cell's time or rounds run out."""
    cell = Cell(label)
    principal = c.records.principal(READER)
    programme = c.records.programme_id(PROGRAMME)
    deadline = time.monotonic() + args.duration
    lock = threading.Lock()
    saved: dict[str, float] = {}

    def session(n: int) -> None:
        rnd = random.Random(1000 + n)
        for _round in range(args.rounds):
            for action in MIX:
                if time.monotonic() >= deadline:
                    return
                fn: Callable[[], Any]
                if action == "search":
                    fn = functools.partial(c.service.search_documents, principal, rnd.choice(qs))
                elif action == "ask":
                    fn = functools.partial(c.assistant.ask, principal, rnd.choice(qs))
                else:
                    fn = functools.partial(
                        c.reflection.save_journal,
                        principal,
                        rnd.choice(texts),
                        programme_id=programme,
                    )
                t = time.perf_counter()
                try:
                    out = fn()
                except Exception as exc:  # counted and shown, never hidden
                    with lock:
                        cell.errors.append(f"{action}: {type(exc).__name__}: {exc}"[:200])
                    continue
                took = time.perf_counter() - t
                with lock:
                    cell.samples[action].append(took)
                    if action == "save":
                        saved[str(out)] = time.perf_counter()
                if args.think:
                    time.sleep(args.think * rnd.uniform(0.5, 1.5))

    def watch(stop: threading.Event) -> None:
        # When each saved entry becomes searchable (the page polls the same state); ends
        # once the sessions are done and every saved entry is searchable (or after 10 min).
        cap = time.monotonic() + args.duration + 600
        while time.monotonic() < cap:
            with lock:
                items = list(saved.items())
            if stop.is_set() and not items:
                return
            for doc_id, at in items:
                if c.indexing.state(doc_id).searchable:
                    with lock:
                        cell.searchable.append(time.perf_counter() - at)
                        saved.pop(doc_id, None)
            time.sleep(0.02)

    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(stop,), daemon=True)
    watcher.start()
    t0 = time.perf_counter()
    threads = [threading.Thread(target=session, args=(n,)) for n in range(sessions)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    cell.wall = time.perf_counter() - t0
    stop.set()
    watcher.join(timeout=args.duration + 660)
    return cell


def report(cell: Cell, base: Cell | None) -> None:
    """One line per action: count, p50, p95, throughput, p95 against the baseline's."""
    ops = sum(len(v) for v in cell.samples.values())
    print(f"\n### {cell.label}  ({ops} actions in {cell.wall:.0f} s: {ops / cell.wall:.2f}/s)")
    print(f"{'action':12}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'per s':>8}{'p95 / idle':>12}")
    for action in ACTIONS:
        s = cell.samples[action]
        if not s:
            print(f"{action:12}{0:>6}")
            continue
        p50, p95 = percentiles(s)
        ratio = ""
        if base is not None and base.samples[action]:
            ratio = f"{p95 / percentiles(base.samples[action])[1]:.2f}x"
        print(
            f"{action:12}{len(s):>6}{p50:>10.1f}{p95:>10.1f}{len(s) / cell.wall:>8.2f}{ratio:>12}"
        )
    if cell.searchable:
        p50, p95 = percentiles(cell.searchable)
        print(f"{'searchable':12}{len(cell.searchable):>6}{p50:>10.1f}{p95:>10.1f}  (after Saved)")
    if cell.errors:
        print(f"errors ({len(cell.errors)}): " + "; ".join(sorted(set(cell.errors))[:3]))


def main() -> None:
    """Entry point."""
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--sessions", type=int, nargs="+", default=[1, 4, 16])
    ap.add_argument("--duration", type=float, default=30.0, help="seconds per cell")
    ap.add_argument("--rounds", type=int, default=50, help="most rounds of the mix per session")
    ap.add_argument("--think", type=float, default=1.0, help="seconds between actions (±50%%)")
    ap.add_argument("--no-import", action="store_true", help="skip the cells with an import")
    ap.add_argument("--quick", action="store_true", help="10k chunks, 1 and 4 sessions, 12 s")
    ap.add_argument(
        "--cache", type=Path, default=Path(tempfile.gettempdir()) / "playbook-bench-load"
    )
    args = ap.parse_args()
    if args.quick:
        args.sizes, args.sessions, args.duration = [10_000], [1, 4], 12.0
    from playbook.wiring import offline_environment

    offline_environment()
    pool = sentence_pool()
    qs = phrases(pool, 200)
    texts = [t for t in generated_corpus(200, seed=31) if len(t) < 4000]
    print(
        f"Load benchmark on {os.cpu_count()} cores; load average now "
        f"{os.getloadavg()[0]:.1f} (other engineers' work shares this machine); mix "
        f"{'/'.join(MIX)}, think {args.think} s ±50%, cells of {args.duration:.0f} s "
        f"or {args.rounds} rounds"
    )
    for n in args.sizes:
        built = corpus_dir(args.cache, n, pool)
        with tempfile.TemporaryDirectory(dir=args.cache) as tmp:
            work = Path(tmp)
            shutil.copytree(built, work / "data")
            c = open_product(work / "data")
            principal = c.records.principal(READER)
            # Warm every model and index once (cold start is not what this measures).
            c.service.search_documents(principal, qs[0])
            c.assistant.ask(principal, qs[1])
            c.reflection.save_journal(
                principal, texts[0], programme_id=c.records.programme_id(PROGRAMME)
            )
            c.indexing.wait_for_indexing(120)
            print(f"\n## {n:,} chunks (load average {os.getloadavg()[0]:.1f})", flush=True)
            base = run_cell(c, "baseline: 1 idle session, no import", 1, qs, texts, args)
            report(base, None)
            for with_import in (False, True) if not args.no_import else (False,):
                with import_running(with_import, work) as imports:
                    for k in args.sessions:
                        label = f"{k} session{'s' * (k > 1)}" + (
                            " + an import in another process" if with_import else ""
                        )
                        cell = run_cell(c, label, k, qs, texts, args)
                        report(cell, base)
                        if with_import and k == 4:
                            _targets(cell)
                    if with_import:
                        runs = ", ".join(f"{s:.0f} s" for s in imports) or "none finished"
                        print(f"(imports of 2,000 entries that finished meanwhile: {runs})")
            print(f"load average after {n:,}: {os.getloadavg()[0]:.1f}", flush=True)


def _targets(cell: Cell) -> None:
    for action, target in (("search", SEARCH_P95_MS), ("ask", ASK_P95_MS)):
        if cell.samples[action]:
            p95 = percentiles(cell.samples[action])[1]
            met = "met" if p95 <= target else "NOT met"
            print(f"target: {action} p95 <= {target:.0f} ms with 4 sessions + import: {met}")


if __name__ == "__main__":
    main()
