"""``GET /handoff``: a successor's handoff pack (entries, approved debriefs and open
questions the reader may read) as JSON, or as the Markdown the Handoff page downloads."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import PlainTextResponse

from playbook.api.deps import App, Reader
from playbook.api.entries import entry_json

router = APIRouter(tags=["handoff"])
Filter = Annotated[str | None, Query(max_length=200)]


@router.get("/handoff", summary="A handoff pack", response_model=None)
def handoff(
    c: App,
    who: Reader,
    function: Filter = None,
    market: Filter = None,
    tag: Filter = None,
    format: Literal["json", "md"] = "json",
) -> dict[str, Any] | PlainTextResponse:
    """The pack for a function, market or tag (any of them; none: everything readable)."""
    from playbook.services.handoff import to_markdown

    pack = c.curation.handoff_pack(who, function, market, tag)
    c.administration.record_export(who.username, pack.title, f"api {format}")
    if format == "md":
        return PlainTextResponse(to_markdown(pack), media_type="text/markdown; charset=utf-8")
    return {
        "title": pack.title,
        "subtitle": pack.subtitle,
        "generated": pack.generated.isoformat(),
        "groups": [
            {"theme": theme, "entries": [entry_json(e) for e in items]}
            for theme, items in pack.groups
        ],
        "debriefs": [
            {
                "document_id": d.document_id,
                "title": d.title,
                "text": d.redacted_text,
                "written": d.created_at.date().isoformat(),
            }
            for d in pack.debriefs
        ],
        "open_questions": [{"question": q, "where": w} for q, w in pack.open_questions],
    }
