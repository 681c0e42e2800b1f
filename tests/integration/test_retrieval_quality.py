"""Retrieval quality on the labelled set (hand-written part, real models): the default fusion
is the better one, names find their pseudonymised mentions, paraphrases stay paraphrases."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eval.retrieval import evaluate
from playbook.settings import Settings

pytestmark = pytest.mark.integration

LABELS = {
    "weighted": "weighted 0.5/0.5",
    "rrf": "RRF (k=60)",
    "adaptive": "adaptive, sentences (default)",
}


def test_labelled_queries_score_as_measured(data_dir: Path, nlp: Any, st_model: Any) -> None:
    figures = evaluate(
        [], data_dir, sweep=False, say=lambda _line: None, small_chunks=False, sentences_alone=False
    )
    methods = figures["methods"]
    assert figures["queries"] >= 50
    # Every paraphrase shares no indexed word with its targets (checked on the real index).
    assert figures["paraphrase_overlap"] == []
    assert methods["keyword only"]["paraphrase"]["recall@5"] == 0.0
    default = LABELS[Settings().search_fusion]
    for other in (label for label in LABELS.values() if label != default):
        assert methods[default]["all"]["ndcg@10"] >= methods[other]["all"]["ndcg@10"]
    # Floors a little under what was measured (README): a regression shows up here.
    assert methods[default]["all"]["ndcg@10"] >= 0.72  # measured 0.785 (varies ±0.02)
    assert methods[default]["all"]["recall@5"] >= 0.8
    assert methods[default]["paraphrase"]["recall@5"] >= 0.55
    # A name in a query meets the placeholder of the same person in the text.
    assert methods[default]["person"]["recall@5"] >= 0.9
