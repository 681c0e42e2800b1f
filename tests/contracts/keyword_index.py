"""The ``KeywordIndex`` contract: what every full-text index (fake or FTS5) must do."""

from __future__ import annotations

import pytest

from playbook.ports import KeywordIndex
from tests.contracts.samples import CHUNKS, SCOPES

# Text a reader may type that is query syntax to some engine (FTS5's operators, quotes, SQL),
# or just too long: the index must treat it as words, never fail.
HOSTILE_QUERIES = [
    '"',
    "*",
    "NEAR(",
    "pricing AND",
    "OR",
    "a:b",
    "'; DROP TABLE x; --",
    "x" * 10_000,
]


class KeywordIndexContract:
    """Tests every ``KeywordIndex`` adapter passes; a subclass provides ``subject``."""

    @pytest.fixture
    def subject(self) -> KeywordIndex:
        """An empty index of the adapter under test."""
        raise NotImplementedError("a subclass provides the KeywordIndex under test")

    @pytest.mark.parametrize("who", list(SCOPES))
    def test_returns_only_what_the_scope_may_read(self, subject: KeywordIndex, who: str) -> None:
        subject.upsert(CHUNKS)
        scope, allowed = SCOPES[who]
        assert {h.chunk_id for h in subject.query("pricing", 10, scope)} == allowed

    def test_ranks_better_matches_first(self, subject: KeywordIndex) -> None:
        subject.upsert(CHUNKS)
        hits = subject.query("playbook entry", 10, SCOPES["ravi"][0])
        assert hits[0].chunk_id == "c3"

    @pytest.mark.parametrize("query", HOSTILE_QUERIES)
    def test_survives_query_syntax(self, subject: KeywordIndex, query: str) -> None:
        subject.upsert(CHUNKS)
        assert isinstance(subject.query(query, 5, SCOPES["ada"][0]), list)

    def test_upsert_delete_reset(self, subject: KeywordIndex) -> None:
        subject.upsert(CHUNKS)
        subject.upsert(CHUNKS)
        assert subject.count() == len(CHUNKS)
        subject.delete_documents(["d3"])
        assert subject.count() == len(CHUNKS) - 1
        subject.reset()
        assert subject.count() == 0
