"""`playbook rotations`: rotations planned as programme objects (who goes where, when, on
which project), and the debrief linked once they are back."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from playbook.cli.common import AsUser, acting, container, friendly, out

rotations_app = typer.Typer(
    help="Planned rotations: plan, list, link the debrief, cancel.", no_args_is_help=True
)
Day = Annotated[dt.datetime, typer.Option(formats=["%Y-%m-%d"])]


@rotations_app.command("list")
@friendly
def rotations_list(
    mine: Annotated[bool, typer.Option(help="Only your own, not yet finished.")] = False,
    as_user: AsUser = None,
) -> None:
    """Rotations of your programmes, by start date."""
    c = container()
    who = acting(c, as_user)
    views = c.rotations.mine(who) if mine else c.rotations.listing(who)
    for v in views:
        debrief = f"  debrief: {v.debrief_title}" if v.debrief_title else ""
        out.print(f"{v.rotation.rotation_id}  {v.line()}{debrief}", highlight=False, markup=False)


@rotations_app.command("plan")
@friendly
def rotations_plan(
    person: Annotated[str, typer.Argument(help="Who rotates (username).")],
    start: Annotated[dt.datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="First day.")],
    end: Annotated[dt.datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="Last day.")],
    project: Annotated[str, typer.Option(help="The anchor project.")],
    function: Annotated[str, typer.Option(help="The host function.")] = "",
    market: Annotated[str, typer.Option(help="The host market.")] = "",
    goal: Annotated[str, typer.Option(help="The strategic goal it serves.")] = "",
    sponsor: Annotated[str | None, typer.Option(help="The host sponsor (username).")] = None,
    programme: Annotated[str, typer.Option(help="Programme slug.")] = "",
    as_user: AsUser = None,
) -> None:
    """Plan a rotation of two to four weeks (coordinators)."""
    c = container()
    who = acting(c, as_user)
    v = c.rotations.plan(
        who,
        c.rotations.programme(who, programme),
        person,
        function=function,
        market=market,
        start=start.date(),
        end=end.date(),
        anchor_project=project,
        strategic_goal=goal,
        host_sponsor=sponsor,
    )
    out.print(f"Planned {v.rotation.rotation_id}: {v.line()}", highlight=False, markup=False)


@rotations_app.command("link")
@friendly
def rotations_link(
    rotation_id: str,
    debrief_id: Annotated[str | None, typer.Argument(help="The debrief's document id.")] = None,
    as_user: AsUser = None,
) -> None:
    """Link the debrief written after a rotation (without an id: unlink it)."""
    c = container()
    who = acting(c, as_user)
    v = c.rotations.link_debrief(who, rotation_id, debrief_id)
    said = f"linked to {v.debrief_title!r}" if v.rotation.debrief_id else "has no debrief linked"
    out.print(f"{rotation_id} {said}.", highlight=False, markup=False)


@rotations_app.command("cancel")
@friendly
def rotations_cancel(rotation_id: str, as_user: AsUser = None) -> None:
    """Remove a planned rotation (coordinators)."""
    c = container()
    who = acting(c, as_user)
    c.rotations.cancel(who, rotation_id)
    out.print(f"Cancelled {rotation_id}.", highlight=False, markup=False)
