"""``GET /search``: hybrid search over what the token's user may read, one result per
document (redacted text only, as the Search page shows it)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from playbook.api.deps import App, Reader
from playbook.models import Principal

router = APIRouter(tags=["search"])
MAX_QUERY = 2000


@router.get("/search", summary="Search what you may read")
def search(
    c: App,
    who: Reader,
    q: Annotated[str, Query(min_length=1, max_length=MAX_QUERY, description="The query.")],
    k: Annotated[int, Query(ge=1, le=50, description="How many documents.")] = 10,
) -> dict[str, Any]:
    """The best documents for ``q`` within the reader's scope, best first (the query is in
    the URL, where proxies may log it: ``POST /search`` keeps it in the body)."""
    return _results(c, who, q, k)


class SearchBody(BaseModel):
    """A search sent in the body."""

    q: str = Field(min_length=1, max_length=MAX_QUERY)
    k: int = Field(default=10, ge=1, le=50)


@router.post("/search", summary="Search what you may read (query in the body)")
def search_post(c: App, who: Reader, body: SearchBody) -> dict[str, Any]:
    """As ``GET /search``, with the query kept out of URLs and logs."""
    return _results(c, who, body.q, body.k)


def _results(c: Any, who: Principal, q: str, k: int) -> dict[str, Any]:
    if not q.strip():
        raise ValueError("the query is empty; send some words to search for")
    results = c.service.search_documents(who, q, k=k)
    return {
        "results": [
            {
                "document_id": r.hit.document_id,
                "title": r.title,
                "kind": r.kind,
                "score": r.hit.score,
                "snippet": r.hit.snippet,
                "source": r.hit.source_label,
                **r.as_json(),
            }
            for r in results
        ]
    }
