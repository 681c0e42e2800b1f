"""`playbook signals`: the programme's early-warning signals (issue 21, item 1) for its
coordinators and stewards: list them with why each fired and what to do, snooze one until
a day, resolve one (with an optional note, redacted), or reopen one."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from playbook.cli.common import AsUser, acting, container, friendly, out
from playbook.services.health.signals import Board, Signal

signals_app = typer.Typer(
    help="Early-warning signals: list, snooze, resolve, reopen.", no_args_is_help=True
)
Programme = Annotated[str, typer.Option(help="Programme slug (default: your only one).")]


def _say(text: str) -> None:
    # Every line is printed as plain text: no Rich markup, so nothing in it is interpreted.
    out.print(text, highlight=False, markup=False)


def _show(s: Signal, board: Board) -> None:
    _say(f"[{s.kind.label}] {s.subject}")
    _say(f"  key: {s.key}")
    _say(f"  why: {s.why}")
    _say(f"  to do: {s.todo}")
    st = s.state
    if st is not None and s.status(board.today) != "open":
        by = board.names.get(st.by_id, "?")
        if st.until is not None and s.status(board.today) == "snoozed":
            _say(f"  snoozed by {by} until {st.until}")
        else:
            _say(f"  resolved by {by} on {st.at:%Y-%m-%d}" + (f": {st.note}" if st.note else ""))


@signals_app.command("list")
@friendly
def signals_list(
    programme: Programme = "",
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    everything: Annotated[
        bool, typer.Option("--all", help="Also list snoozed and resolved signals.")
    ] = False,
    as_user: AsUser = None,
) -> None:
    """The programme's signals today: open ones (with --all, snoozed and resolved too)."""
    c = container()
    who = acting(c, as_user)
    board = c.signals.board(who, c.signals.programme(who, programme))
    if as_json:
        typer.echo(json.dumps(board.as_dict(), indent=2, ensure_ascii=False))
        return
    parts = [("Open", board.open)]
    if everything:
        parts += [("Snoozed", board.snoozed), ("Resolved", board.resolved)]
    for title, signals in parts:
        _say(f"{title} ({len(signals)})")
        for s in signals:
            _show(s, board)
    if not everything and (board.snoozed or board.resolved):
        _say(f"({len(board.snoozed)} snoozed, {len(board.resolved)} resolved: see --all)")


@signals_app.command("snooze")
@friendly
def signals_snooze(
    key: str,
    until: Annotated[str, typer.Option(help="The day it shows again, e.g. 2026-12-31.")],
    programme: Programme = "",
    as_user: AsUser = None,
) -> None:
    """Hide a signal until a day (it shows again on that day)."""
    c = container()
    who = acting(c, as_user)
    s = c.signals.snooze(who, c.signals.programme(who, programme), key, until)
    _say(f"Snoozed until {s.state.until if s.state else until}: {s.subject}.")


@signals_app.command("resolve")
@friendly
def signals_resolve(
    key: str,
    note: Annotated[str, typer.Option(help="What was done (optional; redacted).")] = "",
    programme: Programme = "",
    as_user: AsUser = None,
) -> None:
    """Mark a signal dealt with; it comes back only if its cause fires anew."""
    c = container()
    who = acting(c, as_user)
    s = c.signals.resolve(who, c.signals.programme(who, programme), key, note)
    _say(f"Resolved: {s.subject}.")


@signals_app.command("reopen")
@friendly
def signals_reopen(key: str, programme: Programme = "", as_user: AsUser = None) -> None:
    """Show a snoozed or resolved signal again now."""
    c = container()
    who = acting(c, as_user)
    c.signals.reopen(who, c.signals.programme(who, programme), key)
    _say("Reopened.")
