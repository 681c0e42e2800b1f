"""`playbook users`: accounts, roles and who may do what."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from playbook.cli.common import container, friendly, out
from playbook.models import Role, parse_enum
from playbook.permissions import Action, Target, decide, matrix_markdown

users_app = typer.Typer(help="Manage users and their roles.", no_args_is_help=True)


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
    info = c.administration.add_user(None, username, roles, programme, name)
    out.print(f"Added {info.username} ({', '.join(r.value for r in roles)} in {programme}).")


@users_app.command("list")
@friendly
def users_list() -> None:
    """List users and their roles."""
    table = Table("user", "name", "roles", "status")
    for u in container().administration.users(None):
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
    who = c.administration.principal(username)
    act = parse_enum(Action, action.replace("-", " "), "action")
    target = Target.programme(c.administration.programme_id(programme)) if programme else Target()
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
    info = c.administration.set_active(None, username, active=undo)
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
    c.administration.set_roles(None, username, roles, programme)
    out.print(f"{username} now holds {', '.join(r.value for r in roles)} in {programme}.")


@users_app.command("passwd")
@friendly
def users_passwd(
    username: str,
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="Read the password from standard input.")
    ] = False,
) -> None:
    """Set a user's password (asked twice, or read from standard input)."""
    c = container()
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    c.administration.set_password(None, username.strip().lower(), password)
    out.print(f"Password set for {username}.", markup=False)


@users_app.command("link-sso")
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
    c = container()
    c.administration.link_sso(None, username.strip().lower(), None if unlink else email)
    out.print(f"{'Unlinked' if unlink else 'Linked'} {username}.", markup=False)
