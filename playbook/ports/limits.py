"""The seam for counting requests in a sliding window, so that rate limits hold across every
process of an installation (the SQL adapter) or inside one (the in-memory one, for fakes)."""

from __future__ import annotations

import datetime as dt
from typing import Protocol


class RateEvents(Protocol):
    """Timestamps of counted requests per (bucket, key): a bucket is one limit ("llm",
    "api"), a key whoever it limits (a user id, a token id)."""

    def take(
        self, bucket: str, key: str, now: dt.datetime, window: dt.timedelta, limit: int
    ) -> dt.datetime | None:
        """Count one request at ``now`` when fewer than ``limit`` were counted in the
        ``window`` before it, and return None; otherwise count nothing and return the time
        of the counted request whose expiry makes room for the next one. Atomic: two
        processes taking the last slot at once cannot both get it."""
        ...

    def times(self, bucket: str, key: str, since: dt.datetime) -> list[dt.datetime]:
        """Times of the requests counted after ``since``, oldest first."""
        ...
