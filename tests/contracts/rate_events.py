"""The ``RateEvents`` contract: a sliding window per (bucket, key), refusing at the limit
with the time that frees the next slot, and atomic under concurrent callers."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import pytest

from playbook.ports.limits import RateEvents

T0 = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


class RateEventsContract:
    """Tests every ``RateEvents`` adapter passes; a subclass provides ``subject``."""

    @pytest.fixture
    def subject(self) -> RateEvents:
        """An empty rate-event store of the adapter under test."""
        raise NotImplementedError("a subclass provides the RateEvents under test")

    def test_the_limit_holds_in_a_sliding_window(self, subject: RateEvents) -> None:
        assert subject.take("llm", "u1", T0, HOUR, 2) is None
        t1 = T0 + dt.timedelta(minutes=10)
        assert subject.take("llm", "u1", t1, HOUR, 2) is None
        # At the limit: nothing counted, and the oldest request is the one that frees a slot.
        t2 = T0 + dt.timedelta(minutes=20)
        assert subject.take("llm", "u1", t2, HOUR, 2) == T0
        assert subject.times("llm", "u1", t2 - HOUR) == [T0, t1]
        # Exactly one window after the first request, it no longer counts.
        assert subject.take("llm", "u1", T0 + HOUR, HOUR, 2) is None
        assert subject.times("llm", "u1", T0) == [t1, T0 + HOUR]

    def test_buckets_and_keys_count_apart(self, subject: RateEvents) -> None:
        assert subject.take("llm", "u1", T0, HOUR, 1) is None
        assert subject.take("llm", "u2", T0, HOUR, 1) is None
        assert subject.take("api", "u1", T0, HOUR, 1) is None
        assert subject.take("llm", "u1", T0, HOUR, 1) == T0
        assert subject.times("api", "u2", T0 - HOUR) == []

    def test_a_lowered_limit_waits_for_the_right_request(self, subject: RateEvents) -> None:
        times = [T0 + dt.timedelta(minutes=m) for m in (0, 5, 10)]
        for t in times:
            assert subject.take("llm", "u", t, HOUR, 5) is None
        # With a limit of 2, room comes when all but one of the three have expired.
        assert subject.take("llm", "u", T0 + dt.timedelta(minutes=15), HOUR, 2) == times[1]

    def test_concurrent_takers_never_exceed_the_limit(self, subject: RateEvents) -> None:
        with ThreadPoolExecutor(8) as pool:
            results = list(
                pool.map(
                    lambda i: subject.take("api", "t", T0 + dt.timedelta(milliseconds=i), HOUR, 10),
                    range(40),
                )
            )
        assert sum(r is None for r in results) == 10
        assert len(subject.times("api", "t", T0 - HOUR)) == 10
