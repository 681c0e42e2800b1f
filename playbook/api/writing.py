"""``POST /journal`` and ``POST /debriefs``: write a (private) journal entry or a rotation
debrief, as the Reflect and Rotation pages do. The text is redacted before it is stored or
indexed; the reply holds the new document's id only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from playbook.api.deps import App, Writer
from playbook.api.errors import FieldsError
from playbook.services.reflection import FormError

router = APIRouter(tags=["writing"])
MAX_FIELD = 20_000  # each field; the service holds the whole text to its own limit


class Journal(BaseModel):
    """A journal entry: its text, and optionally a title and the programme it belongs to
    (needed only when the author is in several)."""

    text: str = Field(min_length=1, max_length=MAX_FIELD)
    title: str = Field(default="", max_length=200)
    programme_id: str | None = Field(default=None, max_length=64)


class Debrief(BaseModel):
    """A rotation debrief; the service checks which fields are required and says so."""

    function: str = Field(default="", max_length=200)
    market: str = Field(default="", max_length=200)
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    anchor_project: str = Field(default="", max_length=MAX_FIELD)
    strategic_goal: str = Field(default="", max_length=MAX_FIELD)
    surprised: str = Field(default="", max_length=MAX_FIELD)
    decisions: str = Field(default="", max_length=MAX_FIELD)
    lessons: str = Field(default="", max_length=MAX_FIELD)
    advice: str = Field(default="", max_length=MAX_FIELD)
    programme_id: str | None = Field(default=None, max_length=64)


@router.post("/journal", status_code=status.HTTP_201_CREATED, summary="Write a journal entry")
def write_journal(c: App, who: Writer, body: Journal) -> dict[str, Any]:
    """Save a private journal entry; returns its document id."""
    if not body.text.strip():
        raise ValueError("the entry is empty; write something first")
    document_id = c.reflection.save_journal(
        who, body.text, body.title, programme_id=body.programme_id
    )
    return {"document_id": document_id, "visibility": "private"}


@router.post("/debriefs", status_code=status.HTTP_201_CREATED, summary="Write a rotation debrief")
def write_debrief(c: App, who: Writer, body: Debrief) -> dict[str, Any]:
    """Save a rotation debrief (private until shared); returns its document id."""
    try:
        document_id = c.reflection.save_debrief(who, body.model_dump())
    except FormError as exc:
        raise FieldsError(dict(exc.errors)) from None
    return {"document_id": document_id, "visibility": "private"}
