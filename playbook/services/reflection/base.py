"""What the reflection studio's use cases share: their errors, limits, and the ports they take
that are not storage (the ingest pipeline and the author-only views of the privacy service)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from playbook.models import NewDocument, Principal

MAX_ENTRY_CHARS = 100_000
FORMS = ("journal", "debrief", "session_note", "council_note")
MENTORING_TOPICS = ("technology", "customer experience", "culture", "other")


class ReflectionError(ValueError):
    """Input the studio cannot take; ``field`` names the form field when there is one.
    Nothing is saved and the draft is kept."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class FormError(Exception):
    """Several field-level problems at once (a form is checked whole)."""

    errors: dict[str, str]

    def __str__(self) -> str:
        return "; ".join(f"{k}: {v}" for k, v in self.errors.items())


class Ingested(Protocol):
    """What the pipeline reports of one document it took."""

    @property
    def document_id(self) -> str:
        """The stored document's id."""
        ...


class DocumentPipeline(Protocol):
    """redact → store → index, as the studio uses it."""

    def ingest(self, docs: Sequence[NewDocument]) -> Sequence[Ingested]:
        """Redact and store documents, then index them; one result each, in order."""
        ...

    def reredact(
        self, decrypt: Callable[[bytes], str], *, only: Sequence[str] | None = None
    ) -> int:
        """Redact these documents again from their encrypted originals."""
        ...

    def sync(self, only: Sequence[str] | None = None) -> object:
        """Bring the indexes up to date with the store for these documents."""
        ...

    def scrub(self) -> None:
        """Leave no bytes of superseded text in the store's and indexes' files."""
        ...

    def delete(self, document_id: str) -> None:
        """Delete a document from the store and both indexes."""
        ...


class AuthorViews(Protocol):
    """What only a document's author may read (the privacy service checks and audits it)."""

    def original(self, reader: Principal, document_id: str) -> str:
        """The author's original text."""
        ...

    def reidentify(self, reader: Principal, document_id: str, text: str) -> str:
        """Text of the author's document with its placeholders filled back in."""
        ...


def check_length(text: str, field: str) -> str:
    """``text`` when it can be an entry; otherwise a ``ReflectionError`` naming ``field``."""
    if not text.strip():
        raise ReflectionError("write something first: the entry is empty", field)
    if len(text) > MAX_ENTRY_CHARS:
        raise ReflectionError(
            f"this is {len(text):,} characters; an entry holds up to {MAX_ENTRY_CHARS:,}. "
            "Split it into several entries (your draft is kept).",
            field,
        )
    return text


def sentences(text: str) -> list[str]:
    """The sentences (and lines) of ``text`` that say anything, in order."""
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if len(s.strip()) > 3]
