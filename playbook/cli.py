"""The `playbook` command line."""

from __future__ import annotations

import functools
import json
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ingest.loaders import CsvOptions, LoadOptions
from playbook.models import Kind, Role, SearchFilters, Visibility, parse_enum
from playbook.service import ImportOptions
from playbook.settings import Settings
from playbook.wiring import Container

app = typer.Typer(
    help="Living Playbook: import, redact, search and manage reflections.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
users_app = typer.Typer(help="Manage users and their roles.", no_args_is_help=True)
app.add_typer(users_app, name="users")

out = Console()
err = Console(stderr=True, soft_wrap=True)
F = TypeVar("F", bound=Callable[..., Any])


def friendly(fn: F) -> F:
    """Turn errors a user can meet into one clear line and a non-zero exit, not a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except (ValueError, LookupError, OSError) as exc:
            err.print(f"[red]Error:[/red] {exc}", highlight=False)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def container() -> Container:
    """The adapters for this process, from the environment's settings."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return Container(Settings())


def _who(c: Container, as_user: str | None) -> str:
    who = as_user or c.settings.user
    if not who:
        raise ValueError(
            "say who is acting: --as USER (or set PLAYBOOK_USER); "
            "results depend on what that user may read"
        )
    return who


AsUser = Annotated[
    str | None, typer.Option("--as", help="Act as this user (default: PLAYBOOK_USER).")
]


@app.command("import")
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
    options = ImportOptions(
        as_user=as_user,
        kind=parse_enum(Kind, kind, "kind"),
        visibility=parse_enum(Visibility, visibility, "visibility"),
        programme=programme,
        create_users=create_users,
        load=LoadOptions(
            csv=CsvOptions(
                text_cols=tuple(text_col or ()),
                id_col=id_col,
                author_col=author_col,
                title_col=title_col,
                null_values=tuple(null_value or ()),
                multi_sep=multi_sep,
            )
        ),
    )
    c = container()
    c.repair()
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
            fr.path, str(fr.created), str(fr.updated), str(fr.unchanged), str(len(fr.problems))
        )
    out.print(table)
    for fr in report.files.values():
        for p in fr.problems[:20]:
            err.print(f"[red]✗[/red] {p.origin}: {p.message}", highlight=False)
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


@app.command()
@friendly
def redact(
    jsonl: Annotated[
        bool, typer.Option(help='Lines of {"id", "text"} in, {"id", "text", "entities"} out.')
    ] = False,
) -> None:
    """Redact personal data from standard input (the same engine the import uses)."""
    redactor = container().redactor
    if not jsonl:
        text = sys.stdin.read()
        sys.stdout.write(redactor.redact_batch([text])[0].text)
        return
    failed = False
    batch: list[tuple[Any, str | None, str]] = []

    def flush() -> None:
        texts = [t for _, e, t in batch if e is None]
        done = iter(redactor.redact_batch(texts)) if texts else iter(())
        for ident, error, _ in batch:
            if error is not None:
                line: dict[str, Any] = {"id": ident, "error": error}
            else:
                r = next(done)
                line = {
                    "id": ident,
                    "text": r.text,
                    "entities": [
                        {"type": e.type, "start": e.start, "end": e.end} for e in r.entities
                    ],
                }
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
        batch.clear()

    for n, raw in enumerate(sys.stdin.buffer, start=1):
        if not raw.strip():
            continue
        ident, error, text = None, None, ""
        try:
            obj = json.loads(raw.decode("utf-8"))
            if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
                raise ValueError("each line needs a 'text' string")
            ident, text = obj.get("id"), obj["text"]
        except (UnicodeDecodeError, ValueError) as exc:
            error = f"line {n}: {exc}"
            err.print(f"[red]Error:[/red] {error}", highlight=False)
        failed = failed or error is not None
        batch.append((ident, error, text))
        if len(batch) >= 64:
            flush()
    flush()
    if failed:
        raise typer.Exit(1)


