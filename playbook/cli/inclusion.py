"""`playbook inclusion`: the attributes a programme asks for (configured by a coordinator),
your own declarations with consent and their withdrawal, and the inclusion audit as
aggregates only (small groups withheld; whole ended quarters)."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from playbook.cli.common import AsUser, acting, container, friendly, out, term
from playbook.services.health.figures import Table
from playbook.services.health.inclusion.config import parse_spec, standing_note

inclusion_app = typer.Typer(
    help="Inclusion audit: attributes, your declarations, aggregates.", no_args_is_help=True
)
Programme = Annotated[str, typer.Option(help="Programme slug (default: your only one).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _say(text: str) -> None:
    # Labels and values are data: no markup, no terminal escapes.
    out.print(term(text), highlight=False)


def _cell(value: object) -> str:
    return "—" if value is None else str(value)


def _table(t: Table) -> None:
    _say(t.title)
    _say(f"  period: {t.period}; population: {t.population}")
    _say("  " + " | ".join(t.columns))
    for row in t.rows:
        _say("  " + " | ".join(_cell(v) for v in row))
    if t.note:
        _say(f"  ({t.note})")


@inclusion_app.command("attributes")
@friendly
def inclusion_attributes(
    programme: Programme = "", as_json: AsJson = False, as_user: AsUser = None
) -> None:
    """What the programme asks for, and the consent text you would agree to."""
    c = container()
    who = acting(c, as_user)
    pid = c.inclusion.programme(who, programme)
    specs = c.inclusion.attributes(who, pid)
    if as_json:
        data = {
            "attributes": [
                {"name": s.name, "label": s.label, "values": list(s.values)} for s in specs
            ],
            "consent": c.inclusion.consent_text(),
        }
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    for s in specs:
        _say(f"{s.name} ({s.label}): {', '.join(s.values) if s.values else 'free choice'}")
    _say(f"Consent: {c.inclusion.consent_text()}")


@inclusion_app.command("configure")
@friendly
def inclusion_configure(
    attribute: Annotated[
        list[str],
        typer.Option(help="NAME[:Label][=value,value,...], one per attribute (no values: free)."),
    ],
    programme: Programme = "",
    as_user: AsUser = None,
) -> None:
    """Replace the attributes the programme asks for (coordinators)."""
    c = container()
    who = acting(c, as_user)
    pid = c.inclusion.programme(who, programme)
    specs, dropped = c.inclusion.configure(who, pid, [parse_spec(a) for a in attribute])
    _say(f"The programme now asks for: {', '.join(s.name for s in specs) or 'nothing'}.")
    if dropped:
        _say(f"{dropped} declaration(s) of attributes or values no longer asked were deleted.")


@inclusion_app.command("declare")
@friendly
def inclusion_declare(
    value: Annotated[list[str], typer.Option(help="NAME=VALUE, one per attribute.")],
    consent: Annotated[
        bool, typer.Option(help="Agree to the consent text (see `inclusion attributes`).")
    ] = False,
    programme: Programme = "",
    as_user: AsUser = None,
) -> None:
    """Declare values about yourself (optional; used only in aggregate)."""
    c = container()
    who = acting(c, as_user)
    pid = c.inclusion.programme(who, programme)
    values: dict[str, str] = {}
    for item in value:
        key, sep, text = item.partition("=")
        if not sep:
            raise ValueError(f"--value takes NAME=VALUE, not {item!r}")
        values[key.strip()] = text
    if not consent:
        raise ValueError(
            f"add --consent to agree to: {c.inclusion.consent_text()} (nothing was saved)"
        )
    held = c.inclusion.declare(who, pid, values, consent)
    _say(f"Saved. You have declared: {', '.join(d.attribute for d in held)}.")
    for name, more in c.inclusion.still_needed(who, pid).items():
        _say(f"{name}: {standing_note(more)}.")


@inclusion_app.command("mine")
@friendly
def inclusion_mine(
    programme: Programme = "", as_json: AsJson = False, as_user: AsUser = None
) -> None:
    """Your own declarations and the consent you gave (nobody else can see them)."""
    c = container()
    who = acting(c, as_user)
    pid = c.inclusion.programme(who, programme)
    held = c.inclusion.mine(who, pid)
    more = c.inclusion.still_needed(who, pid)
    if as_json:
        rows = [
            {
                "attribute": d.attribute,
                "value": d.value,
                "consented_at": d.consented_at.isoformat(),
                "consent": d.consent_text,
                "counted": d.counted,
                "more_needed": more.get(d.attribute),
            }
            for d in held
        ]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    if not held:
        _say("You have declared nothing.")
    for d in held:
        _say(
            f"{d.attribute}: {d.value} (consented {d.consented_at:%Y-%m-%d %H:%M} UTC; "
            f"{standing_note(more.get(d.attribute))})"
        )


@inclusion_app.command("withdraw")
@friendly
def inclusion_withdraw(
    attribute: Annotated[
        list[str] | None, typer.Option(help="Withdraw only this attribute (repeatable).")
    ] = None,
    programme: Programme = "",
    as_user: AsUser = None,
) -> None:
    """Withdraw your declarations (all, or the attributes named): they are deleted."""
    c = container()
    who = acting(c, as_user)
    gone = c.inclusion.withdraw(who, c.inclusion.programme(who, programme), attribute or None)
    _say(f"Deleted {gone} declaration(s).")


@inclusion_app.command("audit")
@friendly
def inclusion_audit(
    quarter: Annotated[
        str | None, typer.Option(help="A quarter that has ended, e.g. 2026-Q3 (default: last).")
    ] = None,
    crosstab: Annotated[
        str | None, typer.Option(help="Two attributes, A,B: members by both at once.")
    ] = None,
    programme: Programme = "",
    as_json: AsJson = False,
    as_user: AsUser = None,
) -> None:
    """The inclusion audit (coordinators, stewards, sponsors, champions): aggregates only."""
    c = container()
    who = acting(c, as_user)
    pid = c.inclusion.programme(who, programme)
    if crosstab is not None:
        first, sep, second = crosstab.partition(",")
        if not sep:
            raise ValueError(f"--crosstab takes two attributes, A,B, not {crosstab!r}")
        t = c.inclusion.crosstab(who, pid, first, second)
        if as_json:
            typer.echo(json.dumps(t.as_dict(), indent=2, ensure_ascii=False))
        else:
            _table(t)
        return
    view = c.inclusion.audit_view(who, pid, quarter)
    if as_json:
        data = {
            "quarter": view.quarter,
            "period": view.period.label,
            "members": view.members,
            "tables": [t.as_dict() for t in view.tables],
            "notes": list(view.notes),
        }
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    _say(f"Inclusion audit, {view.quarter} ({view.period.label}), {view.members} members")
    for note in view.notes:
        _say(note)
    for t in view.tables:
        _table(t)
