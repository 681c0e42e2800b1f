"""Impact: a mentor's quarterly impact report (behaviour shifts, decision speed,
stakeholder relationships), a mentee's recounts of their learning objectives, and the
validations asked of the observers they named. Each is kept to its author unless shared."""

from __future__ import annotations

import streamlit as st

from playbook.models import Principal
from playbook.ports.programme import ImpactReport, Recount
from playbook.ui import common
from playbook.ui.common import current_user, plain
from playbook.ui.council import attempt, choose_programme, say

KEY = "impact-said"  # what the last change did, shown after the rerun


def page() -> None:
    """Render the impact page."""
    principal = current_user()
    if principal is None:
        st.stop()
    st.title("Impact")
    st.caption(
        "Mentors report on their quarter; mentees recount how their objectives changed what "
        "they did; the observers they name validate it. Private unless you share it."
    )
    say(KEY)
    pid = choose_programme(principal, "impact-programme")
    if pid is None:
        return
    _report(principal, pid)
    _objectives(principal)
    _validations(principal)
    _shared(principal)


def _report(principal: Principal, pid: str) -> None:
    c = common.get_container()
    mentees = c.impact.mentees(principal, pid)
    if not mentees:
        return  # only a mentor of a pairing reports; others see no empty form
    quarter = c.impact.current_quarter()
    st.header(plain(f"My impact report, {quarter}"), anchor=False)
    st.caption(plain("About your pairings with " + ", ".join(mentees) + "."))
    saved = c.impact.report(principal, pid, quarter)
    with st.form("impact-report"):
        answers = {}
        for p in c.impact.prompts():
            answers[p.prompt_id] = st.text_area(
                plain(p.text),
                value=saved.answers.get(p.prompt_id, "") if saved else "",
                help=plain(p.why),
                key=f"answer:{p.prompt_id}",
            )
        share = st.checkbox(
            "Share it with the programme (the quarterly showcase)",
            value=saved.shared if saved else False,
        )
        if st.form_submit_button("Save the report", type="primary"):
            attempt(
                KEY,
                c.impact.save_report,
                principal,
                pid,
                quarter,
                answers,
                share,
                said=f"Your {quarter} report is saved.",
            )
    if saved is not None:
        when = saved.updated_at
        st.caption(
            f"Saved {when:%d %b %Y %H:%M} UTC · "
            + ("shared with the programme" if saved.shared else "private")
            if when
            else ""
        )


def _objectives(principal: Principal) -> None:
    c = common.get_container()
    objectives = c.impact.objectives(principal)
    mine = c.impact.my_recounts(principal)
    if not (objectives or mine):
        return
    st.header("My learning objectives", anchor=False)
    names = c.impact.names([r.observer_id for r in mine])
    for objective_id, _programme, text in objectives:
        with st.expander(plain(text)):
            for r in (r for r in mine if r.objective_id == objective_id):
                _recount(r, names, mentee=None)
            with st.form(f"recount:{objective_id}"):
                body = st.text_area(
                    "How did what you learnt inform what you did?", key=f"body:{objective_id}"
                )
                observer = st.text_input(
                    "Observer who saw the outcome (username)", key=f"observer:{objective_id}"
                )
                share = st.checkbox("Share it with the programme", key=f"share:{objective_id}")
                if st.form_submit_button("Recount"):
                    attempt(
                        KEY,
                        c.impact.recount,
                        principal,
                        objective_id,
                        body,
                        observer,
                        share,
                        said="Recounted; your observer is asked to validate it.",
                    )


def _recount(r: Recount, names: dict[str, str], mentee: str | None) -> None:
    who = f"{mentee} on “{r.objective}”" if mentee else r.quarter
    st.markdown(f"**{plain(who)}** {plain(r.text, lines=True)}")
    observer = names.get(r.observer_id, "?")
    if r.validation is not None:
        st.caption(plain(f"Validated by {observer}: {r.validation}"))
    else:
        st.caption(plain(f"Awaiting validation by {observer}."))


def _validations(principal: Principal) -> None:
    c = common.get_container()
    pending = c.impact.to_validate(principal)
    if not pending:
        return
    st.header("Asked to validate", anchor=False)
    names = c.impact.names([r.mentee_id for r in pending])
    for r in pending:
        with st.container(border=True):
            st.markdown(
                f"**{plain(names.get(r.mentee_id, '?'))}** on “{plain(r.objective)}”: "
                f"{plain(r.text, lines=True)}"
            )
            with st.form(f"validate:{r.recount_id}"):
                statement = st.text_area(
                    "What did you see change? (a sentence or two)", key=f"stmt:{r.recount_id}"
                )
                if st.form_submit_button("Validate"):
                    attempt(
                        KEY,
                        c.impact.validate,
                        principal,
                        r.recount_id,
                        statement,
                        said="Validated. Thank you.",
                    )


def _shared(principal: Principal) -> None:
    c = common.get_container()
    reports = [r for r in c.impact.readable_reports(principal) if r.mentor_id != principal.user_id]
    if not reports:
        return
    st.header("Shared impact reports", anchor=False)
    questions = {p.prompt_id: p.text for p in c.impact.prompts()}
    names = c.impact.names([r.mentor_id for r in reports])
    for r in reports:
        _shared_report(r, names, questions)


def _shared_report(r: ImpactReport, names: dict[str, str], questions: dict[str, str]) -> None:
    with st.expander(plain(f"{names.get(r.mentor_id, '?')}, {r.quarter}")):
        for key, text in sorted(r.answers.items()):
            st.markdown(f"**{plain(questions.get(key, key))}** {plain(text, lines=True)}")
