"""Sign-in sessions: an unguessable token for the browser, a keyed hash of it on the server.

A session starts when someone signs in and lives for ``hours`` (``PLAYBOOK_SESSION_HOURS``)
from then, whatever they do meanwhile, so a stolen cookie stops working on its own. It ends
earlier when they sign out (in any tab: every tab shares the cookie and asks the store on
each run), when an admin deactivates them, and when their password changes. The store keeps
HMAC-SHA256 of the token under the installation's key: a copy of the table signs no one in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable

from playbook.ports import SessionStore

TOKEN_BYTES = 32  # 256 bits from the OS's CSPRNG: not guessable, not enumerable


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Sessions:
    """Start, look up and end sign-in sessions."""

    def __init__(
        self,
        store: SessionStore,
        *,
        key: bytes,
        hours: float,
        now: Callable[[], dt.datetime] = _utcnow,
    ) -> None:
        self._store = store
        self._key = key
        self.lifetime = dt.timedelta(hours=hours)
        self.now = now

    def _hash(self, token: str) -> str:
        # Domain-separated from the other uses of the installation's key.
        return hmac.new(self._key, b"session\x00" + token.encode(), hashlib.sha256).hexdigest()

    def start(self, username: str) -> str:
        """A new session for ``username``; its token, which only the browser keeps."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        now = self.now()
        self._store.add(self._hash(token), username, now, now + self.lifetime)
        return token

    def user(self, token: str | None) -> str | None:
        """Whose session ``token`` is, while it is open; None when it is unknown, expired or
        ended (or no token was given)."""
        if not token or len(token) > 256:  # a cookie's value is the client's: bound it
            return None
        found = self._store.get(self._hash(token))
        if found is None or found.revoked_at is not None or self.now() >= found.expires_at:
            return None
        return found.username

    def seconds_left(self, token: str) -> int:
        """How long the session ``token`` has left, in whole seconds (0 when it is over),
        for the cookie's ``Max-Age``."""
        found = self._store.get(self._hash(token))
        if found is None or found.revoked_at is not None:
            return 0
        return max(0, int((found.expires_at - self.now()).total_seconds()))

    def end(self, token: str | None) -> None:
        """Sign this session out (nothing happens for an unknown or ended one)."""
        if token:
            self._store.revoke(self._hash(token), self.now())

    def end_all(self, username: str) -> int:
        """End every open session of ``username``; how many there were."""
        return self._store.revoke_user(username, self.now())

    def purge(self) -> int:
        """Forget sessions over for more than a day (kept that long to say why a tab was
        signed out); how many."""
        return self._store.purge(self.now() - dt.timedelta(days=1))
