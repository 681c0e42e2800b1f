"""Home page: who you are and what is in the playbook for you."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from playbook.models import Principal
from playbook.permissions import Action, allows
from playbook.ui import common
from playbook.ui.common import current_user, plain

# Notifications about one of the person's own documents (the others are about entries).
DOCUMENT_NOTES = frozenset({"approved", "declined"})
# About a playbook entry: a link opens it on Curate, for a person who may curate.
ENTRY_NOTES = frozenset({"entry declined", "feedback", "promoted"})


def page() -> None:
    """Render the home page."""
    principal = current_user()
    if principal is None:
        st.stop()
    c = common.get_container()
    user = c.administration.user(principal.username)
    st.title(f"Welcome, {plain(common.greeting_name(user.display_name))}", anchor=False)
    view = c.service.overview(principal)
    cols = st.columns(3)
    cols[0].metric("Your documents", view.mine)
    cols[1].metric("Shared with you", view.shared_with_them)
    cols[2].metric("Playbook entries", view.entries)
    notifications(principal)
    if not (view.mine or allows(principal, Action.WRITE)):
        return  # an admin, say: nothing of their own to show, and no writing to start
    habits(principal)
    st.subheader("Your recent writing")
    if not view.recent:
        st.write("Nothing yet. Start a journal entry or a debrief on the Reflect page.")
    for d in view.recent:
        # Each opens on the Reflect page's "My reflections", expanded. The link's own label
        # is the app's word: a person's title stays out of every <a> the page sends.
        row = st.columns([8, 1], vertical_alignment="center")
        row[0].markdown(
            f"**{plain(d.title.strip())}** · {d.kind.value.replace('_', ' ')} · "
            f"{d.visibility.value} · {d.created_at:%d %b %Y}"
        )
        with row[1]:
            common.link("reflect", "Open", open=d.document_id)


def habits(principal: Principal) -> None:
    """The reflection rhythm and growth by prompt category."""
    h = common.get_container().reflection.habits(principal)
    st.subheader("Your reflection rhythm")
    if h.last_reflection is None:
        st.write("No reflections yet. Start one on the Reflect page.")
        return
    cols = st.columns(3)
    cols[0].metric("Last reflection", f"{h.last_reflection:%d %b %Y}")
    cols[1].metric(f"Weeks with a reflection (of {h.window_weeks})", h.weeks_with_reflection)
    cols[2].metric("Weekly streak", h.streak_weeks)
    frame = pd.DataFrame(h.by_month_and_category, columns=["month", "category", "entries"])
    chart = (
        alt.Chart(frame, title="Reflections by month and prompt category")
        .mark_bar()
        .encode(
            x=alt.X("month:O", title=None),
            y=alt.Y("entries:Q", title="Entries"),
            color=alt.Color("category:N", title="Category"),
            tooltip=["month", "category", "entries"],
        )
        .properties(height=220)
    )
    st.altair_chart(chart, width="stretch")


def notifications(principal: Principal) -> None:
    """What became of what the person wrote, newest first, with "mark as read"."""
    notes = common.get_container().notifications
    inbox = notes.inbox(principal, limit=20)
    if not inbox:
        return
    total = notes.unread(principal)
    if total:
        st.subheader(f"Notifications ({plain(total)} unread)", anchor=False)
    else:
        st.subheader("Notifications", anchor=False)
    for n in inbox:
        with st.container(border=True):
            cols = st.columns([6, 1])
            if n.read:
                cols[0].caption(f"Read · {plain(f'{n.created_at:%d %b %Y %H:%M}')} UTC")
            else:
                cols[0].caption(f"New · {plain(f'{n.created_at:%d %b %Y %H:%M}')} UTC")
            cols[0].markdown(plain(n.text))  # redacted text, and still user text
            if n.kind in DOCUMENT_NOTES:
                with cols[0]:
                    common.link("reflect", "Open it", open=n.subject_id)
            elif n.kind in ENTRY_NOTES and n.subject_id and allows(principal, Action.CURATE):
                with cols[0]:
                    common.link("curate", "Open the entry", entry=n.subject_id)
            if not n.read and cols[1].button("Mark as read", key=f"note-read:{n.notification_id}"):
                notes.mark_read(principal, [n.notification_id])
                st.rerun()
    if total > 1 and st.button("Mark all as read", key="notes:read-all"):
        notes.mark_read(principal)
        st.rerun()
