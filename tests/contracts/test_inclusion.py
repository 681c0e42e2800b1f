"""``InclusionContract`` against the SQLAlchemy inclusion store (on SQLite; a PostgreSQL
subclass overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports import Entries
from playbook.ports.inclusion import InclusionAttributes
from playbook.store.entries import SqlEntries
from playbook.store.inclusion import SqlInclusion
from tests.contracts.inclusion import InclusionContract
from tests.contracts.sql import SqlStore
from tests.pg import OnPostgres


class TestSqlInclusion(SqlStore, InclusionContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> InclusionAttributes:
        return SqlInclusion(store_engine)

    @pytest.fixture
    def entries(self, store_engine: Engine) -> Entries:
        return SqlEntries(store_engine)


@pytest.mark.integration
class TestPgInclusion(OnPostgres, TestSqlInclusion):
    """The same contract on a real PostgreSQL server (``tests/pg.py``)."""
