"""The pure parts of ``eval/bench_api.py``: percentiles, ratios and the report's lines, the
queries, the arguments and the API processes' environment. No server is started here."""

from __future__ import annotations

from pathlib import Path

import pytest

from eval.bench_api import (
    ACTIONS,
    RAISED_LIMIT,
    Cell,
    base_env,
    format_cell,
    parse_args,
    queries,
    ratio,
)
from playbook.settings import Settings


def _row(lines: list[str], action: str) -> list[str]:
    """The table row of ``action``, split into its columns."""
    (row,) = [line for line in lines if line.startswith(action + " ")]
    return row[len(action) :].split()


def test_ratio() -> None:
    assert ratio(190.0, 100.0) == "1.90x"
    assert ratio(50.0, 100.0) == "0.50x"
    assert ratio(10.0, None) == ""
    assert ratio(10.0, 0.0) == "-"


def test_format_cell_counts_percentiles_throughput_errors_and_the_ratio() -> None:
    cell = Cell("four clients", 4, wall=10.0)
    cell.samples["GET /search"] = [i / 100 for i in range(20, 0, -1)]  # 0.01 .. 0.20 s
    cell.samples["POST /journal"] = [0.3, 0.5]
    cell.errors["POST /journal"]["HTTP 500 boom"] += 3
    cell.empty["GET /search"] = 2
    base = Cell("baseline", 1, wall=10.0)
    base.samples["GET /search"] = [0.1]
    lines = format_cell(cell, base)

    assert "22 requests, 3 errors, in 10.0 s" in lines[0]
    # 20 samples: median 105 ms; p95 is the 19th of 20 (190 ms); 2 a second; 1.90x 100 ms.
    assert _row(lines, "GET /search") == ["20", "105.0", "190.0", "2.00", "0", "1.90x"]
    # No baseline sample for the journal: no ratio, but its errors are counted.
    assert _row(lines, "POST /journal") == ["2", "400.0", "500.0", "0.20", "3"]
    # An action nobody got an answer for still has its row.
    assert _row(lines, "POST /ask") == ["0", "-", "-", "0.00", "0"]
    assert "  error x3: POST /journal: HTTP 500 boom" in lines
    assert "  GET /search: 2 of 20 found nothing" in lines
    assert cell.error_count() == 3 and cell.error_count("GET /search") == 0


def test_the_baseline_against_itself_is_one() -> None:
    base = Cell("baseline", 1, wall=5.0)
    for action in ACTIONS:
        base.samples[action] = [0.2, 0.1, 0.3]
    for action in ACTIONS:
        assert _row(format_cell(base, base), action)[-1] == "1.00x"


def test_queries_are_windows_of_the_texts_and_repeatable() -> None:
    texts = ["alpha beta gamma delta epsilon zeta eta theta", "short text"]
    first = queries(texts, 30)
    assert first == queries(texts, 30)
    assert len(first) == 30
    for q in first:
        assert 3 <= len(q.split()) <= 6
        assert q in texts[0]
    with pytest.raises(ValueError, match="six words"):
        queries(["too short"], 1)


def test_arguments() -> None:
    args = parse_args([])
    assert (args.entries, args.clients, args.duration, args.think) == (300, [1, 4, 8], 30.0, 1.0)
    quick = parse_args(["--quick", "--think", "0"])
    assert (quick.entries, quick.clients, quick.duration, quick.think) == (60, [1, 4], 10.0, 0.0)
    assert parse_args(["--clients", "8", "1", "8"]).clients == [1, 8]
    for bad in (["--clients", "0"], ["--duration", "0"], ["--think", "-1"], ["--entries", "x"]):
        with pytest.raises(SystemExit):
            parse_args(bad)


def test_the_api_processes_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PLAYBOOK_LLM", "ollama:llama3.2")  # the caller's settings stay out
    env = base_env(tmp_path, {"PLAYBOOK_CHROMA_URL": "http://127.0.0.1:9"})
    assert "PLAYBOOK_LLM" not in env
    for name, value in env.items():
        if name.startswith("PLAYBOOK_"):
            monkeypatch.setenv(name, value)
    monkeypatch.delenv("PLAYBOOK_LLM")
    # Read back through Settings: a renamed setting would be ignored silently otherwise.
    settings = Settings()
    assert settings.torch_threads == 1
    assert settings.api_requests_per_minute == RAISED_LIMIT
    assert settings.llm_requests_per_hour == RAISED_LIMIT
    assert settings.chroma_url == "http://127.0.0.1:9"
    assert settings.data_dir == tmp_path
    assert settings.llm is None
