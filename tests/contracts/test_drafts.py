"""``DraftsContract`` against the SQLAlchemy draft store (on SQLite; a PostgreSQL subclass
overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports import Drafts
from playbook.store import SqlDrafts
from tests.contracts.drafts import DraftsContract
from tests.contracts.sql import SqlStore


class TestSqlDrafts(SqlStore, DraftsContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> Drafts:
        return SqlDrafts(store_engine)
