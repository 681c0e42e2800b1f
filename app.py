"""Living Playbook: Streamlit entry point (sign-in, navigation, pages from playbook/ui/)."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from streamlit.navigation.page import StreamlitPage

from playbook.permissions import Action, allows
from playbook.ui import (
    admin,
    ask,
    common,
    council,
    coverage,
    curate,
    handoff,
    health,
    home,
    impact,
    inclusion,
    mentoring,
    moderate,
    reflect,
    rotation,
    rotation_plans,
    search,
    signals,
    signin,
    surveys,
)
from playbook.ui.common import current_user, plain

st.set_page_config(page_title="Living Playbook", page_icon=":material/menu_book:", layout="wide")

# (section, page, title, icon, address, the action it needs). Pages appear only for people
# who may use them (an address left out opens Home); each page also refuses on its own
# (``playbook.permissions``), saying which role it needs.
PAGES: list[tuple[str, Callable[[], None], str, str, str, Action | None]] = [
    ("Playbook", home.page, "Home", "home", "home", None),
    ("Playbook", search.page, "Search", "search", "search", None),
    ("Playbook", ask.page, "Ask", "forum", "ask", Action.ASK),
    ("Playbook", rotation.page, "Before my rotation", "flight_takeoff", "rotation", None),
    ("Playbook", handoff.page, "Handoff pack", "inventory_2", "handoff", Action.HANDOFF),
    ("Write", reflect.page, "Reflect", "edit_note", "reflect", Action.WRITE),
    ("Programme", mentoring.page, "Mentoring", "handshake", "mentoring", Action.VIEW_PROGRAMME),
    ("Programme", council.page, "Advisor council", "groups", "council", None),
    ("Programme", rotation_plans.page, "Rotations", "event", "rotations", None),
    ("Programme", impact.page, "Impact", "insights", "impact", None),
    ("Health", health.page, "Programme health", "monitor_heart", "health", Action.VIEW_HEALTH),
    ("Health", signals.page, "Signals", "notifications", "signals", Action.WATCH_SIGNALS),
    ("Health", surveys.page, "Pulse surveys", "ballot", "surveys", Action.ANSWER_SURVEY),
    ("Health", coverage.page, "Coverage", "donut_small", "coverage", Action.VIEW_HEALTH),
    ("Health", inclusion.page, "Inclusion", "diversity_3", "inclusion", None),
    ("Curate", moderate.page, "Moderation", "fact_check", "moderate", Action.MODERATE),
    ("Curate", curate.page, "Curate", "menu_book", "curate", Action.CURATE),
    (
        "Manage",
        admin.page,
        "Administration",
        "admin_panel_settings",
        "admin",
        Action.MANAGE_USERS,
    ),
]


# Captions in Streamlit's faded grey fall below WCAG's 4.5:1 contrast on the default
# background; the page's own text colour, slightly lighter, stays above it in either theme.
_STYLE = '<style>[data-testid="stCaptionContainer"] { color: inherit; opacity: 0.8; }</style>'


def main() -> None:
    """Sign-in or the pages this person may use."""
    st.html(_STYLE)
    principal = current_user()
    common.keep_session_cookie()
    if principal is None:
        # Every page's address shows the sign-in page, so a bookmark or a reload after the
        # session ended asks to sign in (not "Page not found") and, once signed in, the same
        # address opens its page (a page's identity is its address).
        login = ":material/login:"
        nav = st.navigation(
            [st.Page(signin.page, title="Sign in", icon=login, url_path="signin", default=True)]
            + [
                st.Page(signin.page, title="Sign in", icon=login, url_path=address)
                for *_, address, _action in PAGES
            ],
            position="hidden",
        )
        nav.run()
        return
    with st.sidebar:
        st.markdown(f"Signed in as **{plain(principal.username)}**")
        if st.button("Sign out"):
            common.sign_out()
            st.rerun()
    # One flat list, in section order: Streamlit's sectioned sidebar puts its headers and
    # links in <div>s inside the <ul>, which screen readers cannot read as a list (axe's
    # "list" and "listitem", serious).
    pages: list[StreamlitPage] = [
        st.Page(
            fn, title=title, icon=f":material/{icon}:", url_path=address, default=address == "home"
        )
        for _section, fn, title, icon, address, action in PAGES
        if action is None or allows(principal, action)
    ]
    common.remember_pages({p.url_path: p for p in pages})
    # Always unfolded: with the programme-health pages a coordinator's menu passes twelve,
    # and Streamlit would fold Moderation, Curate and Administration behind "View N more".
    nav = st.navigation(pages, expanded=True)
    nav.run()


try:
    main()
except Exception as exc:  # a failure the page did not expect: a sentence, not a traceback
    common.show_failure(exc)
