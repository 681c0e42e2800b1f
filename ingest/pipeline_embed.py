"""Embedding at index time: each chunk's vector and its sentences' vectors, in groups of
texts of similar length (a model batch is padded to its longest text)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ingest.chunk import sentences
from playbook.ports import ChunkVectors, Embedder, SpanEmbedder

__all__ = ["GROUP_SHORTEST", "GROUP_TEXTS", "embed_chunks", "embed_grouped"]


def embed_chunks(
    embedder: Embedder,
    texts: Sequence[str],
    progress: Callable[[int, int], None] | None = None,
) -> tuple[list[list[float]], list[ChunkVectors]]:
    """Each chunk's vector, and its sentences' vectors with their offsets.

    Made at index time so that a query embeds only itself (ranking takes the best sentence,
    an answer picks sentences). A chunk of one sentence reuses the chunk's vector. With a
    ``SpanEmbedder`` each sentence's vector is pooled from its chunk's pass (about half the
    embedding time of the leader corpus, and better answers: README, "Sentence vectors");
    otherwise each sentence is embedded on its own.
    ``progress(done, total)`` is called after each group of texts is embedded.
    """
    spans = [[(s.start, s.end) for s in sentences(t)] for t in texts]
    if isinstance(embedder, SpanEmbedder):
        return _embed_pooled(embedder, texts, spans, progress)
    extra = [t[a:b] for t, sp in zip(texts, spans, strict=True) if len(sp) > 1 for a, b in sp]
    embedded = embed_grouped(embedder, [*texts, *extra], progress)
    chunk_vectors, rest = embedded[: len(texts)], iter(embedded[len(texts) :])
    out: list[ChunkVectors] = []
    for v, sp in zip(chunk_vectors, spans, strict=True):
        rows = [next(rest) for _ in sp] if len(sp) > 1 else [v] * len(sp)
        out.append(ChunkVectors(chunk=v, spans=tuple(sp), sentences=rows))
    return chunk_vectors, out


# Texts per embedding call, and how much shorter than a group's longest text a text may be
# and still join it: a model batch is padded to its longest text, so one 220-token chunk in
# a batch of 20-token sentences made a one-entry save embed its sentences at the chunks'
# length (measured on entries of 2 and 4 chunks: 3.0x and 3.2x the time of grouped calls).
GROUP_TEXTS = 64
GROUP_SHORTEST = 0.5


def embed_grouped(
    embedder: Embedder,
    texts: Sequence[str],
    progress: Callable[[int, int], None] | None = None,
) -> list[list[float]]:
    """Vectors of ``texts`` in their order, embedded in groups of similar length."""
    if not texts:
        return []
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    groups: list[list[int]] = []
    for i in order:
        group = groups[-1] if groups else None
        if (
            group is None
            or len(group) >= GROUP_TEXTS
            or len(texts[i]) < GROUP_SHORTEST * len(texts[group[0]])
        ):
            groups.append([i])
        else:
            group.append(i)
    out: list[list[float]] = [[] for _ in texts]
    done = 0
    for group in groups:
        for i, v in zip(group, embedder.embed([texts[i] for i in group]), strict=True):
            out[i] = v
        done += len(group)
        if progress:
            progress(done, len(texts))
    return out


def _embed_pooled(
    embedder: SpanEmbedder,
    texts: Sequence[str],
    spans: list[list[tuple[int, int]]],
    progress: Callable[[int, int], None] | None,
) -> tuple[list[list[float]], list[ChunkVectors]]:
    """Chunks in groups of similar length, each with its sentences' vectors from the same
    pass; a sentence past the model's window is embedded on its own."""
    order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
    chunk_vectors: list[list[float]] = [[] for _ in texts]
    pooled: list[list[list[float] | None]] = [[] for _ in texts]
    for at in range(0, len(order), GROUP_TEXTS):
        group = order[at : at + GROUP_TEXTS]
        vs, rows = embedder.embed_spans([texts[i] for i in group], [spans[i] for i in group])
        for i, v, r in zip(group, vs, rows, strict=True):
            chunk_vectors[i], pooled[i] = v, r
        if progress:
            progress(at + len(group), len(texts))
    missing = [  # a chunk of one sentence uses its own vector
        (i, j)
        for i, rows in enumerate(pooled)
        if len(rows) > 1
        for j, r in enumerate(rows)
        if r is None
    ]
    if missing:
        alone = embed_grouped(embedder, [texts[i][slice(*spans[i][j])] for i, j in missing])
        for (i, j), v in zip(missing, alone, strict=True):
            pooled[i][j] = v
    out = [
        ChunkVectors(
            chunk=v,
            spans=tuple(sp),
            sentences=[r for r in rows if r is not None] if len(sp) > 1 else [v] * len(sp),
        )
        for v, sp, rows in zip(chunk_vectors, spans, pooled, strict=True)
    ]
    return chunk_vectors, out
