"""Load over HTTP (issue 19, item 5): concurrent API clients against three configurations,
measured in the same run.

1. **embedded**: one `playbook serve` process on the embedded default (SQLite, embedded
   Chroma, the FTS5 keyword file in its data folder). Its first cell, one idle client, is
   the baseline every ratio is against.
2. **postgres + chroma server, 1 process**: one `playbook serve` on a throwaway PostgreSQL
   cluster (started as ``tests/pg.py`` starts it: ``initdb`` into a temp folder, loopback
   port) and a Chroma server (``chroma run --path DIR --host 127.0.0.1 --port N``); the
   keyword index is then PostgreSQL's full-text tables.
3. **postgres + chroma server, 2 processes**: two `playbook serve` processes on that same
   PostgreSQL and Chroma server. Client ``i`` talks to process ``i % 2`` (round-robin by
   client); there is no load balancer, none is needed to spread the clients.

Each configuration gets the same generated entries (``eval/bench_ingest.generated_corpus``,
``--entries``, 300 by default) imported through the real ``playbook import`` CLI as
*shared* documents of the default programme, into a store of its own (configurations 2 and
3: a fresh database and Chroma collection each, on the same servers), so every client
searches the same corpus. Users and personal access tokens are made with the real CLI
(``playbook users add``, ``playbook tokens create --scope read --scope write``): one leader
and one token per client.

Each client is a thread with its own ``httpx.Client`` working through a fixed mix, in order:
``GET /search``, ``POST /ask``, ``POST /search``, ``POST /journal``, with a think time between
requests (``--think`` seconds, jittered ±50%; 0 for a closed loop). A cell ends after
``--duration`` seconds or ``--rounds`` rounds of the mix per client, whichever comes first.
A request that fails (an exception, or a status other than the action's 200/201) is counted
as an error of its action and shown; its time is not a sample. After each cell the run waits
(bounded) until every client's last journal entry is searchable, so one cell's indexing
backlog does not load the next; the time that took is printed.

Settings of every API process, and why:

- ``PLAYBOOK_TORCH_THREADS=1``: each process embeds (its writes, on a background thread, and
  every query) with PyTorch, whose default is one intra-op thread per core. Two processes,
  PostgreSQL, the Chroma server and the clients share this machine's cores; more threads per
  process only oversubscribe them, and tail latency grows (``eval/bench_threads.py``). One
  thread per process is also what makes one and two processes comparable.
- ``PLAYBOOK_API_REQUESTS_PER_MINUTE`` and ``PLAYBOOK_LLM_REQUESTS_PER_HOUR`` raised to
  1,000,000: the benchmark measures latency, not the limiter; with the defaults (120 a
  minute per token, 60 language-model requests an hour per user) closed-loop clients would
  be refused with 429. The limiter still runs (and counts in the store), as in production.
- No language model (``PLAYBOOK_LLM`` unset): Ask answers in extractive mode; the mode seen
  is printed.

The load average (1, 5, 15 minutes) is printed before and after each configuration: other
work on the machine (other engineers' tests, here) changes every figure, so read them with
it. Loopback only; every process (API servers, Chroma, PostgreSQL) is stopped on exit, also
on Ctrl-C, SIGTERM or a failure; the work folder is removed unless ``--keep``.

Usage::

    python eval/bench_api.py                        # 300 entries; 1, 4, 8 clients; 30 s cells
    python eval/bench_api.py --quick                # 60 entries; 1 and 4 clients; 10 s cells
    python eval/bench_api.py --entries 1000 --clients 1 8 16 --duration 60 --think 0.5
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from eval.bench_ingest import generated_corpus  # noqa: E402
from eval.bench_search import percentiles  # noqa: E402

ACTIONS = ("GET /search", "POST /ask", "POST /search", "POST /journal")
OK = {"POST /journal": 201}  # every other action answers 200
FOUND = {"GET /search": "results", "POST /search": "results", "POST /ask": "sources"}
RAISED_LIMIT = 1_000_000
REQUEST_TIMEOUT = 180.0  # the first write of a process loads the redaction and embedding models
DRAIN_SECONDS = 300.0
CORPUS_SEED, JOURNAL_SEED, QUERY_SEED = 7, 31, 11


# -- the pure parts: samples, ratios, the report, the arguments ------------------------------


@dataclass
class Cell:
    """What one cell measured: seconds per successful request, errors by message."""

    label: str
    clients: int
    samples: dict[str, list[float]] = field(default_factory=lambda: {a: [] for a in ACTIONS})
    errors: dict[str, Counter[str]] = field(
        default_factory=lambda: {a: Counter[str]() for a in ACTIONS}
    )
    wall: float = 0.0
    modes: Counter[str] = field(default_factory=Counter)
    # Searches with no result and answers with no source: a corpus the clients cannot
    # read would make every figure meaningless, so it shows.
    empty: Counter[str] = field(default_factory=Counter)

    def error_count(self, action: str | None = None) -> int:
        """Errors of ``action`` (every action's when None)."""
        actions = ACTIONS if action is None else (action,)
        return sum(sum(self.errors[a].values()) for a in actions)


def ratio(value: float, base: float | None) -> str:
    """``value`` against ``base`` as "1.23x"; "" without a baseline, "-" for a zero one."""
    if base is None:
        return ""
    if base <= 0:
        return "-"
    return f"{value / base:.2f}x"


def format_cell(cell: Cell, base: Cell | None) -> list[str]:
    """The lines of one cell's table: per action n, p50, p95 (ms), throughput (successful
    requests per second of the cell's wall time), errors and p95 against the baseline's p95
    for the same action."""
    wall = cell.wall if cell.wall > 0 else float("nan")
    done = sum(len(s) for s in cell.samples.values())
    lines = [
        f"### {cell.label}  ({done} requests, {cell.error_count()} errors, in {cell.wall:.1f} s)",
        f"{'action':15}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'per s':>8}{'errors':>8}"
        f"{'p95 / base':>12}",
    ]
    for action in ACTIONS:
        s = cell.samples[action]
        errors = cell.error_count(action)
        if not s:
            lines.append(f"{action:15}{0:>6}{'-':>10}{'-':>10}{0.0:>8.2f}{errors:>8}")
            continue
        p50, p95 = percentiles(s)
        base_p95 = None
        if base is not None and base.samples[action]:
            base_p95 = percentiles(base.samples[action])[1]
        lines.append(
            f"{action:15}{len(s):>6}{p50:>10.1f}{p95:>10.1f}{len(s) / wall:>8.2f}{errors:>8}"
            f"{ratio(p95, base_p95):>12}"
        )
    for action in ACTIONS:
        for message, n in cell.errors[action].most_common(3):
            lines.append(f"  error x{n}: {action}: {message}")
    for action, n in sorted(cell.empty.items()):
        lines.append(f"  {action}: {n} of {len(cell.samples[action])} found nothing")
    return lines


def queries(texts: Sequence[str], n: int, seed: int = QUERY_SEED) -> list[str]:
    """``n`` search queries of 3-6 consecutive words taken from ``texts`` (the same every
    run for the same texts)."""
    rnd = random.Random(seed)
    out: list[str] = []
    pool = [t.split() for t in texts if len(t.split()) >= 6]
    if not pool:
        raise ValueError("no text of six words or more to take queries from")
    while len(out) < n:
        words = rnd.choice(pool)
        size = rnd.randint(3, 6)
        start = rnd.randrange(len(words) - size + 1)
        out.append(" ".join(words[start : start + size]).strip(" .,;:"))
    return out


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, not {value}")
    return value


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line; ``--quick`` means 60 entries, 1 and 4 clients and 10 s cells."""
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--entries", type=_positive, default=300, help="entries imported")
    ap.add_argument("--clients", type=_positive, nargs="+", default=[1, 4, 8])
    ap.add_argument("--duration", type=float, default=30.0, help="seconds per cell")
    ap.add_argument("--rounds", type=_positive, default=1000, help="most rounds per client")
    ap.add_argument("--think", type=float, default=1.0, help="seconds between requests (±50%%)")
    ap.add_argument("--quick", action="store_true", help="60 entries, 1 and 4 clients, 10 s")
    ap.add_argument("--keep", action="store_true", help="keep the work folder (logs, stores)")
    args = ap.parse_args(argv)
    if args.quick:
        args.entries, args.clients, args.duration = 60, [1, 4], 10.0
    if args.duration <= 0 or args.think < 0:
        ap.error("--duration must be above 0 and --think 0 or more")
    args.clients = sorted(set(args.clients))
    return args


# -- processes ---------------------------------------------------------------------------------


class Processes:
    """Every process this run started, stopped in reverse order by ``close`` (API servers
    before the Chroma and PostgreSQL servers they use)."""

    def __init__(self) -> None:
        self._stops: list[Callable[[], None]] = []

    def start(
        self, argv: list[str], env: dict[str, str], log: Path, ready: Callable[[], bool], what: str
    ) -> subprocess.Popen[bytes]:
        """Start ``argv`` (output to ``log``) and wait until ``ready()`` (at most 90 s)."""
        from tests.conftest import stop, wait_until

        with log.open("ab") as out:
            proc = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
        self._stops.append(lambda: stop(proc))
        wait_until(ready, proc, log, what)
        return proc

    def on_close(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` at close (before what was registered earlier)."""
        self._stops.append(fn)

    def close(self) -> None:
        """Stop everything, newest first; one failure does not stop the rest."""
        while self._stops:
            try:
                self._stops.pop()()
            except Exception as exc:
                print(f"(cleanup: {type(exc).__name__}: {exc})", file=sys.stderr)


def start_chroma(procs: Processes, root: Path) -> str:
    """A Chroma server on a free loopback port; its URL."""
    import chromadb

    from tests.conftest import free_port

    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    argv = [exe, "run", "--path", str(root / "db"), "--host", "127.0.0.1", "--port", str(port)]
    root.mkdir(parents=True)
    procs.start(
        argv,
        dict(os.environ),
        root / "server.log",
        lambda: bool(chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()),
        "chroma run",
    )
    return f"http://127.0.0.1:{port}"


def start_postgres(procs: Processes) -> Any:
    """A throwaway PostgreSQL cluster (``tests.pg.start_server``) in a temp folder of its own,
    removed at close; the ``PgServer``."""
    from tests.conftest import stop
    from tests.pg import start_server

    # Its own folder under /tmp, not inside the work folder: when we are root the cluster
    # belongs to nobody, who must reach it (mkdtemp folders are private to their owner).
    root = Path(tempfile.mkdtemp(prefix="playbook-bench-api-pg-"))
    procs.on_close(lambda: shutil.rmtree(root, ignore_errors=True))
    proc, server, _log = start_server(root)

    def halt() -> None:
        stop(proc)
        # The process may be runuser/setpriv (the cluster belongs to nobody when we are
        # root); if the postmaster outlived it, a fast shutdown by its pid file.
        pid_file = root / "data" / "postmaster.pid"
        if pid_file.exists():
            with contextlib.suppress(ProcessLookupError, ValueError, IndexError):
                os.kill(int(pid_file.read_text().split()[0]), signal.SIGINT)

    procs.on_close(halt)
    return server


def base_env(data_dir: Path, store: dict[str, str]) -> dict[str, str]:
    """An API process's environment: none of the caller's PLAYBOOK_ settings, offline, one
    torch thread, raised limits, and ``store`` (the database and Chroma URLs, if any)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLAYBOOK_")}
    env.update(
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        ANONYMIZED_TELEMETRY="False",
        PLAYBOOK_DATA_DIR=str(data_dir),
        PLAYBOOK_SECRET_KEY="bench-api",
        PLAYBOOK_TORCH_THREADS="1",
        PLAYBOOK_API_REQUESTS_PER_MINUTE=str(RAISED_LIMIT),
        PLAYBOOK_LLM_REQUESTS_PER_HOUR=str(RAISED_LIMIT),
        **store,
    )
    return env


def cli(env: dict[str, str], *args: str, timeout: float = 3600) -> str:
    """Run ``playbook ARGS``; its standard output (a failure raises with its error output)."""
    done = subprocess.run(
        [sys.executable, "-m", "playbook.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"`playbook {' '.join(args[:2])}` failed:\n{done.stderr[-2000:]}")
    return done.stdout


def prepare(env: dict[str, str], feed: Path, clients: int) -> tuple[list[str], float]:
    """Users, the import and one token per client in the store ``env`` names; the tokens'
    Authorization headers and the import's seconds (the CLI process, start to exit)."""
    cli(env, "users", "add", "importer", "--role", "coordinator")
    t = time.perf_counter()
    cli(env, "import", str(feed), "--as", "importer", "--visibility", "shared")
    took = time.perf_counter() - t
    tokens = []
    for n in range(clients):
        cli(env, "users", "add", f"client{n}", "--role", "leader")
        secret = cli(
            env, "tokens", "create", "--as", f"client{n}", "--name", "bench",
            "--scope", "read", "--scope", "write",
        )  # fmt: skip
        tokens.append(f"Bearer {secret.strip().splitlines()[-1]}")
    return tokens, took


def serve(procs: Processes, env: dict[str, str], replicas: int, logs: Path) -> list[str]:
    """``replicas`` `playbook serve` processes on the store ``env`` names; their URLs."""
    import httpx

    from tests.conftest import free_port

    urls = []
    for i in range(replicas):
        port = free_port()
        url = f"http://127.0.0.1:{port}"

        def healthy(u: str = url) -> bool:
            return httpx.get(f"{u}/health", timeout=5).status_code == 200

        argv = [sys.executable, "-m", "playbook.cli", "serve", "--port", str(port)]
        procs.start(argv, env, logs / f"serve-{port}-{i}.log", healthy, "playbook serve")
        urls.append(url)
    return urls


# -- clients -------------------------------------------------------------------------------------


def request(
    http: Any, action: str, token: str, query: str, text: str
) -> tuple[int, dict[str, Any]]:
    """One request of ``action``; its status and JSON body (empty if it has none)."""
    headers = {"Authorization": token}
    if action == "GET /search":
        r = http.get("/search", params={"q": query}, headers=headers)
    elif action == "POST /search":
        r = http.post("/search", json={"q": query}, headers=headers)
    elif action == "POST /ask":
        r = http.post(
            "/ask", json={"question": f"What did we learn about {query}?"}, headers=headers
        )
    else:
        r = http.post("/journal", json={"text": text}, headers=headers)
    try:
        body = r.json()
    except ValueError:
        body = {}
    return r.status_code, body if isinstance(body, dict) else {}


def run_cell(
    label: str,
    urls: list[str],
    tokens: list[str],
    clients: int,
    qs: list[str],
    texts: list[str],
    args: argparse.Namespace,
) -> tuple[Cell, list[tuple[str, str, str]]]:
    """``clients`` threads doing the mix until the cell's time or rounds run out; the cell
    and each client's last journal entry (server URL, token, marker word)."""
    import httpx

    cell = Cell(label, clients)
    lock = threading.Lock()
    last: dict[int, tuple[str, str, str]] = {}
    deadline = time.monotonic() + args.duration
    tag = f"{time.monotonic_ns() % 10**9}"

    def client(n: int) -> None:
        rnd = random.Random(1000 + n)
        url, token = urls[n % len(urls)], tokens[n]
        with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT) as http:
            for round_no in range(args.rounds):
                for action in ACTIONS:
                    if time.monotonic() >= deadline:
                        return
                    marker = f"benchmarker{tag}c{n}r{round_no}qz"
                    text = f"{rnd.choice(texts)}\n\nMarker {marker}."
                    t = time.perf_counter()
                    try:
                        status, body = request(http, action, token, rnd.choice(qs), text)
                    except Exception as exc:  # counted and shown, never hidden
                        status, body = -1, {"error": f"{type(exc).__name__}: {exc}"}
                    took = time.perf_counter() - t
                    with lock:
                        if status != OK.get(action, 200):
                            message = str(body.get("error", ""))[:120]
                            what = f"HTTP {status} {message}" if status > 0 else message
                            cell.errors[action][what.strip()] += 1
                        else:
                            cell.samples[action].append(took)
                            found = FOUND.get(action)
                            if found and not body.get(found):
                                cell.empty[action] += 1
                            if action == "POST /ask":
                                cell.modes[str(body.get("mode"))] += 1
                            if action == "POST /journal":
                                last[n] = (url, token, marker)
                    # Think time after errors too: a refused connection must not spin.
                    if args.think:
                        pause = args.think * rnd.uniform(0.5, 1.5)
                        time.sleep(max(0.0, min(pause, deadline - time.monotonic())))

    t0 = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        # Bounded: a request can take at most REQUEST_TIMEOUT after the deadline.
        th.join(timeout=args.duration + REQUEST_TIMEOUT + 10)
    cell.wall = time.perf_counter() - t0
    return cell, list(last.values())


