"""The health report taken away: JSON-ready data, CSV for a spreadsheet and a printable PDF.

Each carries only what the report holds: the sources' figures (already suppressed for small
groups: a withheld value is written as "too few answers to show", never as a number), the
programme's member count, and each figure's period and population. A CSV cell that a
spreadsheet would run as a formula (text starting with ``=``, ``+``, ``-``, ``@``, a tab or
a carriage return) is written with a leading apostrophe, so it stays text.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from playbook.services.handoff import _font  # one font rule for every PDF this product makes
from playbook.services.health.figures import TOO_FEW, Cell, Section
from playbook.services.health.report import HealthReport

CSV_COLUMNS = (
    "programme",
    "section",
    "kind",
    "item",
    "row",
    "column",
    "value",
    "note",
    "period",
    "population",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def as_dict(report: HealthReport) -> dict[str, object]:
    """The report as JSON-ready data (a withheld value is ``null``, its note says why)."""
    return report.as_dict()


def shown_value(value: Cell) -> str:
    """A figure's value as people read it: a withheld one in words, a fraction to two
    decimals, a count as is."""
    if value is None:
        return TOO_FEW
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".") or "0"
    return str(value)


def neutralised(cell: object) -> object:
    """A CSV cell a spreadsheet will not run: text that would start a formula gets a
    leading apostrophe. Numbers are left as numbers (a negative one is a value, not a
    formula, and stays one)."""
    if isinstance(cell, str) and cell.startswith(_FORMULA_START):
        return "'" + cell
    return cell


def csv_rows(report: HealthReport) -> Iterator[tuple[object, ...]]:
    """The rows of the CSV after its header: the population, then each figure, each table
    cell and each note of every section, each with its period and population."""
    name = report.programme
    yield (
        name,
        "report",
        "population",
        "Members of the programme",
        "",
        "",
        report.population,
        "",
        report.period.label,
        report.population_label,
    )
    for s in report.sections:
        yield from _section_rows(name, s, report)


def _section_rows(name: str, s: Section, report: HealthReport) -> Iterator[tuple[object, ...]]:
    for f in s.figures:
        value: object = TOO_FEW if f.value is None else f.value
        yield (name, s.title, "figure", f.label, "", "", value, f.note, f.period, f.population)
    for t in s.tables:
        # The first column names the row; each other column's cell is one row of the CSV.
        columns = range(1, len(t.columns)) if len(t.columns) > 1 else range(len(t.columns))
        for r in t.rows:
            label = shown_value(r[0]) if r else ""
            for i in columns:
                # A row shorter than its columns has nothing there (not a withheld cell).
                value = "" if i >= len(r) else TOO_FEW if r[i] is None else r[i]
                yield (name, s.title, "cell", t.title, label, t.columns[i], value, t.note,
                       t.period, t.population)  # fmt: skip
    for note in s.notes:
        yield (name, s.title, "note", note, "", "", "", "", report.period.label, "")


def to_csv(report: HealthReport) -> str:
    """The report as CSV text: one row per figure, table cell and note (``CSV_COLUMNS``)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in csv_rows(report):
        writer.writerow([neutralised(cell) for cell in row])
    return buffer.getvalue()


def to_pdf(report: HealthReport) -> bytes:
    """The report as a printable A4 PDF: each section's figures and tables, each stating
    its period and population."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(18, 18, 18)
    family, fold = _font(pdf)
    title = f"Programme health: {report.programme}"
    pdf.set_title(fold(title))
    pdf.add_page()

    def para(text: str, size: float = 10.5, style: str = "", gap: float = 2.0) -> None:
        pdf.set_font(family, style, size)
        pdf.multi_cell(0, size * 0.5, fold(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    para(title, 18, "B", 1)
    para(
        f"Period {report.period.label} · {report.population_label} · generated "
        f"{report.generated_at:%Y-%m-%d %H:%M} UTC",
        9.5,
        "",
        6,
    )
    for s in report.sections:
        para(s.title, 14, "B", 2)
        for note in s.notes:
            para(note, 10, "", 1.5)
        for f in s.figures:
            para(f"{f.label}: {shown_value(f.value)}", 10.5, "B", 0.5)
            para(caption(f.period, f.population, f.note), 8.5, "", 2)
        for t in s.tables:
            para(t.title, 11.5, "B", 0.5)
            para(caption(t.period, t.population, t.note), 8.5, "", 1)
            if not t.columns:
                continue
            pdf.set_font(family, "", 9)
            with pdf.table(first_row_as_headings=True, line_height=4.5) as table:
                table.row([fold(c) for c in t.columns])
                for r in t.rows:
                    cells = [fold(shown_value(c)) for c in r[: len(t.columns)]]
                    table.row(cells + [""] * (len(t.columns) - len(cells)))
            pdf.ln(3)
        pdf.ln(2)
    return bytes(pdf.output())


def caption(period: str, population: str, note: str) -> str:
    """What a figure or table covers, in one line: "Period … · population · note"."""
    return " · ".join(p for p in (f"Period {period}", population, note) if p)
