"""`playbook coverage`: the strategic goals and knowledge domains a programme declares
(typed, or imported from CSV), and how well shared and published writing covers them, with
the gaps in words. Private writing shows only as counts of its prompt categories."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from playbook.cli.common import AsUser, acting, container, friendly, out, term

coverage_app = typer.Typer(
    help="Knowledge coverage: declared goals and domains, and their gaps.", no_args_is_help=True
)
Programme = Annotated[str, typer.Option(help="Programme slug (default: your only one).")]


def _say(text: str) -> None:
    # Declared names are data: no markup, no terminal escapes.
    out.print(term(text), highlight=False)


def _cell(value: object) -> str:
    return "—" if value is None else str(value)


@coverage_app.command("declare")
@friendly
def declare(
    kind: Annotated[str, typer.Argument(help="goal, domain, market or function.")],
    name: Annotated[str, typer.Argument(help='Its name, e.g. "Nordics market".')],
    description: Annotated[str, typer.Option(help="What it covers, in a sentence.")] = "",
    keyword: Annotated[
        list[str] | None, typer.Option(help="A word a text covering it would use (repeat).")
    ] = None,
    programme: Programme = "",
    as_user: AsUser = None,
) -> None:
    """Declare a goal or domain (coordinators); the same kind and name replaces it."""
    c = container()
    who = acting(c, as_user)
    service = c.coverage
    d = service.declare(
        who, service.programme(who, programme), kind, name, description, keyword or []
    )
    _say(f"Declared the {d.kind.value} “{d.name}” ({d.declaration_id}).")


@coverage_app.command("import")
@friendly
def import_file(
    path: Annotated[Path, typer.Argument(help="CSV with kind,name,description,keywords.")],
    programme: Programme = "",
    as_user: AsUser = None,
) -> None:
    """Declare goals and domains from a CSV file: every row, or none when any is wrong."""
    if not path.is_file():
        raise ValueError(f"there is no file {str(path)!r}; give the path of a CSV file")
    c = container()
    who = acting(c, as_user)
    service = c.coverage
    report = service.import_csv(who, service.programme(who, programme), path.read_bytes())
    if report.problems:
        for problem in report.problems:
            _say(f"  {problem}")
        raise ValueError(
            f"nothing was imported: {len(report.problems)} problem(s) above; fix them and "
            "import the file again"
        )
    _say(f"Declared {report.saved} goal(s) and domain(s).")


@coverage_app.command("remove")
@friendly
def remove(
    declaration_id: Annotated[str, typer.Argument(help="Its id (see `coverage list`).")],
    programme: Programme = "",
    as_user: AsUser = None,
) -> None:
    """Forget a declared goal or domain (coordinators)."""
    c = container()
    who = acting(c, as_user)
    c.coverage.remove(who, c.coverage.programme(who, programme), declaration_id)
    _say(f"Removed {declaration_id}.")


@coverage_app.command("list")
@friendly
def listing(programme: Programme = "", as_user: AsUser = None) -> None:
    """The declared goals and domains, with their ids and keywords."""
    c = container()
    who = acting(c, as_user)
    found = c.coverage.declarations(who, c.coverage.programme(who, programme))
    for d in found:
        words = f"  [{', '.join(d.keywords)}]" if d.keywords else ""
        _say(f"{d.declaration_id}  {d.kind.value}  {d.name}{words}")
    if not found:
        _say("Nothing is declared yet; declare with `playbook coverage declare KIND NAME`.")


@coverage_app.command("show")
@friendly
def show(
    programme: Programme = "",
    period: Annotated[
        str | None,
        typer.Option(help="this-quarter (default), last-quarter or last-90-days."),
    ] = None,
    start: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    end: Annotated[str | None, typer.Option("--to", help="Last day (default: today).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the section as JSON.")] = False,
    as_user: AsUser = None,
) -> None:
    """Coverage of the declared goals and domains in a period, and the gaps."""
    c = container()
    who = acting(c, as_user)
    chosen = c.health.period(period, start, end)
    section = c.coverage.section(who, c.coverage.programme(who, programme), chosen)
    if as_json:
        # Plain print: Rich would wrap long lines and break the JSON.
        typer.echo(json.dumps(section.as_dict(), indent=2, ensure_ascii=False))
        return
    _say(f"{section.title}  ({chosen.label})")
    for note in section.notes:
        _say(f"  {note}")
    for t in section.tables:
        _say("")
        _say(f"{t.title}  ({t.population})")
        _say(f"  Period: {t.period}")
        _say("  " + " | ".join(t.columns))
        for row in t.rows:
            _say("  " + " | ".join(_cell(v) for v in row))
        if t.note:
            _say(f"  {t.note}")
