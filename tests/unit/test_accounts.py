"""Accounts: argon2 hashes, one message for unknown users and wrong passwords, throttling
after repeated failures, the first admin, and an append-only audit log."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from playbook.models import Role, StoreError
from playbook.services.accounts import (
    BAD_CREDENTIALS,
    Accounts,
    AuditLog,
    SignInError,
    password_problem,
    session_expired,
    unknown_subject,
)
from playbook.store import SqlAuditLog, SqlCredentials, SqlRecords
from playbook.store.tables import UserRow

GOOD = "correct horse battery staple"


class Clock:
    def __init__(self) -> None:
        self.t = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.t


@pytest.fixture
def accounts(records: SqlRecords) -> Accounts:
    records.add_user("ada", roles=[Role.LEADER])
    audit = AuditLog(SqlAuditLog(records.engine), now=Clock())
    return Accounts(SqlCredentials(records.engine), audit, key=b"test-key")


def test_passwords_are_hashed_with_argon2_and_checked(
    accounts: Accounts, records: SqlRecords
) -> None:
    accounts.set_password("ada", GOOD)
    with Session(records.engine) as s:
        stored = s.scalar(select(UserRow.password_hash).where(UserRow.username == "ada"))
    assert stored and stored.startswith("$argon2id$") and GOOD not in stored
    assert accounts.sign_in("ADA ", GOOD) == "ada"
    for user, pw in [("ada", "wrong password here"), ("nobody", GOOD)]:
        with pytest.raises(SignInError, match=BAD_CREDENTIALS):
            accounts.sign_in(user, pw)
    assert accounts.has_passwords()


@pytest.mark.parametrize(
    ("pw", "why"),
    [
        ("short", "at least 12"),
        ("ada-is-my-password", "username"),
        ("aaaaaaaaaaaaaaa", "different"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(accounts: Accounts, pw: str, why: str) -> None:
    assert why in (password_problem("ada", pw) or "")
    with pytest.raises(ValueError, match=why):
        accounts.set_password("ada", pw)


def test_five_failures_lock_the_account_for_a_while(accounts: Accounts) -> None:
    clock = accounts.audit.now
    assert isinstance(clock, Clock)
    accounts.set_password("ada", GOOD)
    for _ in range(5):
        with pytest.raises(SignInError, match=BAD_CREDENTIALS):
            accounts.sign_in("ada", "not the password")
        clock.t += dt.timedelta(seconds=30)
    # Now even the right password is refused, with how long to wait.
    with pytest.raises(SignInError, match="too many failed attempts; try again in 15 minutes"):
        accounts.sign_in("ada", GOOD)
    clock.t += dt.timedelta(minutes=15)
    assert accounts.sign_in("ada", GOOD) == "ada"
    # A success resets the count: one more failure does not lock again.
    with pytest.raises(SignInError, match=BAD_CREDENTIALS):
        accounts.sign_in("ada", "not the password")
    assert accounts.sign_in("ada", GOOD) == "ada"
    actions = [e.action for e in accounts.audit.events()]
    assert actions.count("sign-in failed") == 6 and "sign-in refused" in actions


def test_first_admin_is_bootstrapped_once(accounts: Accounts, records: SqlRecords) -> None:
    secret = accounts.bootstrap_admin(records, None)
    assert secret and len(secret) >= 20
    assert accounts.sign_in("admin", secret) == "admin"
    assert Role.ADMIN in records.principal("admin").roles
    assert accounts.bootstrap_admin(records, None) is None  # printed once, never again


def test_bootstrap_uses_the_environment_password(accounts: Accounts, records: SqlRecords) -> None:
    assert accounts.bootstrap_admin(records, GOOD) == ""
    assert accounts.sign_in("admin", GOOD) == "admin"


def test_audit_log_exports_csv_oldest_first(accounts: Accounts) -> None:
    accounts.audit.record("cora", "publish", "entry-1")
    accounts.audit.record("sam", "roles changed", "ravi", "coordinator")
    text = accounts.audit.to_csv(accounts.audit.events())
    lines = text.strip().splitlines()
    assert lines[0] == "at,actor,action,subject,detail"
    assert lines[1].endswith(",cora,publish,entry-1,") and "roles changed" in lines[2]


def test_sessions_expire() -> None:
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    assert not session_expired(start, start + dt.timedelta(hours=11), 12)
    assert session_expired(start, start + dt.timedelta(hours=12, seconds=1), 12)


def test_single_sign_on_signs_in_only_linked_verified_identities(
    accounts: Accounts, records: SqlRecords
) -> None:
    claims = {"is_logged_in": True, "email": "Ada@Example.com", "email_verified": True}
    with pytest.raises(SignInError, match=r"ada@example\.com is not linked"):
        accounts.sso_sign_in(claims)
    accounts.link_sso("ada", " ADA@example.com ", actor="sam")
    assert accounts.sso_sign_in(claims) == "ada"
    with pytest.raises(SignInError, match="not verified"):
        accounts.sso_sign_in({**claims, "email_verified": False})
    with pytest.raises(SignInError, match="did not share an e-mail"):
        accounts.sso_sign_in({"is_logged_in": True, "sub": "12345"})
    records.add_user("bob")
    with pytest.raises(StoreError, match="already linked to ada"):
        accounts.link_sso("bob", "ada@example.com")
    with pytest.raises(ValueError, match="not an e-mail"):
        accounts.link_sso("bob", "bob at example")
    records.add_user("demo", is_demo=True)
    with pytest.raises(StoreError, match="demo users"):
        accounts.link_sso("demo", "demo@example.com")
    accounts.link_sso("ada", None)
    with pytest.raises(SignInError, match="not linked"):
        accounts.sso_sign_in(claims)
    actions = [(e.action, e.subject, e.detail) for e in accounts.audit.events()][::-1]
    assert ("sso linked", "ada", "") in actions and ("sso unlinked", "ada", "") in actions
    assert ("sign-in", "ada", "single sign-on") in actions
    assert ("sign-in refused", "ada@example.com", "single sign-on: not linked") in actions


def test_an_unknown_username_is_audited_only_as_a_keyed_hash(accounts: Accounts) -> None:
    typed = "Tr0ub4dor&3-typed-in-the-wrong-box"  # a password in the Username box
    accounts.set_password("ada", GOOD)
    for _ in range(2):
        with pytest.raises(SignInError, match=BAD_CREDENTIALS):
            accounts.sign_in(typed, GOOD)
    with pytest.raises(SignInError, match=BAD_CREDENTIALS):
        accounts.sign_in("ada", "not the password")
    failed = [e for e in accounts.audit.events() if e.action == "sign-in failed"]
    subjects = [e.subject for e in reversed(failed)]
    expected = unknown_subject(b"test-key", typed.lower())
    # The same text gives the same hash (attempts can be correlated); a known name is kept.
    assert subjects == [expected, expected, "ada"]
    assert re.fullmatch(r"unknown:[0-9a-f]{12}", expected)
    assert unknown_subject(b"another installation", typed.lower()) != expected
    exported = accounts.audit.to_csv(accounts.audit.events())
    rows = list(accounts.audit.events())
    for blob in (exported, repr(rows)):
        for form in (typed, typed.lower(), "Tr0ub4dor"):
            assert form not in blob
    assert expected in exported and ",sign-in failed,ada," in exported


def test_unknown_usernames_are_still_throttled(accounts: Accounts) -> None:
    clock = accounts.audit.now
    assert isinstance(clock, Clock)
    for _ in range(5):
        with pytest.raises(SignInError, match=BAD_CREDENTIALS):
            accounts.sign_in("nobody", "whatever it is")
        clock.t += dt.timedelta(seconds=30)
    with pytest.raises(SignInError, match="too many failed attempts"):
        accounts.sign_in("nobody", "whatever it is")
    refused = accounts.audit.events(action="sign-in refused")
    assert [e.subject for e in refused] == [unknown_subject(b"test-key", "nobody")]
    assert "nobody" not in accounts.audit.to_csv(accounts.audit.events())


def test_a_session_token_is_unguessable_stored_hashed_and_expires(records: SqlRecords) -> None:
    from playbook.services.sessions import Sessions
    from playbook.store import SqlSessions
    from playbook.store.sessions import SessionRow

    clock = Clock()
    sessions = Sessions(SqlSessions(records.engine), key=b"k" * 32, hours=12, now=clock)
    token = sessions.start("ada")
    assert len(token) >= 43 and token != sessions.start("ada")  # 256 random bits each
    with Session(records.engine) as s:
        stored = list(s.scalars(select(SessionRow.token_hash)))
    assert token not in stored and all(len(h) == 64 for h in stored)  # a keyed hash only
    other_key = Sessions(SqlSessions(records.engine), key=b"x" * 32, hours=12, now=clock)
    assert sessions.user(token) == "ada" and other_key.user(token) is None
    assert sessions.user(None) is None and sessions.user("guess") is None
    assert sessions.user("a" * 10_000) is None
    assert sessions.seconds_left(token) == 12 * 3600
    clock.t += dt.timedelta(hours=12)
    assert sessions.user(token) is None and sessions.seconds_left(token) == 0


def test_signing_out_ends_that_session_and_end_all_every_one(records: SqlRecords) -> None:
    from playbook.services.sessions import Sessions
    from playbook.store import SqlSessions

    clock = Clock()
    sessions = Sessions(SqlSessions(records.engine), key=b"k" * 32, hours=12, now=clock)
    one, two, ravi = sessions.start("ada"), sessions.start("ada"), sessions.start("ravi")
    sessions.end(one)
    sessions.end(None)  # nothing to end
    assert sessions.user(one) is None and sessions.user(two) == "ada"
    assert sessions.end_all("ada") == 1 and sessions.user(two) is None
    assert sessions.user(ravi) == "ravi"
    clock.t += dt.timedelta(days=2)
    assert sessions.purge() == 3  # over for more than a day: forgotten
