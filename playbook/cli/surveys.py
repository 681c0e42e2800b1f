"""`playbook surveys`: anonymous pulse surveys. Coordinators create, publish (a re-run opens
the next round), close and read results; every member lists the open surveys and answers
each round once, without their name."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from playbook.cli.common import AsUser, acting, container, friendly, out, term
from playbook.ports.surveys import Question, QuestionKind, SurveyRound
from playbook.services.health.surveys import SurveyOverview
from playbook.services.health.surveys.tally import RoundResults

surveys_app = typer.Typer(
    help="Anonymous pulse surveys: create, publish, answer, close, results.",
    no_args_is_help=True,
)
Programme = Annotated[str, typer.Option(help="Programme slug (default: your only one).")]
AsJson = Annotated[bool, typer.Option("--json", help="Print JSON.")]
SurveyId = Annotated[str, typer.Argument(help="The survey's id (see `surveys list`).")]


def _say(text: str) -> None:
    # User text (titles, questions, answers): markup escaped, terminal controls dropped.
    out.print(term(text), highlight=False)


def parse_question(spec: str) -> Question:
    """A question from ``scale:TEXT|LOW|HIGH`` (the ends optional) or ``open:TEXT``.

    Raises:
        ValueError: The kind is missing or unknown.
    """
    kind, sep, rest = spec.partition(":")
    kinds = {k.value: k for k in QuestionKind}
    if not sep or kind.strip().lower() not in kinds:
        raise ValueError(f"--question takes scale:TEXT|LOW|HIGH or open:TEXT, not {spec[:40]!r}")
    if kinds[kind.strip().lower()] is QuestionKind.OPEN:
        return Question(QuestionKind.OPEN, rest)
    text, _, ends = rest.partition("|")
    low, _, high = ends.partition("|")
    return Question(QuestionKind.SCALE, text, low, high)


def parse_answers(items: list[str]) -> dict[int, object]:
    """``N=VALUE`` options as answers by question number (checked again by the service).

    Raises:
        ValueError: An item is not ``N=VALUE`` with a whole number N.
    """
    answers: dict[int, object] = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip().isdigit():
            raise ValueError(f"--answer takes N=VALUE (N the question's number), not {item!r}")
        answers[int(key)] = value
    return answers


@surveys_app.command("create")
@friendly
def surveys_create(
    title: Annotated[str, typer.Option(help="The survey's title.")],
    question: Annotated[
        list[str],
        typer.Option(help="scale:TEXT|LOW|HIGH or open:TEXT; repeat, in order (1 to 10)."),
    ],
    programme: Programme = "",
    as_user: AsUser = None,
) -> None:
    """Draft a survey (a coordinator); publish it to open its first round."""
    c = container()
    who = acting(c, as_user)
    series = c.surveys.create(
        who, c.surveys.programme(who, programme), title, [parse_question(q) for q in question]
    )
    _say(f"{series.series_id}  draft saved: {series.title} ({len(series.questions)} questions)")


@surveys_app.command("publish")
@friendly
def surveys_publish(survey: SurveyId, as_user: AsUser = None) -> None:
    """Open the survey's next round (its first, or a re-run) for every member."""
    c = container()
    r = c.surveys.publish(acting(c, as_user), survey)
    _say(f"Round {r.number} is open: {r.invited} members invited.")


@surveys_app.command("close")
@friendly
def surveys_close(survey: SurveyId, as_user: AsUser = None) -> None:
    """Close the survey's open round."""
    c = container()
    r = c.surveys.close(acting(c, as_user), survey)
    _say(f"Round {r.number} is closed: {r.respondents} of {r.invited} members answered.")


@surveys_app.command("delete")
@friendly
def surveys_delete(survey: SurveyId, as_user: AsUser = None) -> None:
    """Delete a draft that was never published."""
    c = container()
    c.surveys.delete_draft(acting(c, as_user), survey)
    _say("The draft is deleted.")


def _question(n: int, q: Question) -> dict[str, object]:
    return {"number": n, "kind": q.kind.value, "text": q.text, "low": q.low, "high": q.high}


def _round(r: SurveyRound) -> dict[str, object]:
    return {
        "round": r.number,
        "state": r.state.value,
        "opened_on": r.opened_on.isoformat(),
        "closed_on": r.closed_on.isoformat() if r.closed_on else None,
        "respondents": r.respondents,
        "invited": r.invited,
    }


