"""``DocumentsContract`` against the SQLAlchemy documents store (on SQLite; a PostgreSQL
subclass overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports import Directory, Documents
from playbook.store import SqlDirectory, SqlDocuments
from tests.contracts.documents import DocumentsContract


class TestSqlDocuments(DocumentsContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> Documents:
        return SqlDocuments(store_engine)

    @pytest.fixture
    def directory(self, store_engine: Engine) -> Directory:
        return SqlDirectory(store_engine)
