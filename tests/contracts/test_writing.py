"""The everyday-writing contracts against the SQLAlchemy stores (on SQLite; a PostgreSQL
subclass overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports.writing import DocumentVersions, Notifications
from playbook.store.document_versions import SqlDocumentVersions
from playbook.store.notifications import SqlNotifications
from tests.contracts.sql import SqlStore
from tests.contracts.writing import DocumentVersionsContract, NotificationsContract


class TestSqlDocumentVersions(SqlStore, DocumentVersionsContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> DocumentVersions:
        return SqlDocumentVersions(store_engine)


class TestSqlNotifications(SqlStore, NotificationsContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> Notifications:
        return SqlNotifications(store_engine)
