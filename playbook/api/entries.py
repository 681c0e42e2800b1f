"""``GET /entries`` and ``GET /entries/{id}``: playbook entries the token's user may read
(published ones of their programmes; every state for its coordinators), redacted text."""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from playbook.api.deps import App, Reader
from playbook.models import Entry, EntryStatus, parse_enum
from playbook.services.curation import as_json

router = APIRouter(tags=["entries"])


def entry_json(entry: Entry) -> dict[str, Any]:
    """An entry as the CLI's JSON shows it, plus its programme and dates."""
    row: dict[str, Any] = json.loads(as_json(entry))
    row["programme_id"] = entry.programme_id
    row["updated_at"] = entry.updated_at.isoformat()
    return row


@router.get("/entries", summary="List playbook entries")
def entries(
    c: App,
    who: Reader,
    status: Annotated[list[str] | None, Query(description="Only these states.")] = None,
) -> dict[str, Any]:
    """Entries of the reader's programmes, in the given states (coordinators) or published."""
    statuses = [parse_enum(EntryStatus, s, "status") for s in status or ()]
    return {"entries": [entry_json(e) for e in c.curation.listing(who, statuses)]}


@router.get("/entries/{entry_id}", summary="Read a playbook entry")
def entry(
    c: App, who: Reader, entry_id: Annotated[str, Path(min_length=1, max_length=64)]
) -> dict[str, Any]:
    """One entry the reader may read."""
    return entry_json(c.curation.readable(who, entry_id))
