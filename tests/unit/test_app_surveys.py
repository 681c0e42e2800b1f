"""The Pulse surveys page under AppTest: a member answers an open survey once (a missing
scale answer is refused with a sentence and nothing stored), a coordinator drafts,
publishes, closes and re-runs a survey and reads results only once five people answered,
with trends as a chart; survey text shows as plain text; members see no coordinator part."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from streamlit.testing.v1 import AppTest

from playbook.ui import common
from playbook.ui.common import plain
from playbook.wiring import Container
from tests.conftest import page_as
from tests.unit.survey_fixtures import add_members, answer_all, published
from tests.unit.test_plain_text import unescape

FIVE = ["m1", "m2", "m3", "m4", "m5"]


@pytest.fixture
def c(members: Container, monkeypatch: pytest.MonkeyPatch) -> Container:
    """ada, ravi, cora and m1..m7 behind the page."""
    add_members(members, 7)
    monkeypatch.setattr(common, "get_container", lambda: members)
    return members


def _page(user: str) -> AppTest:
    return AppTest.from_function(page_as, args=(user, "surveys"), default_timeout=30).run()


def _text(at: AppTest) -> str:
    parts = [
        *at.markdown,
        *at.caption,
        *at.info,
        *at.success,
        *at.warning,
        *at.header,
        *at.subheader,
    ]
    return unescape(" ".join(str(p.value) for p in parts))


def _ballots(c: Container) -> list[str]:
    with c.records.engine.connect() as conn:
        return [r[0] for r in conn.execute(text("SELECT answers FROM survey_ballots"))]


def test_a_member_answers_once_without_their_name(c: Container) -> None:
    _, r = published(c)
    at = _page("ada")
    assert not at.exception
    assert "Pulse" in _text(at) and "Surveys I run" not in _text(at)
    at.radio(key=f"q:{r.round_id}:1").set_value(4)
    at.text_area(key=f"q:{r.round_id}:2").input("Ask Tony to join")
    at = at.button(key=f"FormSubmitter:answer:{r.round_id}-Send my answers").click().run()
    assert not at.exception
    assert "your answers are in, without your name" in _text(at)
    assert "You have answered this round" in _text(at)
    [stored] = _ballots(c)
    assert '"1": 4' in stored and "Tony" not in stored and "Ask" in stored


def test_a_missing_scale_answer_is_refused_and_nothing_is_stored(c: Container) -> None:
    _, r = published(c)
    at = _page("ada")
    at.text_area(key=f"q:{r.round_id}:2").input("words only")
    at = at.button(key=f"FormSubmitter:answer:{r.round_id}-Send my answers").click().run()
    assert not at.exception
    assert "Question 1 needs an answer from 1 to 5." in _text(at)
    assert _ballots(c) == []


def test_a_coordinator_drafts_and_publishes_a_survey(c: Container) -> None:
    at = _page("cora")
    assert not at.exception and "No survey yet" in _text(at)
    at.number_input(key="sv-count").set_value(2).run()
    at.text_input(key="sv-title").input("Quarter pulse")
    at.text_input(key="sv-text:1").input("Were sessions useful?")
    at.selectbox(key="sv-kind:2").select("Open answer")
    at.text_input(key="sv-text:2").input("What should change?")
    at = at.button(key="FormSubmitter:new-survey-Save the draft").click().run()
    assert not at.exception and "The draft is saved" in _text(at)
    cora = c.records.principal("cora")
    [ov] = c.surveys.surveys_of(cora, c.surveys.programme(cora))
    assert [q.kind.value for q in ov.series.questions] == ["scale", "open"]
    sid = ov.series.series_id
    at = at.button(key=f"publish:{sid}").click().run()
    assert not at.exception and "Published" in _text(at)
    assert "round 1 open · 0 of 10 members answered" in _text(at)


def test_an_empty_draft_is_refused_with_a_sentence(c: Container) -> None:
    at = _page("cora")
    at.text_input(key="sv-title").input("Nothing asked")
    at = at.button(key="FormSubmitter:new-survey-Save the draft").click().run()
    assert not at.exception
    assert "A survey needs at least one question" in _text(at)
    cora = c.records.principal("cora")
    assert c.surveys.surveys_of(cora, c.surveys.programme(cora)) == []


def test_results_show_only_once_five_answered_and_trends_chart_two_rounds(
    c: Container,
) -> None:
    series, first = published(c)
    sid = series.series_id
    answer_all(c, first.round_id, FIVE[:4])
    at = _page("cora")
    at = at.button(key=f"show:{sid}").click().run()
    assert not at.exception
    assert "Too few answers to show: results show once at least 5" in _text(at)
    assert not at.dataframe and not at.metric
    answer_all(c, first.round_id, FIVE[4:], start=4)
    at = at.button(key=f"show:{sid}").click().run()
    assert "4 of 10" not in _text(at) and "5 of 10 members invited answered" in _text(at)
    assert [unescape(m.value) for m in at.metric] == ["3.00"]
    assert at.dataframe[0].value["Answers"].tolist() == [1, 1, 1, 1, 1]
    assert _text(at).count("should plan session") == 5  # the open answers, redacted
    assert "Tony" not in _text(at)
    at = at.button(key=f"close:{sid}").click().run()
    assert "The round is closed." in _text(at)
    assert not at.metric  # the results shown described the round while open: dropped
    at = at.button(key=f"publish:{sid}").click().run()  # re-run as round 2
    assert "round 2 open" in _text(at)
    second = c.surveys.current_round(c.records.principal("cora"), sid)
    answer_all(c, second.round_id, FIVE, start=2)
    at = at.button(key=f"show:{sid}").click().run()
    assert not at.exception
    [chart] = at.get("vega_lite_chart")
    assert '"Round"' in chart.proto.spec and "Mean per round" in chart.proto.spec


def test_survey_text_is_shown_as_plain_text(c: Container) -> None:
    cora = c.records.principal("cora")
    from playbook.ports.surveys import Question, QuestionKind

    s = c.surveys.create(
        cora,
        c.surveys.programme(cora),
        "**Loud** [link](http://x.example)",
        [Question(QuestionKind.SCALE, "<b>bold</b> _q_", "# low", "high")],
    )
    c.surveys.publish(cora, s.series_id)
    at = _page("ada")
    assert plain("**Loud** [link](http://x.example)") in [h.value for h in at.subheader]
    assert any(r.label == plain("1. <b>bold</b> _q_") for r in at.radio)
