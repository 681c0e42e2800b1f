"""Who may read what. Retrieval turns this into filters inside every index query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from playbook.models import Principal, SearchFilters, Visibility
from playbook.ports import Scope


def read_scope(principal: Principal, filters: SearchFilters | None = None) -> Scope:
    """The scope of documents ``principal`` may read, narrowed by their filters.

    Private documents: their owner only. Shared and published documents: members of the
    document's programme. Nobody, admins included, reads another person's private text.
    """
    filters = filters or SearchFilters()
    return Scope(
        reader_id=principal.user_id,
        programme_ids=principal.programme_ids,
        kinds=filters.kinds,
        only_mine=filters.only_mine,
        function=filters.function.strip().casefold() if filters.function else None,
        market=filters.market.strip().casefold() if filters.market else None,
        tags=tuple(sorted({t.strip() for t in filters.tags if t.strip()})),
        since_ts=_day_start(filters.since),
        until_ts=_day_start(filters.until + dt.timedelta(days=1)) if filters.until else None,
        entry_statuses=filters.entry_statuses,
    )


def _day_start(day: dt.date | None) -> int | None:
    """Midnight UTC at the start of ``day``, in Unix seconds."""
    if day is None:
        return None
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def may_read(
    principal: Principal, owner_id: str, visibility: Visibility, programme_id: str
) -> bool:
    """The same rule as ``read_scope``, for a single document."""
    if owner_id == principal.user_id:
        return True
    return visibility is not Visibility.PRIVATE and programme_id in principal.programme_ids


def scope_allows(scope: Scope, metadata: Mapping[str, object]) -> bool:
    """Whether a chunk with this index metadata is inside ``scope`` (for in-memory indexes)."""
    if scope.kinds and metadata.get("kind") not in {k.value for k in scope.kinds}:
        return False
    if scope.function and metadata.get("function_key") != scope.function:
        return False
    if scope.market and metadata.get("market_key") != scope.market:
        return False
    if any(metadata.get(f"tag:{t}") is not True for t in scope.tags):
        return False
    if scope.entry_statuses and metadata.get("entry_status") not in {
        s.value for s in scope.entry_statuses
    }:
        return False
    created = metadata.get("created_ts")
    if scope.since_ts is not None and not (isinstance(created, int) and created >= scope.since_ts):
        return False
    if scope.until_ts is not None and not (isinstance(created, int) and created < scope.until_ts):
        return False
    if metadata.get("owner_id") == scope.reader_id:
        return True
    if scope.only_mine:
        return False
    return (
        metadata.get("visibility") in {"shared", "published"}
        and metadata.get("programme_id") in scope.programme_ids
    )
