"""The token and rate-event contracts again on a real PostgreSQL server (``tests/pg.py``):
the SQL subclasses with ``store_engine`` on the test's own migrated database, so the
advisory-lock path of ``SqlRateEvents.take`` is held to the same contract, concurrency
included."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

# Imported as modules, so their TestSql* classes are not collected a second time here.
from tests.contracts import test_rate_events as rate_events
from tests.contracts import test_tokens as tokens

pytestmark = pytest.mark.integration


class OnPostgres:
    """Puts the suite's store on this test's own PostgreSQL database."""

    @pytest.fixture
    def store_engine(self, pg_engine: Engine) -> Iterator[Engine]:
        """The migrated PostgreSQL database of this test."""
        yield pg_engine


class TestPgTokens(OnPostgres, tokens.TestSqlTokens):
    pass


class TestPgRateEvents(OnPostgres, rate_events.TestSqlRateEvents):
    pass