@app.command()
@friendly
def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    k: Annotated[int, typer.Option("--k", help="How many results.", min=1, max=100)] = 10,
    kind: Annotated[list[str] | None, typer.Option(help="Only these kinds (repeatable).")] = None,
    mine: Annotated[bool, typer.Option(help="Only my own documents.")] = False,
    as_user: AsUser = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Search what a user may read (keyword and semantic, fused)."""
    c = container()
    who = _who(c, as_user)
    c.repair()
    filters = SearchFilters(
        kinds=tuple(parse_enum(Kind, x, "kind") for x in kind or ()), only_mine=mine
    )
    hits = c.service.search(who, query, k=k, filters=filters)
    if as_json:
        rows = [
            {
                "source_id": h.source_id,
                "document_id": h.document_id,
                "chunk_id": h.chunk_id,
                "score": h.score,
                "kind": h.kind,
                "title": h.title,
                "snippet": h.snippet,
            }
            for h in hits
        ]
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if not hits:
        out.print("No results. Try other words, or check what you may read with `playbook stats`.")
    for i, h in enumerate(hits, 1):
        out.print(
            f"[bold]{i}. {h.title}[/bold]  [dim]{h.kind} · {h.source_id} · {h.score:.4f}[/dim]",
            highlight=False,
        )
        out.print(f"   {h.snippet}", highlight=False)


@app.command()
@friendly
def reindex() -> None:
    """Drop both indexes and rebuild them from the system of record."""
    c = container()
    total = c.records.stats()["documents"]
    with Progress(
        TextColumn("[bold]reindexing"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=total)
        report = c.pipeline.reindex(progress=lambda n: bar.update(task, advance=n))
    out.print(
        f"Reindexed {report.indexed_documents} documents ({report.indexed_chunks} chunks); "
        f"purged {report.purged_documents} deleted."
    )


@app.command()
@friendly
def stats(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Counts of users, documents, chunks and what is waiting to be indexed."""
    c = container()
    s = c.records.stats()
    s["vector_index_chunks"] = c.vectors.count()
    s["keyword_index_chunks"] = c.keywords.count()
    if as_json:
        sys.stdout.write(json.dumps(s, indent=2, sort_keys=True) + "\n")
        return
    table = Table(title="Living Playbook", show_header=False)
    for key, value in s.items():
        shown = (
            ", ".join(f"{k}: {v}" for k, v in sorted(value.items()))
            if isinstance(value, dict)
            else str(value)
        )
        table.add_row(key.replace("_", " "), shown or "0")
    out.print(table)


@app.command()
@friendly
def export(
    as_user: AsUser = None,
    output: Annotated[
        Path | None, typer.Option("--out", help="File to write (default: standard output).")
    ] = None,
) -> None:
    """Export, as JSON lines, the redacted documents a user may read (re-importable)."""
    c = container()
    who = _who(c, as_user)
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
    err.print(f"Exported {n} documents.")


@app.command()
@friendly
def delete(
    document_id: Annotated[str, typer.Argument(help="Id of one of your documents.")],
    as_user: AsUser = None,
) -> None:
    """Delete one of your documents from the store and both indexes."""
    c = container()
    c.service.delete(_who(c, as_user), document_id)
    out.print(f"Deleted {document_id}.")


@app.command()
@friendly
def init(
    demo: Annotated[
        bool, typer.Option(help="Seed demo users and demo content (first run only).")
    ] = False,
) -> None:
    """Create the data directory and database; with --demo, seed demo users and content."""
    c = container()
    c.records  # noqa: B018 - creating it migrates the database
    c.settings.key_bytes()
    if demo:
        from playbook.demo import seed_demo

        seeded = seed_demo(c)
        out.print("Demo content seeded." if seeded else "Demo content already present.")
    else:
        c.repair()
    out.print(f"Data directory ready: {c.settings.data_dir.resolve()}")


@users_app.command("add")
@friendly
def users_add(
    username: str,
    role: Annotated[
        list[str] | None, typer.Option(help="leader, participant, coordinator, admin (repeatable).")
    ] = None,
    programme: Annotated[str, typer.Option(help="Programme the roles apply to.")] = "default",
    name: Annotated[str | None, typer.Option(help="Display name.")] = None,
) -> None:
    """Add a user."""
    roles = [parse_enum(Role, r, "role") for r in role or ["leader"]]
    info = container().records.add_user(username, name, roles, programme)
    out.print(f"Added {info.username} ({', '.join(r.value for r in roles)} in {programme}).")


@users_app.command("list")
@friendly
def users_list() -> None:
    """List users and their roles."""
    table = Table("user", "name", "roles")
    for u in container().records.users():
        roles = "; ".join(f"{p}: {', '.join(r.value for r in rs)}" for p, rs in u.roles.items())
        table.add_row(u.username, u.display_name, roles)
    out.print(table)


@users_app.command("set-role")
@friendly
def users_set_role(
    username: str,
    role: Annotated[
        list[str], typer.Option(help="The user's roles in the programme (repeatable).")
    ],
    programme: Annotated[str, typer.Option(help="Programme the roles apply to.")] = "default",
) -> None:
    """Replace a user's roles in a programme."""
    roles = [parse_enum(Role, r, "role") for r in role]
    container().records.set_roles(username, roles, programme)
    out.print(f"{username} now holds {', '.join(r.value for r in roles)} in {programme}.")


if __name__ == "__main__":
    app()
