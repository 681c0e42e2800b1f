"""``IndexLedgerContract`` against the SQLAlchemy ledger (on SQLite; a PostgreSQL subclass
overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports import IndexLedger
from playbook.store import SqlLedger
from tests.contracts.index_ledger import IndexLedgerContract
from tests.contracts.sql import SqlStore


class TestSqlLedger(SqlStore, IndexLedgerContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> IndexLedger:
        return SqlLedger(store_engine)
