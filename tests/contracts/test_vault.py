"""``PrivacyVaultContract`` against the SQLAlchemy vault (on SQLite; a PostgreSQL subclass
overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports import PrivacyVault
from playbook.store import SqlVault
from tests.contracts.sql import SqlStore
from tests.contracts.vault import PrivacyVaultContract


class TestSqlVault(SqlStore, PrivacyVaultContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> PrivacyVault:
        return SqlVault(store_engine)
