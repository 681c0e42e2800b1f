"""The signal ports' contracts against the SQLAlchemy store, on SQLite and on a real
PostgreSQL server (``tests/pg.py``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports.signals import ActivityFacts, SignalStates
from playbook.store.health_signals import SqlActivityFacts, SqlSignalStates
from tests.contracts.signals import ActivityFactsContract, SignalStatesContract
from tests.contracts.sql import SqlStore
from tests.pg import OnPostgres


class TestSqlSignalStates(SqlStore, SignalStatesContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> SignalStates:
        return SqlSignalStates(store_engine)


class TestSqlActivityFacts(SqlStore, ActivityFactsContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> ActivityFacts:
        return SqlActivityFacts(store_engine)


@pytest.mark.integration
class TestPgSignalStates(OnPostgres, TestSqlSignalStates):
    pass


@pytest.mark.integration
class TestPgActivityFacts(OnPostgres, TestSqlActivityFacts):
    pass
