"""``DirectoryContract`` against the SQLAlchemy directory (on SQLite; a PostgreSQL subclass
overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports import Directory
from playbook.store import SqlDirectory
from tests.contracts.directory import DirectoryContract


class TestSqlDirectory(DirectoryContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> Directory:
        return SqlDirectory(store_engine)
