"""``KeywordIndexContract`` against the in-memory fake and SQLite FTS5, plus what only FTS5
does (its legacy rebuild, common-term skipping and filter tokens)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.keyword_index import Fts5KeywordIndex, filter_token
from playbook.models import Visibility
from playbook.ports import KeywordIndex, Scope
from tests.contracts.keyword_index import KeywordIndexContract
from tests.contracts.samples import CHUNKS, SCOPES, chunk
from tests.fakes import InMemoryKeywordIndex


class TestFakeKeywordIndex(KeywordIndexContract):
    @pytest.fixture
    def subject(self) -> KeywordIndex:
        return InMemoryKeywordIndex()


class TestFts5KeywordIndex(KeywordIndexContract):
    pytestmark = pytest.mark.integration

    @pytest.fixture
    def subject(self, tmp_path: Path) -> Iterator[KeywordIndex]:
        index = Fts5KeywordIndex(tmp_path / "kw.sqlite3")
        yield index
        index.close()

    def test_rebuilds_an_index_without_filter_tokens(self, tmp_path: Path) -> None:
        path = tmp_path / "kw.sqlite3"
        conn = sqlite3.connect(path)
        conn.execute("CREATE VIRTUAL TABLE chunks_fts USING fts5(text, title)")
        conn.execute("INSERT INTO chunks_fts VALUES ('old pricing text', 't')")
        conn.commit()
        conn.close()
        index = Fts5KeywordIndex(path)
        assert index.legacy_dropped and index.count() == 0
        index.upsert(CHUNKS)
        ravi, allowed = SCOPES["ravi"]
        assert {h.chunk_id for h in index.query("pricing", 10, ravi)} == allowed
        index.close()
        assert not Fts5KeywordIndex(path).legacy_dropped

    def test_skips_terms_most_chunks_contain(self, tmp_path: Path) -> None:
        index = Fts5KeywordIndex(tmp_path / "kw.sqlite3", common_share=0.2, keep_rarest=1)
        filler = [
            chunk(f"f{i}", f"df{i}", f"team meeting today number {i}", "ada", Visibility.PRIVATE)
            for i in range(20)
        ]
        index.upsert(
            [*filler, chunk("m", "dm", "teach the team to cut mackerel", "ada", Visibility.PRIVATE)]
        )
        scope = Scope("ada", frozenset())
        # "team" is in every chunk and "today" in most: only "mackerel" is scored.
        assert [h.chunk_id for h in index.query("team today mackerel", 50, scope)] == ["m"]
        # When every term is common, the rarest are kept, so the search still finds something.
        assert len(index.query("team today", 50, scope)) == 20
        # A write refreshes the frequencies: once "mackerel" is everywhere it is common too.
        index.upsert(
            [
                chunk(f"x{i}", f"dx{i}", "mackerel again", "ada", Visibility.PRIVATE)
                for i in range(30)
            ]
        )
        assert len(index.query("team mackerel", 50, scope)) == 21  # "team" is now the rarer
        index.close()

    def test_filter_tokens_cannot_be_matched_by_a_query(self, subject: KeywordIndex) -> None:
        subject.upsert(CHUNKS)
        # Typing another reader's token finds nothing: query words match the text and title only.
        assert subject.query(filter_token("owner", "ravi"), 10, SCOPES["ada"][0]) == []
        assert filter_token("owner", "p1") != filter_token("programme", "p1")
        assert filter_token("kind", "entry").startswith("3")
