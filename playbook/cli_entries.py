"""`playbook entries`, `playbook handoff` and `playbook showcase`: curation from the shell."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer

from playbook import cli
from playbook.cli import AsUser, friendly
from playbook.models import EntryStatus, parse_enum
from playbook.permissions import Action, check, programmes
from playbook.services.curation import as_json
from playbook.services.handoff import Pack, handoff_pack, showcase, to_markdown, to_pdf
from playbook.wiring import Container

entries_app = typer.Typer(
    help="Playbook entries: promote, list, move through review, verify, history.",
    no_args_is_help=True,
)

Format = Annotated[str, typer.Option("--format", help="md or pdf.")]
Out = Annotated[
    Path | None, typer.Option("--out", help="Write here (default: Markdown to standard output).")
]


@entries_app.command("list")
@friendly
def entries_list(
    status: Annotated[list[str] | None, typer.Option(help="Only these states.")] = None,
    as_user: AsUser = None,
    as_json_out: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """Entries of the programmes you coordinate (published ones of yours otherwise)."""
    c = cli.container()
    who = cli._principal(c, as_user)
    states = [parse_enum(EntryStatus, s, "status") for s in status or ()]
    mine = programmes(who, Action.CURATE)
    rows = c.curation.entries.listing(mine, states)
    if not mine:
        rows = c.curation.entries.listing(who.programme_ids, [EntryStatus.PUBLISHED])
    for e in rows:
        if as_json_out:
            sys.stdout.write(as_json(e) + "\n")
        else:
            due = f" · review by {e.review_due}" if e.review_due else ""
            cli.out.print(
                f"{e.entry_id}  [{e.status.value}] v{e.version}{due}  {e.content.title}",
                highlight=False,
                markup=False,
            )


@entries_app.command("promote")
@friendly
def entries_promote(
    document_ids: Annotated[list[str], typer.Argument(help="Shared items (document ids).")],
    as_user: AsUser = None,
) -> None:
    """Draft an entry from shared items (with a model when one is configured)."""
    c = cli.container()
    who = cli._principal(c, as_user)
    wait = c.limiter.wait_for(who.user_id) if c.llm is not None else None
    entry, mode = c.curation.promote(who, document_ids)
    if wait is not None:
        cli.err.print(c.limiter.message(wait).capitalize() + ".", markup=False)
    cli.out.print(f"Drafted {entry.entry_id} ({mode}): {entry.content.title}", markup=False)


@entries_app.command("act")
@friendly
def entries_act(
    entry_id: str,
    action: Annotated[
        str, typer.Argument(help="submit, return, publish, revise, archive, restore")
    ],
    note: Annotated[str, typer.Option(help="Why, for the history.")] = "",
    as_user: AsUser = None,
) -> None:
    """Move an entry through its lifecycle."""
    c = cli.container()
    who = cli._principal(c, as_user)
    current = c.curation.entries.get(entry_id)
    e = c.curation.act(who, entry_id, current.version, action, note)
    due = f", review by {e.review_due}" if e.review_due else ""
    cli.out.print(f"{entry_id} is now {e.status.value} (version {e.version}{due})", markup=False)


@entries_app.command("verify")
@friendly
def entries_verify(entry_id: str, note: str = "", as_user: AsUser = None) -> None:
    """Confirm a published entry still holds; its review date moves on."""
    c = cli.container()
    who = cli._principal(c, as_user)
    current = c.curation.entries.get(entry_id)
    e = c.curation.verify(who, entry_id, current.version, note)
    cli.out.print(f"Verified; next review by {e.review_due}", markup=False)


@entries_app.command("history")
@friendly
def entries_history(
    entry_id: str,
    diff: Annotated[
        tuple[int, int] | None, typer.Option(help="Show the changes between two versions.")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Versions of an entry (who, when, why), or a diff between two."""
    c = cli.container()
    who = cli._principal(c, as_user)
    if diff:
        cli.out.print(
            c.curation.diff(who, entry_id, diff[0], diff[1]) or "(no change)", markup=False
        )
        return
    c.curation.readable(who, entry_id)
    names = c.records.usernames({v.author_id for v in c.curation.entries.versions(entry_id)})
    for v in c.curation.entries.versions(entry_id):
        cli.out.print(
            f"v{v.number}  {v.created_at:%Y-%m-%d %H:%M}  {names.get(v.author_id, '?')}  {v.note}",
            markup=False,
        )


