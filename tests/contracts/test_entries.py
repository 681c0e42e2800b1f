"""``EntriesContract`` against the SQLAlchemy entry store (on SQLite; a PostgreSQL subclass
overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports import Directory, Entries
from playbook.store import SqlDirectory, SqlEntries
from tests.contracts.entries import EntriesContract


class TestSqlEntries(EntriesContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> Entries:
        return SqlEntries(store_engine)

    @pytest.fixture
    def directory(self, store_engine: Engine) -> Directory:
        return SqlDirectory(store_engine)
