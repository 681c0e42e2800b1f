"""User administration as one use case: the command line (the operator, ``admin=None``) and
the admin page (a signed-in admin) check the same permission and write the same audit line."""

from __future__ import annotations

import datetime as dt

import pytest

from playbook.models import Role, StoreError
from playbook.permissions import RULES, Action, NotAllowedError
from playbook.services.administration import OPERATOR, AdministrationService
from playbook.wiring import Container


@pytest.fixture
def admin(members: Container) -> AdministrationService:
    members.records.add_user("sam", roles=[Role.ADMIN])
    return members.administration


def _lines(c: Container) -> list[tuple[str | None, str, str, str]]:
    return [(e.actor, e.action, e.subject, e.detail) for e in reversed(c.audit.events())]


def test_the_operator_and_an_admin_leave_the_same_line(
    members: Container, admin: AdministrationService
) -> None:
    sam = admin.principal("sam")
    admin.add_user(None, "nia", [Role.LEADER, Role.COORDINATOR], "north")
    admin.add_user(sam, "omar", [Role.COORDINATOR, Role.LEADER], "north")
    admin.set_roles(None, "nia", [Role.ADMIN], "north")
    admin.set_roles(sam, "omar", [Role.ADMIN], "north")
    admin.set_active(None, "nia", active=False)
    admin.set_active(sam, "omar", active=False)
    assert _lines(members) == [
        (OPERATOR, "user added", "nia", "north: coordinator, leader"),
        ("sam", "user added", "omar", "north: coordinator, leader"),
        (OPERATOR, "roles changed", "nia", "north: admin"),
        ("sam", "roles changed", "omar", "north: admin"),
        (OPERATOR, "user deactivated", "nia", ""),
        ("sam", "user deactivated", "omar", ""),
    ]
    assert not admin.principal("omar").active
    assert Role.ADMIN in admin.principal("nia").roles


def test_save_user_adds_or_changes_roles(admin: AdministrationService) -> None:
    sam = admin.principal("sam")
    admin.save_user(sam, "nia", [Role.LEADER], "default")
    admin.save_user(sam, "nia", [Role.COORDINATOR], "default")
    assert admin.user("nia").roles == {"default": (Role.COORDINATOR,)}
    with pytest.raises(StoreError, match="already exists"):
        admin.add_user(None, "nia", [Role.LEADER])


def test_only_admins_administer_and_a_refusal_changes_nothing(
    members: Container, admin: AdministrationService
) -> None:
    cora = admin.principal("cora")
    before = _lines(members)
    refusal = RULES[Action.MANAGE_USERS].refusal
    for attempt in (
        lambda: admin.add_user(cora, "nia", [Role.ADMIN]),
        lambda: admin.set_roles(cora, "cora", [Role.ADMIN], "default"),
        lambda: admin.set_active(cora, "ravi", active=False),
        lambda: admin.set_password(cora, "ravi", "correct horse battery staple"),
        lambda: admin.link_sso(cora, "ravi", "ravi@example.com"),
        lambda: admin.users(cora),
        lambda: admin.programmes(cora),
    ):
        with pytest.raises(NotAllowedError, match=refusal):
            attempt()
    assert _lines(members) == before
    assert admin.principal("ravi").active and Role.ADMIN not in admin.principal("cora").roles


def test_an_admin_cannot_deactivate_themself(admin: AdministrationService) -> None:
    sam = admin.principal("sam")
    with pytest.raises(ValueError, match="your own account"):
        admin.set_active(sam, "sam", active=False)
    assert admin.principal("sam").active
    admin.set_active(None, "sam", active=False)  # the operator may
    assert not admin.principal("sam").active


def test_passwords_and_sign_on_links_name_who_set_them(
    members: Container, admin: AdministrationService
) -> None:
    sam = admin.principal("sam")
    admin.set_password(None, "ada", "correct horse battery staple")
    admin.set_password(sam, "ravi", "correct horse battery staple")
    with pytest.raises(ValueError, match="at least 12 characters"):
        admin.set_password(sam, "ravi", "short")
    admin.link_sso(sam, "ravi", "ravi@example.com")
    admin.link_sso(None, "ravi", None)
    assert members.accounts.sign_in("ravi", "correct horse battery staple") == "ravi"
    lines = [line[:3] for line in _lines(members)]
    assert lines[:4] == [
        (OPERATOR, "password set", "ada"),
        ("sam", "password set", "ravi"),
        ("sam", "sso linked", "ravi"),
        (OPERATOR, "sso unlinked", "ravi"),
    ]


def test_the_audit_log_is_for_admins(members: Container, admin: AdministrationService) -> None:
    sam, cora = admin.principal("sam"), admin.principal("cora")
    admin.add_user(sam, "nia", [Role.LEADER])
    with pytest.raises(NotAllowedError, match=RULES[Action.VIEW_AUDIT].refusal):
        admin.audit_events(cora)
    with pytest.raises(NotAllowedError):
        admin.audit_csv(cora)
    assert [e.action for e in admin.audit_events(sam, "user added")] == ["user added"]
    text, lines = admin.audit_csv(sam)
    assert lines == 1 and text.splitlines()[0] == "at,actor,action,subject,detail"
    assert len(members.audit.events()) == 1  # reading it records nothing
    admin.record_audit_export(sam, "audit.csv", lines)
    assert _lines(members)[-1] == ("sam", "audit exported", "audit.csv", "1 lines")


