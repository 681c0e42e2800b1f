"""``IndexLedgerContract`` against the SQLAlchemy ledger (on SQLite; a PostgreSQL subclass
overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports import Directory, Documents, IndexLedger
from playbook.store import SqlDirectory, SqlDocuments, SqlLedger
from tests.contracts.index_ledger import IndexLedgerContract


class TestSqlLedger(IndexLedgerContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> IndexLedger:
        return SqlLedger(store_engine)

    @pytest.fixture
    def documents(self, store_engine: Engine) -> Documents:
        return SqlDocuments(store_engine)

    @pytest.fixture
    def directory(self, store_engine: Engine) -> Directory:
        return SqlDirectory(store_engine)
