"""``GET /programmes/{programme}/health``: a programme's health report for a period, as JSON
or (``?format=csv``) as the CSV the page downloads. The token's user must be allowed to view
the programme's health; small groups are withheld by the sources, as on every other path."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response

from playbook.api.deps import App, Reader
from playbook.services.programme_base import ProgrammeError

router = APIRouter(tags=["programme health"])
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")


@router.get("/programmes/{programme}/health", summary="A programme's health", response_model=None)
def programme_health(
    c: App,
    who: Reader,
    programme: Annotated[str, Path(max_length=200, description="The programme's slug or id.")],
    period: Annotated[
        str | None,
        Query(max_length=40, description="this-quarter (default), last-quarter, last-90-days."),
    ] = None,
    start: Annotated[str | None, Query(alias="from", max_length=40)] = None,
    end: Annotated[str | None, Query(alias="to", max_length=40)] = None,
    format: Literal["json", "csv"] = "json",
) -> dict[str, Any] | Response:
    """The report for a named period or from/to dates (to today when ``to`` is left out)."""
    from playbook.services.health.export import as_dict, to_csv

    service = c.health
    chosen = service.period(period, start, end)
    try:
        pid = service.programme(who, programme)
    except ProgrammeError as exc:
        # Not one of the reader's programmes: as good as not there, for this client.
        raise LookupError(str(exc)) from None
    report = service.report(who, pid, chosen, f"api {format}")
    if format == "csv":
        # The id is the store's, but a header is no place to find out it held a quote.
        filename = f"health-{_UNSAFE.sub('', pid)}-{chosen.start}-{chosen.end}.csv"
        return Response(
            to_csv(report),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}"'},
        )
    return as_dict(report)
