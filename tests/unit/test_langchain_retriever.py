"""The LangChain face of the retriever, under langchain-tests' standard retriever suite."""

from __future__ import annotations

import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from langchain_core.retrievers import BaseRetriever
from langchain_tests.integration_tests import RetrieversIntegrationTests

from ingest.keyword_index import Fts5KeywordIndex
from ingest.langchain_retriever import PlaybookRetriever, as_langchain
from playbook.models import ChunkRecord, Kind, Principal, Role, Visibility
from playbook.retrieval import Retriever
from tests.fakes import FakeEmbedder, InMemoryVectorIndex

READER = Principal(user_id="u1", username="ada", memberships=frozenset({("p1", Role.LEADER)}))


@cache
def _retriever() -> Retriever:
    """A small playbook: six shared chunks about pricing, one private to someone else."""
    embedder = FakeEmbedder()
    vectors = InMemoryVectorIndex()
    keywords = Fts5KeywordIndex(Path(tempfile.mkdtemp()) / "kw.sqlite3")
    chunks = [
        ChunkRecord(
            chunk_id=f"c{i}",
            document_id=f"d{i}",
            ordinal=0,
            text=f"Pricing lesson {i}: decide the price floor before the sales kickoff.",
            owner_id="u2" if i < 6 else "u3",
            programme_id="p1",
            kind=Kind.ENTRY,
            visibility=Visibility.SHARED if i < 6 else Visibility.PRIVATE,
            title=f"Pricing {i}",
            source_id=f"s{i}",
        )
        for i in range(7)
    ]
    vectors.upsert(chunks, embedder.embed([c.text for c in chunks]))
    keywords.upsert(chunks)
    return Retriever(embedder, vectors, keywords)


class TestPlaybookRetriever(RetrieversIntegrationTests):
    @property
    def retriever_constructor(self) -> type[BaseRetriever]:
        return PlaybookRetriever

    @property
    def retriever_constructor_params(self) -> dict[str, Any]:
        return {"retriever": _retriever(), "principal": READER}

    @property
    def retriever_query_example(self) -> str:
        return "price floor before the kickoff"


def test_the_scope_is_inside_the_langchain_retriever() -> None:
    docs = as_langchain(_retriever(), READER, k=10).invoke("pricing lesson")
    assert len(docs) == 6 and all(d.metadata["document_id"] != "d6" for d in docs)
    assert {"chunk_id", "document_id", "title", "kind", "score"} <= set(docs[0].metadata)
