"""`playbook impact`: mentors' quarterly impact reports, mentees' recounts of their learning
objectives, and validations by the observers they named."""

from __future__ import annotations

from typing import Annotated

import typer

from playbook.cli.common import AsUser, acting, container, friendly, out

impact_app = typer.Typer(
    help="Impact reports, objective recounts and validations.", no_args_is_help=True
)
Quarter = Annotated[str | None, typer.Option(help="The quarter, e.g. 2026-Q4 (default: now).")]


def _say(text: str) -> None:
    out.print(text, highlight=False, markup=False)


@impact_app.command("questions")
@friendly
def impact_questions() -> None:
    """The questions of the quarterly impact report (answer them by id)."""
    for p in container().impact.prompts():
        _say(f"{p.prompt_id}: {p.text}")


@impact_app.command("report")
@friendly
def impact_report(
    answer: Annotated[
        list[str], typer.Option(help="ID=TEXT, one per question (see `impact questions`).")
    ],
    quarter: Quarter = None,
    share: Annotated[bool, typer.Option(help="Share it with the programme.")] = False,
    programme: Annotated[str, typer.Option(help="Programme slug.")] = "",
    as_user: AsUser = None,
) -> None:
    """Write your impact report for the quarter, as a mentor (saving again replaces it)."""
    c = container()
    who = acting(c, as_user)
    answers: dict[str, str] = {}
    for item in answer:
        key, sep, text = item.partition("=")
        if not sep:
            raise ValueError(f"--answer takes ID=TEXT, not {item!r}")
        answers[key.strip()] = text
    r = c.impact.save_report(
        who,
        c.impact.programme(who, programme),
        quarter or c.impact.current_quarter(),
        answers,
        share,
    )
    _say(f"Saved your {r.quarter} report ({'shared' if r.shared else 'private'}).")


@impact_app.command("reports")
@friendly
def impact_reports(quarter: Quarter = None, as_user: AsUser = None) -> None:
    """Reports you may read: your own and those shared in your programmes."""
    c = container()
    who = acting(c, as_user)
    reports = c.impact.readable_reports(who, quarter)
    names = c.impact.names([r.mentor_id for r in reports])
    for r in reports:
        _say(f"{r.quarter}  {names.get(r.mentor_id, '?')}  {'shared' if r.shared else 'private'}")
        for key, text in sorted(r.answers.items()):
            _say(f"  {key}: {text}")


@impact_app.command("objectives")
@friendly
def impact_objectives(as_user: AsUser = None) -> None:
    """Your learning objectives (recount one by its id)."""
    c = container()
    for objective_id, _programme, text in c.impact.objectives(acting(c, as_user)):
        _say(f"{objective_id}  {text}")


@impact_app.command("recount")
@friendly
def impact_recount(
    objective_id: str,
    text: Annotated[str, typer.Option(help="How what you learnt informed what you did.")],
    observer: Annotated[str, typer.Option(help="A peer who saw the outcome (username).")],
    quarter: Quarter = None,
    share: Annotated[bool, typer.Option(help="Share it with the programme.")] = False,
    as_user: AsUser = None,
) -> None:
    """Recount one of your learning objectives and name the observer who validates it."""
    c = container()
    who = acting(c, as_user)
    r = c.impact.recount(who, objective_id, text, observer, share, quarter)
    _say(f"Recounted ({r.recount_id}); {observer} is asked to validate it.")


@impact_app.command("pending")
@friendly
def impact_pending(as_user: AsUser = None) -> None:
    """Recounts that name you as observer and wait for your validation."""
    c = container()
    who = acting(c, as_user)
    pending = c.impact.to_validate(who)
    names = c.impact.names([r.mentee_id for r in pending])
    for r in pending:
        _say(f"{r.recount_id}  {names.get(r.mentee_id, '?')} on “{r.objective}”: {r.text}")


@impact_app.command("validate")
@friendly
def impact_validate(
    recount_id: str,
    statement: Annotated[str, typer.Option(help="What you saw change, in a sentence or two.")],
    as_user: AsUser = None,
) -> None:
    """Validate a recount that names you as observer (once)."""
    c = container()
    c.impact.validate(acting(c, as_user), recount_id, statement)
    _say(f"Validated {recount_id}.")
