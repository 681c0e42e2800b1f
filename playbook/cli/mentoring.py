"""`playbook mentoring`: the mentoring programme from the command line: import profiles,
explained suggestions, proposing, approving and accepting pairings, sessions against the
commitment, touchpoints and their calendar (``.ics``). User text is printed as plain text."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from playbook.cli.common import AsUser, acting, container, friendly, out, term
from playbook.models import parse_enum
from playbook.ports.mentoring import Cycle, ProfileRole

mentoring_app = typer.Typer(
    help="The mentoring programme: profiles, matching, pairings, sessions, calendar.",
    no_args_is_help=True,
)

Programme = Annotated[
    str, typer.Option("--programme", help="Programme slug (default: your only one).")
]
RoleOption = Annotated[str, typer.Option("--role", help="mentor, reverse_mentor or advisor.")]


def _say(text: str) -> None:
    out.print(term(text), highlight=False, soft_wrap=True)


def _day(value: str, what: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"{what} must be a date like 2026-03-31, not {value!r}") from None


@mentoring_app.command("import-profiles")
@friendly
def import_profiles(
    file: Annotated[Path, typer.Argument(help="A CSV file (see the README for its columns).")],
    programme: Programme = "",
    as_user: AsUser = None,
) -> None:
    """Import mentor, reverse-mentor, advisor and mentee profiles (all rows or none)."""
    c = container()
    who = acting(c, as_user)
    if not file.is_file():
        raise ValueError(f"no file {str(file)!r}")
    m = c.mentoring
    report = m.import_profiles(who, m.slug_for(who, programme), file.read_bytes())
    if report.errors:
        for error in report.errors:
            out.print(f"[red]✗[/red] {term(error)}", highlight=False)
        _say("Nothing was imported: fix these rows and import the file again.")
        raise typer.Exit(1)
    _say(f"Imported {report.saved} profiles.")


@mentoring_app.command("profiles")
@friendly
def profiles(role: str = "", programme: Programme = "", as_user: AsUser = None) -> None:
    """The programme's profiles."""
    c = container()
    who = acting(c, as_user)
    wanted = parse_enum(ProfileRole, role, "role") if role else None
    for v in c.mentoring.list_profiles(who, c.mentoring.slug_for(who, programme), wanted):
        p = v.profile
        known = ", ".join(p.functions + p.markets) or "-"
        _say(f"{v.username}  {p.role.value}  seniority {p.seniority}  capacity {p.capacity}")
        _say(f"    expertise: {p.expertise or '-'}  knows: {known}  style: {p.style or '-'}")
        for o in p.objectives:
            _say(
                f"    objective {o.objective_id}: {o.text}"
                + (f" (goal: {o.goal})" if o.goal else "")
            )


@mentoring_app.command("suggest")
@friendly
def suggest(
    mentee: Annotated[str, typer.Argument(help="The mentee's username.")],
    role: RoleOption = "mentor",
    limit: int = 5,
    programme: Programme = "",
    as_user: AsUser = None,
) -> None:
    """Ranked suggestions for a mentee, with the reasons, and who was left out and why."""
    c = container()
    who = acting(c, as_user)
    m = c.mentoring
    report = m.suggest(
        who, m.slug_for(who, programme), mentee, parse_enum(ProfileRole, role, "role"), limit
    )
    if not report.suggestions:
        _say("No suggestion: every giver of that role is ruled out (see below).")
    for rank, s in enumerate(report.suggestions, start=1):
        _say(f"{rank}. {report.names.get(s.mentor_id, '?')}  score {s.score:.2f}")
        for reason in s.reasons:
            _say(f"     - {reason}")
    for e in report.excluded:
        _say(f"not suggested: {report.names.get(e.mentor_id, '?')}: {e.reason}")


@mentoring_app.command("balance")
@friendly
def balance(programme: Programme = "", as_user: AsUser = None) -> None:
    """How concentrated recent suggestions are on a few givers."""
    c = container()
    who = acting(c, as_user)
    report = c.mentoring.balance(who, c.mentoring.slug_for(who, programme))
    names = c.mentoring.names([g for g, _, _ in report.counts])
    flag = "CONCENTRATED" if report.concentrated else "spread"
    _say(f"{report.suggestions} suggestions over {report.givers} givers in 90 days: {flag}")
    _say(f"the busiest fifth holds {report.top_share:.0%} of them")
    for giver, times, load in report.counts:
        _say(f"  {names.get(giver, '?')}: suggested {times}×, {load} open pairings")


@mentoring_app.command("propose")
@friendly
def propose(
    mentor: Annotated[str, typer.Argument(help="The mentor's (or advisor's) username.")],
    mentee: Annotated[str, typer.Argument(help="The mentee's username.")],
    role: RoleOption = "mentor",
    sessions: Annotated[int, typer.Option(help="Minimum sessions per quarter.")] = 2,
    programme: Programme = "",
    as_user: AsUser = None,
) -> None:
    """Propose a pairing (coordinators and stewards)."""
    c = container()
    who = acting(c, as_user)
    m = c.mentoring
    pid = m.propose(
        who,
        m.slug_for(who, programme),
        mentor,
        mentee,
        parse_enum(ProfileRole, role, "role"),
        sessions,
    )
    _say(f"Proposed pairing {pid}: a coordinator or steward approves it, then both accept.")


