"""Per-user limits on requests in a sliding window: language-model requests (``gate``) and
the HTTP API's requests per token.

The counting lives behind the ``RateEvents`` port: the wiring gives the database's table,
so every process of an installation (several app or API replicas) shares one count;
``MemoryRateEvents`` counts inside one process (tests, and a limiter built without one).
"""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections import deque
from collections.abc import Callable
from typing import TypeVar

from playbook.ports.limits import RateEvents

M = TypeVar("M")


class MemoryRateEvents:
    """The ``RateEvents`` port inside one process (a lock makes ``take`` atomic)."""

    def __init__(self) -> None:
        self._calls: dict[tuple[str, str], deque[dt.datetime]] = {}
        self._lock = threading.Lock()

    def take(
        self, bucket: str, key: str, now: dt.datetime, window: dt.timedelta, limit: int
    ) -> dt.datetime | None:
        """Count one request unless ``limit`` were counted in ``window``; see the port."""
        with self._lock:
            calls = self._recent(bucket, key, now - window)
            if len(calls) >= limit:
                return calls[len(calls) - limit]
            calls.append(now)
            return None

    def times(self, bucket: str, key: str, since: dt.datetime) -> list[dt.datetime]:
        """Times counted after ``since``, oldest first."""
        with self._lock:
            return list(self._recent(bucket, key, since))

    def _recent(self, bucket: str, key: str, since: dt.datetime) -> deque[dt.datetime]:
        calls = self._calls.setdefault((bucket, key), deque())
        while calls and calls[0] <= since:
            calls.popleft()
        return calls


class RateLimiter:
    """At most ``limit`` calls per user in any ``window``, counted in ``events`` under
    ``bucket`` (in this process when no store is given)."""

    def __init__(
        self,
        limit: int,
        window: dt.timedelta = dt.timedelta(hours=1),
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
        events: RateEvents | None = None,
        bucket: str = "llm",
    ) -> None:
        if limit < 1:
            raise ValueError("the limit should allow at least one request")
        self.limit = limit
        self.window = window
        self.now = now
        self.events: RateEvents = events if events is not None else MemoryRateEvents()
        self.bucket = bucket

    def acquire(self, user_id: str) -> dt.timedelta | None:
        """Count a request and return None, or, when the user is at the limit, how long
        until the next one is allowed (nothing is counted then)."""
        now = self.now()
        frees = self.events.take(self.bucket, user_id, now, self.window, self.limit)
        return None if frees is None else self._until(frees, now)

    def wait_for(self, user_id: str) -> dt.timedelta | None:
        """How long until ``user_id`` may make a request, or None when they may now (nothing
        is counted)."""
        now = self.now()
        calls = self.events.times(self.bucket, user_id, now - self.window)
        if len(calls) < self.limit:
            return None
        return self._until(calls[len(calls) - self.limit], now)

    def _until(self, frees: dt.datetime, now: dt.datetime) -> dt.timedelta:
        # At least a second: a wait of zero would tell a client to retry at once and fail.
        return max(self.window - (now - frees), dt.timedelta(seconds=1))

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
