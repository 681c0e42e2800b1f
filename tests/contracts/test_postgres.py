"""Every SQL storage contract suite again on a real PostgreSQL 15 server (``tests/pg.py``):
each ``TestPg<Port>`` subclasses the SQLite ``TestSql<Port>`` and overrides only
``store_engine`` with a migrated database of the test's own, so both backends answer the
same contract."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from ingest.chroma_index import make_client
from ingest.fts5_query import filter_token
from ingest.pg_fulltext import PgKeywordIndex
from ingest.pg_sentences import PgSentenceVectors
from playbook.models import Visibility
from playbook.ports import ChunkVectors, KeywordIndex, Scope, VectorIndex

# Imported as modules, so their TestSql* classes are not collected a second time here.
from tests.contracts import test_answer_feedback as feedback
from tests.contracts import test_audit as audit
from tests.contracts import test_credentials as credentials
from tests.contracts import test_directory as directory
from tests.contracts import test_documents as documents
from tests.contracts import test_drafts as drafts
from tests.contracts import test_entries as entries
from tests.contracts import test_index_ledger as ledger
from tests.contracts import test_programme as programme
from tests.contracts import test_sessions as sessions
from tests.contracts import test_vault as vault
from tests.contracts import test_vector_index as vector_index
from tests.contracts.keyword_index import KeywordIndexContract
from tests.contracts.samples import CHUNKS, SCOPES, chunk
from tests.contracts.vector_index import VectorIndexContract
from tests.pg import OnPostgres

pytestmark = pytest.mark.integration


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


class TestPgCouncil(OnPostgres, programme.TestSqlCouncil):
    pass


class TestPgRotations(OnPostgres, programme.TestSqlRotations):
    pass


class TestPgImpact(OnPostgres, programme.TestSqlImpact):
    pass


class TestPgKeywordIndex(KeywordIndexContract):
    """The keyword index contract on PostgreSQL full text (``ingest.pg_fulltext``)."""

    @pytest.fixture
    def subject(self, pg_engine: Engine) -> KeywordIndex:
        return PgKeywordIndex(pg_engine)

    def test_filter_tokens_cannot_be_matched_by_a_query(self, subject: KeywordIndex) -> None:
        subject.upsert(CHUNKS)
        # The tokens live in their own column: typing another reader's finds nothing.
        assert subject.query(filter_token("owner", "ravi"), 10, SCOPES["ada"][0]) == []

    def test_rare_terms_outrank_common_ones(self, subject: KeywordIndex) -> None:
        filler = [
            chunk(f"f{i}", f"df{i}", f"team meeting number {i}", "ada", Visibility.PRIVATE)
            for i in range(10)
        ]
        long = "a long note about the boat trip where the crew learnt to cut mackerel fast"
        subject.upsert([*filler, chunk("m", "dm", long, "ada", Visibility.PRIVATE)])
        scope = Scope("ada", frozenset())
        # One match each, and the short chunks match more densely; but "mackerel" is rare
        # (BM25's IDF), "team" in nearly every chunk.
        hits = subject.query("team mackerel", 50, scope)
        assert hits[0].chunk_id == "m"

    def test_stamp_and_reset(self, subject: PgKeywordIndex) -> None:
        assert subject.token() is None
        subject.stamp("one")
        subject.stamp("two")
        assert subject.token() == "two"
        subject.upsert(CHUNKS)
        subject.scrub()
        subject.reset()
        assert subject.count() == 0 and subject.query("pricing", 5, SCOPES["ada"][0]) == []


class TestPgSentencesBesideChromaServer(VectorIndexContract):
    """The dense index as it runs on PostgreSQL and a Chroma server: no text in Chroma,
    sentence vectors in the store's database (``ingest.pg_sentences``)."""

    @pytest.fixture
    def subject(self, chroma_server: str, pg_engine: Engine) -> Iterator[VectorIndex]:
        index = vector_index.StoreBackedChroma(
            make_client(url=chroma_server), vector_index._name(), PgSentenceVectors(pg_engine)
        )
        yield index
        index.reset()  # the server outlives the test

    def test_outdated_rows_are_dropped(self, pg_engine: Engine) -> None:
        vectors = PgSentenceVectors(pg_engine)
        vectors.upsert(["c1"], ["d1"], [ChunkVectors([1.0, 0.0], ((0, 3),), [[0.0, 1.0]])])
        assert vectors.get(["c1"])["c1"].spans == ((0, 3),)
        assert not PgSentenceVectors(pg_engine).outdated  # same format: rows kept
        assert PgSentenceVectors(pg_engine).count() == 1
        with pg_engine.begin() as conn:
            conn.exec_driver_sql("UPDATE sentence_vectors_info SET value = 'old'")
        again = PgSentenceVectors(pg_engine)
        assert again.outdated and again.count() == 0
