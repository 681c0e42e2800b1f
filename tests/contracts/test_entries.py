"""``EntriesContract`` against the SQLAlchemy entry store (on SQLite; a PostgreSQL subclass
overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports import Entries
from playbook.store import SqlEntries
from tests.contracts.entries import EntriesContract
from tests.contracts.sql import SqlStore


class TestSqlEntries(SqlStore, EntriesContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> Entries:
        return SqlEntries(store_engine)
