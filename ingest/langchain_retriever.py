"""The hybrid retriever as a LangChain ``BaseRetriever``, for chains that take one. Kept apart
from ``playbook.retrieval`` so that searching (and the command line) never imports LangChain."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from playbook.models import Principal, SearchFilters
from playbook.permissions import read_scope
from playbook.retrieval import Retriever


def as_langchain(
    retriever: Retriever, principal: Principal, k: int = 4, filters: SearchFilters | None = None
) -> PlaybookRetriever:
    """This retriever as a LangChain ``BaseRetriever`` for one reader (their scope inside)."""
    return PlaybookRetriever(retriever=retriever, principal=principal, k=k, filters=filters)


class PlaybookRetriever(BaseRetriever):
    """LangChain face of the hybrid retriever. The reader's permission scope is fixed at
    construction and applied inside both index queries; ``k`` may be overridden per call."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    retriever: Any  # a Retriever (its Protocol-typed fields defeat pydantic's validation)
    principal: Principal
    k: int = 4
    filters: SearchFilters | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun, **kwargs: Any
    ) -> list[Document]:
        k = int(kwargs.get("k", self.k))
        hits = self.retriever.search(query, read_scope(self.principal, self.filters), k)
        return [
            Document(
                page_content=h.text,
                metadata={
                    "chunk_id": h.chunk_id,
                    "document_id": h.document_id,
                    "source_id": h.source_id,
                    "title": h.title,
                    "kind": h.kind,
                    "score": h.score,
                },
            )
            for h in hits
        ]
