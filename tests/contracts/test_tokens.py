"""``TokenStoreContract`` against the SQLAlchemy token store (on SQLite; a PostgreSQL
subclass overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports.tokens import TokenStore
from playbook.store.tokens import SqlTokens
from tests.contracts.tokens import TokenStoreContract


class TestSqlTokens(TokenStoreContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> TokenStore:
        return SqlTokens(store_engine)
