"""``EmbedderContract`` against the hashed bag-of-words fake and sentence-transformers."""

from __future__ import annotations

from typing import Any

import pytest

from ingest.embed import SentenceTransformerEmbedder
from playbook.ports import Embedder
from tests.contracts.embedder import EmbedderContract
from tests.fakes import FakeEmbedder


class TestFakeEmbedder(EmbedderContract):
    @pytest.fixture
    def subject(self) -> Embedder:
        return FakeEmbedder()


class TestSentenceTransformerEmbedder(EmbedderContract):
    pytestmark = pytest.mark.integration

    @pytest.fixture
    def subject(self, st_model: Any) -> Embedder:
        return SentenceTransformerEmbedder(st_model)
