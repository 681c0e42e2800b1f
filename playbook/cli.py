"""The `playbook` command line."""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from ingest.loaders import CsvOptions
from playbook.failures import explain
from playbook.models import (
    EntryStatus,
    Kind,
    Principal,
    Role,
    SearchFilters,
    Visibility,
    parse_enum,
)
from playbook.permissions import Action, Target, allows, decide, matrix_markdown
from playbook.pseudonyms import RedactionError as RedactionFailed
from playbook.services.documents import ImportOptions
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
privacy_app = typer.Typer(
    help="Redaction preview, personal deny and allow lists, approvals, originals.",
    no_args_is_help=True,
)
app.add_typer(privacy_app, name="privacy")
roster_app = typer.Typer(
    help="The people directory redaction always catches.", no_args_is_help=True
)
app.add_typer(roster_app, name="roster")
keys_app = typer.Typer(help="Encryption keys: create, rotate, retire.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")

out = Console()
err = Console(stderr=True, soft_wrap=True)
F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger(__name__)
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def term(text: str) -> str:
    """User text for the terminal: Rich markup escaped, control characters (and so terminal
    escape sequences: hyperlinks, colours, cursor moves) dropped."""
    return escape(_CONTROL.sub("", text))


def friendly(fn: F) -> F:
    """Turn errors a user can meet into one clear line and a non-zero exit, not a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except typer.Exit:
            raise
        except (ValueError, LookupError, RedactionFailed) as exc:
            err.print(f"[red]Error:[/red] {term(str(exc))}", highlight=False)
            raise typer.Exit(1) from None
        except Exception as exc:  # an operational failure: a sentence, never a traceback
            log.debug("command failed", exc_info=True)
            sentence = explain(exc, _data_dir()) or (
                f"the command failed unexpectedly ({type(exc).__name__}); nothing committed "
                "was lost. Run it again, and report it if it keeps failing"
            )
            err.print(f"[red]Error:[/red] {term(sentence[0].upper() + sentence[1:])}.")
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _data_dir() -> str:
    try:
        return str(Settings().data_dir.resolve())
    except Exception:  # settings that cannot even be read: say so generically
        return "the data directory"


def container() -> Container:
    """The adapters for this process, from the environment's settings."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return Container(Settings())


def _principal(c: Container, as_user: str | None) -> Principal:
    """Who is acting (``--as`` or PLAYBOOK_USER), looked up once; a deactivated account is
    refused."""
    who = as_user or c.settings.user
    if not who:
        raise ValueError(
            "say who is acting: --as USER (or set PLAYBOOK_USER); "
            "results depend on what that user may read"
        )
    principal = c.records.principal(who)
    if not principal.active:
        raise PermissionError(f"the account {who!r} is deactivated; ask an admin")
    return principal


def _who(c: Container, as_user: str | None) -> str:
    return _principal(c, as_user).username


