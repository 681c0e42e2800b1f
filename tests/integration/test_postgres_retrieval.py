"""Retrieval quality (``eval/retrieval.py``, the labelled set, real models) with the store
and the keyword index on PostgreSQL (full text: IDF-weighted ``ts_rank_cd`` rather than
FTS5's BM25) and the dense index on a Chroma server: the same floors as on SQLite
(``tests/integration/test_retrieval_quality.py``) hold. Measured (59 queries, the leader
corpus left out): the default fusion's nDCG@10 0.891, recall@5 0.932, paraphrase recall@5
0.818, person recall@5 1.0; keyword only nDCG@10 0.633."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from eval.retrieval import evaluate
from playbook.settings import Settings
from tests.integration.test_retrieval_quality import LABELS

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_labelled_queries_score_as_on_sqlite(
    data_dir: Path,
    nlp: Any,
    st_model: Any,
    pg_database: str,
    chroma_server: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # evaluate() builds its own Settings: the environment points it at PostgreSQL.
    monkeypatch.setenv("PLAYBOOK_DATABASE_URL", pg_database)
    monkeypatch.setenv("PLAYBOOK_CHROMA_URL", chroma_server)
    monkeypatch.setenv("PLAYBOOK_CHROMA_COLLECTION", f"quality{abs(hash(str(data_dir))) % 10**9}")
    lines: list[str] = []
    # One index only: a second container would share the collection named above.
    figures = evaluate(
        [], data_dir, sweep=False, say=lines.append, small_chunks=False, sentences_alone=False
    )
    print("\n".join(lines))
    methods = figures["methods"]
    for label, m in methods.items():
        print(label, {t: round(v["ndcg@10"], 3) for t, v in m.items()})
    assert figures["queries"] >= 50
    # PostgreSQL's English stemmer is Snowball (Porter2), FTS5's the original Porter: it
    # stems "nearly" to "near", so one paraphrase meets its target's "near misses". That
    # pair is the only word any paraphrase shares with its targets here.
    nearly = ("halting production because workers nearly got hurt", ["r-j03"])
    assert [tuple(o) for o in figures["paraphrase_overlap"]] == [nearly]
    paraphrases = methods["keyword only"]["paraphrase"]
    assert paraphrases["recall@5"] <= 1 / paraphrases["n"] + 1e-9
    default = LABELS[Settings().search_fusion]
    assert methods[default]["all"]["ndcg@10"] >= 0.72
    assert methods[default]["all"]["recall@5"] >= 0.8
    assert methods[default]["paraphrase"]["recall@5"] >= 0.55
    assert methods[default]["person"]["recall@5"] >= 0.9
