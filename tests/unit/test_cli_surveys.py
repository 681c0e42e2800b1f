"""`playbook surveys` from the shell: create (question specs parsed, bad ones refused),
publish, list, answer once (a second answer and bad values refused with one line and a
non-zero exit, nothing stored), close, re-run, and results as text and JSON (withheld below
five, shown at five, open answers redacted, trends)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from playbook import cli
from playbook.wiring import Container
from tests.unit.survey_fixtures import add_members

runner = CliRunner()


@pytest.fixture
def c(members: Container, monkeypatch: pytest.MonkeyPatch) -> Container:
    """ada, ravi, cora and m1..m7 behind the command."""
    add_members(members, 7)
    monkeypatch.setattr(cli, "container", lambda: members)
    return members


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(cli.app, list(args))


def _create(title: str = "Pulse") -> str:
    made = run(
        "surveys",
        "create",
        "--title",
        title,
        "--question",
        "scale:How useful were sessions?|Not at all|Very",
        "--question",
        "open:What would you change?",
        "--as",
        "cora",
    )
    assert made.exit_code == 0, made.output
    assert "draft saved: " in made.output and "(2 questions)" in made.output
    return made.output.split()[0]


def _ballots(c: Container) -> int:
    with c.records.engine.connect() as conn:
        return int(conn.execute(text("SELECT count(*) FROM survey_ballots")).scalar_one())


def test_a_survey_runs_from_create_to_results(c: Container) -> None:
    sid = _create()
    published = run("surveys", "publish", sid, "--as", "cora")
    assert published.exit_code == 0 and "Round 1 is open: 10 members invited." in published.output
    listed = run("surveys", "list", "--as", "ada")
    assert "Pulse (round 1, not answered yet)" in listed.output
    assert "1. How useful were sessions? [1 = Not at all, 5 = Very]" in listed.output
    for i, name in enumerate(["m1", "m2", "m3", "m4"]):
        done = run(
            "surveys",
            "answer",
            sid,
            "--answer",
            f"1={i + 1}",
            "--answer",
            f"2=Tony wants more time {i}",
            "--as",
            name,
        )
        assert done.exit_code == 0, done.output
    early = run("surveys", "results", sid, "--json", "--as", "cora")
    data = json.loads(early.output)
    assert data["shown"] is False and data["questions"] == [] and data["counted"] == 0
    assert data["note"].startswith("too few answers to show")
    assert data["population"] == "4 of 10 members invited answered"
    run("surveys", "answer", sid, "--answer", "1=5", "--as", "m5")
    shown = json.loads(run("surveys", "results", sid, "--json", "--as", "cora").output)
    scale, open_ = shown["questions"]
    assert scale["counts"] == {"1": 1, "2": 1, "3": 1, "4": 1, "5": 1} and scale["mean"] == 3.0
    assert len(open_["open_answers"]) == 4
    assert not any("Tony" in t for t in open_["open_answers"])
    printed = run("surveys", "results", sid, "--as", "cora")
    assert "1: 1  2: 1  3: 1  4: 1  5: 1   mean 3.0" in printed.output
    assert "Tony" not in printed.output
    closed = run("surveys", "close", sid, "--as", "cora")
    assert "Round 1 is closed: 5 of 10 members answered." in closed.output
    assert "Round 2 is open" in run("surveys", "publish", sid, "--as", "cora").output
    run("surveys", "answer", sid, "--answer", "1=2", "--as", "m1")  # a new round, a new token
    both = json.loads(run("surveys", "results", sid, "--json", "--as", "cora").output)
    assert both["round"] == 2 and not both["shown"]
    assert both["trends"] == [
        {"round": 1, "question": 1, "mean": 3.0, "counted": 5},
        {"round": 2, "question": 1, "mean": None, "counted": 0},
    ]
    first = json.loads(
        run("surveys", "results", sid, "--round", "1", "--json", "--as", "cora").output
    )
    assert first["shown"] and first["round"] == 1


def test_a_second_answer_and_bad_values_are_refused_and_nothing_stored(c: Container) -> None:
    sid = _create()
    run("surveys", "publish", sid, "--as", "cora")
    assert run("surveys", "answer", sid, "--answer", "1=3", "--as", "ada").exit_code == 0
    again = run("surveys", "answer", sid, "--answer", "1=1", "--as", "ada")
    assert again.exit_code == 1 and "already answered this round" in again.output
    for bad, message in (
        (["--answer", "1=9"], "1 to 5, not 9"),
        (["--answer", "one=3"], "--answer takes N=VALUE"),
        (["--answer", "2=words"], "question 1 needs an answer"),
        (["--answer", "1=3", "--answer", "4=x"], "there is no question 4"),
    ):
        refused = run("surveys", "answer", sid, *bad, "--as", "ravi")
        assert refused.exit_code == 1 and message in refused.output, refused.output
    assert _ballots(c) == 1
    listed = json.loads(run("surveys", "list", "--json", "--as", "ravi").output)
    assert listed["open"][0]["answered"] is False and listed["running"] == []


def test_bad_drafts_and_wrong_people_are_refused(c: Container) -> None:
    bad = run("surveys", "create", "--title", "T", "--question", "rating:x", "--as", "cora")
    assert bad.exit_code == 1 and "scale:TEXT|LOW|HIGH or open:TEXT" in bad.output
    empty = run("surveys", "create", "--title", " ", "--question", "open:x", "--as", "cora")
    assert empty.exit_code == 1 and "title is empty" in empty.output
    member = run("surveys", "create", "--title", "T", "--question", "open:x", "--as", "ada")
    assert member.exit_code == 1 and "coordinator" in member.output
    sid = _create()
    assert run("surveys", "results", sid, "--as", "ada").exit_code == 1
    unpublished = run("surveys", "results", sid, "--as", "cora")
    assert unpublished.exit_code == 1 and "not been published" in unpublished.output
    closed = run("surveys", "answer", sid, "--answer", "1=3", "--as", "ada")
    assert closed.exit_code == 1 and "not open for answers" in closed.output
    listed = json.loads(run("surveys", "list", "--json", "--as", "cora").output)
    assert [s["rounds"] for s in listed["running"]] == [[]]
    assert run("surveys", "delete", sid, "--as", "cora").exit_code == 0
    unknown = run("surveys", "publish", sid, "--as", "cora")
    assert unknown.exit_code == 1 and "there is no survey" in unknown.output
