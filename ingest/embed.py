"""Sentence embeddings with sentence-transformers, loaded from a local folder."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


def load_sentence_transformer(path: str) -> Any:
    """Load a sentence-transformers model from a local folder, on the CPU, never from a hub."""
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(path, device="cpu", local_files_only=True)


def set_torch_threads(n: int) -> None:
    """Use ``n`` intra-op threads for every model in this process. With the default two on
    two cores, OpenMP workers spin against any other busy process: one query embedding went
    from ~10 ms to 200-800 ms (``eval/bench_threads.py``), and batches got slower too."""
    import torch

    if torch.get_num_threads() != n:
        torch.set_num_threads(n)


def native_bf16() -> bool:
    """True when this CPU computes bfloat16 natively (oneDNN), so autocast is a speed-up."""
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


class SentenceTransformerEmbedder:
    """Embedder port: unit-length vectors, so cosine similarity is a dot product.

    With ``bf16`` the matrix products run in bfloat16 under autocast (measured: about 2x
    faster on a CPU with AVX512-BF16, cosine to the float32 vectors >= 0.9999). Indexing and
    queries always go through the same embedder, so both sides use one precision.
    """

    def __init__(self, model: Any, batch_size: int = 32, bf16: bool = False) -> None:
        self._model = model
        self._batch_size = batch_size
        self._bf16 = bf16

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
        import torch

        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=self._bf16):
            vectors = self._model.encode(
                list(texts),
                batch_size=self._batch_size,
                normalize_embeddings=True,
                convert_to_numpy=True,
                show_progress_bar=False,
            )
        return vectors.tolist()  # type: ignore[no-any-return,unused-ignore]
