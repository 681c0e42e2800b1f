"""The seams of the inclusion audit (issue 21, item 4): the attributes a programme asks for,
each person's own optional declarations with the consent they gave, and the metadata the
audit counts (who wrote in a period, whose writing a published entry drew on).

Privacy shape: the only method returning a person's values is ``InclusionAttributes.declared``,
and the service calls it for the person themself only; everything else returns aggregates
(counts per value) or sets of user ids without any attribute attached.

Batches: a new or changed declaration is stored at once but waits; it counts (in ``tally``)
only once at least ``batch_of`` people are waiting with a declaration of that attribute, and
then all of them count together, so one more person declaring never changes any count by
fewer than ``batch_of`` people (as pulse-survey answers count only in complete groups).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class AttributeSpec:
    """One attribute a programme asks for: its key ("function"), its label ("Function")
    and its allowed values; no values means free choice (answers grouped as typed)."""

    name: str
    label: str
    values: tuple[str, ...] = ()

    @property
    def free(self) -> bool:
        """Whether people type their own value (no value list)."""
        return not self.values


@dataclass(frozen=True)
class Declaration:
    """One value a person declared about themself, with the consent they gave for it."""

    attribute: str
    value: str
    consent_text: str
    consented_at: dt.datetime
    counted: bool = True  # False: waiting for enough others to declare this attribute


class InclusionAttributes(Protocol):
    """Configured attributes per programme and people's own declarations."""

    def set_attributes(self, programme_id: str, specs: Sequence[AttributeSpec]) -> None:
        """Replace the programme's configured attributes (in this order)."""
        ...

    def attributes(self, programme_id: str) -> list[AttributeSpec] | None:
        """The programme's configured attributes in order, or None when never configured."""
        ...

    def declare(
        self,
        programme_id: str,
        user_id: str,
        values: Mapping[str, str],
        consent_text: str,
        at: dt.datetime,
        *,
        batch_of: int,
    ) -> None:
        """Store (or replace) the person's values for these attributes, each with the
        consent text they agreed to and when, in one transaction.

        A value the person already holds keeps its place (counted or waiting; only its
        consent is renewed). A new or changed value is a new waiting declaration (a changed
        one's old value is deleted, as on withdrawal). Then, per attribute given, once at
        least ``batch_of`` people are waiting with a declaration of it, all of theirs are
        counted together (one new batch), in the same transaction.
        """
        ...

    def waiting(self, programme_id: str) -> dict[str, int]:
        """How many people wait with a declaration of each attribute (attributes nobody
        waits on are left out). Counts only: no person is named."""
        ...

    def declared(self, programme_id: str, user_id: str) -> list[Declaration]:
        """One person's declarations in the programme, by attribute (for that person only)."""
        ...

    def withdraw(
        self, programme_id: str, user_id: str, attributes: Iterable[str] | None = None
    ) -> int:
        """Delete the person's declarations (of these attributes, or all); returns how many
        rows were deleted. Deleted, not flagged: nothing of them stays."""
        ...

    def drop_attribute_values(
        self, programme_id: str, attribute: str, keep: Sequence[str] = ()
    ) -> int:
        """Delete everyone's declarations of an attribute, except those holding a value in
        ``keep`` (the attribute's list, when only some values went); returns how many were
        deleted."""
        ...

    def tally(
        self, programme_id: str, attributes: Sequence[str], among: Iterable[str]
    ) -> dict[tuple[str | None, ...], int]:
        """How many of the people ``among`` hold each combination of counted values of
        ``attributes`` (``None`` where one declared no value, or it still waits); every one
        of ``among`` is counted once. Counts only: no person is named."""
        ...


class InclusionActivity(Protocol):
    """Metadata the audit counts: never a document's text, title or tags."""

    def writers(self, programme_id: str, start: dt.date, end: dt.date) -> set[str]:
        """Owners of live documents of the programme written between ``start`` and ``end``
        (inclusive; curated entry documents excluded: those are the coordinator's)."""
        ...

    def showcased_authors(self, programme_id: str, start: dt.date, end: dt.date) -> set[str]:
        """Authors of the live source documents of entries published now whose last
        publication or verification fell between ``start`` and ``end`` (inclusive)."""
        ...
