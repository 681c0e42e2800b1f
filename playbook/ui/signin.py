"""Sign-in. In demo mode, pick a demo user; accounts with passwords come with access control."""

from __future__ import annotations

import streamlit as st

from playbook.ui import common


def page() -> None:
    """Render the sign-in page."""
    st.title("Living Playbook")
    st.write("Private reflection, rotation debriefs and a living playbook your successors inherit.")
    c = common.get_container()
    demo_users = [u for u in c.records.users() if u.is_demo]
    if not c.settings.demo or not demo_users:
        st.info(
            "Password sign-in is not available yet in this version. "
            "Start the app in demo mode (`make run` does) to try it with demo users."
        )
        return
    with st.form("signin"):
        labels = {u.username: f"{u.display_name}" for u in demo_users}
        choice = st.selectbox("Demo user", list(labels), format_func=labels.__getitem__)
        if st.form_submit_button("Sign in", type="primary"):
            st.session_state["username"] = choice
            st.rerun()
    st.caption(
        "Demo mode: demo users have no passwords. Turn demo mode off with PLAYBOOK_DEMO=false."
    )
