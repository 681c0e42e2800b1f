"""Search seams: the reader's scope, the embedder and the two derived indexes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from playbook.models import (
    ChunkRecord,
    EntryStatus,
    IndexHit,
    Kind,
)


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
    function: str | None = None  # casefolded; matches the chunk's function exactly
    market: str | None = None
    tags: tuple[str, ...] = ()  # the chunk carries every one of them
    since_ts: int | None = None  # created at or after (Unix seconds)
    until_ts: int | None = None  # created before (Unix seconds)
    entry_statuses: tuple[EntryStatus, ...] = ()  # entries in one of these states only


@dataclass(frozen=True)
class ChunkVectors:
    """A chunk's vector and its sentences' vectors, made at index time (so a query embeds
    only itself). ``spans`` are the sentences' offsets into the chunk's text, one per row of
    ``sentences``; vectors are unit length, so a dot product is the cosine similarity."""

    chunk: Sequence[float]
    spans: tuple[tuple[int, int], ...] = ()
    sentences: Sequence[Sequence[float]] = ()


class Embedder(Protocol):
    """Turns text into unit-length vectors."""

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        ...

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed texts (passages or queries), one vector each."""
        ...


@runtime_checkable
class SpanEmbedder(Embedder, Protocol):
    """An embedder that also gives vectors for spans of each text from the same pass (a
    sentence's vector is the mean of its tokens' vectors inside its chunk), so index time
    embeds each chunk once. Optional: without it, each sentence is embedded on its own."""

    def embed_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[list[list[float]], list[list[list[float] | None]]]:
        """Each text's vector (as ``embed`` gives it) and one vector per span, ``None`` for
        a span the model's window does not reach."""
        ...


class VectorIndex(Protocol):
    """Dense index of chunks. Derived from the store; can be reset and rebuilt."""

    def upsert(
        self,
        chunks: Sequence[ChunkRecord],
        embeddings: Sequence[Sequence[float]],
        sentences: Sequence[ChunkVectors] | None = None,
    ) -> None:
        """Insert or replace chunks with their vectors and, when given (one per chunk, its
        ``chunk`` equal to the embedding), their sentences' vectors."""
        ...

    def vectors(self, chunk_ids: Sequence[str]) -> dict[str, ChunkVectors]:
        """The vectors held for these chunks (those without sentence vectors, e.g. indexed
        before they existed, are left out). Only for ids a query in the reader's scope
        returned: this lookup checks no permission."""
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

    def scrub(self) -> None:
        """Leave no bytes of deleted or replaced chunks in the index's own files (after a
        delete, a withdrawal or a re-redaction)."""
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

    def scrub(self) -> None:
        """Leave no bytes of deleted or replaced chunks in the index's own files (after a
        delete, a withdrawal or a re-redaction)."""
        ...
