"""Two `playbook import` processes importing the same file at the same moment: both finish
cleanly (no raw database error), and every record is stored exactly once."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = [pytest.mark.integration, pytest.mark.slow]

BIN = Path(sys.executable).parent


def test_the_same_file_imported_twice_at_once_is_stored_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "PLAYBOOK_DATA_DIR": str(data), "PLAYBOOK_SECRET_KEY": "concurrent"}
    run = [str(BIN / "playbook")]
    subprocess.run([*run, "users", "add", "ada", "--role", "leader"], env=env, check=True)
    f = tmp_path / "notes.jsonl"
    f.write_text(
        "".join(
            json.dumps({"id": f"n{i}", "text": f"Pricing lesson {i}: decide the floor early."})
            + "\n"
            for i in range(40)
        )
    )
    procs = [
        subprocess.Popen(
            [*run, "import", str(f), "--as", "ada"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(2)
    ]
    outputs = [p.communicate(timeout=300)[0] for p in procs]
    for p, out in zip(procs, outputs, strict=True):
        assert p.returncode == 0, out
        for raw in ("Traceback", "IntegrityError", "INSERT", "UNIQUE constraint"):
            assert raw not in out, out
    totals = [out.strip().splitlines()[-1] for out in outputs]
    assert any("40 created" in t for t in totals) or all("failed" in t for t in totals), totals
    stats = subprocess.run(
        [*run, "stats", "--json"], env=env, check=True, capture_output=True, text=True
    )
    s = json.loads(stats.stdout)
    assert s["documents"] == 40 and s["pending_index"] == 0, json.dumps(s)  # whole, not cut
    assert s["keyword_index_chunks"] == s["chunks"] == 40
