"""``CredentialsContract`` against the SQLAlchemy credentials (on SQLite; a PostgreSQL
subclass overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports import Credentials
from playbook.store import SqlCredentials
from tests.contracts.credentials import CredentialsContract
from tests.contracts.sql import SqlStore


class TestSqlCredentials(SqlStore, CredentialsContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> Credentials:
        return SqlCredentials(store_engine)
