"""Living Playbook: Streamlit entry point (sign-in, navigation, pages from playbook/ui/)."""

from __future__ import annotations

import streamlit as st

from playbook.ui import (
    admin,
    ask,
    common,
    curate,
    handoff,
    home,
    moderate,
    reflect,
    rotation,
    search,
    signin,
)
from playbook.ui.common import current_user

st.set_page_config(page_title="Living Playbook", page_icon=":material/menu_book:", layout="wide")

principal = current_user()
if principal is None:
    nav = st.navigation(
        [st.Page(signin.page, title="Sign in", icon=":material/login:", url_path="signin")]
    )
else:
    with st.sidebar:
        st.write(f"Signed in as **{principal.username}**")
        if st.button("Sign out"):
            common.sign_out()
            st.rerun()
    nav = st.navigation(
        {
            "Playbook": [
                st.Page(
                    home.page, title="Home", icon=":material/home:", url_path="home", default=True
                ),
                st.Page(search.page, title="Search", icon=":material/search:", url_path="search"),
                st.Page(ask.page, title="Ask", icon=":material/forum:", url_path="ask"),
                st.Page(
                    rotation.page,
                    title="Before my rotation",
                    icon=":material/flight_takeoff:",
                    url_path="rotation",
                ),
                st.Page(
                    handoff.page,
                    title="Handoff pack",
                    icon=":material/inventory_2:",
                    url_path="handoff",
                ),
            ],
            "Write": [
                st.Page(
                    reflect.page, title="Reflect", icon=":material/edit_note:", url_path="reflect"
                ),
            ],
            "Curate": [
                st.Page(
                    moderate.page,
                    title="Moderation",
                    icon=":material/fact_check:",
                    url_path="moderate",
                ),
                st.Page(
                    curate.page, title="Curate", icon=":material/menu_book:", url_path="curate"
                ),
                st.Page(
                    admin.page,
                    title="Administration",
                    icon=":material/admin_panel_settings:",
                    url_path="admin",
                ),
            ],
        }
    )
nav.run()
