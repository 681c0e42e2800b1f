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


def mean_pooled(model: Any) -> bool:
    """True when the model's vector is the mean of its transformer's token vectors (then
    normalised): what ``embed_spans`` pools spans from. all-MiniLM-L6-v2 is."""
    modules = [type(m).__name__ for m in model]
    if modules[:2] != ["Transformer", "Pooling"] or set(modules[2:]) - {"Normalize"}:
        return False
    config = model[1].get_config_dict()
    mode = config.get("pooling_mode") or ("mean" if config.get("pooling_mode_mean_tokens") else "")
    return bool(mode == "mean")


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

    def embed_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[list[list[float]], list[list[list[float] | None]]]:
        """Each text's vector and, from the same pass, a vector for each of its spans.

        The text's vector is the model's own (mean of its token vectors, as ``embed``); a
        span's is the mean of the token vectors inside it, so a sentence costs nothing more
        than its chunk ("late chunking"). A span past the model's window has no tokens and
        gets ``None``: the caller embeds it on its own.
        """
        if not texts:
            return [], []
        if not mean_pooled(self._model):  # another model's vector is not a mean of tokens
            return self.embed(texts), [
                list(self.embed([t[a:b] for a, b in sp]))
                for t, sp in zip(texts, spans, strict=True)
            ]
        import torch

        model, tokenizer = self._model, self._model.tokenizer
        chunk_out: list[list[float]] = []
        span_out: list[list[list[float] | None]] = []
        for at in range(0, len(texts), self._batch_size):
            batch = list(texts[at : at + self._batch_size])
            enc = tokenizer(
                batch,
                padding=True,
                truncation=True,
                max_length=model.max_seq_length,
                return_offsets_mapping=True,
                return_tensors="pt",
            )
            offsets = enc.pop("offset_mapping")
            with (
                torch.inference_mode(),
                torch.autocast("cpu", dtype=torch.bfloat16, enabled=self._bf16),
            ):
                tokens = model[0](dict(enc))["token_embeddings"].float()
            mask = enc["attention_mask"].to(tokens.dtype)
            whole = (tokens * mask[..., None]).sum(1) / mask.sum(1, keepdim=True)
            chunk_out.extend(torch.nn.functional.normalize(whole, dim=-1).tolist())
            starts, ends = offsets[..., 0], offsets[..., 1]
            real = ends > starts  # [CLS], [SEP] and padding have empty offsets: left out
            for i, text_spans in enumerate(spans[at : at + len(batch)]):
                rows: list[list[float] | None] = []
                for a, b in text_spans:
                    inside = real[i] & (starts[i] < b) & (ends[i] > a)
                    if not bool(inside.any()):
                        rows.append(None)
                        continue
                    v = tokens[i][inside].mean(0)
                    rows.append(torch.nn.functional.normalize(v, dim=-1).tolist())
                span_out.append(rows)
        return chunk_out, span_out
