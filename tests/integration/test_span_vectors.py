"""Sentence vectors pooled from their chunk's pass (``SentenceTransformerEmbedder.
embed_spans``), with the real model: the chunk's vector is the model's own, each sentence's
vector stays nearest its own sentence, and a sentence past the model's window is embedded on
its own."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from ingest.chunk import sentences
from ingest.embed import SentenceTransformerEmbedder
from ingest.pipeline_embed import embed_chunks
from playbook.ports import SpanEmbedder

pytestmark = pytest.mark.integration

CHUNKS = [
    "We moved the price up four percent in Vietnam and volume held. The warehouse in Da Nang "
    "flooded twice during the rotation. My mentor told me to listen before I argued.",
    "The council advised keeping the founder for three years. Quiet engineers shared more "
    "once we collected written input first. Our graduates leave for promotion paths, not pay.",
]


@pytest.fixture
def embedder(st_model: Any) -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(st_model)


def _spans(text: str) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in sentences(text)]


def test_the_chunk_vector_is_the_models_own(embedder: SentenceTransformerEmbedder) -> None:
    assert isinstance(embedder, SpanEmbedder)
    pooled, rows = embedder.embed_spans(CHUNKS, [_spans(t) for t in CHUNKS])
    for got, want in zip(pooled, embedder.embed(CHUNKS), strict=True):
        assert got == pytest.approx(want, abs=1e-4)
    assert [len(r) for r in rows] == [3, 3]


def test_each_sentence_vector_is_nearer_its_own_sentence_than_another_chunks(
    embedder: SentenceTransformerEmbedder,
) -> None:
    # Pooled vectors carry their chunk's context: within a chunk they lean towards each
    # other (measured on 376 leader sentences: 85% are nearest their own sentence of their
    # chunk's), but never towards another chunk's sentences.
    _, rows = embed_chunks(embedder, CHUNKS)
    alone = [
        np.array(embedder.embed([t[a:b] for a, b in r.spans]))
        for t, r in zip(CHUNKS, rows, strict=True)
    ]
    for i, row in enumerate(rows):
        pooled = np.array(row.sentences)
        assert np.allclose(np.linalg.norm(pooled, axis=1), 1.0, atol=1e-3)
        own = np.diag(pooled @ alone[i].T)
        other = (pooled @ alone[1 - i].T).max(axis=1)
        assert (own > other + 0.1).all() and (own > 0.4).all()


def test_a_sentence_past_the_window_is_embedded_on_its_own(
    embedder: SentenceTransformerEmbedder,
) -> None:
    long = " ".join(["The supplier missed the delivery window again this week."] * 40)
    text = long + " Pricing in Kenya follows market days."
    _, rows = embed_chunks(embedder, [text])
    (row,) = rows
    a, b = row.spans[-1]
    assert text[a:b] == "Pricing in Kenya follows market days."
    _, raw = embedder.embed_spans([text], [list(row.spans)])
    assert raw[0][-1] is None  # the window ends before it
    assert row.sentences[-1] == pytest.approx(embedder.embed([text[a:b]])[0], abs=1e-4)
    assert len(row.sentences) == len(row.spans)


def test_a_model_that_does_not_mean_pool_embeds_each_sentence_on_its_own(st_model: Any) -> None:
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.models import Normalize, Pooling

    from ingest.embed import mean_pooled

    cls = SentenceTransformer(
        modules=[st_model[0], Pooling(384, pooling_mode="cls"), Normalize()], device="cpu"
    )
    assert mean_pooled(st_model) and not mean_pooled(cls)
    embedder = SentenceTransformerEmbedder(cls)
    vectors, rows = embedder.embed_spans(CHUNKS[:1], [_spans(CHUNKS[0])])
    assert vectors[0] == pytest.approx(embedder.embed(CHUNKS[:1])[0], abs=1e-4)
    alone = embedder.embed([CHUNKS[0][a:b] for a, b in _spans(CHUNKS[0])])
    for got, want in zip(rows[0], alone, strict=True):
        assert got == pytest.approx(want, abs=1e-4)
