"""Accounts seams: the audit log and credentials."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


class Audit(Protocol):
    """What a use case writes to the audit log."""

    def record(self, actor: str | None, action: str, subject: str = "", detail: str = "") -> None:
        """Add a line (``subject`` and ``detail`` are names and ids, never document text)."""
        ...


@dataclass(frozen=True)
class AuditEvent:
    """One line of the audit log."""

    id: int
    at: dt.datetime
    actor: str | None
    action: str
    subject: str
    detail: str


class AuditStore(Protocol):
    """The audit log's lines: appended, read, never changed."""

    def append(
        self, at: dt.datetime, actor: str | None, action: str, subject: str, detail: str
    ) -> None:
        """Add a line."""
        ...

    def events(
        self, action: str | None = None, since: dt.datetime | None = None, limit: int = 1000
    ) -> list[AuditEvent]:
        """The newest lines first, optionally of one action or since a time."""
        ...

    def failures_since(self, subject: str, since: dt.datetime) -> list[dt.datetime]:
        """Times of failed sign-ins recorded for ``subject`` since ``since``, oldest first."""
        ...

    def last_success(self, subject: str) -> dt.datetime | None:
        """When ``subject`` last signed in."""
        ...


@dataclass(frozen=True)
class Credential:
    """How a user signs in: their password hash and their linked single sign-on identity."""

    username: str
    password_hash: str | None
    active: bool
    is_demo: bool
    sso_identity: str | None


class Credentials(Protocol):
    """Password hashes and sign-on identities of the directory's users."""

    def credential(self, username: str) -> Credential | None:
        """A user's credential by username."""
        ...

    def by_sso_identity(self, identity: str) -> Credential | None:
        """The user linked to this single sign-on identity."""
        ...

    def set_password_hash(self, username: str, password_hash: str) -> bool:
        """Store a new hash; False when there is no such user."""
        ...

    def set_sso_identity(self, username: str, identity: str | None) -> bool:
        """Link (or with None unlink) an identity; False when there is no such user."""
        ...

    def has_passwords(self) -> bool:
        """Whether any active user has a password."""
        ...

    def admin_has_password(self) -> bool:
        """Whether any admin account has a password, active or not (start-up creates the
        first admin only when none was ever set up; a deactivated admin stays deactivated)."""
        ...


class AuditTrail(Audit, Protocol):
    """The audit log as administration uses it: written, read and exported for an auditor."""

    def events(
        self, action: str | None = None, since: dt.datetime | None = None, limit: int = 1000
    ) -> list[AuditEvent]:
        """The newest lines first, optionally of one action or since a time."""
        ...

    def to_csv(self, events: Iterable[AuditEvent]) -> str:
        """Lines as CSV for an auditor (oldest first)."""
        ...


class AccountKeeper(Protocol):
    """How administration sets a user's password and single sign-on link."""

    def set_password(self, username: str, password: str, actor: str | None = None) -> None:
        """Give a user a new password (checked against the policy first)."""
        ...

    def link_sso(self, username: str, email: str | None, actor: str | None = None) -> None:
        """Link a user to the e-mail their sign-on provider vouches for (None unlinks)."""
        ...

    def sso_problem(self, username: str, email: str) -> str | None:
        """Why ``email`` cannot be linked to ``username`` (who may not exist yet), or None."""
        ...
