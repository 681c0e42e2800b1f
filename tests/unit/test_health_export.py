"""The health report's exports: JSON data, CSV rows (each with section, period and
population; formulas neutralised; withheld cells in words) and a PDF whose text says the
same (read back with pypdf)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from pypdf import PdfReader

from playbook.services.health.export import (
    CSV_COLUMNS,
    as_dict,
    neutralised,
    shown_value,
    to_csv,
    to_pdf,
)
from playbook.services.health.figures import TOO_FEW, Figure, Period, Section, Table
from playbook.services.health.report import HealthReport

PERIOD = Period(dt.date(2026, 7, 1), dt.date(2026, 9, 30))


def _report() -> HealthReport:
    label = PERIOD.label
    return HealthReport(
        programme_id="p1",
        programme="=Nordics pilot",  # a name a spreadsheet would run as a formula
        period=PERIOD,
        generated_at=dt.datetime(2026, 10, 2, 8, 0, tzinfo=dt.UTC),
        population=12,
        sections=(
            Section(
                "surveys",
                "Pulse surveys",
                figures=(
                    Figure("Respondents", 6, label, "12 invited"),
                    Figure("Mean of 'I feel heard'", 3.6666, label, "6 respondents"),
                    Figure("Open answers", None, label, "2 respondents", note=TOO_FEW),
                ),
                tables=(
                    Table(
                        "By level",
                        ("level", "people", "share"),
                        (("senior", 7, 0.58), ("@junior", None, None), ("-x", 5)),
                        label,
                        "12 members",
                        note="two cells withheld",
                    ),
                ),
                notes=("+1 survey is still open",),
            ),
        ),
    )


def test_json_is_the_report_data() -> None:
    data = json.loads(json.dumps(as_dict(_report())))
    figures = data["sections"][0]["figures"]
    assert [f["value"] for f in figures] == [6, 3.6666, None]
    assert figures[2]["note"] == TOO_FEW
    assert data["population"] == 12 and data["period"]["label"] == PERIOD.label


def test_csv_has_a_row_per_figure_cell_and_note_with_period_and_population() -> None:
    rows = list(csv.DictReader(io.StringIO(to_csv(_report()))))
    assert tuple(rows[0].keys()) == CSV_COLUMNS
    population, *rest = rows
    assert population["kind"] == "population" and population["value"] == "12"
    assert {r["kind"] for r in rest} == {"figure", "cell", "note"}
    assert all(r["period"] == PERIOD.label for r in rows)
    assert all(r["population"] for r in rows if r["kind"] != "note")
    cells = [(r["row"], r["column"], r["value"]) for r in rows if r["kind"] == "cell"]
    assert cells == [
        ("senior", "people", "7"),
        ("senior", "share", "0.58"),
        ("'@junior", "people", TOO_FEW),
        ("'@junior", "share", TOO_FEW),
        ("'-x", "people", "5"),
        ("'-x", "share", ""),  # a short row: nothing there, and no number either
    ]
    withheld = [r for r in rows if r["item"] == "Open answers"]
    assert withheld[0]["value"] == TOO_FEW


def test_csv_neutralises_every_formula_start() -> None:
    text = to_csv(_report())
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
    assert "'=Nordics pilot" in text and "'+1 survey is still open" in text
    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert neutralised(start + "SUM(A1)") == "'" + start + "SUM(A1)"
    assert neutralised(-3) == -3 and neutralised("a=b") == "a=b"


def test_shown_value() -> None:
    assert shown_value(None) == TOO_FEW
    assert shown_value(3.6666) == "3.67" and shown_value(2.0) == "2" and shown_value(0.0) == "0"
    assert shown_value(7) == "7" and shown_value("senior") == "senior"


def test_pdf_text_holds_each_figure_with_its_period_and_population() -> None:
    data = to_pdf(_report())
    assert data.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    flat = " ".join(text.split())
    assert "Programme health: =Nordics pilot" in flat
    assert "12 members of the programme" in flat
    assert "Respondents: 6" in flat and "3.67" in flat
    assert TOO_FEW in flat
    assert f"Period {PERIOD.label}" in flat
    assert "senior" in flat and "0.58" in flat


def test_pdf_of_an_empty_report() -> None:
    empty = HealthReport("p", "P", PERIOD, dt.datetime(2026, 10, 2, tzinfo=dt.UTC), 0, ())
    assert to_pdf(empty).startswith(b"%PDF")
    assert list(csv.reader(io.StringIO(to_csv(empty))))[1][6] == "0"
