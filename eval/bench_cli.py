"""Command-line start-up: whole processes of `playbook --help` and `playbook users list`
against the floor, a bare ``import typer, rich, sqlalchemy``, alternating in one run.

Each figure is the median wall time of ``--runs`` fresh processes (alternated, so a busy
moment of the machine hits every command alike); the ratio is against the floor measured in
the same run.

Usage::

    python eval/bench_cli.py            # 7 runs each, a table
    python eval/bench_cli.py --runs 15 --json results.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def commands() -> dict[str, list[str]]:
    """What is timed: the floor first."""
    playbook = str(BIN / "playbook")
    return {
        "floor: import typer, rich, sqlalchemy": [
            sys.executable,
            "-c",
            "import typer, rich, sqlalchemy",
        ],
        "playbook --help": [playbook, "--help"],
        "playbook users list": [playbook, "users", "list"],
    }


def run_once(argv: list[str], env: dict[str, str]) -> float:
    """Wall seconds of one process (its output discarded; a failure is an error)."""
    start = time.perf_counter()
    subprocess.run(argv, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def main() -> None:
    """Time every command, print the table, optionally write JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as data:
        env = {**os.environ, "PLAYBOOK_DATA_DIR": data, "PLAYBOOK_SECRET_KEY": "bench"}
        cmds = commands()
        subprocess.run(cmds["playbook users list"], env=env, check=True, capture_output=True)
        times: dict[str, list[float]] = {name: [] for name in cmds}
        for _ in range(args.runs):
            for name, argv in cmds.items():
                times[name].append(run_once(argv, env))
    floor = statistics.median(times[next(iter(cmds))])
    print(f"| command | median s | min s | × floor |  ({args.runs} alternating runs)")
    print("|---|---|---|---|")
    result = {}
    for name, values in times.items():
        med = statistics.median(values)
        result[name] = {"median_s": med, "min_s": min(values), "ratio": med / floor}
        print(f"| {name} | {med:.3f} | {min(values):.3f} | {med / floor:.2f} |")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
