"""Who may read what. Retrieval turns this into filters inside every index query."""

from __future__ import annotations

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
    )


def may_read(
    principal: Principal, owner_id: str, visibility: Visibility, programme_id: str
) -> bool:
    """The same rule as ``read_scope``, for a single document."""
    if owner_id == principal.user_id:
        return True
    return visibility is not Visibility.PRIVATE and programme_id in principal.programme_ids
