"""The port for moving a whole store to another database (``playbook migrate-to``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol


class StoreCopy(Protocol):
    """Copies every row of the store, as it is, into another (empty) database."""

    def copy_to(
        self, url: str, progress: Callable[[str, int], None] | None = None
    ) -> dict[str, int]:
        """Copy into the empty database at ``url``; rows copied per table. Raises
        ``StoreError`` when the target is the store itself, unreachable or not empty."""
        ...
