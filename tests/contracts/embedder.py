"""The ``Embedder`` contract: what every embedding model (fake or sentence-transformers) must
do."""

from __future__ import annotations

import pytest

from playbook.ports import Embedder


def _dot(x: list[float], y: list[float]) -> float:
    return sum(p * q for p, q in zip(x, y, strict=True))


class EmbedderContract:
    """Tests every ``Embedder`` adapter passes; a subclass provides ``subject``."""

    @pytest.fixture
    def subject(self) -> Embedder:
        """The embedder under test."""
        raise NotImplementedError("a subclass provides the Embedder under test")

    def test_gives_unit_vectors_of_its_dimension(self, subject: Embedder) -> None:
        vectors = subject.embed(["pricing lesson", "a warehouse visit", ""])
        assert len(vectors) == 3 and all(len(v) == subject.dimension for v in vectors)
        for v in vectors[:2]:
            assert abs(sum(x * x for x in v) - 1.0) < 1e-3
        assert subject.embed([]) == []

    def test_is_deterministic_and_similar_texts_are_closer(self, subject: Embedder) -> None:
        a, b, c = subject.embed(
            ["pricing decision lesson", "lesson about a pricing decision", "zebra migration"]
        )
        assert subject.embed(["pricing decision lesson"])[0] == pytest.approx(a, abs=1e-5)
        assert _dot(a, b) > _dot(a, c)
