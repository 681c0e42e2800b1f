"""``DraftsContract`` against the SQLAlchemy draft store (on SQLite; a PostgreSQL subclass
overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports import Directory, Drafts
from playbook.store import SqlDirectory, SqlDrafts
from tests.contracts.drafts import DraftsContract


class TestSqlDrafts(DraftsContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> Drafts:
        return SqlDrafts(store_engine)

    @pytest.fixture
    def directory(self, store_engine: Engine) -> Directory:
        return SqlDirectory(store_engine)
