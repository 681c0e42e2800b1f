"""The seam for personal access tokens: what the HTTP API keeps about each token a user made.

Only a hash of a token is ever stored; the token itself is shown once, when it is made."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class AccessToken:
    """One personal access token as stored (never the secret: ``token_hash`` is its hash)."""

    token_id: str
    token_hash: str
    username: str
    name: str
    scopes: tuple[str, ...]
    created_at: dt.datetime
    expires_at: dt.datetime | None = None
    last_used_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None

    def live(self, now: dt.datetime) -> bool:
        """Whether the token may still be used at ``now`` (not revoked, not expired)."""
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)


class TokenStore(Protocol):
    """Personal access tokens, looked up by the hash of the secret a client presents."""

    def add(
        self,
        token_hash: str,
        username: str,
        name: str,
        scopes: Sequence[str],
        created_at: dt.datetime,
        expires_at: dt.datetime | None,
    ) -> AccessToken:
        """Store a new token (its hash); returns it with its id."""
        ...

    def by_hash(self, token_hash: str) -> AccessToken | None:
        """The token with this hash, live or not; None when there is none."""
        ...

    def get(self, token_id: str) -> AccessToken | None:
        """The token with this id; None when there is none."""
        ...

    def listing(self, username: str) -> list[AccessToken]:
        """Every token of ``username``, revoked and expired ones too, newest first."""
        ...

    def revoke(self, token_id: str, at: dt.datetime) -> bool:
        """End a token; False when there is no such token or it was already revoked."""
        ...

    def touch(self, token_id: str, at: dt.datetime) -> None:
        """Record that the token was used at ``at`` (unknown ids are ignored)."""
        ...
