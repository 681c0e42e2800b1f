"""Per-user limits on language-model requests (a sliding window, per server process)."""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections import deque
from collections.abc import Callable
from typing import TypeVar

M = TypeVar("M")


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
            wait = self._wait(user_id, now)
            if wait is None:
                self._calls[user_id].append(now)
            return wait

    def wait_for(self, user_id: str) -> dt.timedelta | None:
        """How long until ``user_id`` may make a request, or None when they may now (nothing
        is counted)."""
        with self._lock:
            return self._wait(user_id, self.now())

    def _wait(self, user_id: str, now: dt.datetime) -> dt.timedelta | None:
        calls = self._calls.setdefault(user_id, deque())
        while calls and now - calls[0] >= self.window:
            calls.popleft()
        return self.window - (now - calls[0]) if len(calls) >= self.limit else None

    def message(self, wait: dt.timedelta) -> str:
        """The sentence a user sees when they are at the limit."""
        minutes = max(1, math.ceil(wait.total_seconds() / 60))
        return (
            f"you have used your {self.limit} language-model requests for this hour; the next "
            f"is available in {minutes} minute{'s' if minutes != 1 else ''}"
        )


def gate(limiter: RateLimiter | None, model: M | None, user_id: str) -> tuple[M | None, str | None]:
    """The model to use for one request by ``user_id`` (the request is counted), or, when
    they are at their limit, None and the sentence saying when the next is available."""
    if model is None or limiter is None:
        return model, None
    wait = limiter.acquire(user_id)
    return (model, None) if wait is None else (None, limiter.message(wait))
