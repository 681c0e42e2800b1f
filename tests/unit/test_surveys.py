"""Pulse surveys through the service on a temp SQLite container: drafting and its refusals,
one anonymous answer per person and round, results withheld below the minimum group size
and shown at it, counting in complete groups, redaction of open answers in the store and the
results, shuffled open answers, trends across rounds, the health section, and audit."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import text

from playbook.models import Role
from playbook.permissions import NotAllowedError
from playbook.ports.surveys import AlreadyAnsweredError, Question, QuestionKind, RoundState
from playbook.pseudonyms import RedactionError
from playbook.services.health.figures import TOO_FEW, Period
from playbook.services.health.surveys import SurveyError
from playbook.wiring import Container
from tests.unit.survey_fixtures import QUESTIONS, add_members, answer_all, published

TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def c(members: Container) -> Container:
    """ada, ravi, cora and m1..m7 in the default programme; the clock is TODAY."""
    add_members(members, 7)
    members.surveys._today = lambda: TODAY
    return members


def _raw(c: Container, sql: str) -> list[tuple[object, ...]]:
    with c.records.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql))]


@pytest.mark.parametrize(
    ("title", "questions", "message"),
    [
        ("  ", QUESTIONS, "title is empty"),
        ("x" * 121, QUESTIONS, "keep it to 120"),
        ("Pulse", (), "at least one question"),
        ("Pulse", [Question(QuestionKind.OPEN, f"q{i}") for i in range(11)], "at most 10"),
        ("Pulse", [Question(QuestionKind.SCALE, " ")], "question 1 is empty"),
        ("Pulse", [Question(QuestionKind.OPEN, "q" * 301)], "keep it to 300"),
        ("Pulse", [Question(QuestionKind.SCALE, "q", "l" * 41)], "low end has 41"),
    ],
)
def test_bad_drafts_are_refused_and_nothing_is_stored(
    c: Container, title: str, questions: list[Question], message: str
) -> None:
    cora = c.records.principal("cora")
    pid = c.surveys.programme(cora)
    with pytest.raises(SurveyError, match=message):
        c.surveys.create(cora, pid, title, questions)
    assert c.surveys.surveys_of(cora, pid) == []


def test_a_draft_is_redacted_and_scale_ends_get_labels(c: Container) -> None:
    cora = c.records.principal("cora")
    pid = c.surveys.programme(cora)
    s = c.surveys.create(
        cora, pid, "Pulse after Tony's visit", [Question(QuestionKind.SCALE, "Was Priya clear?")]
    )
    assert "Tony" not in s.title and "Priya" not in s.questions[0].text
    assert (s.questions[0].low, s.questions[0].high) == ("Not at all", "Completely")
    c.surveys.delete_draft(cora, s.series_id)
    assert c.surveys.surveys_of(cora, pid) == []


def test_only_coordinators_run_surveys(c: Container) -> None:
    ada = c.records.principal("ada")
    pid = c.surveys.programme(ada)
    with pytest.raises(NotAllowedError, match="coordinator"):
        c.surveys.create(ada, pid, "Pulse", QUESTIONS)
    series, _ = published(c)
    for call in (c.surveys.publish, c.surveys.close, c.surveys.results, c.surveys.trends):
        with pytest.raises(NotAllowedError):
            call(ada, series.series_id)
    with pytest.raises(SurveyError, match="no survey 'nope'"):
        c.surveys.results(c.records.principal("cora"), "nope")


def test_members_see_open_rounds_and_answer_once(c: Container) -> None:
    series, r = published(c)
    ada = c.records.principal("ada")
    [open_] = c.surveys.open_for(ada)
    assert (open_.series.series_id, open_.round.round_id, open_.answered) == (
        series.series_id,
        r.round_id,
        False,
    )
    assert r.invited == 10  # ada, ravi, cora and m1..m7
    c.surveys.answer(ada, r.round_id, {1: "4", 2: "  "})  # a numeral; an empty open answer
    assert c.surveys.open_for(ada)[0].answered
    assert not c.surveys.open_for(c.records.principal("ravi"))[0].answered
    with pytest.raises(AlreadyAnsweredError, match="already answered"):
        c.surveys.answer(ada, r.round_id, {1: 1})
    assert _raw(c, "SELECT answers FROM survey_ballots") == [('{"1": 4}',)]
    assert len(_raw(c, "SELECT * FROM survey_tokens")) == 1


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({2: "only words"}, "question 1 needs an answer from 1 to 5"),
        ({1: 0}, "1 to 5, not 0"),
        ({1: 6}, "1 to 5, not 6"),
        ({1: "five"}, "not 'five'"),
        ({1: 2.5}, "not 2.5"),
        ({1: True}, "not 'True'"),
        ({1: 3, 3: "x"}, "there is no question 3"),
        ({1: 3, 2: 7}, "question 2 takes words"),
        ({1: 3, 2: "x" * 1001}, "keep it to 1,000"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_stored(
    c: Container, answers: dict[int, object], message: str
) -> None:
    _, r = published(c)
    ada = c.records.principal("ada")
    with pytest.raises(SurveyError, match=message):
        c.surveys.answer(ada, r.round_id, answers)
    assert _raw(c, "SELECT * FROM survey_ballots") == []
    assert _raw(c, "SELECT * FROM survey_tokens") == []
    assert not c.surveys.open_for(ada)[0].answered  # they may still answer


def test_a_closed_round_and_other_programmes_take_no_answers(c: Container) -> None:
    series, r = published(c)
    cora = c.records.principal("cora")
    c.records.add_user("olga", roles=[Role.LEADER], programme="south")
    with pytest.raises(NotAllowedError):
        c.surveys.answer(c.records.principal("olga"), r.round_id, {1: 3})
    assert c.surveys.open_for(c.records.principal("olga")) == []
    closed = c.surveys.close(cora, series.series_id)
    assert closed.state is RoundState.CLOSED and closed.closed_on == TODAY
    with pytest.raises(SurveyError, match="closed"):
        c.surveys.answer(c.records.principal("ada"), r.round_id, {1: 3})
    with pytest.raises(SurveyError, match="no round of this survey is open"):
        c.surveys.close(cora, series.series_id)
    with pytest.raises(SurveyError, match="no such survey round"):
        c.surveys.answer(c.records.principal("ada"), "nope", {1: 3})


def test_results_are_withheld_below_five_and_shown_at_five(c: Container) -> None:
    series, r = published(c)
    cora = c.records.principal("cora")
    answer_all(c, r.round_id, ["m1", "m2", "m3", "m4"])
    four = c.surveys.results(cora, series.series_id)
    assert not four.shown and four.questions == () and four.counted == 0
    assert four.note.startswith(TOO_FEW) and "4 so far" in four.note
    assert four.population == "4 of 10 members invited answered"
    answer_all(c, r.round_id, ["m5"], start=4)
    five = c.surveys.results(cora, series.series_id)
    assert five.shown and five.counted == 5
    scale, open_ = five.questions
    assert scale.counts == (1, 1, 1, 1, 1) and scale.mean == 3.0 and scale.answered == 5
    assert len(open_.open_answers) == 5
    assert five.period == Period(TODAY, TODAY)


def test_answers_count_in_complete_groups_so_one_new_answer_never_shows(c: Container) -> None:
    series, r = published(c)
    cora = c.records.principal("cora")
    answer_all(c, r.round_id, ["m1", "m2", "m3", "m4", "m5"])  # scale 1..5
    before = c.surveys.results(cora, series.series_id)
    c.surveys.answer(c.records.principal("m6"), r.round_id, {1: 1})
    after = c.surveys.results(cora, series.series_id)
    # The sixth answer waits for a complete group: the two views are the same.
    assert after.counted == before.counted == 5 and after.round.respondents == 6
    assert [q.counts for q in after.questions] == [q.counts for q in before.questions]
    assert "the next 1 count once a group of 5 is complete" in after.note
    c.surveys.close(cora, series.series_id)
    closed = c.surveys.results(cora, series.series_id)
    assert closed.counted == 5 and "the last 1 did not complete a group" in closed.note


def test_a_planted_name_is_redacted_in_the_store_and_the_results(c: Container) -> None:
    series, r = published(c)
    answer_all(c, r.round_id, ["m1", "m2", "m3", "m4", "m5"])
    stored = " ".join(str(row) for row in _raw(c, "SELECT * FROM survey_ballots"))
    assert "Tony" not in stored and "should plan session" in stored
    res = c.surveys.results(c.records.principal("cora"), series.series_id)
    texts = res.questions[1].open_answers
    assert all("Tony" not in t and "should plan session" in t for t in texts)
    section = c.surveys.section(
        c.records.principal("cora"), series.programme_id, Period.last_days(TODAY, 30)
    )
    assert "Tony" not in str(section.as_dict()) and "should plan" not in str(section.as_dict())


def test_stored_rows_cannot_be_tied_to_their_respondents(c: Container) -> None:
    _, r = published(c)
    names = [f"m{i}" for i in range(1, 8)] + ["ada", "ravi", "cora"]
    ids = {c.records.principal(n).user_id for n in names}
    for i, name in enumerate(names):  # the i-th person writes "order i"
        c.surveys.answer(c.records.principal(name), r.round_id, {1: i % 5 + 1, 2: f"order {i}"})
    ballots = _raw(c, "SELECT * FROM survey_ballots")
    tokens = _raw(c, "SELECT * FROM survey_tokens")
    everything = str(ballots) + str(tokens)
    assert not any(u in everything for u in ids)  # no user id, not even inside a hash
    assert all(len(row) == 4 for row in ballots) and all(len(row) == 2 for row in tokens)
    order = [next(i for i in range(10) if f'"order {i}"' in str(row)) for row in ballots]
    assert sorted(order) == list(range(10)) and order != list(range(10))
    # Audit lines name who did what to surveys; none is written for an answer.
    assert not [e for e in c.audit.events() if e.action.startswith("survey.answer")]


def test_open_answers_come_shuffled_never_in_answer_order(c: Container) -> None:
    c.surveys._rng = random.Random(7)  # a fixed shuffle, so the check cannot flicker
    series, r = published(c)
    names = [f"m{i}" for i in range(1, 8)]
    for i, name in enumerate(names):
        c.surveys.answer(c.records.principal(name), r.round_id, {1: 3, 2: f"order {i}"})
    cora = c.records.principal("cora")
    shown = c.surveys.results(cora, series.series_id).questions[1].open_answers
    given = [f"order {i}" for i in range(5)]
    stored = [t for t in (b.answers.get(2) for b in c.surveys.surveys.ballots(r.round_id)) if t]
    assert sorted(shown) == sorted(stored)
    assert list(shown) != stored  # shuffled again, not the store's order either
    assert list(shown) != given[: len(shown)]


def test_a_re_run_is_the_next_round_and_trends_withhold_small_rounds(c: Container) -> None:
    series, first = published(c)
    cora = c.records.principal("cora")
    with pytest.raises(SurveyError, match="close it before"):
        c.surveys.publish(cora, series.series_id)
    answer_all(c, first.round_id, ["m1", "m2", "m3", "m4", "m5"])  # mean 3.0
    c.surveys.close(cora, series.series_id)
    c.surveys._today = lambda: TODAY + dt.timedelta(days=30)
    second = c.surveys.publish(cora, series.series_id)
    assert second.number == 2 and second.round_id != first.round_id
    answer_all(c, second.round_id, ["m1", "m2"])  # the same people answer again: new tokens
    points = c.surveys.trends(cora, series.series_id)
    assert [(p.round_number, p.mean, p.counted) for p in points] == [(1, 3.0, 5), (2, None, 0)]
    assert (
        points[0].question == QUESTIONS[0].text and points[0].period == "2026-12-01 to 2026-12-01"
    )
    assert c.surveys.results(cora, series.series_id, 1).shown
    assert not c.surveys.results(cora, series.series_id).shown
    with pytest.raises(SurveyError, match="there is no round 3"):
        c.surveys.results(cora, series.series_id, 3)


def test_the_health_section_holds_counts_only_and_is_audited(c: Container) -> None:
    series, r = published(c)
    cora = c.records.principal("cora")
    small, _ = published(c, "Small")
    answer_all(c, r.round_id, ["m1", "m2", "m3", "m4", "m5"])
    answer_all(c, c.surveys.current_round(cora, small.series_id).round_id, ["m1", "m2"])
    c.records.add_user("sofia", roles=[Role.SPONSOR])
    sofia = c.records.principal("sofia")
    section = c.surveys.section(sofia, series.programme_id, Period.last_days(TODAY, 90))
    data = section.as_dict()
    assert data["key"] == "surveys" and section.figures[0].value == 2
    overview, *rounds = section.tables
    assert sorted(row[0] for row in overview.rows) == ["Pulse", "Small"]
    by_title = {t.title: t for t in rounds}
    pulse, tiny = by_title["Pulse: round 1"], by_title["Small: round 1"]
    assert pulse.rows == ((QUESTIONS[0].text, 5, 1, 1, 1, 1, 1, 3.0),)
    assert tiny.rows == () and tiny.note == TOO_FEW
    assert {row[0]: row[5] for row in overview.rows} == {"Pulse": 5, "Small": None}
    assert any(e.action == "health.surveys" and e.actor == "sofia" for e in c.audit.events())
    with pytest.raises(NotAllowedError):
        c.surveys.section(c.records.principal("ada"), series.programme_id, Period(TODAY, TODAY))
    # A period before the round opened holds none of it.
    early = c.surveys.section(
        sofia, series.programme_id, Period.last_days(TODAY - dt.timedelta(days=1), 30)
    )
    assert early.figures[0].value == 0 and len(early.tables) == 1


def test_every_view_of_results_is_audited(c: Container) -> None:
    series, _ = published(c)
    cora = c.records.principal("cora")
    c.surveys.results(cora, series.series_id)
    c.surveys.trends(cora, series.series_id)
    actions = [(e.actor, e.action) for e in c.audit.events()]
    for action in ("survey.create", "survey.publish", "survey.results", "survey.trends"):
        assert ("cora", action) in actions


def test_the_health_report_gathers_the_surveys_section(c: Container) -> None:
    series, r = published(c)
    answer_all(c, r.round_id, ["m1", "m2", "m3", "m4", "m5"])
    c.records.add_user("sofia", roles=[Role.SPONSOR])
    sofia = c.records.principal("sofia")
    report = c.health.report(sofia, series.programme_id, Period.last_days(TODAY, 30))
    [section] = [s for s in report.sections if s.key == "surveys"]
    assert section.title == "Pulse surveys" and section.figures[0].value == 1
    assert "Tony" not in str(section.as_dict()) and "should plan" not in str(section.as_dict())


def test_a_redaction_failure_stores_nothing_and_the_person_may_answer_again(
    c: Container,
) -> None:
    _, r = published(c)
    ada = c.records.principal("ada")
    redactor = c.redactor
    redactor.fail = True  # type: ignore[attr-defined]
    with pytest.raises(RedactionError, match="engine down"):
        c.surveys.answer(ada, r.round_id, {1: 3, 2: "Tony was late"})
    assert _raw(c, "SELECT * FROM survey_ballots") == []
    assert _raw(c, "SELECT * FROM survey_tokens") == []
    redactor.fail = False  # type: ignore[attr-defined]
    c.surveys.answer(ada, r.round_id, {1: 3, 2: "Tony was late"})
    assert len(_raw(c, "SELECT * FROM survey_ballots")) == 1
