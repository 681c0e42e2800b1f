"""The programme contracts (``Council``, ``Rotations``, ``Impact``) against their SQLAlchemy
adapters on SQLite (a PostgreSQL subclass overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports.programme import Council, Impact, Rotations
from playbook.store.council import SqlCouncil
from playbook.store.impact import SqlImpact
from playbook.store.rotations import SqlRotations
from tests.contracts.programme import CouncilContract, ImpactContract, RotationsContract
from tests.contracts.sql import SqlStore


class TestSqlCouncil(SqlStore, CouncilContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> Council:
        return SqlCouncil(store_engine)


class TestSqlRotations(SqlStore, RotationsContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> Rotations:
        return SqlRotations(store_engine)


class TestSqlImpact(SqlStore, ImpactContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> Impact:
        return SqlImpact(store_engine)
