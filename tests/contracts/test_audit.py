"""``AuditStoreContract`` against the SQLAlchemy audit log (on SQLite; a PostgreSQL subclass
overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports import AuditStore
from playbook.store import SqlAuditLog
from tests.contracts.audit import AuditStoreContract


class TestSqlAuditLog(AuditStoreContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> AuditStore:
        return SqlAuditLog(store_engine)
