"""Sign-in: single sign-on when configured, a username and password (argon2, throttled);
in demo mode, a demo user picker."""

from __future__ import annotations

import streamlit as st

from playbook.services.accounts import SignInError
from playbook.ui import common
from playbook.ui.common import plain


def page() -> None:
    """Render the sign-in page."""
    st.title("Living Playbook")
    st.write("Private reflection, rotation debriefs and a living playbook your successors inherit.")
    c = common.get_container()
    if st.session_state.pop("expired", False):
        st.info("Your session expired. Sign in again.")
    if st.session_state.pop("ended", False):
        st.info("You were signed out: in another tab, or by an admin. Sign in again.")
    if st.session_state.pop("deactivated", False):
        st.warning("This account has been deactivated. Ask an admin if that is a mistake.")
    demo_users = c.administration.demo_users() if c.settings.demo else []
    if common.sso_configured():
        refused = st.session_state.get(common.SSO_ERROR)
        if refused:
            st.error(plain(refused[0].upper() + refused[1:]) + ".")
            if st.button("Sign out of single sign-on"):
                st.session_state.pop(common.SSO_ERROR, None)
                st.logout()
        elif st.button("Sign in with single sign-on", type="primary"):
            st.login(c.settings.sso_provider) if c.settings.sso_provider else st.login()
    if c.accounts.has_passwords():
        with st.form("password"):
            username = st.text_input("Username", autocomplete="username")
            password = st.text_input("Password", type="password", autocomplete="current-password")
            if st.form_submit_button("Sign in", type="primary"):
                try:
                    who = c.accounts.sign_in(username, password)
                except SignInError as exc:
                    st.error(plain(str(exc).capitalize()) + ".")
                else:
                    common.sign_in(who)
                    st.rerun()
    if demo_users:
        with st.form("signin"):
            labels = {u.username: f"{u.display_name}" for u in demo_users}
            choice = st.selectbox("Demo user", list(labels), format_func=labels.__getitem__)
            if st.form_submit_button("Sign in as this demo user"):
                common.sign_in(c.administration.demo_sign_in(choice))
                st.rerun()
        st.caption(
            "Demo mode: demo users have no passwords. Turn demo mode off with PLAYBOOK_DEMO=false."
        )
    elif not c.accounts.has_passwords():
        st.info(
            "No account can sign in yet. Start the app outside demo mode once: it creates the "
            "first admin and prints its password on the server console (or set "
            "PLAYBOOK_ADMIN_PASSWORD). Give others passwords with `playbook users passwd USER`."
        )
