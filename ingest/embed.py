"""Sentence embeddings with sentence-transformers, loaded from a local folder."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def load_sentence_transformer(path: str) -> Any:
    """Load a sentence-transformers model from a local folder, on the CPU, never from a hub."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(path, device="cpu", local_files_only=True)


class SentenceTransformerEmbedder:
    """Embedder port: unit-length vectors, so cosine similarity is a dot product."""

    def __init__(self, model: Any, batch_size: int = 64) -> None:
        self._model = model
        self._batch_size = batch_size

    @property
    def dimension(self) -> int:
        """Length of each vector."""
        getter = getattr(self._model, "get_embedding_dimension", None) or (
            self._model.get_sentence_embedding_dimension
        )
        return int(getter())

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Embed texts in batches (the model sorts by length to limit padding)."""
        if not texts:
            return []
        vectors = self._model.encode(
            list(texts),
            batch_size=self._batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return vectors.tolist()  # type: ignore[no-any-return,unused-ignore]
