"""``PrivacyVaultContract`` against the SQLAlchemy vault (on SQLite; a PostgreSQL subclass
overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports import Directory, Documents, PrivacyVault
from playbook.store import SqlDirectory, SqlDocuments, SqlVault
from tests.contracts.vault import PrivacyVaultContract


class TestSqlVault(PrivacyVaultContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> PrivacyVault:
        return SqlVault(store_engine)

    @pytest.fixture
    def directory(self, store_engine: Engine) -> Directory:
        return SqlDirectory(store_engine)

    @pytest.fixture
    def documents(self, store_engine: Engine) -> Documents:
        return SqlDocuments(store_engine)
