"""`playbook programme health`: a programme's health report for a period (signals, pulse
surveys, coverage and the inclusion audit, as the acting user may see them), printed, as
JSON, or written to CSV and PDF files. Every figure states its period and population;
groups smaller than the minimum group size are withheld by the sources, never here."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from playbook.cli.common import AsUser, acting, container, friendly, out, term
from playbook.services.health.figures import Section

programme_app = typer.Typer(
    help="Programme health: the report and its exports.", no_args_is_help=True
)

PeriodName = Annotated[
    str | None,
    typer.Option(
        "--period", help="this-quarter (default), last-quarter or last-90-days.", show_default=False
    ),
]


def _say(text: str) -> None:
    # Names of programmes, sections and rows are data: no markup, no terminal escapes.
    out.print(term(text), highlight=False)


@programme_app.command("health")
@friendly
def health(
    programme: Annotated[str, typer.Option(help="Programme slug (default: your only one).")] = "",
    period: PeriodName = None,
    start: Annotated[
        str | None, typer.Option("--from", help="First day, YYYY-MM-DD.", show_default=False)
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", help="Last day, YYYY-MM-DD (default: today).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
    csv_file: Annotated[
        Path | None, typer.Option("--csv", dir_okay=False, help="Write CSV.")
    ] = None,
    pdf_file: Annotated[
        Path | None, typer.Option("--pdf", dir_okay=False, help="Write PDF.")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """The programme's health for a period (coordinators, stewards, sponsors, champions)."""
    from playbook.services.health.export import as_dict, to_csv, to_pdf

    c = container()
    who = acting(c, as_user)
    service = c.health
    # Every argument is checked before anything is built or written.
    chosen = service.period(period, start, end)
    pid = service.programme(who, programme)
    for target in (csv_file, pdf_file):
        if target is not None and not target.parent.is_dir():
            raise ValueError(f"the folder {str(target.parent)!r} does not exist; create it first")
    fmt = "cli json" if as_json else "cli"
    report = service.report(who, pid, chosen, fmt)
    if csv_file is not None:
        csv_file.write_text(to_csv(report), encoding="utf-8", newline="")
        service.exported(who, report, "csv file")
    if pdf_file is not None:
        pdf_file.write_bytes(to_pdf(report))
        service.exported(who, report, "pdf file")
    if as_json:
        # Plain print: Rich would wrap long lines and break the JSON.
        typer.echo(json.dumps(as_dict(report), indent=2, ensure_ascii=False))
        return
    _say(f"Programme health: {report.programme}")
    _say(f"Period {report.period.label} · {report.population_label}")
    for s in report.sections:
        _print_section(s)
    if not report.sections:
        _say("No health source is installed yet; there is nothing to report.")
    for target, what in ((csv_file, "CSV"), (pdf_file, "PDF")):
        if target is not None:
            _say(f"Wrote the {what} to {target}.")


def _print_section(s: Section) -> None:
    from playbook.services.health.export import shown_value

    _say("")
    _say(s.title)
    for note in s.notes:
        _say(f"  {note}")
    for f in s.figures:
        _say(f"  {f.label}: {shown_value(f.value)}  ({f.period}; {f.population})")
        if f.note and f.value is not None:
            _say(f"    {f.note}")
    for t in s.tables:
        _say(f"  {t.title}  ({t.period}; {t.population})" + (f" {t.note}" if t.note else ""))
        _say("    " + " | ".join(t.columns))
        for r in t.rows:
            _say("    " + " | ".join(shown_value(c) for c in r))
