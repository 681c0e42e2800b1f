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
    c = common.get_container()
    # A rotation planned for this person: one click reads up on where they are going next.
    planned = c.rotations.mine(principal)
    for view in planned:
        st.info(plain("Your rotation: " + view.line()), icon=":material/flight_takeoff:")
    with st.form("rotation"):
        cols = st.columns(2)
        function = cols[0].text_input("Function", placeholder="e.g. Supply chain")
        market = cols[1].text_input("Market", placeholder="e.g. Singapore")
        go = st.form_submit_button("Show me", type="primary")
    nxt = planned[0].rotation if planned else None
    if nxt is not None and st.button("Show me for my next rotation", key="rotation:mine"):
        function, market, go = nxt.function, nxt.market, True
    if not go:
        return
    others = [
        v
        for v in c.rotations.going_next(principal, function, market)
        if v.person != principal.username
    ]
    if others:
        st.subheader("Also going there")
        for view in others:
            st.markdown(f"- {plain(view.line())}")
    try:
        brief = before_rotation(c.retriever, principal, function, market)
    except ValueError as exc:
        st.warning(plain(str(exc).capitalize()) + ".")
        return
    typed = {x.casefold() for x in (function.strip(), market.strip()) if x}
    if {p.casefold() for p in brief.places} != typed:  # "Saigon" was read as Vietnam
        st.caption(plain("Looked up as: " + ", ".join(brief.places)))
    if brief.mine:
        st.subheader("Your own debriefs of this place")
        for hit in brief.mine:
            with st.expander(plain(hit.title)):
                st.text(hit.text)
    if not (brief.entries or brief.debriefs):
        st.info(
            "Nobody else has shared anything approved about this yet. Your debrief could be "
            "the first."
        )
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
