"""`playbook tokens`: personal access tokens for the HTTP API, made, listed and revoked."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer

from playbook.cli.common import AsUser, acting, container, err, friendly, out, term

tokens_app = typer.Typer(
    help="Personal access tokens for the HTTP API: create, list, revoke.", no_args_is_help=True
)
Scope = Annotated[
    list[str] | None,
    typer.Option("--scope", help="read (search, Ask, entries, handoff) or write; repeatable."),
]


@tokens_app.command("create")
@friendly
def create(
    name: Annotated[str, typer.Option("--name", help="What will use it ('slack bot').")],
    scope: Scope = None,
    expires_days: Annotated[
        int | None, typer.Option("--expires-days", help="Days until it stops working.")
    ] = None,
    as_user: AsUser = None,
) -> None:
    """Make a token acting as a user (--as); it is printed once and never again."""
    c = container()
    who = acting(c, as_user)
    token, secret = c.tokens.create(
        who.username, name, scope or ["read"], expires_days, actor="cli"
    )
    expiry = token.expires_at.date().isoformat() if token.expires_at else "never (until revoked)"
    err.print(
        f"Token {token.token_id} '{term(token.name)}' for {who.username}, scopes "
        f"{', '.join(token.scopes)}, expires {expiry}. Store it now: it is not shown again.",
        highlight=False,
    )
    # The secret alone on standard output, so a script can capture it.
    sys.stdout.write(secret + "\n")


@tokens_app.command("list")
@friendly
def listing(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_user: AsUser = None,
) -> None:
    """A user's tokens (never their secrets): name, scopes, state, last use."""
    c = container()
    who = acting(c, as_user)
    rows: list[dict[str, Any]] = [
        {
            "id": t.token_id,
            "name": t.name,
            "scopes": list(t.scopes),
            "created_at": t.created_at.isoformat(),
            "expires_at": t.expires_at.isoformat() if t.expires_at else None,
            "last_used_at": t.last_used_at.isoformat() if t.last_used_at else None,
            "revoked_at": t.revoked_at.isoformat() if t.revoked_at else None,
        }
        for t in c.tokens.listing(who.username)
    ]
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=2) + "\n")
        return
    if not rows:
        out.print(f"{who.username} has no tokens.")
        return
    for r in rows:
        state = "revoked" if r["revoked_at"] else f"expires {r['expires_at'] or 'never'}"
        used = r["last_used_at"] or "never used"
        out.print(
            f"{r['id']}  {term(str(r['name']))}  [{', '.join(r['scopes'])}]  {state}  {used}",
            highlight=False,
        )


@tokens_app.command("revoke")
@friendly
def revoke(
    token: Annotated[str, typer.Argument(help="The token's id or name.")],
    as_user: AsUser = None,
) -> None:
    """End one of a user's tokens at once (every replica refuses it from its next use)."""
    c = container()
    who = acting(c, as_user)
    found = c.tokens.revoke(who.username, token, actor="cli")
    out.print(f"Revoked {found.token_id} '{term(found.name)}'.", highlight=False)
