"""The coverage contracts against the SQLAlchemy adapter (on SQLite; a PostgreSQL subclass
overrides ``store_engine``) and against the in-memory fakes the unit tests use."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports import Documents
from playbook.ports.coverage import CoverageSources, Declarations
from playbook.store.coverage import SqlCoverage
from tests.contracts.coverage import CoverageSourcesContract, DeclarationsContract
from tests.contracts.sql import SqlStore
from tests.coverage_fakes import DocumentsCoverage, InMemoryDeclarations


class TestSqlDeclarations(SqlStore, DeclarationsContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> Declarations:
        return SqlCoverage(store_engine)


class TestSqlCoverageSources(SqlStore, CoverageSourcesContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> CoverageSources:
        return SqlCoverage(store_engine)


class TestInMemoryDeclarations(SqlStore, DeclarationsContract):
    @pytest.fixture
    def subject(self) -> Declarations:
        return InMemoryDeclarations()


class TestDocumentsCoverage(SqlStore, CoverageSourcesContract):
    @pytest.fixture
    def subject(self, documents: Documents) -> CoverageSources:
        return DocumentsCoverage(documents)
