"""`playbook programme health` from the shell: the printed report, JSON, CSV and PDF files,
bad periods and refusals as one line with a non-zero exit, and each run audited."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from playbook.services.health.figures import TOO_FEW
from playbook.wiring import Container
from tests.unit.health_fakes import fake_health
from tests.unit.test_cli_entries import c, run  # noqa: F401 (the demo container fixture)


@pytest.fixture
def fake(c: Container) -> Container:  # noqa: F811
    fake_health(c)
    return c


def test_prints_the_report(fake: Container) -> None:
    shown = run("programme", "health", "--period", "last-90-days", "--as", "cora")
    assert shown.exit_code == 0, shown.output
    assert "Programme health:" in shown.output
    assert "Fake **source**" in shown.output  # printed as it is: no markup
    assert f"Open answers: {TOO_FEW}" in shown.output
    assert "senior | 6" in shown.output and f"junior | {TOO_FEW}" in shown.output
    assert "members of the programme" in shown.output


def test_json_withholds_small_groups(fake: Container) -> None:
    shown = run("programme", "health", "--json", "--as", "cora")
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.output)
    table = data["sections"][0]["tables"][0]
    assert table["rows"] == [["senior", 6], ["junior", None], ["=HYPERLINK(x)", None]]
    assert data["population"] == len(fake.records.member_ids(data["programme_id"]))
    (viewed,) = fake.audit.events("health viewed")
    assert viewed.actor == "cora" and viewed.detail.endswith("format cli json")


def test_writes_csv_and_pdf(fake: Container, tmp_path: Path) -> None:
    out_csv, out_pdf = tmp_path / "h.csv", tmp_path / "h.pdf"
    args = ["--from", "2026-01-01", "--to", "2026-03-31", "--csv", str(out_csv)]
    shown = run("programme", "health", *args, "--pdf", str(out_pdf), "--as", "cora")
    assert shown.exit_code == 0, shown.output
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8"))))
    assert {r["period"] for r in rows} == {"2026-01-01 to 2026-03-31"}
    assert "'=HYPERLINK(x)" in {r["row"] for r in rows}
    text = " ".join(p.extract_text() for p in PdfReader(out_pdf).pages)
    assert "Respondents: 13" in " ".join(text.split())
    exports = [e.detail for e in fake.audit.events("health exported")]
    assert sorted(d.rsplit("format ", 1)[1] for d in exports) == ["csv file", "pdf file"]


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["--period", "next-year"], "is not a period"),
        (["--from", "2026-02-30"], "is not a date"),
        (["--from", "2026-03-01", "--to", "2026-01-01"], "before it starts"),
        (["--from", "2999-01-01"], "after today"),
        (["--to", "2026-01-01"], "needs a start date too"),
        (["--period", "last-quarter", "--from", "2026-01-01"], "not both"),
        (["--programme", "nowhere"], "is not one of your programmes"),
        (["--csv", "/no/such/folder/h.csv"], "does not exist"),
    ],
)
def test_bad_input_is_one_line_and_writes_nothing(
    fake: Container, args: list[str], says: str
) -> None:
    shown = run("programme", "health", *args, "--as", "cora")
    assert shown.exit_code == 1
    assert says in shown.output and "Traceback" not in shown.output
    assert fake.audit.events("health viewed") == []


def test_members_without_the_role_are_refused(fake: Container) -> None:
    shown = run("programme", "health", "--as", "ravi")
    assert shown.exit_code == 1
    assert "programme health needs the coordinator" in shown.output
    assert "Traceback" not in shown.output
    assert [e.actor for e in fake.audit.events("health refused")] == ["ravi"]


def test_the_demo_json_withholds_every_small_group(c: Container) -> None:  # noqa: F811
    from tests.unit.test_health_privacy_property import assert_groups_withheld

    for user in ("cora", "sofia"):
        shown = run("programme", "health", "--json", "--period", "last-90-days", "--as", user)
        assert shown.exit_code == 0, shown.output
        data = json.loads(shown.output)
        keys = [s["key"] for s in data["sections"]]
        assert keys == ["signals", "surveys", "coverage", "inclusion"]
        assert_groups_withheld(data, c.settings.min_group_size)
        # The demo's open re-run has two answers: its round shows no result at all.
        [rerun] = [
            t for s in data["sections"] for t in s["tables"] if t["title"].endswith("round 2")
        ]
        assert rerun["rows"] == [] and rerun["note"] == TOO_FEW