def _move(verb: str, pairing: str, as_user: str | None, reason: str = "") -> None:
    c = container()
    who = acting(c, as_user)
    m = c.mentoring
    moves = {"approve": m.approve, "accept": m.accept, "decline": m.decline}
    p = m.end(who, pairing, reason) if verb == "end" else moves[verb](who, pairing)
    _say(f"Pairing {p.pairing_id} is {p.state.value}.")


Pairing = Annotated[str, typer.Argument(help="The pairing's id.")]


@mentoring_app.command("approve")
@friendly
def approve(pairing: Pairing, as_user: AsUser = None) -> None:
    """Approve a proposed pairing (coordinators and stewards)."""
    _move("approve", pairing, as_user)


@mentoring_app.command("accept")
@friendly
def accept(pairing: Pairing, as_user: AsUser = None) -> None:
    """Accept an approved pairing you are in (both accept: it is active)."""
    _move("accept", pairing, as_user)


@mentoring_app.command("decline")
@friendly
def decline(pairing: Pairing, as_user: AsUser = None) -> None:
    """Decline a pairing you are in, before it is active."""
    _move("decline", pairing, as_user)


@mentoring_app.command("end")
@friendly
def end(
    pairing: Pairing,
    reason: Annotated[str, typer.Option(help="A private reason (a rematch).")] = "",
    as_user: AsUser = None,
) -> None:
    """End a pairing; a reason is kept privately (you and the coordinators)."""
    _move("end", pairing, as_user, reason)


@mentoring_app.command("reasons")
@friendly
def reasons(pairing: Pairing, as_user: AsUser = None) -> None:
    """The private reasons you may read for a pairing (each read is audited)."""
    c = container()
    found = c.mentoring.reasons(acting(c, as_user), pairing)
    names = c.mentoring.names([r.author_id for r in found])
    for r in found:
        _say(f"{r.created_at:%Y-%m-%d} {names.get(r.author_id, '?')}: {r.text}")
    if not found:
        _say("No reason you may read.")


@mentoring_app.command("pairings")
@friendly
def pairings(mine: bool = False, programme: Programme = "", as_user: AsUser = None) -> None:
    """Pairings with their sessions against the commitment."""
    c = container()
    who = acting(c, as_user)
    views = c.mentoring.pairings(who, c.mentoring.slug_for(who, programme), mine)
    for v in views:
        p = v.pairing
        _say(
            f"{p.pairing_id}  {v.mentor} → {v.mentee} ({p.role.value})  {p.state.value}  "
            f"sessions: {v.progress.label}"
        )
    if not views:
        _say("No pairings yet.")


@mentoring_app.command("log-session")
@friendly
def log_session(
    pairing: Pairing,
    on: Annotated[str, typer.Option(help="When it was held (YYYY-MM-DD; default today).")] = "",
    note: Annotated[str, typer.Option(help="A session-note document id to link.")] = "",
    as_user: AsUser = None,
) -> None:
    """Log a session an active pairing held."""
    c = container()
    day = _day(on, "--on") if on else dt.date.today()
    c.mentoring.log_session(acting(c, as_user), pairing, day, note or None)
    _say(f"Logged the session of {day.isoformat()}.")


@mentoring_app.command("touchpoint")
@friendly
def touchpoint(
    pairing: Pairing,
    day: Annotated[str, typer.Argument(help="The day (YYYY-MM-DD).")],
    cycle: Annotated[
        str, typer.Argument(help="product_launch, market_review, talent_review, other.")
    ],
    title: str = "",
    as_user: AsUser = None,
) -> None:
    """Plan a touchpoint against a business cycle."""
    c = container()
    when = _day(day, "the day")
    c.mentoring.plan_touchpoint(
        acting(c, as_user), pairing, when, parse_enum(Cycle, cycle, "cycle"), title
    )
    _say(f"Planned a {cycle} touchpoint on {when.isoformat()}.")


@mentoring_app.command("calendar")
@friendly
def calendar(
    output: Annotated[Path, typer.Option("--output", "-o", help="Where to write the .ics.")] = Path(
        "mentoring.ics"
    ),
    programme: Programme = "",
    as_user: AsUser = None,
) -> None:
    """Write the planned touchpoints as an iCalendar (.ics) file."""
    c = container()
    who = acting(c, as_user)
    text = c.mentoring.calendar(who, c.mentoring.slug_for(who, programme))
    output.write_bytes(text.encode("utf-8"))
    _say(f"Wrote {text.count('BEGIN:VEVENT')} touchpoints to {output}.")
