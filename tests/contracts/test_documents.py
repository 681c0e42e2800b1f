"""``DocumentsContract`` against the SQLAlchemy documents store (on SQLite; a PostgreSQL
subclass overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports import Documents
from playbook.store import SqlDocuments
from tests.contracts.documents import DocumentsContract
from tests.contracts.sql import SqlStore


class TestSqlDocuments(SqlStore, DocumentsContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> Documents:
        return SqlDocuments(store_engine)
