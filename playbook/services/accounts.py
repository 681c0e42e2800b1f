"""Local accounts: argon2 password hashes, sign-in with throttling, the first admin, and the
append-only audit log every sensitive action writes to."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import hmac
import io
import math
import secrets
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from playbook.models import Role, StoreError
from playbook.ports import AuditEvent, AuditStore, Credentials, Directory

__all__ = [
    "BAD_CREDENTIALS",
    "Accounts",
    "AuditEvent",
    "AuditLog",
    "SignInError",
    "password_problem",
    "session_expired",
    "unknown_subject",
]

MIN_PASSWORD = 12
MAX_FAILURES = 5  # within WINDOW, then the account waits out LOCKOUT
WINDOW = dt.timedelta(minutes=15)
LOCKOUT = dt.timedelta(minutes=15)
# One message for an unknown user and a wrong password, so sign-in does not reveal who exists.
BAD_CREDENTIALS = "unknown username or wrong password"


class SignInError(PermissionError):
    """A sign-in that did not succeed, said so a person knows what to do next."""


class AuditLog:
    """Append-only: ``record`` adds a line; nothing here updates or deletes one. The clock
    and the field limits are the log's; the lines live in an ``AuditStore``."""

    def __init__(
        self, store: AuditStore, now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC)
    ) -> None:
        self._store = store
        self.now = now

    def record(self, actor: str | None, action: str, subject: str = "", detail: str = "") -> None:
        """Add a line (``subject`` and ``detail`` are names and ids, never document text)."""
        self._store.append(self.now(), actor, action, subject[:200], detail[:500])

    def events(
        self, action: str | None = None, since: dt.datetime | None = None, limit: int = 1000
    ) -> list[AuditEvent]:
        """The newest lines first, optionally of one action or since a time."""
        return self._store.events(action, since, limit)

    def to_csv(self, events: Iterable[AuditEvent]) -> str:
        """Lines as CSV for an auditor (oldest first)."""
        buf = io.StringIO()
        w = csv.writer(buf)
        w.writerow(["at", "actor", "action", "subject", "detail"])
        for e in sorted(events, key=lambda e: e.id):
            w.writerow([e.at.isoformat(), e.actor or "", e.action, e.subject, e.detail])
        return buf.getvalue()

    def failures_since(self, username: str, since: dt.datetime) -> list[dt.datetime]:
        """Times of failed sign-ins for a username since ``since``, oldest first."""
        return self._store.failures_since(username, since)

    def last_success(self, username: str) -> dt.datetime | None:
        """When a username last signed in."""
        return self._store.last_success(username)


def unknown_subject(key: bytes, username: str) -> str:
    """How the audit log names a username nobody holds: a keyed hash, ``unknown:<12 hex>``.

    What is typed into the Username box may be a password typed in the wrong box, so it is
    never stored; the same text always gives the same hash, so repeated attempts can still
    be correlated and throttled, and without the installation's key the hash cannot be
    tested against guesses."""
    digest = hmac.new(key, b"audit-username\x00" + username.encode(), hashlib.sha256)
    return "unknown:" + digest.hexdigest()[:12]