def drain(written: list[tuple[str, str, str]]) -> str:
    """Wait (at most DRAIN_SECONDS) until each entry in ``written`` is searchable by its
    author through the process that stored it; a sentence saying how long it took."""
    import httpx

    t = time.perf_counter()
    todo = list(written)
    while todo and time.perf_counter() - t < DRAIN_SECONDS:
        url, token, marker = todo[0]
        try:
            r = httpx.get(
                f"{url}/search", params={"q": marker}, headers={"Authorization": token}, timeout=30
            )
            found = r.status_code == 200 and bool(r.json()["results"])
        except (httpx.HTTPError, ValueError, KeyError):
            found = False
        if found:
            todo.pop(0)
        else:
            time.sleep(0.5)
    took = time.perf_counter() - t
    if todo:
        return f"indexing NOT drained after {took:.0f} s ({len(todo)} entries not searchable)"
    return f"indexing drained {took:.1f} s after the cell"


def warm(urls: list[str], token: str, qs: list[str], texts: list[str]) -> None:
    """One request of each action per process, untimed: the first loads the models."""
    import httpx

    for url in urls:
        with httpx.Client(base_url=url, timeout=REQUEST_TIMEOUT) as http:
            for action in ACTIONS:
                marker = f"warmupmarker{url.rsplit(':', 1)[1]}qz"
                status, body = request(http, action, token, qs[0], f"{texts[0]}\n\n{marker}")
                if status != OK.get(action, 200):
                    raise RuntimeError(f"warm-up {action} on {url}: HTTP {status} {body}")
        print(drain([(url, token, marker)]).replace("after the cell", "after warm-up"))


