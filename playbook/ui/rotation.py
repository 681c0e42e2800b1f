"""Before my rotation: what the people before you learned about a function or market."""

from __future__ import annotations

import streamlit as st

from playbook.services.ask import before_rotation
from playbook.ui import common
from playbook.ui.common import current_user, plain


def page() -> None:
    """Render the page."""
    principal = current_user()
    if principal is None:
        st.stop()
    st.title("Before my rotation")
    st.caption("Lessons, approved debriefs and playbook entries for where you are going next.")
    with st.form("rotation"):
        cols = st.columns(2)
        function = cols[0].text_input("Function", placeholder="e.g. Supply chain")
        market = cols[1].text_input("Market", placeholder="e.g. Singapore")
        go = st.form_submit_button("Show me", type="primary")
    if not go:
        return
    c = common.get_container()
    try:
        brief = before_rotation(c.retriever, principal, function, market)
    except ValueError as exc:
        st.warning(plain(str(exc).capitalize()) + ".")
        return
    if not (brief.entries or brief.debriefs):
        st.info("Nobody has shared anything about this yet. Your debrief could be the first.")
        return
    if brief.advice:
        st.subheader("Advice from the people before you")
        for text, hit in brief.advice:
            st.markdown(f"- {plain(text)} — *{plain(hit.title.strip())}*")
    if brief.open_questions:
        st.subheader("Questions they left open")
        for text, hit in brief.open_questions:
            st.markdown(f"- {plain(text)} — *{plain(hit.title.strip())}*")
    for label, hits in (("Playbook entries", brief.entries), ("Debriefs", brief.debriefs)):
        if hits:
            st.subheader(label)
            for hit in hits:
                with st.expander(plain(hit.title)):
                    st.text(hit.text)