@surveys_app.command("list")
@friendly
def surveys_list(
    programme: Programme = "", as_json: AsJson = False, as_user: AsUser = None
) -> None:
    """Open surveys you may answer (and whether you have); for coordinators, every survey
    of the programme with its rounds."""
    c = container()
    who = acting(c, as_user)
    open_ = c.surveys.open_for(who)
    running: list[SurveyOverview] = []
    if c.surveys.running(who):
        pid = c.surveys.programme(who, programme)
        if pid in c.surveys.running(who):
            running = c.surveys.surveys_of(who, pid)
    if as_json:
        data = {
            "open": [
                {
                    "survey_id": o.series.series_id,
                    "title": o.series.title,
                    "round": o.round.number,
                    "answered": o.answered,
                    "questions": [
                        _question(n, q) for n, q in enumerate(o.series.questions, start=1)
                    ],
                }
                for o in open_
            ],
            "running": [
                {
                    "survey_id": ov.series.series_id,
                    "title": ov.series.title,
                    "rounds": [_round(r) for r in ov.rounds],
                }
                for ov in running
            ],
        }
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    if not open_:
        _say("No survey is open for you now.")
    for o in open_:
        state = "answered" if o.answered else "not answered yet"
        _say(f"{o.series.series_id}  {o.series.title} (round {o.round.number}, {state})")
        for n, q in enumerate(o.series.questions, start=1):
            ends = f" [1 = {q.low}, 5 = {q.high}]" if q.kind is QuestionKind.SCALE else ""
            _say(f"  {n}. {q.text}{ends}")
    if running:
        _say("Surveys you run:")
    for ov in running:
        last = ov.rounds[-1] if ov.rounds else None
        where = (
            f"round {last.number} {last.state.value}, {last.respondents} of {last.invited} answered"
            if last
            else "draft"
        )
        _say(f"{ov.series.series_id}  {ov.series.title} ({where})")


@surveys_app.command("answer")
@friendly
def surveys_answer(
    survey: SurveyId,
    answer: Annotated[
        list[str], typer.Option(help="N=VALUE: 1 to 5 for a scale question, words for open.")
    ],
    as_user: AsUser = None,
) -> None:
    """Answer the survey's open round, once, without your name."""
    c = container()
    who = acting(c, as_user)
    r = c.surveys.current_round(who, survey)
    c.surveys.answer(who, r.round_id, parse_answers(answer))
    _say("Thank you: your answers are in, without your name.")


def results_dict(res: RoundResults) -> dict[str, object]:
    """A round's results as JSON-ready data (no per-question figure when withheld)."""
    return {
        "title": res.title,
        "round": res.round.number,
        "state": res.round.state.value,
        "period": res.period.label,
        "population": res.population,
        "respondents": res.round.respondents,
        "invited": res.round.invited,
        "counted": res.counted,
        "shown": res.shown,
        "note": res.note,
        "questions": [
            {
                "number": q.position,
                "kind": q.question.kind.value,
                "text": q.question.text,
                "answered": q.answered,
                **(
                    {"counts": dict(zip("12345", q.counts, strict=True)), "mean": q.mean}
                    if q.question.kind is QuestionKind.SCALE
                    else {"open_answers": list(q.open_answers)}
                ),
            }
            for q in res.questions
        ],
    }


@surveys_app.command("results")
@friendly
def surveys_results(
    survey: SurveyId,
    round_number: Annotated[
        int | None, typer.Option("--round", help="The round (default: the latest).")
    ] = None,
    as_json: AsJson = False,
    as_user: AsUser = None,
) -> None:
    """A round's results (only once enough people answered) and the trend across rounds."""
    c = container()
    who = acting(c, as_user)
    res = c.surveys.results(who, survey, round_number)
    trends = c.surveys.trends(who, survey)
    if as_json:
        data = results_dict(res)
        data["trends"] = [
            {"round": p.round_number, "question": p.position, "mean": p.mean, "counted": p.counted}
            for p in trends
        ]
        typer.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    _say(f"{res.title}, round {res.round.number} ({res.period.label}): {res.population}")
    _say(res.note[:1].upper() + res.note[1:] + ".")
    for q in res.questions:
        _say(f"{q.position}. {q.question.text}")
        if q.question.kind is QuestionKind.SCALE:
            counts = "  ".join(f"{p}: {n}" for p, n in zip("12345", q.counts, strict=True))
            _say(f"   {counts}   mean {q.mean}")
        else:
            for text in q.open_answers:
                _say(f"   - {text}")
    rounds = sorted({p.round_number for p in trends})
    if len(rounds) > 1:
        _say("Trend (mean per round; - where too few answered):")
        for p in trends:
            _say(f"   round {p.round_number}, question {p.position}: {p.mean or '-'}")
