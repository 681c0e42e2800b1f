"""Per-user limits on language-model requests (a sliding window, per server process)."""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections import deque
from collections.abc import Callable


class RateLimiter:
    """At most ``limit`` calls per user in any ``window``."""

    def __init__(
        self,
        limit: int,
        window: dt.timedelta = dt.timedelta(hours=1),
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        if limit < 1:
            raise ValueError("the limit should allow at least one request")
        self.limit = limit
        self.window = window
        self.now = now
        self._calls: dict[str, deque[dt.datetime]] = {}
        self._lock = threading.Lock()

    def acquire(self, user_id: str) -> dt.timedelta | None:
        """Count a request and return None, or, when the user is at the limit, how long
        until the next one is allowed (nothing is counted then)."""
        now = self.now()
        with self._lock:
            calls = self._calls.setdefault(user_id, deque())
            while calls and now - calls[0] >= self.window:
                calls.popleft()
            if len(calls) >= self.limit:
                return self.window - (now - calls[0])
            calls.append(now)
            return None

    def message(self, wait: dt.timedelta) -> str:
        """The sentence a user sees when they are at the limit."""
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        return (
            f"you have used your {self.limit} language-model requests for this hour; the next "
            f"is available in {minutes} minute{'s' if minutes != 1 else ''}"
        )
