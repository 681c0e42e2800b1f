"""`playbook coverage` from the shell, on the demo content (whose goals and domains the
demo declares): declare, import, list, remove and show, as text and as JSON, and refusals as
one line with a non-zero exit."""

from __future__ import annotations

import json
from pathlib import Path

from playbook.wiring import Container
from tests.unit.test_cli_entries import c, run  # noqa: F401 (the demo container fixture)

SINCE = ["--from", "2026-08-01", "--to", "2026-11-30"]


def test_show_names_the_gaps_and_withholds_small_groups(c: Container) -> None:  # noqa: F811
    shown = run("coverage", "show", *SINCE, "--as", "cora")
    assert shown.exit_code == 0, shown.output
    assert "No debrief covers the Nordics market" in shown.output
    assert "Supply chain | function | 1 |" in shown.output
    data = json.loads(run("coverage", "show", *SINCE, "--json", "--as", "cora").output)
    assert data["key"] == "coverage"
    coverage, categories = data["tables"]
    # Documents over the days asked for; writers and private writing over a whole quarter.
    assert coverage["period"].startswith("2026-08-01 to 2026-11-30; writers: 2026-Q3 (")
    assert categories["period"].startswith("2026-Q3 (2026-07-01 to 2026-09-30)")
    assert coverage["population"]
    assert "  Period: 2026-Q3 (2026-07-01 to 2026-09-30)" in shown.output
    nordics = next(r for r in coverage["rows"] if r[0] == "Nordics market")
    assert nordics == ["Nordics market", "market", 0, 0, 0, 0, "not covered"]
    # The demo's private writing in 2026-Q3 comes from two people: fewer than five, so every
    # category is withheld, and no writer count of a row is shown but "nobody in 2026-Q3"
    # (the rows covered only from October on).
    assert categories["rows"] and all(r[1:] == [None, None] for r in categories["rows"])
    writers = {r[0]: r[5] for r in coverage["rows"]}
    assert set(writers.values()) == {None, 0}
    assert writers["Supply chain"] is None and writers["Brazil market"] == 0


def test_declare_list_and_remove(c: Container) -> None:  # noqa: F811
    made = run(
        "coverage", "declare", "market", "Kenya market", "--keyword", "Nairobi", "--as", "cora"
    )
    assert made.exit_code == 0, made.output
    ident = made.output.split("(")[-1].split(")")[0]
    listed = run("coverage", "list", "--as", "cora").output
    assert f"{ident}  market  Kenya market  [Nairobi]" in listed
    gap = run("coverage", "show", *SINCE, "--as", "cora").output
    assert "No debrief covers the Kenya market" in gap
    assert run("coverage", "remove", ident, "--as", "cora").exit_code == 0
    assert "Kenya" not in run("coverage", "list", "--as", "cora").output
    again = run("coverage", "remove", ident, "--as", "cora")
    assert again.exit_code == 1 and "no such goal or domain" in again.output


def test_refusals_are_one_line(c: Container, tmp_path: Path) -> None:  # noqa: F811
    leader = run("coverage", "declare", "goal", "Grow", "--as", "ada")
    assert leader.exit_code == 1 and "Error:" in leader.output
    assert run("coverage", "show", "--as", "ada").exit_code == 1
    bad_kind = run("coverage", "declare", "planet", "Mars", "--as", "cora")
    assert bad_kind.exit_code == 1 and "not one of: goal, domain, market, function" in (
        bad_kind.output
    )
    bad_period = run("coverage", "show", "--period", "forever", "--as", "cora")
    assert bad_period.exit_code == 1 and "is not a period" in bad_period.output
    missing = run("coverage", "import", str(tmp_path / "none.csv"), "--as", "cora")
    assert missing.exit_code == 1 and "there is no file" in missing.output


def test_import_is_all_or_nothing(c: Container, tmp_path: Path) -> None:  # noqa: F811
    before = run("coverage", "list", "--as", "cora").output
    bad = tmp_path / "bad.csv"
    bad.write_text("kind,name\ngoal,Zero waste\nplanet,Mars\n", encoding="utf-8")
    refused = run("coverage", "import", str(bad), "--as", "cora")
    assert refused.exit_code == 1
    assert "row 3: the kind 'planet'" in refused.output and "nothing was imported" in (
        refused.output
    )
    assert run("coverage", "list", "--as", "cora").output == before
    good = tmp_path / "good.csv"
    good.write_text("kind,name,keywords\ngoal,Zero waste,waste;recycling\n", encoding="utf-8")
    done = run("coverage", "import", str(good), "--as", "cora")
    assert done.exit_code == 0 and "Declared 1 goal(s)" in done.output
    assert "Zero waste  [waste, recycling]" in run("coverage", "list", "--as", "cora").output
