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
    [roles] = [m for m in at.multiselect if m.key != "roles:roles"]
    roles.set_value([Role.COORDINATOR])
    inputs["Password (optional)"].input("correct horse battery staple")
    inputs["Display name (optional)"].input("Nia Okafor")
    inputs["E-mail for single sign-on (optional)"].input("nia@example.com")
    at.button(key="FormSubmitter:add-user-Add user").click().run()
    assert not at.exception and "Saved nia." in at.success[0].value
    assert Role.COORDINATOR in demo.records.principal("nia").roles
    assert demo.records.user("nia").display_name == "Nia Okafor"
    assert demo.accounts.sso_sign_in({"email": "nia@example.com"}) == "nia"
    assert demo.accounts.sign_in("nia", "correct horse battery staple") == "nia"
    actions = [(e.actor, e.action, e.subject) for e in demo.audit.events()]
    assert ("sam", "user added", "nia") in actions and ("sam", "password set", "nia") in actions
    # A weak password is refused with the reason, and nothing is created.
    inputs = {t.label: t for t in at.text_input}
    inputs["Username"].input("omar")
    inputs["Password (optional)"].input("short")
    inputs["E-mail for single sign-on (optional)"].input("")
    at.button(key="FormSubmitter:add-user-Add user").click().run()
    assert "at least 12 characters" in at.warning[0].value
    assert "omar" not in {u.username for u in demo.records.users()}
    assert not any(e.subject == "omar" for e in demo.audit.events())


def test_the_audit_log_is_shown_and_downloadable(demo: Container) -> None:
    demo.audit.record("ada", "sign-in", "ada")
    at = _page("sam")
    [table] = [d for d in at.dataframe if "action" in d.value.columns]
    assert "sign-in" in set(table.value["action"])
    assert at.get("download_button")


def test_link_a_single_sign_on_identity(demo: Container) -> None:
    demo.records.add_user("nia", "Nia", [Role.COORDINATOR])
    at = _page("sam")
    at.selectbox(key="sso:user").set_value("nia")
    at.text_input(key="sso:email").input("nia@example.com")
    at.button(key="FormSubmitter:link-sso-Link").click().run()
    assert not at.exception and "Linked nia." in at.success[0].value
    assert demo.accounts.sso_sign_in({"email": "nia@example.com"}) == "nia"
    at.selectbox(key="sso:user").set_value("ada")  # a demo user: refused, with the reason
    at.text_input(key="sso:email").input("ada@example.com")
    at.button(key="FormSubmitter:link-sso-Link").click().run()
    assert "Demo users cannot use single sign\\-on." in at.warning[0].value  # plain text


def test_programmes_are_listed_with_their_people(demo: Container) -> None:
    demo.records.add_user("nia", "Nia", [Role.LEADER], "north")
    at = _page("sam")
    programmes = at.dataframe[1].value
    assert list(programmes["programme"]) == ["default", "north"]
    from playbook.demo import DEMO_USERS
    from playbook.demo.mentoring import PEOPLE  # the colleagues the mentoring demo matches

    assert list(programmes["people"]) == [len(DEMO_USERS) + len(PEOPLE), 1]
    assert demo.records.programmes()[1] == ("north", "north", 1)


def test_deactivate_an_account_but_not_ones_own(demo: Container) -> None:
    at = _page("sam")
    at.selectbox(key="active:user").set_value("ravi")
    at.button(key="FormSubmitter:deactivate-Apply").click().run()
    assert not at.exception and "ravi is deactivated." in at.success[0].value
    assert not demo.records.principal("ravi").active
    at.selectbox(key="active:user").set_value("sam")
    at.button(key="FormSubmitter:deactivate-Apply").click().run()
    assert "You cannot deactivate your own account." in at.warning[0].value
    assert demo.records.principal("sam").active


def test_roles_are_set_by_picking_a_user(demo: Container) -> None:
    at = _page("sam")
    assert "ravi" in at.selectbox(key="roles:user").options  # a picker, not a typed name
    at.selectbox(key="roles:user").set_value("ravi")
    at.multiselect(key="roles:roles").set_value([Role.COORDINATOR])
    at.button(key="FormSubmitter:roles-Save roles").click().run()
    assert not at.exception and "Saved the roles of ravi." in at.success[0].value
    assert Role.COORDINATOR in demo.records.principal("ravi").roles


def test_the_roster_caption_counts_the_roster_just_uploaded(
    demo: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playbook.ui import admin

    class Upload:
        def getvalue(self) -> bytes:
            return b"name,email\nTony Mercer,tony@example.com\n"

    at = _page("sam")
    assert any("The roster holds 0 people;" in c.value for c in at.caption)
    monkeypatch.setattr(admin.st, "file_uploader", lambda *a, **k: Upload())
    at = _page("sam")
    [replace] = [b for b in at.button if b.label == "Replace the roster"]
    replace.click().run()
    assert not at.exception and "Roster replaced: 1 person." in at.success[0].value
    captions = [c.value for c in at.caption]
    assert any("The roster holds 1 person;" in c for c in captions), captions


def test_the_audit_log_filters_by_person_action_and_day(demo: Container) -> None:
    import datetime as dt

    demo.audit.record("ada", "sign-in", "ada")
    demo.audit.record(None, "sign-in failed", "ravi")
    demo.audit.record("sam", "user deactivated", "ravi")
    at = _page("sam")

    def shown() -> list[str]:
        # The lines recorded here (the demo's seeding writes lines of its own, by ravi too).
        tables = [d for d in at.dataframe if "action" in d.value.columns]
        ours = {"sign-in", "sign-in failed", "user deactivated"}
        return [a for t in tables for a in t.value["action"] if a in ours]

    at.text_input(key="audit:action").input("SIGN-IN").run()
    assert shown() == ["sign-in failed", "sign-in"]  # a substring, any case
    at.text_input(key="audit:action").input("").run()
    at.selectbox(key="audit:person").set_value("ravi").run()
    assert shown() == ["user deactivated", "sign-in failed"]
    tomorrow = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    at.date_input(key="audit:since").set_value(tomorrow).run()
    assert shown() == [] and "0 lines" in " ".join(c.value for c in at.caption)
