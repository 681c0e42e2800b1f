"""Signals: a programme's early-warning signals for its coordinators and stewards (issue 21,
item 1), each with why it fired and what to do, to snooze until a day or resolve with a
note; snoozed and resolved ones are listed apart, each can be reopened. Built from activity
metadata only; every view is audited by the service."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from playbook.models import Principal
from playbook.permissions import NotAllowedError
from playbook.services.health.signals import Board, Signal
from playbook.ui import common
from playbook.ui.common import current_user, plain
from playbook.ui.council import attempt, say

KEY = "signals-said"  # what the last change did, shown after the rerun


def page() -> None:
    """Render the signals page."""
    principal = current_user()
    if principal is None:
        st.stop()
    st.title("Signals")
    st.caption(
        "Early warnings from the programme's activity: dates, states and counts, never what "
        "anyone wrote. Snooze one until a day, or resolve it once dealt with."
    )
    c = common.get_container()
    watched = c.signals.watched(principal)
    if not watched:
        st.info(
            "Early-warning signals need the coordinator or steward role in a programme; "
            "ask an admin if you should have it."
        )
        return
    pid = watched[0]
    if len(watched) > 1:
        names = c.administration.programme_names(watched)
        pid = st.selectbox("Programme", watched, format_func=names.__getitem__, key="sig-prog")
    say(KEY)
    try:
        board = c.signals.board(principal, pid)
    except NotAllowedError as exc:
        st.info(plain(str(exc).capitalize()) + ".")
        return
    _open(principal, board)
    _apart(principal, board)


def _card(s: Signal) -> None:
    st.markdown(f"**{plain(s.kind.label)}:** {plain(s.subject)}")
    st.markdown(f"Why: {plain(s.why)}")
    st.markdown(f"To do: {plain(s.todo)}")
    st.caption(plain(f"Key: {s.key}"))


def _open(principal: Principal, board: Board) -> None:
    st.header(plain(f"Open ({len(board.open)})"), anchor=False)
    if not board.open:
        st.success("Nothing needs attention now.")
    c = common.get_container()
    for s in board.open:
        with st.container(border=True):
            _card(s)
            left, right = st.columns(2)
            with left, st.form(f"snooze:{s.key}"):
                until = st.date_input(
                    "Snooze until",
                    value=board.today + dt.timedelta(days=14),
                    min_value=board.today + dt.timedelta(days=1),
                    key=f"until:{s.key}",
                )
                if st.form_submit_button("Snooze"):
                    attempt(
                        KEY,
                        c.signals.snooze,
                        principal,
                        board.programme_id,
                        s.key,
                        until,
                        said=f"Snoozed until {until}: {s.subject}.",
                    )
            with right, st.form(f"resolve:{s.key}"):
                note = st.text_input("Note (optional)", key=f"note:{s.key}", max_chars=1000)
                if st.form_submit_button("Resolve"):
                    attempt(
                        KEY,
                        c.signals.resolve,
                        principal,
                        board.programme_id,
                        s.key,
                        note,
                        said=f"Resolved: {s.subject}.",
                    )


def _apart(principal: Principal, board: Board) -> None:
    c = common.get_container()
    for title, signals in (("Snoozed", board.snoozed), ("Resolved", board.resolved)):
        st.header(plain(f"{title} ({len(signals)})"), anchor=False)
        if not signals:
            st.caption(plain(f"None {title.lower()}."))
        for s in signals:
            with st.container(border=True):
                _card(s)
                state = s.state
                if state is not None:
                    by = board.names.get(state.by_id, "?")
                    if title == "Snoozed":
                        st.caption(plain(f"Snoozed by {by} until {state.until}."))
                    else:
                        st.caption(plain(f"Resolved by {by} on {state.at:%Y-%m-%d}."))
                        if state.note:
                            st.markdown(f"Note: {plain(state.note)}")
                if st.button("Reopen", key=f"reopen:{s.key}"):
                    attempt(
                        KEY,
                        c.signals.reopen,
                        principal,
                        board.programme_id,
                        s.key,
                        said=f"Reopened: {s.subject}.",
                    )
