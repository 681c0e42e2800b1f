"""The permission module: every action's rule, per programme, and the README's copy of it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from playbook.models import EntryStatus, Principal, Role, Visibility
from playbook.permissions import (
    RULES,
    Action,
    NotAllowedError,
    Target,
    allows,
    check,
    decide,
    matrix_markdown,
    programmes,
)

README = Path(__file__).resolve().parents[2] / "README.md"


def who(*memberships: tuple[str, Role], user_id: str = "me") -> Principal:
    return Principal(user_id=user_id, username=user_id, memberships=frozenset(memberships))


def doc(owner: str = "someone", programme: str = "p1", vis: Visibility = Visibility.SHARED):
    return Target(programme_id=programme, owner_id=owner, visibility=vis)


def test_every_action_has_a_rule_and_a_refusal() -> None:
    assert set(RULES) == set(Action)
    assert all(rule.refusal and rule.summary for rule in RULES.values())


@pytest.mark.parametrize(
    ("target", "reader", "expected"),
    [
        (doc(vis=Visibility.PRIVATE), who(("p1", Role.COORDINATOR)), False),
        (doc(vis=Visibility.PRIVATE), who(("p1", Role.ADMIN)), False),  # admins read no more
        (doc(owner="me", vis=Visibility.PRIVATE), who(), True),  # own, even with no programme
        (doc(vis=Visibility.SHARED), who(("p1", Role.LEADER)), True),
        (doc(vis=Visibility.SHARED), who(("p2", Role.COORDINATOR)), False),  # other programme
        (doc(vis=Visibility.PUBLISHED), who(("p1", Role.PARTICIPANT)), True),
        (doc(vis=Visibility.PUBLISHED), who(), False),
    ],
)
def test_read(target: Target, reader: Principal, expected: bool) -> None:
    assert allows(reader, Action.READ, target) is expected


@pytest.mark.parametrize(
    ("status", "role", "expected"),
    [
        (EntryStatus.PUBLISHED, Role.LEADER, True),
        (EntryStatus.DRAFT, Role.LEADER, False),
        (EntryStatus.IN_REVIEW, Role.PARTICIPANT, False),
        (EntryStatus.IN_REVIEW, Role.COORDINATOR, True),
        (EntryStatus.ARCHIVED, Role.ADMIN, False),
        (EntryStatus.ARCHIVED, Role.COORDINATOR, True),
    ],
)
def test_entries_are_read_by_members_once_published(
    status: EntryStatus, role: Role, expected: bool
) -> None:
    entry = Target(programme_id="p1", entry_status=status)
    assert allows(who(("p1", role)), Action.READ, entry) is expected
    assert not allows(who(("p2", Role.COORDINATOR)), Action.READ, entry)


@pytest.mark.parametrize("action", [Action.SHARE, Action.DELETE, Action.VIEW_ORIGINAL])
def test_owner_only_actions(action: Action) -> None:
    everyone = who(*((("p1", r)) for r in Role))
    assert allows(everyone, action, doc(owner="me"))
    decision = decide(everyone, action, doc(owner="someone"))
    assert not decision and "author" in decision.reason


def test_roles_count_only_in_their_own_programme() -> None:
    cora = who(("p1", Role.COORDINATOR), ("p2", Role.LEADER))
    assert allows(cora, Action.CURATE, Target.programme("p1"))
    assert not allows(cora, Action.CURATE, Target.programme("p2"))
    assert not allows(cora, Action.MODERATE, Target.programme("p2"))
    assert allows(cora, Action.CURATE)  # the page: she curates somewhere
    assert programmes(cora, Action.CURATE) == {"p1"}
    assert programmes(cora, Action.WRITE) == {"p1", "p2"}


def test_one_person_may_hold_several_roles() -> None:
    both = who(("p1", Role.LEADER), ("p1", Role.ADMIN))
    assert allows(both, Action.WRITE, Target.programme("p1"))
    assert allows(both, Action.MANAGE_USERS)
    assert not allows(both, Action.CURATE, Target.programme("p1"))


def test_admins_administer_but_do_not_write_curate_or_moderate() -> None:
    sam = who(("p1", Role.ADMIN))
    for action in (Action.MANAGE_USERS, Action.MANAGE_PRIVACY, Action.VIEW_AUDIT):
        assert allows(sam, action)
    for action in (Action.WRITE, Action.CURATE, Action.MODERATE, Action.SHOWCASE):
        assert not allows(sam, action, Target.programme("p1"))
    assert allows(sam, Action.ASK) and allows(sam, Action.HANDOFF)


def test_nobody_outside_a_programme_asks_or_builds_handoff_packs() -> None:
    loner = who()
    for action in (Action.ASK, Action.HANDOFF, Action.WRITE):
        with pytest.raises(NotAllowedError, match=RULES[action].refusal):
            check(loner, action)


def test_verification_by_the_named_verifier_when_there_is_one() -> None:
    cora = who(("p1", Role.COORDINATOR), user_id="cora")
    mine = Target(programme_id="p1", entry_status=EntryStatus.PUBLISHED, verifier_id="cora")
    theirs = Target(programme_id="p1", entry_status=EntryStatus.PUBLISHED, verifier_id="dev")
    anyone = Target(programme_id="p1", entry_status=EntryStatus.PUBLISHED)
    assert allows(cora, Action.VERIFY, mine) and allows(cora, Action.VERIFY, anyone)
    assert "named verifier" in decide(cora, Action.VERIFY, theirs).reason


def test_feedback_only_on_published_entries_of_ones_programmes() -> None:
    ada = who(("p1", Role.LEADER))
    published = Target(programme_id="p1", entry_status=EntryStatus.PUBLISHED)
    assert allows(ada, Action.FEEDBACK, published)
    assert not allows(
        ada, Action.FEEDBACK, Target(programme_id="p1", entry_status=EntryStatus.DRAFT)
    )
    assert not allows(
        ada, Action.FEEDBACK, Target(programme_id="p2", entry_status=EntryStatus.PUBLISHED)
    )


def test_the_readme_documents_this_matrix() -> None:
    text = README.read_text(encoding="utf-8")
    found = re.search(
        r"<!-- permission matrix: start -->\n(.*?)\n<!-- permission matrix: end -->", text, re.S
    )
    assert found, "the README has lost its permission matrix markers"
    assert found.group(1).strip() == matrix_markdown().strip(), (
        "README permission matrix is out of date; paste `playbook users matrix` into it"
    )


def test_a_deactivated_account_may_do_nothing() -> None:
    gone = Principal(
        user_id="me",
        username="me",
        memberships=frozenset({("p1", Role.COORDINATOR), ("p1", Role.ADMIN)}),
        active=False,
    )
    for action in Action:
        decision = decide(gone, action, doc(owner="me"))
        assert not decision and "deactivated" in decision.reason, action
