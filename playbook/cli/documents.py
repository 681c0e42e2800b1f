"""`playbook import`, `search`, `export` and `delete`: documents in and out."""

from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ingest.loaders import CsvOptions
from playbook.cli.common import (
    AsUser,
    acting,
    acting_name,
    container,
    err,
    friendly,
    out,
    term,
    yield_to_sessions,
)
from playbook.models import EntryStatus, Kind, SearchFilters, Visibility, parse_enum


@friendly
def import_(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to import.")],
    as_user: AsUser = None,
    kind: Annotated[
        str, typer.Option(help="Default kind: journal, debrief, session_note, council_note, entry.")
    ] = "journal",
    visibility: Annotated[
        str, typer.Option(help="Default visibility: private, shared, published.")
    ] = "private",
    programme: Annotated[str, typer.Option(help="Programme the documents belong to.")] = "default",
    create_users: Annotated[bool, typer.Option(help="Create unknown authors as leaders.")] = False,
    text_col: Annotated[
        list[str] | None, typer.Option(help="CSV: text column (repeat to join several).")
    ] = None,
    id_col: Annotated[str | None, typer.Option(help="CSV: column with a stable id.")] = None,
    author_col: Annotated[
        str | None, typer.Option(help="CSV: column with the author's user name.")
    ] = None,
    title_col: Annotated[str | None, typer.Option(help="CSV: column with a title.")] = None,
    null_value: Annotated[
        list[str] | None, typer.Option(help="CSV: a cell value meaning empty (repeatable).")
    ] = None,
    multi_sep: Annotated[
        str | None, typer.Option(help="CSV: separator between several answers in one cell.")
    ] = None,
) -> None:
    """Import .md, .txt, .docx, .pdf, .csv and .jsonl; a bad file or line never stops the rest."""
    c = container()
    yield_to_sessions(c)
    from playbook.services.documents import ImportOptions

    options = ImportOptions(
        as_user=as_user,
        kind=parse_enum(Kind, kind, "kind"),
        visibility=parse_enum(Visibility, visibility, "visibility"),
        programme=programme,
        create_users=create_users,
        load=replace(
            c.load_options,
            csv=CsvOptions(
                text_cols=tuple(text_col or ()),
                id_col=id_col,
                author_col=author_col,
                title_col=title_col,
                null_values=tuple(null_value or ()),
                multi_sep=multi_sep,
            ),
        ),
    )
    c.indexing.repair()
    with Progress(
        TextColumn("[bold]importing"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=None)

        def advance(origin: str, n: int) -> None:
            bar.update(task, advance=n, description=Path(origin.rsplit(":", 1)[0]).name)

        report = c.service.import_paths(paths, options, progress=advance)
    table = Table(title="Import report")
    for col in ("file", "created", "updated", "unchanged", "failed"):
        table.add_column(col, justify="left" if col == "file" else "right")
    for fr in report.files.values():
        table.add_row(
            term(fr.path),
            str(fr.created),
            str(fr.updated),
            str(fr.unchanged),
            str(len(fr.problems)),
        )
    out.print(table)
    for fr in report.files.values():
        for p in fr.problems[:20]:
            err.print(f"[red]✗[/red] {term(p.origin)}: {term(p.message)}", highlight=False)
        if len(fr.problems) > 20:
            err.print(f"  … and {len(fr.problems) - 20} more problems in {fr.path}")
    out.print(
        f"{report.total('created')} created, {report.total('updated')} updated, "
        f"{report.total('unchanged')} unchanged, {report.failed} failed"
    )
    for problem in report.index_errors:
        err.print(
            f"[red]Indexing failed:[/red] {problem}. Everything imported is stored; "
            "run `playbook reindex` to finish indexing.",
            highlight=False,
        )
    if report.failed or report.index_errors or not report.files:
        raise typer.Exit(1)


@friendly
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("--k", help="How many results.", min=1, max=100)] = 10,
    kind: Annotated[list[str] | None, typer.Option(help="Only these kinds (repeatable).")] = None,
    mine: Annotated[bool, typer.Option(help="Only my own documents.")] = False,
    function: Annotated[str | None, typer.Option(help="Only this function.")] = None,
    market: Annotated[str | None, typer.Option(help="Only this market.")] = None,
    tag: Annotated[list[str] | None, typer.Option(help="Only with this tag (repeatable).")] = None,
    status: Annotated[
        list[str] | None,
        typer.Option(
            help="Only playbook entries in this state (repeatable): draft, "
            "in_review, published, archived."
        ),
    ] = None,
    since: Annotated[
        dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Written on or after.")
    ] = None,
    until: Annotated[
        dt.datetime | None, typer.Option(formats=["%Y-%m-%d"], help="Written on or before.")
    ] = None,
    as_user: AsUser = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search what a user may read (keyword and semantic, fused)."""
    c = container()
    principal = acting(c, as_user)
    c.indexing.repair()
    filters = SearchFilters(
        kinds=tuple(parse_enum(Kind, x, "kind") for x in kind or ()),
        only_mine=mine,
        function=function,
        market=market,
        tags=tuple(tag or ()),
        entry_statuses=tuple(parse_enum(EntryStatus, x, "status") for x in status or ()),
        since=since.date() if since else None,
        until=until.date() if until else None,
    )
    # One result per document (its best passage); --k counts documents.
    results = c.service.search_documents(principal, query, k=k, filters=filters)
    if as_json:
        rows = [
            {
                "source_id": r.hit.source_id,
                "source": r.hit.source_label,
                "document_id": r.hit.document_id,
                "chunk_id": r.hit.chunk_id,
                "score": r.hit.score,
                "kind": r.kind,
                "title": r.title,
                "snippet": r.hit.snippet,
                **r.as_json(),
            }
            for r in results
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if not results:
        out.print("No results. Try other words, or check what you may read with `playbook stats`.")
    for i, r in enumerate(results, 1):
        state = f" · {r.entry_status.value.replace('_', ' ')}" if r.entry_status else ""
        badge = " · verified" if r.verified else ""
        written = f" · {r.written.isoformat()}" if r.written else ""
        out.print(
            f"[bold]{i}. {term(r.title)}[/bold]  "
            f"[dim]{r.kind} · by {term(r.author)} · {term(r.programme)}{written}{state}{badge}"
            f" · {term(r.hit.source_label or r.hit.source_id)}[/dim]",
            highlight=False,
        )
        before, sentence, after = r.excerpt()
        out.print(f"   {term(before)}[bold]{term(sentence)}[/bold]{term(after)}", highlight=False)


@friendly
def export(
    as_user: AsUser = None,
    output: Annotated[
        Path | None, typer.Option("--out", help="File to write (default: standard output).")
    ] = None,
) -> None:
    """Export, as JSON lines, the redacted documents a user may read (re-importable)."""
    c = container()
    who = acting_name(c, as_user)
    rows = c.service.export(who)
    n = 0
    if output is None:
        for row in rows:
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            n += 1
    else:
        tmp = output.with_suffix(output.suffix + ".part")
        with tmp.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
                n += 1
        tmp.replace(output)
    c.administration.record_export(who, who, f"{n} documents")
    err.print(f"Exported {n} documents.")


@friendly
def delete(
    document_id: Annotated[str, typer.Argument(help="Id of one of your documents.")],
    as_user: AsUser = None,
) -> None:
    """Delete one of your documents from the store and both indexes."""
    c = container()
    c.service.delete(acting_name(c, as_user), document_id)
    out.print(f"Deleted {document_id}.")
