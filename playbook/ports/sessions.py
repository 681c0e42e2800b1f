"""Sign-in sessions seam: server-side sessions a browser cookie points at.

The store sees only a keyed hash of each session's token (``token_hash``), never the token:
whoever reads the table, or a backup of it, cannot sign in with what they find there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SignInSession:
    """One stored session: whose it is and when it ends (``revoked_at`` once it was ended)."""

    token_hash: str
    username: str
    created_at: dt.datetime
    expires_at: dt.datetime
    revoked_at: dt.datetime | None


class SessionStore(Protocol):
    """Sessions by the keyed hash of their token."""

    def add(
        self, token_hash: str, username: str, created_at: dt.datetime, expires_at: dt.datetime
    ) -> None:
        """Store a new session."""
        ...

    def get(self, token_hash: str) -> SignInSession | None:
        """The session with this token hash, ended or not; None when there is none."""
        ...

    def revoke(self, token_hash: str, at: dt.datetime) -> bool:
        """End one session; False when there was no such session still open."""
        ...

    def revoke_user(self, username: str, at: dt.datetime) -> int:
        """End every open session of ``username``; how many were open."""
        ...

    def purge(self, before: dt.datetime) -> int:
        """Forget sessions that expired or were ended before ``before``; how many."""
        ...


class SessionRevoker(Protocol):
    """What administration needs of sessions: ending all of one person's."""

    def end_all(self, username: str) -> int:
        """End every open session of ``username`` (deactivated, or a new password)."""
        ...
