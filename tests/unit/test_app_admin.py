"""The admin page: admins only; users and roles, passwords, the roster, the audit log."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from playbook.models import Role
from playbook.wiring import Container


def _admin_as(user: str) -> None:
    import streamlit as st

    from playbook.ui import admin

    st.session_state["username"] = user
    admin.page()


def _page(user: str) -> AppTest:
    return AppTest.from_function(_admin_as, args=(user,), default_timeout=30).run()


@pytest.mark.parametrize("user", ["ada", "cora"])
def test_only_admins_administer(demo: Container, user: str) -> None:
    at = _page(user)
    assert "Managing accounts and roles needs the admin role" in at.info[0].value and not at.tabs


def test_add_a_user_with_roles_and_a_password(demo: Container) -> None:
    at = _page("sam")
    assert not at.exception
    inputs = {t.label: t for t in at.text_input}
    inputs["Username"].input("Nia")
    [roles] = at.multiselect
    roles.set_value([Role.COORDINATOR])
    inputs["Password (optional)"].input("correct horse battery staple")
    at.button(key="FormSubmitter:add-user-Save").click().run()
    assert not at.exception and "Saved nia." in at.success[0].value
    assert Role.COORDINATOR in demo.records.principal("nia").roles
    assert demo.accounts.sign_in("nia", "correct horse battery staple") == "nia"
    actions = [(e.actor, e.action, e.subject) for e in demo.audit.events()]
    assert ("sam", "user added", "nia") in actions and ("sam", "password set", "nia") in actions
    # A weak password is refused with the reason; the roles were saved before it.
    inputs = {t.label: t for t in at.text_input}
    inputs["Username"].input("nia")
    inputs["Password (optional)"].input("short")
    at.button(key="FormSubmitter:add-user-Save").click().run()
    assert "at least 12 characters" in at.warning[0].value


def test_the_audit_log_is_shown_and_downloadable(demo: Container) -> None:
    demo.audit.record("ada", "sign-in", "ada")
    at = _page("sam")
    [table] = [d for d in at.dataframe if "action" in d.value.columns]
    assert "sign-in" in set(table.value["action"])
    assert at.get("download_button")


def test_link_a_single_sign_on_identity(demo: Container) -> None:
    demo.records.add_user("nia", "Nia", [Role.COORDINATOR])
    at = _page("sam")
    at.text_input(key="sso:user").input("nia")
    at.text_input(key="sso:email").input("nia@example.com")
    at.button(key="FormSubmitter:link-sso-Link").click().run()
    assert not at.exception and "Linked nia." in at.success[0].value
    assert demo.accounts.sso_sign_in({"email": "nia@example.com"}) == "nia"
    at.text_input(key="sso:user").input("ada")  # a demo user: refused, with the reason
    at.text_input(key="sso:email").input("ada@example.com")
    at.button(key="FormSubmitter:link-sso-Link").click().run()
    assert "Demo users cannot use single sign\\-on." in at.warning[0].value  # plain text


def test_programmes_are_listed_with_their_people(demo: Container) -> None:
    demo.records.add_user("nia", "Nia", [Role.LEADER], "north")
    at = _page("sam")
    programmes = at.dataframe[1].value
    assert list(programmes["programme"]) == ["default", "north"]
    assert list(programmes["people"]) == [4, 1]
    assert demo.records.programmes()[1] == ("north", "north", 1)


def test_deactivate_an_account_but_not_ones_own(demo: Container) -> None:
    at = _page("sam")
    at.text_input(key="active:user").input("ravi")
    at.button(key="FormSubmitter:deactivate-Apply").click().run()
    assert not at.exception and "ravi is deactivated." in at.success[0].value
    assert not demo.records.principal("ravi").active
    at.text_input(key="active:user").input("sam")
    at.button(key="FormSubmitter:deactivate-Apply").click().run()
    assert "You cannot deactivate your own account." in at.warning[0].value
    assert demo.records.principal("sam").active
