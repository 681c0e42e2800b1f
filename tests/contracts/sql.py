"""The SQLAlchemy adapters' side of the storage contracts: the directory and documents over
the test's ``store_engine`` (SQLite here; a PostgreSQL subclass overrides that fixture).

A ``TestSql<Port>`` class lists ``SqlStore`` before the contract, so these fixtures replace
the contract's raising ones, and then provides only ``subject``.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports import Directory, Documents
from playbook.store import SqlDirectory, SqlDocuments


class SqlStore:
    """The SQL directory and documents over ``store_engine``, beside the port under test."""

    @pytest.fixture
    def directory(self, store_engine: Engine) -> Directory:
        """The SQL directory of the store under test."""
        return SqlDirectory(store_engine)

    @pytest.fixture
    def documents(self, store_engine: Engine) -> Documents:
        """The SQL documents of the store under test."""
        return SqlDocuments(store_engine)
