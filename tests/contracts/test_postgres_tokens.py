"""The token and rate-event contracts again on a real PostgreSQL server (``tests/pg.py``):
the SQL subclasses with ``store_engine`` on the test's own migrated database, so the
advisory-lock path of ``SqlRateEvents.take`` is held to the same contract, concurrency
included."""

from __future__ import annotations

import pytest

# Imported as modules, so their TestSql* classes are not collected a second time here.
from tests.contracts import test_rate_events as rate_events
from tests.contracts import test_tokens as tokens
from tests.pg import OnPostgres

pytestmark = pytest.mark.integration


class TestPgTokens(OnPostgres, tokens.TestSqlTokens):
    pass


class TestPgRateEvents(OnPostgres, rate_events.TestSqlRateEvents):
    pass
