"""Sharing: ``POST /documents/{id}/share`` asks a coordinator to share one's own item with
the programme, ``POST /documents/{id}/withdraw`` makes it private again at once; a
coordinator sees the requests (``GET /moderation``) and decides (``POST /moderation/{id}``),
as on the Moderate page. The permission module decides who may do each."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel

from playbook.api.deps import App, Reader, Writer

router = APIRouter(tags=["sharing"])
DocumentId = Annotated[str, Path(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


@router.post("/documents/{document_id}/share", summary="Ask to share an item")
def share(c: App, who: Writer, document_id: DocumentId) -> dict[str, Any]:
    """Put one's own private item in the coordinators' moderation queue."""
    c.reflection.request_share(who, document_id)
    return {"document_id": document_id, "share_status": "pending"}


@router.post("/documents/{document_id}/withdraw", summary="Withdraw a shared item")
def withdraw(c: App, who: Writer, document_id: DocumentId) -> dict[str, Any]:
    """Make one's own shared or pending item private: nobody else finds it from now on."""
    c.reflection.withdraw(who, document_id)
    return {"document_id": document_id, "visibility": "private"}


class Decision(BaseModel):
    """A coordinator's decision on a share request."""

    approve: bool


@router.get("/moderation", summary="Share requests awaiting you (coordinators)")
def queue(c: App, who: Reader) -> dict[str, Any]:
    """The share requests of the programmes the reader moderates (redacted text only)."""
    return {
        "pending": [
            {"document_id": d.document_id, "title": d.title, "text": d.redacted_text}
            for d in c.reflection.moderation_queue(who)
        ]
    }


@router.post("/moderation/{document_id}", summary="Approve or decline a share request")
def decide(c: App, who: Writer, document_id: DocumentId, body: Decision) -> dict[str, Any]:
    """Approve (programme members can then find it) or decline (it stays private)."""
    c.reflection.decide_share(who, document_id, body.approve)
    return {"document_id": document_id, "share_status": "approved" if body.approve else "declined"}
