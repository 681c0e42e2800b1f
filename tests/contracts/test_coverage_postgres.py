"""The coverage contracts again on a real PostgreSQL 15 server (``tests/pg.py``): the SQLite
suites with ``store_engine`` replaced by a migrated database of the test's own."""

from __future__ import annotations

import pytest

# Imported as a module, so its TestSql* classes are not collected a second time here.
from tests.contracts import test_coverage as coverage
from tests.pg import OnPostgres

pytestmark = pytest.mark.integration


class TestPgDeclarations(OnPostgres, coverage.TestSqlDeclarations):
    pass


class TestPgCoverageSources(OnPostgres, coverage.TestSqlCoverageSources):
    pass
