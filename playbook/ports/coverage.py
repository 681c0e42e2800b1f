"""The seams of knowledge coverage (issue 21, item 3): the strategic goals and knowledge
domains a programme declares, and what coverage may read of its writing.

Coverage reads shared and published text (which every member may read anyway) and, of
private writing, nothing but each document's owner, date and prompt set: the adapter's query
for private writing selects no text column at all, so no text can leak from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from playbook.models import Kind, Visibility


class DeclarationKind(StrEnum):
    """What a declaration stands for. Markets and functions are knowledge domains matched
    on the market and function fields of debriefs and entries as well."""

    GOAL = "goal"
    DOMAIN = "domain"
    MARKET = "market"
    FUNCTION = "function"


@dataclass(frozen=True)
class DeclarationDraft:
    """A goal or domain as a coordinator declares it. The service redacts its name,
    description and keywords before a port sees them."""

    kind: DeclarationKind
    name: str
    description: str = ""
    keywords: tuple[str, ...] = ()


@dataclass(frozen=True)
class Declaration:
    """A declared goal or domain as stored."""

    declaration_id: str
    programme_id: str
    kind: DeclarationKind
    name: str
    description: str
    keywords: tuple[str, ...]
    updated_at: dt.datetime


@dataclass(frozen=True)
class SharedText:
    """A shared or published document as coverage reads it (redacted text only)."""

    document_id: str
    owner_id: str
    kind: Kind
    visibility: Visibility
    title: str
    text: str
    tags: tuple[str, ...]
    created_at: dt.datetime
    function: str | None = None
    market: str | None = None
    strategic_goal: str | None = None


@dataclass(frozen=True)
class PrivateMark:
    """All coverage learns of one private document: whose it is (to count distinct writers,
    never shown), when it was written, and which prompt set it answered. No text."""

    owner_id: str
    created_at: dt.datetime
    prompt_set: str | None
    tags: tuple[str, ...] = ()  # used only when equal to a prompt set's id or category


class Declarations(Protocol):
    """A programme's declared strategic goals and knowledge domains."""

    def declarations(self, programme_id: str) -> list[Declaration]:
        """Every declaration of the programme, goals first, then by kind and name."""
        ...

    def save(self, programme_id: str, drafts: Sequence[DeclarationDraft]) -> list[str]:
        """Add or replace declarations in one transaction (all or none); one with the same
        kind and name (case-insensitive) as a stored one replaces it. Returns their ids."""
        ...

    def remove(self, programme_id: str, declaration_id: str) -> bool:
        """Forget one declaration; False when the programme has none with this id."""
        ...


class CoverageSources(Protocol):
    """What coverage may read of a programme's writing."""

    def shared_texts(self, programme_id: str) -> list[SharedText]:
        """Live shared and published documents of the programme, oldest first."""
        ...

    def private_marks(self, programme_id: str) -> list[PrivateMark]:
        """Owner, date, prompt set and tags of each live private document (no text)."""
        ...
