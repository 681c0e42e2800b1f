"""Moving an installation from its embedded store to a database server (issue 19): the
rows are copied as they are (ids, pseudonym keys, encrypted originals, sessions, the audit
history), then the new installation's indexes are rebuilt from them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from playbook.models import StoreError
from playbook.ports.transfer import StoreCopy

_SCHEMES = ("postgresql", "postgres", "sqlite")


@dataclass(frozen=True)
class MoveReport:
    """What was copied, and what the operator does next."""

    tables: dict[str, int]

    @property
    def rows(self) -> int:
        """Rows copied in all."""
        return sum(self.tables.values())


class StoreMove:
    """The use case behind ``playbook migrate-to``."""

    def __init__(self, copy: StoreCopy) -> None:
        self.copy = copy

    def move(self, url: str, progress: Callable[[str, int], None] | None = None) -> MoveReport:
        """Copy the store into the empty database at ``url``.

        Args:
            url: The new database (``postgresql://user:pass@host:5432/name``, or SQLite).
            progress: Told each table and its row count as it is copied.

        Returns:
            Rows copied per table.

        Raises:
            StoreError: A URL of another kind, the store itself, an unreachable or non-empty
                target (nothing is written to the source either way).
        """
        scheme = url.strip().partition("://")[0].partition("+")[0].lower()
        if scheme not in _SCHEMES:
            raise StoreError(
                "give the new database as a URL such as "
                "postgresql://user:password@host:5432/playbook"
            )
        return MoveReport(self.copy.copy_to(url, progress))
