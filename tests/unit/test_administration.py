"""User administration as one use case: the command line (the operator, ``admin=None``) and
the admin page (a signed-in admin) check the same permission and write the same audit line."""

from __future__ import annotations

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
