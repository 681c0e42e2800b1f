"""Pulse surveys: members answer the open surveys of their programmes, once per round and
without their name; coordinators draft, publish, close and re-run surveys and read the
results (only once enough people have answered) and the trends across rounds."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd
import streamlit as st

from playbook.models import Principal
from playbook.permissions import NotAllowedError
from playbook.ports.surveys import Question, QuestionKind, RoundState
from playbook.services.health.surveys import OpenSurvey, SurveyOverview, TrendPoint
from playbook.services.health.surveys.checks import MAX_OPEN, MAX_QUESTIONS
from playbook.services.health.surveys.tally import RoundResults
from playbook.ui import common
from playbook.ui.common import current_user, plain
from playbook.ui.council import attempt, say

KEY = "surveys-said"  # what the last change did, shown after the rerun
SHOWN = "surveys-results"  # (series id, round number, results) the coordinator is reading
KINDS = {"Scale 1 to 5": QuestionKind.SCALE, "Open answer": QuestionKind.OPEN}


def page() -> None:
    """Render the pulse surveys page."""
    principal = current_user()
    if principal is None:
        st.stop()
    st.title("Pulse surveys")
    group = common.get_container().surveys.min_group
    st.caption(
        plain(
            "Short anonymous surveys. Your answers are stored without your name or the time "
            "you answered; open answers are redacted first. Results show only once at least "
            f"{group} people have answered."
        )
    )
    say(KEY)
    _answer(principal)
    running = sorted(common.get_container().surveys.running(principal))
    if running:
        _coordinate(principal, running)


# -- answering -------------------------------------------------------------------------------


def _answer(principal: Principal) -> None:
    st.header("Open surveys", anchor=False)
    open_ = common.get_container().surveys.open_for(principal)
    if not open_:
        st.info("No survey is open for you now.")
        return
    for item in open_:
        with st.container(border=True):
            st.subheader(plain(item.series.title), anchor=False)
            st.caption(plain(f"Round {item.round.number}, open since {item.round.opened_on}"))
            if item.answered:
                st.success("You have answered this round. Thank you.")
            else:
                _form(principal, item)


def _form(principal: Principal, item: OpenSurvey) -> None:
    rid = item.round.round_id
    with st.form(f"answer:{rid}"):
        answers: dict[int, object] = {}
        for n, q in enumerate(item.series.questions, start=1):
            if q.kind is QuestionKind.SCALE:
                answers[n] = st.radio(
                    plain(f"{n}. {q.text}"),
                    [1, 2, 3, 4, 5],
                    index=None,
                    horizontal=True,
                    captions=[plain(q.low), "", "", "", plain(q.high)],
                    key=f"q:{rid}:{n}",
                )
            else:
                answers[n] = st.text_area(
                    plain(f"{n}. {q.text} (optional)"), max_chars=MAX_OPEN, key=f"q:{rid}:{n}"
                )
        if st.form_submit_button("Send my answers", type="primary"):
            attempt(
                KEY,
                common.get_container().surveys.answer,
                principal,
                rid,
                answers,
                said="Thank you: your answers are in, without your name.",
            )


# -- running surveys -------------------------------------------------------------------------


def _coordinate(principal: Principal, running: list[str]) -> None:
    c = common.get_container()
    st.header("Surveys I run", anchor=False)
    pid = running[0]
    if len(running) > 1:
        names = c.administration.programme_names(running)
        pid = st.selectbox("Programme", running, format_func=names.__getitem__, key="sv-prog")
    manage, draft = st.tabs(["Surveys and results", "New survey"])
    with manage:
        overviews = c.surveys.surveys_of(principal, pid)
        if not overviews:
            st.info("No survey yet. Draft one under New survey.")
        for ov in overviews:
            _survey(principal, ov)
    with draft:
        _new(principal, pid)


def _survey(principal: Principal, ov: SurveyOverview) -> None:
    c = common.get_container()
    sid = ov.series.series_id
    with st.container(border=True):
        st.subheader(plain(ov.series.title), anchor=False)
        st.caption(plain(_state(ov)))
        current = ov.open_round
        cols = st.columns(3)
        if current is not None:
            if cols[0].button(plain(f"Close round {current.number}"), key=f"close:{sid}"):
                _act(c.surveys.close, principal, sid, "The round is closed.")
        else:
            label = "Publish" if not ov.rounds else plain(f"Re-run as round {len(ov.rounds) + 1}")
            if cols[0].button(label, key=f"publish:{sid}", type="primary"):
                _act(c.surveys.publish, principal, sid, "Published: members can answer.")
            if not ov.rounds and cols[1].button("Delete the draft", key=f"delete:{sid}"):
                _act(c.surveys.delete_draft, principal, sid, "The draft is deleted.")
        if ov.rounds:
            numbers = [r.number for r in ov.rounds][::-1]
            number = cols[2].selectbox("Round", numbers, key=f"round:{sid}")
            if st.button("Show results and trends", key=f"show:{sid}"):
                _load(principal, sid, number)
            held = st.session_state.get(SHOWN)
            if held is not None and held[0] == (sid, number):
                _results(held[1])
                _trends(held[2])


def _act(fn: object, principal: Principal, sid: str, said: str) -> None:
    # Results on screen describe the round as it was; a change to the rounds drops them.
    st.session_state.pop(SHOWN, None)
    attempt(KEY, fn, principal, sid, said=said)


def _state(ov: SurveyOverview) -> str:
    qs = len(ov.series.questions)
    if not ov.rounds:
        return f"Draft, {common.count(qs, 'question')}; not published"
    last = ov.rounds[-1]
    where = "open" if last.state is RoundState.OPEN else f"closed on {last.closed_on}"
    return (
        f"{common.count(qs, 'question')} · round {last.number} {where} · "
        f"{last.respondents} of {last.invited} members answered"
    )


def _load(principal: Principal, sid: str, number: int) -> None:
    # Fetched (and audited) when asked for; reruns for other widgets keep what is shown.
    c = common.get_container()
    try:
        results = c.surveys.results(principal, sid, number)
        points = c.surveys.trends(principal, sid)
    except (ValueError, NotAllowedError) as exc:
        st.warning(plain(str(exc)[:1].upper() + str(exc)[1:]) + ".")
        return
    st.session_state[SHOWN] = ((sid, number), results, points)


def _results(res: RoundResults) -> None:
    st.markdown(plain(f"Round {res.round.number}, {res.period.label}: {res.population}."))
    if not res.shown:
        st.info(plain(res.note[:1].upper() + res.note[1:] + "."))
        return
    st.caption(plain(res.note[:1].upper() + res.note[1:] + "."))
    for q in res.questions:
        st.markdown(f"**{plain(f'{q.position}. {q.question.text}')}**")
        if q.question.kind is QuestionKind.SCALE:
            st.metric("Mean (1 to 5)", plain("—" if q.mean is None else f"{q.mean:.2f}"))
            ends = {1: q.question.low, 5: q.question.high}
            frame = pd.DataFrame(
                {
                    "Point": [f"{p} {ends.get(p, '')}".strip() for p in range(1, 6)],
                    "Answers": list(q.counts),
                }
            )
            st.dataframe(frame, hide_index=True)
        else:
            st.caption(plain(f"{common.count(q.answered, 'answer')}, in a shuffled order"))
            for text in q.open_answers:
                st.markdown(f"> {plain(text, lines=True)}")


def _trends(points: Sequence[TrendPoint]) -> None:
    rows = [
        {"Round": p.round_number, "Question": f"{p.position}. {p.question}", "Mean": p.mean}
        for p in points
        if p.mean is not None
    ]
    if len({r["Round"] for r in rows}) < 2:
        st.caption("Trends show once two rounds have results.")
        return
    chart = (
        alt.Chart(pd.DataFrame(rows), title="Mean per round (rounds with too few answers left out)")
        .mark_line(point=True)
        .encode(
            x=alt.X("Round:O"),
            y=alt.Y("Mean:Q", scale=alt.Scale(domain=[1, 5])),
            color=alt.Color("Question:N"),
            tooltip=["Round", "Question", "Mean"],
        )
        .properties(height=240)
    )
    st.altair_chart(chart, width="stretch")


def _new(principal: Principal, pid: str) -> None:
    count = int(
        st.number_input(
            "How many questions", min_value=1, max_value=MAX_QUESTIONS, value=3, key="sv-count"
        )
    )
    with st.form("new-survey"):
        title = st.text_input("Title", key="sv-title")
        questions = []
        for n in range(1, count + 1):
            st.markdown(f"**Question {n}**")
            kind = st.selectbox("Kind", list(KINDS), key=f"sv-kind:{n}")
            text = st.text_input("Question", key=f"sv-text:{n}")
            low_col, high_col = st.columns(2)
            low = low_col.text_input("Low end (scale)", "Not at all", key=f"sv-low:{n}")
            high = high_col.text_input("High end (scale)", "Completely", key=f"sv-high:{n}")
            if text.strip():  # a left-empty slot is no question
                questions.append(Question(KINDS[kind], text, low, high))
        if st.form_submit_button("Save the draft", type="primary"):
            attempt(
                KEY,
                common.get_container().surveys.create,
                principal,
                pid,
                title,
                questions,
                said="The draft is saved; publish it under Surveys and results.",
            )
