"""`playbook entries`: playbook entries promoted, listed, moved through review, verified
and their history."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from playbook.cli.common import AsUser, acting, container, err, friendly, out
from playbook.models import EntryStatus, parse_enum

entries_app = typer.Typer(
    help="Playbook entries: promote, list, move through review, verify, history.",
    no_args_is_help=True,
)


@entries_app.command("list")
@friendly
def entries_list(
    status: Annotated[list[str] | None, typer.Option(help="Only these states.")] = None,
    as_user: AsUser = None,
    as_json_out: Annotated[bool, typer.Option("--json", help="Print JSON lines.")] = False,
) -> None:
    """Entries of the programmes you coordinate (published ones of yours otherwise)."""
    c = container()
    who = acting(c, as_user)
    states = [parse_enum(EntryStatus, s, "status") for s in status or ()]
    for e in c.curation.listing(who, states):
        if as_json_out:
            from playbook.services.curation import as_json

            sys.stdout.write(as_json(e) + "\n")
        else:
            due = f" · review by {e.review_due}" if e.review_due else ""
            out.print(
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
    c = container()
    who = acting(c, as_user)
    wait = c.limiter.wait_for(who.user_id) if c.llm is not None else None
    entry, mode = c.curation.promote(who, document_ids)
    if wait is not None:
        err.print(c.limiter.message(wait).capitalize() + ".", markup=False)
    out.print(f"Drafted {entry.entry_id} ({mode}): {entry.content.title}", markup=False)


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
    c = container()
    who = acting(c, as_user)
    e = c.curation.act(who, entry_id, c.curation.current_version(entry_id), action, note)
    due = f", review by {e.review_due}" if e.review_due else ""
    out.print(f"{entry_id} is now {e.status.value} (version {e.version}{due})", markup=False)


@entries_app.command("verify")
@friendly
def entries_verify(entry_id: str, note: str = "", as_user: AsUser = None) -> None:
    """Confirm a published entry still holds; its review date moves on."""
    c = container()
    who = acting(c, as_user)
    e = c.curation.verify(who, entry_id, c.curation.current_version(entry_id), note)
    out.print(f"Verified; next review by {e.review_due}", markup=False)


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
    c = container()
    who = acting(c, as_user)
    if diff:
        out.print(c.curation.diff(who, entry_id, diff[0], diff[1]) or "(no change)", markup=False)
        return
    versions = c.curation.versions(who, entry_id)
    names = c.administration.usernames({v.author_id for v in versions})
    for v in versions:
        out.print(
            f"v{v.number}  {v.created_at:%Y-%m-%d %H:%M}  {names.get(v.author_id, '?')}  {v.note}",
            markup=False,
        )
