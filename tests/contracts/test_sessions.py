"""``SessionStoreContract`` against the SQLAlchemy session store (on SQLite; a PostgreSQL
subclass overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports import SessionStore
from playbook.store import SqlSessions
from tests.contracts.sessions import SessionStoreContract


class TestSqlSessions(SessionStoreContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> SessionStore:
        return SqlSessions(store_engine)
