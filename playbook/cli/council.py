"""`playbook council`: the advisor council's charter, members, meetings and the options it
raised, tracked to decisions their internal owners make."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer

from playbook.cli.common import AsUser, acting, container, friendly, out

council_app = typer.Typer(
    help="The advisor council: charter, members, meetings, options and decisions.",
    no_args_is_help=True,
)

Programme = Annotated[
    str, typer.Option("--programme", help="Programme slug (default: your only one).")
]


def _say(text: str) -> None:
    out.print(text, highlight=False, markup=False)


@council_app.command("show")
@friendly
def council_show(programme: Programme = "", as_user: AsUser = None) -> None:
    """The council: charter, members, meetings and options."""
    c = container()
    who = acting(c, as_user)
    view = c.council.view(who, c.council.programme(who, programme))
    if view.charter is None:
        _say("No charter yet (playbook council charter ...).")
    else:
        ch = view.charter
        _say(f"Scope: {ch.scope}\nDecision rights: {ch.decision_rights}\nCadence: {ch.cadence}")
    for m in view.members:
        state = "" if m.active else " (retired)"
        _say(f"member {m.member_id}  {view.member_label(m)}{state}  {m.affiliation}  {m.expertise}")
    for mt in view.meetings:
        notes = ", ".join(view.note_titles.get(n, n) for n in mt.note_ids) or "no notes linked"
        _say(f"meeting {mt.meeting_id}  {mt.held_on}  {mt.topic}  [{notes}]")
    for o in view.options:
        owner = view.names.get(o.owner_id, "?")
        closed = f": {o.decision}" if o.decision else ""
        _say(f"option {o.option_id}  [{o.status.value}] owner {owner}  {o.text}{closed}")


@council_app.command("charter")
@friendly
def council_charter(
    scope: Annotated[str, typer.Option(help="What the council advises on.")],
    rights: Annotated[str, typer.Option(help="Its decision rights (advice; who decides).")],
    cadence: Annotated[str, typer.Option(help="How often it meets.")],
    programme: Programme = "",
    as_user: AsUser = None,
) -> None:
    """Write the council's charter (coordinators)."""
    c = container()
    who = acting(c, as_user)
    c.council.set_charter(who, c.council.programme(who, programme), scope, rights, cadence)
    _say("Charter saved.")


@council_app.command("add-member")
@friendly
def council_add_member(
    user: Annotated[
        str | None, typer.Option("--user", help="An advisor who has an account.")
    ] = None,
    name: Annotated[str | None, typer.Option(help="An external advisor's name.")] = None,
    affiliation: Annotated[str, typer.Option(help="Where they come from.")] = "",
    expertise: Annotated[str, typer.Option(help="What they bring.")] = "",
    programme: Programme = "",
    as_user: AsUser = None,
) -> None:
    """Seat an advisor on the council (coordinators)."""
    c = container()
    who = acting(c, as_user)
    m = c.council.add_member(
        who,
        c.council.programme(who, programme),
        username=user,
        name=name,
        affiliation=affiliation,
        expertise=expertise,
    )
    _say(f"Seated {m.member_id}.")


@council_app.command("retire")
@friendly
def council_retire(member_id: str, programme: Programme = "", as_user: AsUser = None) -> None:
    """Retire a member from the council (coordinators)."""
    c = container()
    who = acting(c, as_user)
    c.council.set_member_active(who, c.council.programme(who, programme), member_id, False)
    _say(f"Retired {member_id}.")


@council_app.command("meeting")
@friendly
def council_meeting(
    held_on: Annotated[dt.datetime, typer.Option("--on", formats=["%Y-%m-%d"], help="The day.")],
    topic: Annotated[str, typer.Option(help="What it was about.")],
    note: Annotated[
        list[str] | None, typer.Option(help="A council-note document id (repeatable).")
    ] = None,
    programme: Programme = "",
    as_user: AsUser = None,
) -> None:
    """Record a council meeting and link its notes (coordinators)."""
    c = container()
    who = acting(c, as_user)
    pid = c.council.programme(who, programme)
    m = c.council.add_meeting(who, pid, held_on.date(), topic, note or [])
    _say(f"Recorded meeting {m.meeting_id} with {len(m.note_ids)} notes.")


@council_app.command("option")
@friendly
def council_option(
    text: str,
    owner: Annotated[str, typer.Option(help="The internal member who decides (username).")],
    meeting: Annotated[str | None, typer.Option(help="The meeting that raised it.")] = None,
    programme: Programme = "",
    as_user: AsUser = None,
) -> None:
    """Track an option the council raised, owned by an internal member (coordinators)."""
    c = container()
    who = acting(c, as_user)
    o = c.council.raise_option(who, c.council.programme(who, programme), text, owner, meeting)
    _say(f"Tracked option {o.option_id}; {owner} decides.")


@council_app.command("decide")
@friendly
def council_decide(
    option_id: str,
    text: Annotated[str, typer.Option("--text", help="The decision, or why it was declined.")],
    decline: Annotated[bool, typer.Option(help="Decline the option instead.")] = False,
    as_user: AsUser = None,
) -> None:
    """Decide or decline an option you own (the council advises; you decide)."""
    c = container()
    who = acting(c, as_user)
    o = c.council.decide(who, option_id, not decline, text)
    _say(f"Option {o.option_id} is {o.status.value}.")