class Accounts:
    """Passwords and sign-in for local users. ``key`` (the installation's secret) keys the
    hash the audit log records for usernames that do not exist."""

    def __init__(self, credentials: Credentials, audit: AuditLog, *, key: bytes) -> None:
        self._credentials = credentials
        self.audit = audit
        self._key = key
        # argon2id with the library's defaults (RFC 9106 low-memory profile).
        self._hasher = PasswordHasher()

    def set_password(self, username: str, password: str, actor: str | None = None) -> None:
        """Give a user a new password (checked against the policy first)."""
        problem = password_problem(username, password)
        if problem:
            raise ValueError(problem)
        if not self._credentials.set_password_hash(username, self._hasher.hash(password)):
            raise StoreError(f"no user named {username!r}")
        self.audit.record(actor or username, "password set", username)

    def sign_in(self, username: str, password: str) -> str:
        """The username when the password is right; otherwise ``SignInError``.

        After ``MAX_FAILURES`` failures within ``WINDOW`` the account refuses every attempt,
        right or wrong, until ``LOCKOUT`` has passed since the last failure.
        """
        username = username.strip().lower()
        known = self._credentials.credential(username)
        stored = known.password_hash if known is not None and known.active else None
        # A known username is recorded by name; anything else only as a keyed hash.
        subject = username if known is not None else unknown_subject(self._key, username)
        now = self.audit.now()
        failures = self.audit.failures_since(subject, now - WINDOW)
        last_ok = self.audit.last_success(subject)
        recent = [t for t in failures if last_ok is None or t > last_ok]
        if len(recent) >= MAX_FAILURES and now - recent[-1] < LOCKOUT:
            wait = LOCKOUT - (now - recent[-1])
            minutes = max(1, math.ceil(wait.total_seconds() / 60))
            self.audit.record(None, "sign-in refused", subject, "throttled")
            raise SignInError(
                f"too many failed attempts; try again in {minutes} minute"
                + ("s" if minutes != 1 else "")
            )
        ok = False
        if stored:
            try:
                ok = self._hasher.verify(stored, password)
            except (VerificationError, InvalidHashError):
                ok = False
        else:
            # Spend the same time as a real check, so timing does not reveal who exists.
            self._hasher.hash(password or "-")
        if not ok:
            self.audit.record(None, "sign-in failed", subject)
            raise SignInError(BAD_CREDENTIALS)
        if stored and self._hasher.check_needs_rehash(stored):
            self._credentials.set_password_hash(username, self._hasher.hash(password))
        self.audit.record(username, "sign-in", username)
        return username

    # -- single sign-on ------------------------------------------------------------------

    def link_sso(self, username: str, email: str | None, actor: str | None = None) -> None:
        """Link a user to the e-mail their sign-on provider vouches for (None unlinks)."""
        identity = _sso_identity(email) if email else None
        user = self._credentials.credential(username)
        if user is None:
            raise StoreError(f"no user named {username!r}")
        if user.is_demo and identity:
            raise StoreError("demo users cannot use single sign-on")
        if identity:
            taken = self._linked_elsewhere(username, identity)
            if taken:
                raise StoreError(taken)
        # The identity column is unique, so a link another process made meanwhile makes this
        # write fail rather than give one identity two accounts.
        if not self._credentials.set_sso_identity(username, identity):
            raise StoreError(f"no user named {username!r}")
        self.audit.record(actor or "cli", "sso linked" if identity else "sso unlinked", username)

    def _linked_elsewhere(self, username: str, identity: str) -> str | None:
        other = self._credentials.by_sso_identity(identity)
        if other is not None and other.username != username:
            return f"{identity} is already linked to {other.username}"
        return None

    def sso_problem(self, username: str, email: str) -> str | None:
        """Why ``email`` cannot be linked to ``username`` (who may not exist yet), or None:
        checked before an account is created, so a refused link creates nothing."""
        try:
            identity = _sso_identity(email)
        except ValueError as exc:
            return str(exc)
        return self._linked_elsewhere(username, identity)

    def sso_sign_in(self, claims: Mapping[str, Any]) -> str:
        """The local user a provider's identity claims are linked to; otherwise ``SignInError``
        saying what to ask an admin for."""
        email = claims.get("email")
        if not isinstance(email, str) or not email.strip():
            self.audit.record(None, "sign-in refused", "", "single sign-on: no e-mail claim")
            raise SignInError(
                "your sign-on provider did not share an e-mail address, so no account can be "
                "matched; ask an admin"
            )
        identity = _sso_identity(email)
        if claims.get("email_verified") is False:
            self.audit.record(None, "sign-in refused", identity, "single sign-on: unverified")
            raise SignInError(
                f"your provider has not verified the address {identity}; verify it there first"
            )
        linked = self._credentials.by_sso_identity(identity)
        username = linked.username if linked is not None and linked.active else None
        if username is None:
            self.audit.record(None, "sign-in refused", identity, "single sign-on: not linked")
            raise SignInError(
                f"the identity {identity} is not linked to an account here; ask an admin to link it"
            )
        self.audit.record(username, "sign-in", username, "single sign-on")
        return username

    def has_passwords(self) -> bool:
        """Whether any active user can sign in with a password."""
        return self._credentials.has_passwords()

    def bootstrap_admin(self, records: Directory, password: str | None) -> str | None:
        """Create the first admin ("admin") when no admin can sign in yet.

        Uses ``password`` (from the environment) when given; otherwise generates one and
        returns it, to be shown once. Returns None when nothing was created.
        """
        if self._credentials.admin_has_password():
            return None
        generated = password is None
        secret = password or secrets.token_urlsafe(18)
        try:
            records.add_user("admin", "Administrator", [Role.ADMIN])
        except StoreError:  # "admin" exists (a demo account, say): make it the admin
            roles = set(records.user("admin").roles.get("default", ())) | {Role.ADMIN}
            records.set_roles("admin", roles)
        self.set_password("admin", secret, actor="bootstrap")
        self.audit.record("bootstrap", "admin created", "admin")
        return secret if generated else ""


def password_problem(username: str, password: str) -> str | None:
    """Why a password is refused, or None."""
    if len(password) < MIN_PASSWORD:
        return f"use at least {MIN_PASSWORD} characters"
    if username and username.casefold() in password.casefold():
        return "the password must not contain the username"
    if len(set(password)) < 5:
        return "use more different characters"
    return None


def _sso_identity(email: str) -> str:
    identity = email.strip().lower()
    if "@" not in identity or len(identity) > 320 or any(ch.isspace() for ch in identity):
        raise ValueError(f"{email!r} is not an e-mail address")
    return identity


def session_expired(signed_in_at: dt.datetime, now: dt.datetime, hours: float) -> bool:
    """Whether a session started at ``signed_in_at`` has outlived ``hours``."""
    return now - signed_in_at > dt.timedelta(hours=hours)