def test_exports_and_privacy_changes_are_recorded(
    members: Container, admin: AdministrationService
) -> None:
    sam, cora = admin.principal("sam"), admin.principal("cora")
    admin.record_export("ravi", "Handoff pack: Singapore", "pdf")
    admin.record_roster_upload(sam, 12)
    admin.record_term_added(sam, "deny")
    with pytest.raises(NotAllowedError):
        admin.record_roster_upload(cora, 3)
    assert _lines(members) == [
        ("ravi", "export", "Handoff pack: Singapore", "pdf"),
        ("sam", "roster uploaded", "", "12 people"),
        ("sam", "term added", "deny", ""),
    ]


def test_directory_reads(members: Container, admin: AdministrationService) -> None:
    cora, ada = admin.principal("cora"), admin.principal("ada")
    default = admin.programme_id("default")
    assert admin.coordinators(default) == {cora.user_id: "cora"}
    assert admin.usernames([cora.user_id, ada.user_id]) == {
        cora.user_id: "cora",
        ada.user_id: "ada",
    }
    assert admin.programme_names([default]) == {default: "default"}
    assert admin.user("ada").username == "ada"
    with pytest.raises(StoreError):
        admin.programme_id("nowhere")


def test_demo_sign_in_is_for_demo_users_only(
    members: Container, admin: AdministrationService
) -> None:
    members.records.add_user("dee", "Dee", [Role.LEADER], is_demo=True)
    assert [u.username for u in admin.demo_users()] == ["dee"]
    assert admin.demo_sign_in("dee") == "dee"
    with pytest.raises(StoreError, match="not a demo user"):
        admin.demo_sign_in("ada")
    assert _lines(members) == [("dee", "sign-in", "dee", "demo user")]


def test_create_user_checks_every_field_before_it_stores_anything(
    members: Container, admin: AdministrationService
) -> None:
    sam = admin.principal("sam")
    members.records.add_user("omar", roles=[Role.LEADER])
    members.accounts.link_sso("omar", "omar@example.com")
    before = _lines(members)
    for fields, refusal in (
        ({"password": "short"}, "at least 12 characters"),
        ({"email": "not an address"}, "is not an e-mail address"),
        ({"email": "omar@example.com"}, "already linked to omar"),
    ):
        with pytest.raises(ValueError, match=refusal):
            admin.create_user(sam, "nia", [Role.LEADER], **fields)  # type: ignore[arg-type]
        assert "nia" not in {u.username for u in admin.users(sam)}
    with pytest.raises(ValueError, match="not a valid user name"):
        admin.create_user(sam, "two words", [Role.LEADER])
    with pytest.raises(StoreError, match="already exists"):
        admin.create_user(sam, "Omar", [Role.LEADER], password="correct horse battery staple")
    assert _lines(members) == before  # nothing was created, so nothing was recorded


def test_create_user_with_a_name_an_address_and_a_password(
    members: Container, admin: AdministrationService
) -> None:
    sam = admin.principal("sam")
    info = admin.create_user(
        sam,
        " Nia ",
        [Role.COORDINATOR],
        "north",
        display_name="Nia Okafor",
        email="Nia@Example.com",
        password="correct horse battery staple",
    )
    assert (info.username, info.display_name) == ("nia", "Nia Okafor")
    assert [line[1] for line in _lines(members)] == ["user added", "password set", "sso linked"]
    assert members.accounts.sign_in("nia", "correct horse battery staple") == "nia"
    assert members.accounts.sso_sign_in({"email": "nia@example.com"}) == "nia"


def test_deactivation_and_a_new_password_end_open_sessions(
    members: Container, admin: AdministrationService
) -> None:
    sam = admin.principal("sam")
    ada, ada_too, ravi = (members.sessions.start(u) for u in ("ada", "ada", "ravi"))
    admin.set_password(sam, "ada", "correct horse battery staple")
    assert members.sessions.user(ada) is None and members.sessions.user(ada_too) is None
    assert members.sessions.user(ravi) == "ravi"
    admin.set_active(sam, "ravi", active=False)
    assert members.sessions.user(ravi) is None


def test_the_audit_log_filters_by_person_action_text_and_days(
    members: Container, admin: AdministrationService
) -> None:
    sam = admin.principal("sam")
    day = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    for offset, actor, action, subject in (
        (0, "ada", "sign-in", "ada"),
        (1, None, "sign-in failed", "ravi"),
        (2, "sam", "user deactivated", "ravi"),
        (3, "cora", "share approved", "doc-1"),
    ):
        members.audit.now = lambda offset=offset: day + dt.timedelta(days=offset)  # type: ignore[misc]
        members.audit.record(actor, action, subject)

    def actions(**filters: object) -> list[str]:
        return [e.action for e in admin.audit_events(sam, **filters)]  # type: ignore[arg-type]

    assert actions(action="SIGN-IN") == ["sign-in failed", "sign-in"]  # a substring, any case
    assert actions(person="ravi") == ["user deactivated", "sign-in failed"]  # actor or subject
    assert actions(since=dt.date(2026, 11, 21), until=dt.date(2026, 11, 22)) == [
        "user deactivated",
        "sign-in failed",
    ]
    assert actions(person="sam", action="user") == ["user deactivated"]
    assert "cli" in admin.audit_people(sam) and "ravi" in admin.audit_people(sam)
