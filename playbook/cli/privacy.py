"""`playbook redact`, `playbook privacy` and `playbook roster`: redaction, personal
lists, approvals, originals and the people directory."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from playbook.cli.common import AsUser, acting, container, err, friendly, out
from playbook.permissions import Action, allows

privacy_app = typer.Typer(
    help="Redaction preview, personal deny and allow lists, approvals, originals.",
    no_args_is_help=True,
)
roster_app = typer.Typer(
    help="The people directory redaction always catches.", no_args_is_help=True
)


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
    policy = c.privacy.policy(acting(c, as_user).user_id, shared=True) if as_user else None

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
    who = acting(c, as_user)
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
    who = acting(c, as_user)
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
    who = acting(c, as_user)
    t = c.privacy.add_term(who.user_id, "allow", term)
    note = "" if t.approved else " Shared content keeps it redacted until a coordinator approves."
    out.print(f"Added to your allow-list for private content.{note}")


@privacy_app.command("terms")
@friendly
def privacy_terms(as_user: AsUser = None) -> None:
    """List your deny and allow terms."""
    c = container()
    who = acting(c, as_user)
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
    who = acting(c, as_user)
    table = Table("id", "term", "from")
    pending = c.privacy.pending_terms(who)
    names = c.administration.usernames(t.user_id for t in pending if t.user_id)
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
    who = acting(c, as_user)
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
    who = acting(c, as_user)
    out.print(c.privacy.original(who, document_id), highlight=False, markup=False)


@roster_app.command("import")
@friendly
def roster_import(
    path: Annotated[Path, typer.Argument(help="CSV with a header: name, email.")],
    as_user: AsUser = None,
) -> None:
    """Replace the people directory (admins). A bad file changes nothing."""
    from playbook.pseudonyms import Roster

    c = container()
    who = acting(c, as_user)
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
    who = acting(c, as_user)
    roster = c.privacy.roster()
    out.print(f"{len(roster.people)} people on the roster.")
    if allows(who, Action.MANAGE_PRIVACY):
        for p in roster.people:
            out.print(f"  {p.full_name}  {p.email}", highlight=False, markup=False)