@contextmanager
def _bar(label: str, total: int) -> Iterator[Callable[[int], None]]:
    """A progress bar on stderr; yields the function that advances it."""
    with Progress(
        TextColumn(f"[bold]{label}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=err,
        transient=True,
    ) as bar:
        task = bar.add_task("", total=total)
        yield lambda n: bar.update(task, advance=n)


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
    c = container()
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


@app.command()
@friendly
def redact(
    jsonl: Annotated[
        bool, typer.Option(help='Lines of {"id", "text"} in, {"id", "text", "entities"} out.')
    ] = False,
    as_user: Annotated[
        str | None, typer.Option("--as", help="Also apply this user's deny and allow lists.")
    ] = None,
) -> None:
    """Redact personal data from standard input (the same engine the import uses)."""
    c = container()
    engine = c.redactor
    # The acting account is checked like everywhere else: a deactivated one is refused.
    policy = c.privacy.policy(_principal(c, as_user).user_id, shared=True) if as_user else None

    class _Redactor:
        def redact_batch(self, texts: list[str]) -> Any:
            return engine.redact_batch(texts, policy)

    redactor = _Redactor()
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
    who = _who(c, as_user)
    c.repair()
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
    hits = c.service.search(who, query, k=k, filters=filters)
    if as_json:
        rows = [
            {
                "source_id": h.source_id,
                "source": h.source_label,
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
            f"[bold]{i}. {term(h.title)}[/bold]  "
            f"[dim]{h.kind} · {term(h.source_label or h.source_id)} · {h.score:.4f}[/dim]",
            highlight=False,
        )
        out.print(f"   {term(h.snippet)}", highlight=False)


@app.command()
@friendly
def ask(
    question: Annotated[str, typer.Argument(help="A question about the playbook.")],
    as_user: AsUser = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Answer a question from what you may read, with numbered citations."""
    c = container()
    answer = c.assistant.ask(_principal(c, as_user), question)
    today = dt.date.today()
    passages = [
        {
            "n": n,
            "title": h.title,
            "document_id": h.document_id,
            "text": h.text,
            "review_due": h.review_due.isoformat() if h.review_due else None,
            "past_review": h.past_review(today),
        }
        for n, h in enumerate(answer.passages, start=1)
    ]
    if as_json:
        payload = {
            "answer": answer.text,
            "grounded": answer.grounded,
            "mode": answer.mode,
            "note": answer.note,
            "citations" if answer.grounded else "nearest": passages,
        }
        out.print_json(json.dumps(payload))
        return
    if answer.note:
        err.print(answer.note)
    out.print(answer.text, highlight=False, markup=False)
    out.print("\nSources:" if answer.grounded else "\nNearest items:")
    for p in passages:
        flag = f"  (past its review date, {p['review_due']})" if p["past_review"] else ""
        out.print(f"  [{p['n']}] {p['title']}{flag}", highlight=False, markup=False)


@app.command()
@friendly
def reindex(
    re_redact: Annotated[
        bool,
        typer.Option(
            "--re-redact",
            help="First redact every document again from its encrypted original with today's "
            "engine, roster and lists (after a roster upload).",
        ),
    ] = False,
) -> None:
    """Drop both indexes and rebuild them from the system of record."""
    c = container()
    total = c.records.stats()["documents"]
    if re_redact:
        with _bar("re-redacting", total) as advance:
            changed = c.pipeline.reredact(c.keyring.decrypt, progress=advance)
        out.print(f"Re-redacted {total} document(s); {changed} changed.")
    with _bar("reindexing", total) as advance:
        report = c.pipeline.reindex(progress=advance)
    for event in (*getattr(c.vectors, "events", ()), *getattr(c.keywords, "events", ())):
        out.print(f"{term(event[0].upper() + event[1:])}; rebuilt from the store.", highlight=False)
    out.print(
        f"Reindexed {report.indexed_documents} documents ({report.indexed_chunks} chunks); "
        f"purged {report.purged_documents} deleted."
    )


@app.command()
@friendly
def stats(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Counts of users, documents, chunks and what is waiting to be indexed."""
    c = container()
    problems = c.index_problems()  # an index that cannot be opened is moved aside here
    s = c.records.stats()
    s["vector_index_chunks"] = c.vectors.count()
    s["keyword_index_chunks"] = c.keywords.count()
    if problems:
        # A missing, replaced or damaged index is everything pending, not "nothing pending".
        s["pending_index"] = max(s["pending_index"], s["documents"])
        s["index_problems"] = {k: f"{v}; run `playbook reindex`" for k, v in problems.items()}
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
    c.audit.record(who, "export", who, f"{n} documents")
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
    c = container()
    info = c.records.add_user(username, name, roles, programme)
    c.audit.record("cli", "user added", info.username, f"{programme}: {', '.join(sorted(roles))}")
    out.print(f"Added {info.username} ({', '.join(r.value for r in roles)} in {programme}).")


@users_app.command("list")
@friendly
def users_list() -> None:
    """List users and their roles."""
    table = Table("user", "name", "roles", "status")
    for u in container().records.users():
        roles = "; ".join(f"{p}: {', '.join(r.value for r in rs)}" for p, rs in u.roles.items())
        table.add_row(u.username, u.display_name, roles, "active" if u.active else "deactivated")
    out.print(table)


@users_app.command("matrix")
def users_matrix() -> None:
    """Print who may do what (the README's permission matrix), as Markdown."""
    sys.stdout.write(matrix_markdown() + "\n")


@users_app.command("can")
@friendly
def users_can(
    username: str,
    action: Annotated[str, typer.Argument(help="An action from `playbook users matrix`.")],
    programme: Annotated[
        str | None, typer.Option(help="In this programme (default: in any of theirs).")
    ] = None,
) -> None:
    """Say whether USER may do ACTION (and why not); exit 1 when not."""
    c = container()
    who = c.records.principal(username)
    act = parse_enum(Action, action.replace("-", " "), "action")
    target = Target.programme(c.records.programme_id(programme)) if programme else Target()
    decision = decide(who, act, target)
    if decision:
        out.print(f"yes: {who.username} may {act.value}.", markup=False)
        return
    out.print(f"no: {decision.reason}.", markup=False)
    raise typer.Exit(1)


@users_app.command("deactivate")
@friendly
def users_deactivate(
    username: str,
    undo: Annotated[bool, typer.Option("--undo", help="Reactivate instead.")] = False,
) -> None:
    """Deactivate an account: it cannot sign in and open sessions end (its writing stays)."""
    c = container()
    info = c.records.set_active(username, active=undo)
    c.audit.record("cli", "user reactivated" if undo else "user deactivated", info.username)
    out.print(f"{info.username} is {'active again' if undo else 'deactivated'}.", markup=False)


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
    c = container()
    c.records.set_roles(username, roles, programme)
    c.audit.record("cli", "roles changed", username, f"{programme}: {', '.join(sorted(roles))}")
    out.print(f"{username} now holds {', '.join(r.value for r in roles)} in {programme}.")


# -- privacy ----------------------------------------------------------------------------------


@privacy_app.command("preview")
@friendly
def privacy_preview(
    as_user: AsUser = None,
    shared: Annotated[
        bool, typer.Option(help="Preview as shared content (only approved allow terms apply).")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON with spans.")] = False,
) -> None:
    """Show what saving the draft on standard input would store: the text and each span."""
    c = container()
    who = _principal(c, as_user)
    preview = c.privacy.preview(who.user_id, sys.stdin.read(), shared=shared)
    if as_json:
        spans = [
            {
                "start": p.start,
                "end": p.end,
                "type": p.label,
                "placeholder": p.placeholder,
                "source": p.source,
            }
            for p in preview.spans
        ]
        out.print_json(json.dumps({"text": preview.redacted, "spans": spans}))
        return
    out.print(preview.redacted, highlight=False, markup=False)
    err.print(f"{len(preview.spans)} redaction(s).")


@privacy_app.command("deny")
@friendly
def privacy_deny(
    term: Annotated[str, typer.Argument(help="A name the engine missed.")],
    as_user: AsUser = None,
) -> None:
    """Always redact this term in your content (your personal deny-list)."""
    c = container()
    who = _principal(c, as_user)
    c.privacy.add_term(who.user_id, "deny", term)
    out.print("Added to your deny-list; it is redacted from your next save on.")


@privacy_app.command("allow")
@friendly
def privacy_allow(
    term: Annotated[str, typer.Argument(help="A business term wrongly redacted.")],
    as_user: AsUser = None,
) -> None:
    """Never redact this term in your private content; shared content needs a coordinator."""
    c = container()
    who = _principal(c, as_user)
    t = c.privacy.add_term(who.user_id, "allow", term)
    note = "" if t.approved else " Shared content keeps it redacted until a coordinator approves."
    out.print(f"Added to your allow-list for private content.{note}")


@privacy_app.command("terms")
@friendly
def privacy_terms(as_user: AsUser = None) -> None:
    """List your deny and allow terms."""
    c = container()
    who = _principal(c, as_user)
    table = Table("id", "list", "term", "shared content")
    for t in c.privacy.terms(who.user_id):
        status = "-" if t.kind == "deny" else ("approved" if t.approved else "awaiting approval")
        table.add_row(t.id, t.kind, t.term, status)
    out.print(table)


@privacy_app.command("pending")
@friendly
def privacy_pending(as_user: AsUser = None) -> None:
    """Allow terms awaiting your approval (coordinators)."""
    c = container()
    who = _principal(c, as_user)
    table = Table("id", "term", "from")
    pending = c.privacy.pending_terms(who)
    names = c.records.usernames(t.user_id for t in pending if t.user_id)
    for t in pending:
        table.add_row(t.id, t.term, names.get(t.user_id or "", "?"))
    out.print(table)


@privacy_app.command("approve")
@friendly
def privacy_approve(
    term_id: Annotated[str, typer.Argument(help="The id `playbook privacy pending` shows.")],
    as_user: AsUser = None,
    decline: Annotated[bool, typer.Option(help="Decline instead of approving.")] = False,
) -> None:
    """Approve (or --decline) an allow term for shared content (coordinators)."""
    c = container()
    who = _principal(c, as_user)
    t = c.privacy.decide_term(who, term_id, approve=not decline)
    out.print(f"{'Approved' if t.approved else 'Declined'}: {t.term}")


@privacy_app.command("original")
@friendly
def privacy_original(
    document_id: Annotated[str, typer.Argument(help="One of your own documents.")],
    as_user: AsUser = None,
) -> None:
    """Print the original of one of your own documents (authors only)."""
    c = container()
    who = _principal(c, as_user)
    out.print(c.privacy.original(who, document_id), highlight=False, markup=False)


# -- roster -----------------------------------------------------------------------------------


@roster_app.command("import")
@friendly
def roster_import(
    path: Annotated[Path, typer.Argument(help="CSV with a header: name, email.")],
    as_user: AsUser = None,
) -> None:
    """Replace the people directory (admins). A bad file changes nothing."""
    from playbook.pseudonyms import Roster

    c = container()
    who = _principal(c, as_user)
    text = Roster.load(path).to_csv()  # clear errors for unreadable or malformed files
    n = c.privacy.set_roster(who, text)
    out.print(
        f"Roster replaced: {n} people. New content is redacted with it; run "
        "`playbook reindex --re-redact` to apply it to what is already stored."
    )


@roster_app.command("show")
@friendly
def roster_show(as_user: AsUser = None) -> None:
    """How many people the roster holds (names only for admins)."""
    c = container()
    who = _principal(c, as_user)
    roster = c.privacy.roster()
    out.print(f"{len(roster.people)} people on the roster.")
    if allows(who, Action.MANAGE_PRIVACY):
        for p in roster.people:
            out.print(f"  {p.full_name}  {p.email}", highlight=False, markup=False)


# -- keys -------------------------------------------------------------------------------------


@keys_app.command("new")
def keys_new() -> None:
    """Print a fresh encryption key (for PLAYBOOK_ENCRYPTION_KEYS)."""
    from playbook.crypto import new_key

    out.print(new_key(), highlight=False)


@keys_app.command("status")
@friendly
def keys_status() -> None:
    """How many keys are held and how many stored values an older key still protects."""
    c = container()
    source = "environment" if c.settings.encryption_keys else str(c.settings.key_file)
    n = len(c.keyring.keys) - 1  # the last is version 0.1's derived key, read-only
    out.print(f"{n} key(s) from {source}; {c.privacy.stale_values()} value(s) under an older key.")


@keys_app.command("rotate")
@friendly
def keys_rotate() -> None:
    """Make a new key the newest and re-encrypt every stored value with it."""
    from playbook.crypto import new_key, read_key_file, write_key_file

    c = container()
    if c.settings.encryption_keys is None:
        path = c.settings.key_file
        keys = read_key_file(path) if path.exists() else []
        write_key_file(path, [new_key(), *keys])
        c.reload_keyring()
    report = c.privacy.rotate()
    out.print(f"Re-encrypted {report.reencrypted} value(s) with the newest key.")
    if c.settings.encryption_keys is None:
        out.print("Restart running apps, then run `playbook keys retire` to drop the old keys.")
    else:
        out.print(
            "When `playbook keys status` shows 0 under an older key, remove the old keys "
            "from PLAYBOOK_ENCRYPTION_KEYS."
        )


@keys_app.command("retire")
@friendly
def keys_retire() -> None:
    """Re-encrypt anything still under an old key, then keep only the newest key."""
    from playbook.crypto import write_key_file

    c = container()
    report = c.privacy.rotate()
    if report.remaining:
        raise ValueError(f"{report.remaining} value(s) could not be re-encrypted; keys kept")
    if c.settings.encryption_keys is None:
        write_key_file(c.settings.key_file, [c.keyring.keys[0]])
        c.reload_keyring()
        out.print(f"Old keys removed from {c.settings.key_file}.")
    else:
        out.print("Every value uses the newest key; remove the others from the environment.")


if __name__ == "__main__":
    app()


# Curation commands live in their own module; registered last, as it imports this one.
from playbook.cli_entries import register  # noqa: E402

register(app)
