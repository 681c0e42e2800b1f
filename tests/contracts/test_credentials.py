"""``CredentialsContract`` against the SQLAlchemy credentials (on SQLite; a PostgreSQL
subclass overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports import Credentials, Directory
from playbook.store import SqlCredentials, SqlDirectory
from tests.contracts.credentials import CredentialsContract


class TestSqlCredentials(CredentialsContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> Credentials:
        return SqlCredentials(store_engine)

    @pytest.fixture
    def directory(self, store_engine: Engine) -> Directory:
        return SqlDirectory(store_engine)
