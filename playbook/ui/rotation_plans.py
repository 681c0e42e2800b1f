"""Rotations: who goes where next, for how long, on which project; coordinators plan them,
the person who rotated links the debrief they wrote after."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from playbook.permissions import Action, Target, allows
from playbook.services.rotations import RotationView
from playbook.ui import common
from playbook.ui.common import current_user, plain
from playbook.ui.council import attempt, choose_programme, say

KEY = "rotations-said"  # what the last change did, shown after the rerun


def page() -> None:
    """Render the rotations page."""
    principal = current_user()
    if principal is None:
        st.stop()
    st.title("Rotations")
    st.caption("Two to four weeks in another function or market, anchored in a real project.")
    say(KEY)
    pid = choose_programme(principal, "rotations-programme")
    if pid is None:
        return
    c = common.get_container()
    views = c.rotations.listing(principal, pid)
    if not views:
        st.info("No rotations planned yet.")
    for status in ("under way", "planned", "finished"):
        shown = [v for v in views if v.status == status]
        if shown:
            st.subheader(plain(status.capitalize()), anchor=False)
            for v in shown:
                _rotation(v)
    if allows(principal, Action.PLAN_ROTATION, Target.programme(pid)):
        _plan_form(pid)


def _rotation(v: RotationView) -> None:
    principal = current_user()
    assert principal is not None
    r = v.rotation
    with st.container(border=True):
        st.markdown(plain(v.line()))
        if r.strategic_goal:
            st.caption(plain("Strategic goal: " + r.strategic_goal))
        if v.debrief_title:
            st.caption(plain("Debrief: " + v.debrief_title))
        target = Target(programme_id=r.programme_id, owner_id=r.person_id)
        if v.status == "planned" or not allows(principal, Action.PLAN_ROTATION, target):
            return
        c = common.get_container()
        choices = dict(c.rotations.debrief_choices(principal, r.rotation_id))
        if not choices:
            if not r.debrief_id:
                st.caption("No debrief by them to link yet.")
            return
        ids = list(choices)
        picked = st.selectbox(
            "Debrief written after",
            ids,
            index=ids.index(r.debrief_id) if r.debrief_id in choices else None,
            format_func=choices.__getitem__,
            key=f"debrief:{r.rotation_id}",
        )
        if picked and picked != r.debrief_id and st.button("Link it", key=f"link:{r.rotation_id}"):
            attempt(
                KEY,
                c.rotations.link_debrief,
                principal,
                r.rotation_id,
                picked,
                said="Debrief linked.",
            )


def _plan_form(pid: str) -> None:
    principal = current_user()
    assert principal is not None
    c = common.get_container()
    st.subheader("Plan a rotation", anchor=False)
    with st.form("plan-rotation"):
        cols = st.columns(2)
        person = cols[0].text_input("Who rotates (username)")
        sponsor = cols[1].text_input("Host sponsor (username)")
        cols = st.columns(2)
        function = cols[0].text_input("Host function")
        market = cols[1].text_input("Host market")
        cols = st.columns(2)
        start = cols[0].date_input("First day", value=None, format="YYYY-MM-DD")
        end = cols[1].date_input("Last day", value=None, format="YYYY-MM-DD")
        project = st.text_input("Anchor project")
        goal = st.text_input("Strategic goal")
        if st.form_submit_button("Plan it", type="primary"):
            if not (isinstance(start, dt.date) and isinstance(end, dt.date)):
                st.warning("Choose the first and the last day.")
                return
            attempt(
                KEY,
                c.rotations.plan,
                principal,
                pid,
                person,
                function=function,
                market=market,
                start=start,
                end=end,
                anchor_project=project,
                strategic_goal=goal,
                host_sponsor=sponsor,
                said="Rotation planned.",
            )
