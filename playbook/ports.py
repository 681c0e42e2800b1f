"""Interfaces the services depend on. Adapters implement them; only ``wiring`` picks which."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from playbook.models import ChunkRecord, IndexHit, Kind, Redaction


@dataclass(frozen=True)
class Scope:
    """What one reader may see, plus their own narrowing. Every index query must apply it.

    A chunk is readable when its owner is the reader, or when it is shared or published in a
    programme the reader belongs to.
    """

    reader_id: str
    programme_ids: frozenset[str]
    kinds: tuple[Kind, ...] = ()
    only_mine: bool = False


class Redactor(Protocol):
    """Replaces personal data with placeholders."""

    def redact_batch(self, texts: Sequence[str]) -> list[Redaction]:
        """Redact many texts at once; the result has one item per text, in order."""
        ...


class Embedder(Protocol):
    """Turns text into unit-length vectors."""

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        ...

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed texts (passages or queries), one vector each."""
        ...


class VectorIndex(Protocol):
    """Dense index of chunks. Derived from the store; can be reset and rebuilt."""

    def upsert(self, chunks: Sequence[ChunkRecord], embeddings: Sequence[Sequence[float]]) -> None:
        """Insert or replace chunks with their vectors."""
        ...

    def delete_documents(self, document_ids: Sequence[str]) -> None:
        """Remove every chunk of these documents."""
        ...

    def query(self, embedding: Sequence[float], k: int, scope: Scope) -> list[IndexHit]:
        """Nearest chunks the scope may read, best first (score = cosine similarity)."""
        ...

    def count(self) -> int:
        """Number of chunks held."""
        ...

    def reset(self) -> None:
        """Drop everything."""
        ...


class KeywordIndex(Protocol):
    """Full-text index of chunks. Derived from the store; can be reset and rebuilt."""

    def upsert(self, chunks: Sequence[ChunkRecord]) -> None:
        """Insert or replace chunks."""
        ...

    def delete_documents(self, document_ids: Sequence[str]) -> None:
        """Remove every chunk of these documents."""
        ...

    def query(self, text: str, k: int, scope: Scope) -> list[IndexHit]:
        """Best keyword matches the scope may read, best first (score: higher is better)."""
        ...

    def count(self) -> int:
        """Number of chunks held."""
        ...

    def reset(self) -> None:
        """Drop everything."""
        ...
