"""``ProfilesContract`` and ``PairingsContract`` against the SQLAlchemy stores (on SQLite; a
PostgreSQL subclass overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports.mentoring import Pairings, Profiles
from playbook.store.mentoring_pairings import SqlPairings
from playbook.store.mentoring_profiles import SqlProfiles
from tests.contracts.mentoring import PairingsContract, ProfilesContract
from tests.contracts.sql import SqlStore


class TestSqlProfiles(SqlStore, ProfilesContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> Profiles:
        return SqlProfiles(store_engine)


class TestSqlPairings(SqlStore, PairingsContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> Pairings:
        return SqlPairings(store_engine)
