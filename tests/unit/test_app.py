"""The Streamlit app's logic, driven by streamlit.testing (fakes behind the container)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from playbook.models import Role
from playbook.ui import common
from playbook.wiring import Container
from tests.unit.test_plain_text import unescape

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_sign_in_as_a_demo_user_lands_on_home(demo: Container) -> None:
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    [box] = at.selectbox
    assert box.options == [
        "Ada (leader)",
        "Cora (coordinator)",
        "Ravi (rotation participant)",
        "Sam (admin)",
        "Sofia (sponsor)",
    ]
    box.set_value("ravi")
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state["username"] == "ravi"
    assert [t.value for t in at.title] == ["Welcome, Ravi"]  # no "(rotation participant)"
    assert [m.label for m in at.metric][:3] == [
        "Your documents",
        "Shared with you",
        "Playbook entries",
    ]


def test_without_demo_mode_there_is_no_demo_sign_in(demo: Container) -> None:
    demo.settings = demo.settings.model_copy(update={"demo": False})
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.selectbox
    assert "No account can sign in yet" in at.info[0].value


def test_password_sign_in_throttles_and_signs_out(demo: Container) -> None:
    demo.settings = demo.settings.model_copy(update={"demo": False})
    demo.accounts.set_password("ada", "correct horse battery staple")
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.selectbox  # no demo users outside demo mode
    at.text_input[0].input("ada")
    at.text_input[1].input("wrong guess, twice over")
    at.button[0].click().run()
    assert "Unknown username or wrong password." in at.error[0].value
    assert "username" not in at.session_state
    at.text_input[1].input("correct horse battery staple")
    at.button[0].click().run()
    assert not at.exception and at.session_state["username"] == "ada"
    assert any("Welcome, Ada" in t.value for t in at.title)
    [out] = [b for b in at.button if b.label == "Sign out"]
    out.click().run()
    assert "username" not in at.session_state and at.text_input[0].label == "Username"
    actions = [e.action for e in demo.audit.events()]
    assert actions[:2] == ["sign-in", "sign-in failed"]


def test_an_expired_session_asks_to_sign_in_again(demo: Container) -> None:
    import datetime as dt

    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["username"] = "ada"
    at.session_state["signed_in_at"] = dt.datetime.now(dt.UTC) - dt.timedelta(hours=13)
    at.run()
    assert "username" not in at.session_state
    assert "Your session expired. Sign in again." in at.info[0].value


AUTH = {  # an [auth] section as in .streamlit/secrets.toml; nothing here is contacted
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not-a-real-secret-for-tests",
    "client_id": "playbook",
    "client_secret": "unused",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def test_single_sign_on_maps_a_linked_identity_to_its_user(demo: Container) -> None:
    demo.settings = demo.settings.model_copy(update={"demo": False})
    demo.records.add_user("nia", "Nia", [Role.COORDINATOR])
    demo.accounts.link_sso("nia", "Nia@Example.com")
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False}
    at.run()
    assert [b.label for b in at.button] == ["Sign in with single sign-on"]
    at.user = {"is_logged_in": True, "email": "nia@example.com", "email_verified": True}
    at.run()
    assert not at.exception and at.session_state["username"] == "nia"
    assert any("Welcome, Nia" in t.value for t in at.title)
    assert demo.audit.events()[0].detail == "single sign-on"
    [out] = [b for b in at.button if b.label == "Sign out"]
    out.click().run()  # also signs out of the provider (st.logout), or SSO would sign in again
    assert "username" not in at.session_state and at.user["is_logged_in"] is False
    assert [b.label for b in at.button] == ["Sign in with single sign-on"]


def test_single_sign_on_refuses_an_unlinked_identity(demo: Container) -> None:
    demo.settings = demo.settings.model_copy(update={"demo": False})
    at = AppTest.from_file(APP, default_timeout=30)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "stranger@example.com"}
    at.run()
    assert not at.exception and "username" not in at.session_state
    refused = unescape(at.error[0].value)  # shown as plain text: it quotes the identity
    assert "The identity stranger@example.com is not linked to an account here" in refused
    assert [b.label for b in at.button] == ["Sign out of single sign-on"]


def test_without_an_auth_section_there_is_no_single_sign_on(demo: Container) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.user = {"is_logged_in": True, "email": "cora@example.com"}
    at.run()
    assert "username" not in at.session_state
    assert "Sign in with single sign-on" not in [b.label for b in at.button]


def _search_page() -> None:
    import streamlit as st

    from playbook.ui import search

    st.session_state["username"] = "ravi"
    search.page()


def test_search_shows_only_what_the_reader_may_see(demo: Container) -> None:
    at = AppTest.from_function(_search_page, default_timeout=30).run()
    at.text_input[0].input("pricing assumption decision")
    at.button[0].click().run()
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "Name your least certain assumption" in shown  # published entry
    assert "Pricing call under time pressure" not in shown  # ada's private journal


def test_search_filters_by_tag_and_refuses_a_backwards_date_range(demo: Container) -> None:
    at = AppTest.from_function(_search_page, default_timeout=30).run()
    at.text_input[0].input("assumption decision distributors")
    # The form's text inputs, in order: query, function, market, tags.
    at.text_input[3].input("playbook")
    at.button[0].click().run()
    assert not at.exception
    titles = {
        m.value.split(". ", 1)[1].rstrip("*")
        for m in at.markdown
        if m.value.startswith("**") and m.value[2:3].isdigit()
    }
    assert titles == {
        "Name your least certain assumption before a fast decision",
        "Count the cost of exceptions when judging cost\\-to\\-serve",
    }  # the two entries tagged "playbook", and nothing else ravi may read
    at.text_input[3].input("")
    at.date_input[0].set_value(dt.date(2026, 10, 1))
    at.date_input[1].set_value(dt.date(2026, 9, 1))
    at.button[0].click().run()
    assert "swap the dates" in at.warning[0].value


def test_search_refuses_a_query_without_words(demo: Container) -> None:
    at = AppTest.from_function(_search_page, default_timeout=30).run()
    at.text_input[0].input("?!")
    at.button[0].click().run()
    assert "The query has no words to search for, only punctuation." in at.warning[0].value


def test_user_text_is_escaped_not_rendered(demo: Container) -> None:
    assert common.plain("**bold** <b>x</b> [link](http://x)") == (
        "\\*\\*bold\\*\\* \\<b\\>x\\</b\\> \\[link\\]\\(http\\:\u2060//x\\)"
    )


def test_a_deactivated_account_is_signed_out_of_its_open_session(demo: Container) -> None:
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["username"] = "ada"
    at.run()
    assert any("Welcome, Ada" in t.value for t in at.title)
    demo.records.set_active("ada", False)
    at.run()
    assert "username" not in at.session_state
    assert "This account has been deactivated" in at.warning[0].value


def test_a_session_survives_a_reload_and_signing_out_ends_it_in_every_tab(
    demo: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = AppTest.from_file(APP, default_timeout=30).run()
    first.selectbox[0].set_value("ada")
    first.button[0].click().run()
    token = first.session_state[common.SESSION_KEY]
    assert demo.sessions.user(token) == "ada"
    # A reload (or a second tab) is a new Streamlit session that brings only the cookie.
    monkeypatch.setattr(common, "_browser_token", lambda: token)
    second = AppTest.from_file(APP, default_timeout=30).run()
    assert not second.exception and second.session_state["username"] == "ada"
    assert any("Welcome, Ada" in t.value for t in second.title)
    [out] = [b for b in first.button if b.label == "Sign out"]
    out.click().run()
    assert demo.sessions.user(token) is None
    second.run()  # the other tab's next run finds its session ended
    assert "username" not in second.session_state
    assert "You were signed out" in second.info[0].value
    third = AppTest.from_file(APP, default_timeout=30).run()  # and a reload stays out
    assert "username" not in third.session_state and third.selectbox


def test_counts_agree_with_their_nouns() -> None:
    assert common.count(1, "version") == "1 version"
    assert common.count(2, "version") == "2 versions"
    assert common.count(1, "entry", "entries") == "1 entry"
    assert common.count(0, "person", "people") == "0 people"
    assert common.greeting_name("Ravi (rotation participant)") == "Ravi"
    assert common.greeting_name("Sofia (sponsor)") == "Sofia"
    assert common.greeting_name("Nia Okafor (Finance)") == "Nia Okafor (Finance)"
