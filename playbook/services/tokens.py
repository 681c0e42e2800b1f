"""Personal access tokens for the HTTP API: made for one user, named, scoped, optionally
expiring, revocable, and shown once.

A token is 256 random bits from the OS (``secrets``) behind a ``plb_`` prefix (so a leaked
one is recognisable in a log or a repository scan). The store keeps its SHA-256: a fast hash
is enough here, unlike for passwords, because the secret is not guessable — argon2 protects
low-entropy secrets against offline guessing, which is pointless against 2**256 candidates,
and would cost every API request tens of milliseconds and a lot of memory. Every creation,
revocation and refused use is written to the audit log (by name and id, never the token).

Scopes limit a token to a family of requests: ``read`` (search, Ask, playbook entries,
handoff packs) and ``write`` (write journal entries and debriefs, share and withdraw). What
the token's user may then read or do is decided, as everywhere, by ``playbook.permissions``
inside the services the API calls.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
import secrets
import unicodedata
from collections.abc import Callable, Iterable

from playbook.failures import explain
from playbook.models import Principal, StoreError
from playbook.ports import Audit, Directory
from playbook.ports.tokens import AccessToken, TokenStore
from playbook.ratelimit import RateLimiter

__all__ = [
    "SCOPES",
    "AccessToken",
    "RateLimitedError",
    "ScopeError",
    "TokenError",
    "Tokens",
    "hash_token",
]

SCOPES = ("read", "write")
PREFIX = "plb_"
TOKEN_BYTES = 32
MAX_NAME = 80
MAX_EXPIRY_DAYS = 3650
# A use is written back at most this often, so reading the API is not a write per request.
TOUCH_EVERY = dt.timedelta(seconds=60)
MISSING = "send a personal access token in the header 'Authorization: Bearer <token>'"
REFUSED = (
    "the access token is unknown, revoked or expired; make a new one with `playbook tokens create`"
)


class TokenError(PermissionError):
    """A request without a usable token (HTTP 401)."""


class ScopeError(PermissionError):
    """A token that does not allow this kind of request (HTTP 403)."""


class RateLimitedError(Exception):
    """A token that has made its allowance of requests (HTTP 429); ``wait`` until the next."""

    def __init__(self, message: str, wait: dt.timedelta) -> None:
        super().__init__(message)
        self.wait = wait

    @property
    def retry_after(self) -> int:
        """Whole seconds until the next request is allowed (for ``Retry-After``)."""
        return max(1, math.ceil(self.wait.total_seconds()))


def hash_token(secret: str) -> str:
    """The SHA-256 the store keeps of a token (domain-separated from other hashes)."""
    return hashlib.sha256(b"api-token\x00" + secret.encode()).hexdigest()


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise ValueError("give the token a name (what will use it: 'slack bot', 'lms sync')")
    if len(cleaned) > MAX_NAME:
        raise ValueError(f"a token's name holds up to {MAX_NAME} characters")
    if any(unicodedata.category(ch).startswith("C") for ch in cleaned):
        raise ValueError("a token's name cannot hold control characters")
    return cleaned


def _clean_scopes(scopes: Iterable[str]) -> tuple[str, ...]:
    wanted = {s.strip().lower() for s in scopes if s.strip()}
    unknown = sorted(wanted - set(SCOPES))
    if unknown:
        raise ValueError(f"unknown scope {unknown[0]!r}; choose from: {', '.join(SCOPES)}")
    if not wanted:
        raise ValueError(f"give the token at least one scope: {', '.join(SCOPES)}")
    return tuple(s for s in SCOPES if s in wanted)


class Tokens:
    """Make, list, revoke and check personal access tokens."""

    def __init__(
        self,
        store: TokenStore,
        directory: Directory,
        audit: Audit,
        *,
        limiter: RateLimiter | None = None,
        now: Callable[[], dt.datetime] = _utcnow,
    ) -> None:
        self._store = store
        self._directory = directory
        self._audit = audit
        # Requests per token per window (the API's limit), counted where every replica sees.
        self.limiter = limiter
        self.now = now

    def create(
        self,
        username: str,
        name: str,
        scopes: Iterable[str],
        expires_days: int | None = None,
        actor: str | None = None,
    ) -> tuple[AccessToken, str]:
        """Make a token for ``username``.

        Args:
            username: Whose requests the token makes (an active user).
            name: What it is for; unique among the user's live tokens.
            scopes: Some of ``SCOPES``.
            expires_days: Days until it stops working (None: until revoked).
            actor: Who made it, for the audit log (default: the user).

        Returns:
            The stored token and its secret, which is shown once and never kept.

        Raises:
            ValueError: A bad name, scope or expiry, or a name already in use.
            StoreError: No such user.
        """
        clean = _clean_name(name)
        chosen = _clean_scopes(scopes)
        if expires_days is not None and not 1 <= expires_days <= MAX_EXPIRY_DAYS:
            raise ValueError(f"a token expires after 1 to {MAX_EXPIRY_DAYS} days")
        principal = self._directory.principal(username)
        if not principal.active:
            raise StoreError(f"the account {principal.username!r} is deactivated")
        now = self.now()
        if any(t.name == clean and t.live(now) for t in self._store.listing(principal.username)):
            raise ValueError(f"{principal.username} already has a token named {clean!r}")
        secret = PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
        expires = now + dt.timedelta(days=expires_days) if expires_days else None
        token = self._store.add(hash_token(secret), principal.username, clean, chosen, now, expires)
        self._audit.record(
            actor or principal.username,
            "api token created",
            principal.username,
            f"{token.token_id} {clean!r} scopes={','.join(chosen)}",
        )
        return token, secret

    def listing(self, username: str) -> list[AccessToken]:
        """Every token of ``username`` (revoked and expired ones too), newest first."""
        return self._store.listing(self._directory.principal(username).username)

    def revoke(self, username: str, token: str, actor: str | None = None) -> AccessToken:
        """End one of ``username``'s tokens, named by id or by its live name.

        Raises:
            LookupError: The user has no such token, or it is already revoked.
        """
        owner = self._directory.principal(username).username
        mine = self._store.listing(owner)
        now = self.now()
        found = next((t for t in mine if t.token_id == token), None) or next(
            (t for t in mine if t.name == " ".join(token.split()) and t.live(now)), None
        )
        if found is None:
            raise LookupError(f"{owner} has no token {token!r} (see `playbook tokens list`)")
        if not self._store.revoke(found.token_id, now):
            raise LookupError(f"the token {found.name!r} is already revoked")
        self._audit.record(actor or owner, "api token revoked", owner, found.token_id)
        return found

    def store_problem(self) -> str | None:
        """Why the store cannot be reached, or None when a lookup in it works (health)."""
        try:
            self._store.get("-")
        except Exception as exc:  # any failure of the store is the answer here
            return explain(exc) or f"the store cannot be reached ({type(exc).__name__})"
        return None

    def authenticate(self, secret: str | None, scope: str) -> Principal:
        """Who a request with this token acts for, when the token may make it.

        Args:
            secret: The bearer token the client sent (None when it sent none).
            scope: The scope the request needs (one of ``SCOPES``).

        Returns:
            The token's user, with their roles, for the permission checks that follow.

        Raises:
            TokenError: No token, or one unknown, revoked, expired, or of a deactivated user.
            ScopeError: The token lacks ``scope``.
            RateLimitedError: The token has used its requests for now (nothing else happens).
        """
        if not secret:
            self._audit.record(None, "api token refused", "", "no token")
            raise TokenError(MISSING)
        digest = hash_token(secret)
        # A client's header is theirs to fill: anything not shaped like a token is unknown.
        found = (
            self._store.by_hash(digest)
            if secret.startswith(PREFIX) and len(secret) <= 200
            else None
        )
        now = self.now()
        if found is None or not found.live(now):
            why = "unknown" if found is None else "revoked" if found.revoked_at else "expired"
            subject = found.username if found else "unknown:" + digest[:12]
            self._audit.record(None, "api token refused", subject, why)
            raise TokenError(REFUSED)
        try:
            principal = self._directory.principal(found.username)
        except StoreError:  # the account was deleted: its tokens die with it
            self._audit.record(None, "api token refused", found.username, "no such account")
            raise TokenError(REFUSED) from None
        if not principal.active:
            self._audit.record(None, "api token refused", found.username, "account deactivated")
            raise TokenError(f"the account {found.username!r} is deactivated; ask an admin")
        if scope not in found.scopes:
            self._audit.record(found.username, "api token refused", found.token_id, f"no {scope}")
            raise ScopeError(
                f"this token has the scope {', '.join(found.scopes)}; this request needs "
                f"{scope!r} (make a token with --scope {scope})"
            )
        if self.limiter is not None:
            wait = self.limiter.acquire(found.token_id)
            if wait is not None:
                raise RateLimitedError(
                    f"this token has made its {self.limiter.limit} requests for this minute; "
                    f"retry in {max(1, math.ceil(wait.total_seconds()))} s",
                    wait,
                )
        if found.last_used_at is None or now - found.last_used_at >= TOUCH_EVERY:
            self._store.touch(found.token_id, now)
        return principal