# -- the run -------------------------------------------------------------------------------------


def load_average() -> str:
    """The 1, 5 and 15 minute load averages."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} / {five:.2f} / {fifteen:.2f}"


def measure(
    name: str,
    env: dict[str, str],
    replicas: int,
    work: Path,
    feed: Path,
    args: argparse.Namespace,
    base: Cell | None,
) -> Cell | None:
    """Import into one configuration, serve it, run its cells; the baseline cell (measured
    here when ``base`` is None)."""
    qs = queries(generated_corpus(args.entries, seed=CORPUS_SEED), 200)
    texts = [t for t in generated_corpus(50, seed=JOURNAL_SEED) if len(t) < 15_000]
    print(f"\n## {name}  (load average before: {load_average()})", flush=True)
    tokens, took = prepare(env, feed, max(args.clients))
    print(f"import of {args.entries} entries (`playbook import`, whole process): {took:.1f} s")
    with_procs = Processes()
    try:
        urls = serve(with_procs, env, replicas, work)
        warm(urls, tokens[0], qs, texts)
        cells: list[tuple[str, int]] = []
        if base is None:
            cells.append(("baseline: 1 idle client", 1))
        cells += [(f"{k} client{'s' * (k > 1)}", k) for k in args.clients]
        for label, k in cells:
            cell, written = run_cell(f"{name}: {label}", urls, tokens, k, qs, texts, args)
            if base is None:
                base = cell
            print("\n".join(format_cell(cell, base)))
            # "none": the passages found were not close enough to answer from (not grounded).
            modes = ", ".join(f"{m} x{n}" for m, n in sorted(cell.modes.items())) or "no answer"
            print(f"(Ask modes: {modes} (none = not grounded); {drain(written)})", flush=True)
    finally:
        with_procs.close()
    print(f"load average after {name}: {load_average()}", flush=True)
    return base


def _interrupt(signum: int, _frame: FrameType | None) -> None:
    # SIGTERM/SIGHUP take the same path as Ctrl-C: the finally blocks stop every process.
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; the exit status (0: the run finished, whatever its errors counted)."""
    args = parse_args(argv)
    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, _interrupt)
    work = Path(tempfile.mkdtemp(prefix="playbook-bench-api-"))
    servers = Processes()
    print(
        f"HTTP load benchmark on {os.cpu_count()} cores; load average (1/5/15 min) "
        f"{load_average()}: other engineers' work may share this machine, read the figures "
        f"with it. Mix {' -> '.join(ACTIONS)}; think {args.think} s ±50%; cells of "
        f"{args.duration:.0f} s or {args.rounds} rounds; {args.entries} entries; clients "
        f"{', '.join(map(str, args.clients))}. Each API process: PLAYBOOK_TORCH_THREADS=1, "
        f"request limits raised to {RAISED_LIMIT:,} (per minute and per hour), no LLM.",
        flush=True,
    )
    try:
        feed = work / "corpus.jsonl"
        with feed.open("w", encoding="utf-8") as fh:
            for i, text in enumerate(generated_corpus(args.entries, seed=CORPUS_SEED)):
                fh.write(json.dumps({"id": f"g{i}", "text": text}) + "\n")
        embedded = work / "embedded"
        base = measure(
            "embedded (SQLite + embedded Chroma + FTS5), 1 API process",
            base_env(embedded, {}), 1, work, feed, args, None,
        )  # fmt: skip
        pg = start_postgres(servers)
        chroma = start_chroma(servers, work / "chroma")
        for replicas in (1, 2):
            store = {
                "PLAYBOOK_DATABASE_URL": pg.create_database(template=None),
                "PLAYBOOK_CHROMA_URL": chroma,
                "PLAYBOOK_CHROMA_COLLECTION": f"bench_api_{replicas}",
            }
            spread = ", clients round-robin over both, no load balancer" if replicas > 1 else ""
            name = (
                f"PostgreSQL + Chroma server, {replicas} API process{'es' * (replicas > 1)}{spread}"
            )
            measure(name, base_env(work / f"pg-data-{replicas}", store), replicas, work, feed,
                    args, base)  # fmt: skip
    except KeyboardInterrupt:
        print("\ninterrupted: stopping every process", file=sys.stderr)
        return 130
    except Exception as exc:
        print(f"\nthe run failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        print(f"(logs in {work}{'' if args.keep else '; pass --keep to keep them'})")
        return 1
    finally:
        servers.close()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\nload average at the end: {load_average()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
