"""``RateEventsContract`` against the in-memory counter (fakes, one process) and the SQL
table every replica shares (on SQLite; a PostgreSQL subclass overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports.limits import RateEvents
from playbook.ratelimit import MemoryRateEvents
from playbook.store.limits import SqlRateEvents
from tests.contracts.rate_events import RateEventsContract


class TestMemoryRateEvents(RateEventsContract):
    @pytest.fixture
    def subject(self) -> RateEvents:
        return MemoryRateEvents()


class TestSqlRateEvents(RateEventsContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> RateEvents:
        return SqlRateEvents(store_engine)