def _write(c: Container, pack: Pack, fmt: str, out: Path | None, who: str) -> None:
    if fmt not in {"md", "pdf"}:
        raise ValueError(f"--format should be md or pdf, not {fmt!r}")
    if fmt == "pdf" and out is None:
        raise ValueError("a PDF needs --out FILE")
    c.audit.record(who, "export", pack.title, fmt)
    if out is None:
        sys.stdout.write(to_markdown(pack))
        return
    data = to_pdf(pack) if fmt == "pdf" else to_markdown(pack).encode("utf-8")
    out.write_bytes(data)
    cli.err.print(f"Wrote {out} ({pack.subtitle}).", highlight=False, markup=False)


@friendly
def handoff(
    function: Annotated[str | None, typer.Option(help="The function handed over.")] = None,
    market: Annotated[str | None, typer.Option(help="The market handed over.")] = None,
    tag: Annotated[str | None, typer.Option(help="A role or track, by tag.")] = None,
    fmt: Format = "md",
    out: Out = None,
    as_user: AsUser = None,
) -> None:
    """A successor's handoff pack: entries, approved debriefs and open questions."""
    c = cli.container()
    who = cli._principal(c, as_user)
    pack = handoff_pack(c.curation.entries, c.records, who, function, market, tag)
    _write(c, pack, fmt, out, who.username)


@friendly
def showcase_cmd(
    start: Annotated[dt.datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="First day.")],
    end: Annotated[dt.datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="Last day.")],
    fmt: Format = "md",
    out: Out = None,
    as_user: AsUser = None,
) -> None:
    """Entries published in a period, grouped by theme, with counts."""
    c = cli.container()
    who = cli._principal(c, as_user)
    pack = showcase(c.curation.entries, c.records, who, start.date(), end.date())
    _write(c, pack, fmt, out, who.username)


@friendly
def users_passwd(
    username: str,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Set a user's password (asked twice, or read from standard input)."""
    c = cli.container()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    c.accounts.set_password(username.strip().lower(), password, actor="cli")
    cli.out.print(f"Password set for {username}.", markup=False)


@friendly
def users_link_sso(
    username: str,
    email: Annotated[
        str | None, typer.Argument(help="The e-mail the provider vouches for.")
    ] = None,
    unlink: Annotated[bool, typer.Option(help="Remove the link instead.")] = False,
) -> None:
    """Link a user to their single sign-on identity (an e-mail), or --unlink it."""
    if not unlink and not email:
        raise ValueError("give the e-mail to link, or --unlink")
    c = cli.container()
    c.accounts.link_sso(username.strip().lower(), None if unlink else email, actor="cli")
    cli.out.print(f"{'Unlinked' if unlink else 'Linked'} {username}.", markup=False)


@friendly
def audit_export(
    out: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
    action: Annotated[str | None, typer.Option(help="Only this action.")] = None,
    as_user: AsUser = None,
) -> None:
    """Export the audit log as CSV for an auditor (admins only)."""
    c = cli.container()
    who = cli._principal(c, as_user)
    check(who, Action.VIEW_AUDIT)
    events = c.audit.events(action=action, limit=1_000_000)
    out.write_text(c.audit.to_csv(events), encoding="utf-8")
    c.audit.record(who.username, "audit exported", str(out.name), f"{len(events)} lines")
    cli.err.print(f"Wrote {len(events)} lines to {out}.", markup=False)


def register(app: typer.Typer) -> None:
    """Add these commands to the `playbook` app."""
    app.add_typer(entries_app, name="entries")
    cli.users_app.command("passwd")(users_passwd)
    cli.users_app.command("link-sso")(users_link_sso)
    audit_app = typer.Typer(help="The append-only audit log.", no_args_is_help=True)
    audit_app.command("export")(audit_export)
    app.add_typer(audit_app, name="audit")
    app.command("handoff")(handoff)
    app.command("showcase")(showcase_cmd)
