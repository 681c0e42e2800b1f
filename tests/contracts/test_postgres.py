"""Every SQL storage contract suite again on a real PostgreSQL 15 server (``tests/pg.py``):
each ``TestPg<Port>`` subclasses the SQLite ``TestSql<Port>`` and overrides only
``store_engine`` with a migrated database of the test's own, so both backends answer the
same contract."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

# Imported as modules, so their TestSql* classes are not collected a second time here.
from tests.contracts import test_answer_feedback as feedback
from tests.contracts import test_audit as audit
from tests.contracts import test_credentials as credentials
from tests.contracts import test_directory as directory
from tests.contracts import test_documents as documents
from tests.contracts import test_drafts as drafts
from tests.contracts import test_entries as entries
from tests.contracts import test_index_ledger as ledger
from tests.contracts import test_sessions as sessions
from tests.contracts import test_vault as vault
from tests.pg import pg_database, pg_engine, pg_server

__all__ = ["pg_database", "pg_engine", "pg_server"]

pytestmark = pytest.mark.integration


class OnPostgres:
    """Puts the suite's store on this test's own PostgreSQL database."""

    @pytest.fixture
    def store_engine(self, pg_engine: Engine) -> Iterator[Engine]:
        """The migrated PostgreSQL database of this test."""
        yield pg_engine


class TestPgAnswerFeedback(OnPostgres, feedback.TestSqlAnswerFeedback):
    pass


class TestPgAuditLog(OnPostgres, audit.TestSqlAuditLog):
    pass


class TestPgCredentials(OnPostgres, credentials.TestSqlCredentials):
    pass


class TestPgDirectory(OnPostgres, directory.TestSqlDirectory):
    pass


class TestPgDocuments(OnPostgres, documents.TestSqlDocuments):
    pass


class TestPgDrafts(OnPostgres, drafts.TestSqlDrafts):
    pass


class TestPgEntries(OnPostgres, entries.TestSqlEntries):
    pass


class TestPgLedger(OnPostgres, ledger.TestSqlLedger):
    pass


class TestPgSessions(OnPostgres, sessions.TestSqlSessions):
    pass


class TestPgVault(OnPostgres, vault.TestSqlVault):
    pass
