import dataclasses

import pytest

from ingest.pipeline import embed_chunks
from playbook.models import ChunkRecord, IndexHit, Kind, Visibility
from playbook.ports import Scope
from playbook.retrieval import (
    QueryError,
    Retriever,
    clean_query,
    highlight,
    keyword_coverage,
    rrf_scores,
    snippet,
    weighted_scores,
)
from tests.fakes import FakeEmbedder, InMemoryKeywordIndex, InMemoryVectorIndex


class Ranked:
    def __init__(self, ids: list[str]) -> None:
        self.ids = ids
        self.scopes: list[Scope] = []

    def query(self, _q: object, k: int, scope: Scope) -> list[IndexHit]:
        self.scopes.append(scope)
        return [
            IndexHit(i, 1.0, f"text {i}", {"document_id": i, "kind": "journal"})
            for i in self.ids[:k]
        ]


def test_reciprocal_rank_fusion_rewards_agreement() -> None:
    keywords, vectors = Ranked(["a", "b", "c"]), Ranked(["c", "a", "d"])
    r = Retriever(FakeEmbedder(), vectors, keywords, fusion="rrf")  # type: ignore[arg-type]
    scope = Scope("u1", frozenset({"p"}))
    hits = r.search("anything", scope, k=4)
    assert [h.chunk_id for h in hits] == ["a", "c", "b", "d"]
    assert keywords.scopes == [scope] and vectors.scopes == [scope]


@pytest.mark.parametrize("query", ["", "   ", '"', "*", "?!", "((("])
def test_queries_without_words_are_refused_clearly(query: str) -> None:
    with pytest.raises(QueryError):
        clean_query(query)


def test_long_queries_are_cut() -> None:
    assert len(clean_query("word " * 5000)) <= 2000


def test_snippet_centres_on_a_query_word() -> None:
    text = (
        "Intro words here. " * 30
        + "The warehouse taught me the cost of exceptions. "
        + "Tail. " * 30
    )
    s = snippet(text, "warehouse exceptions", width=120)
    assert "warehouse" in s and s.startswith("…") and s.endswith("…")


class Fixed:
    def __init__(self, hits: list[IndexHit]) -> None:
        self.hits = hits

    def query(self, _q: object, k: int, scope: Scope) -> list[IndexHit]:
        return self.hits[:k]


def _hit(cid: str, text: str, visibility: str = "shared") -> IndexHit:
    return IndexHit(cid, 1.0, text, {"document_id": cid, "kind": "entry", "visibility": visibility})


def test_published_entries_get_a_boost() -> None:
    ranked = [_hit("raw", "raw note on pricing"), _hit("pub", "entry on pricing", "published")]
    r = Retriever(FakeEmbedder(), Fixed(ranked), Fixed(ranked))  # type: ignore[arg-type]
    assert [h.chunk_id for h in r.search("pricing", Scope("u", frozenset()), 2)] == ["pub", "raw"]


def test_near_duplicate_chunks_are_collapsed() -> None:
    text = (
        " ".join(
            f"Lesson {i}: decide the price floor before the sales kickoff, not after it."
            for i in range(12)
        )
        + " Every quarter."
    )
    ranked = [
        _hit("a", text),
        _hit("b", text.replace("every quarter", "each quarter")),
        _hit("c", "A different lesson about warehouse returns and rush orders."),
    ]
    r = Retriever(FakeEmbedder(), Fixed(ranked), Fixed(ranked))  # type: ignore[arg-type]
    ids = [h.chunk_id for h in r.search("price floor", Scope("u", frozenset()), 3)]
    assert ids == ["a", "c"]


def test_highlight_marks_query_words() -> None:
    assert highlight("Decide the price floor.", "price floor?") == [
        ("Decide the ", False),
        ("price", True),
        (" ", False),
        ("floor", True),
        (".", False),
    ]


def _scored(pairs: list[tuple[str, float]]) -> list[IndexHit]:
    return [IndexHit(i, s, f"text {i}", {"document_id": i}) for i, s in pairs]


def test_weighted_fusion_normalises_each_list_before_weighting() -> None:
    bm25 = _scored([("a", 12.0), ("b", 6.0), ("c", 0.0)])  # BM25: any scale
    cosine = _scored([("c", 0.9), ("d", 0.5)])
    fused = weighted_scores([bm25, cosine], [0.5, 0.5])
    assert fused == pytest.approx({"a": 0.5, "b": 0.25, "c": 0.5, "d": 0.0})
    dense_heavy = weighted_scores([bm25, cosine], [0.2, 0.8])
    assert max(dense_heavy, key=dense_heavy.__getitem__) == "c"
    # One hit in a list (no spread) counts fully; an empty list adds nothing.
    assert weighted_scores([_scored([("x", 3.0)]), []], [0.5, 0.5]) == {"x": 0.5}


def test_rrf_scores_only_ranks_not_scores() -> None:
    a = rrf_scores([_scored([("a", 100.0), ("b", 1.0)])], k=60)
    b = rrf_scores([_scored([("a", 0.2), ("b", 0.1)])], k=60)
    assert a == b == pytest.approx({"a": 1 / 61, "b": 1 / 62})


@pytest.mark.parametrize("fusion", ["dense", "keyword", "weighted", "rrf"])
def test_each_fusion_queries_only_what_it_uses(fusion: str) -> None:
    keywords, vectors = Ranked(["a", "b"]), Ranked(["c", "a"])
    r = Retriever(FakeEmbedder(), vectors, keywords, fusion=fusion)  # type: ignore[arg-type]
    ids = [h.chunk_id for h in r.search("anything", Scope("u1", frozenset()), k=5)]
    assert bool(keywords.scopes) == (fusion != "dense")
    assert bool(vectors.scopes) == (fusion != "keyword")
    assert set(ids) == {"dense": {"c", "a"}, "keyword": {"a", "b"}}.get(fusion, {"a", "b", "c"})


def test_unknown_fusion_is_refused() -> None:
    with pytest.raises(ValueError, match="fusion should be one of"):
        Retriever(FakeEmbedder(), Ranked([]), Ranked([]), fusion="max")  # type: ignore[arg-type]


def test_queries_are_redacted_before_any_index_sees_them() -> None:
    seen: list[object] = []

    class Recording(Ranked):
        def query(self, q: object, k: int, scope: Scope) -> list[IndexHit]:
            seen.append(q)
            return super().query(q, k, scope)

    embedder = FakeEmbedder()
    r = Retriever(
        embedder,
        Recording(["a"]),  # type: ignore[arg-type]
        Recording(["a"]),  # type: ignore[arg-type]
        redact=lambda q: q.replace("Tony Mercer", "[PERSON-AAAAAAAA]"),
    )
    [hit] = r.search("what did Tony Mercer say", Scope("u1", frozenset()), k=1)
    assert hit.chunk_id == "a"
    assert "what did [PERSON-AAAAAAAA] say" in seen  # the keyword index's query
    assert embedder.embed(["what did [PERSON-AAAAAAAA] say"])[0] in seen  # the dense one
    assert len(seen) == 2
    seen.clear()
    r.search("already [PERSON-AAAAAAAA] Tony Mercer", Scope("u1", frozenset()), k=1, redacted=True)
    assert "already [PERSON-AAAAAAAA] Tony Mercer" in seen


def _chunk(cid: str, text: str) -> ChunkRecord:
    return ChunkRecord(
        chunk_id=cid,
        document_id=f"d-{cid}",
        ordinal=0,
        text=text,
        owner_id="u",
        visibility=Visibility.SHARED,
        programme_id="p",
        kind=Kind.JOURNAL,
        title=f"title {cid}",
        source_id=f"s-{cid}",
    )


def _indexed(texts: dict[str, str]) -> tuple[FakeEmbedder, Retriever]:
    """In-memory indexes holding these chunks as the pipeline writes them (with sentence
    vectors), and a retriever over them."""
    embedder = FakeEmbedder()
    vectors, keywords = InMemoryVectorIndex(), InMemoryKeywordIndex()
    chunks = [_chunk(cid, t) for cid, t in texts.items()]
    chunk_vectors, sentences = embed_chunks(embedder, [c.text for c in chunks])
    vectors.upsert(chunks, chunk_vectors, sentences)
    keywords.upsert(chunks)
    return embedder, Retriever(embedder, vectors, keywords)


def test_keyword_coverage_tells_an_exact_term_from_a_paraphrase() -> None:
    pool = ["the freight tender was skipped", "a tender for freight", "we talked about it"]
    assert keyword_coverage("freight tender", pool[0], pool) == 1.0
    # Only a common word of the query is in the best keyword hit.
    assert keyword_coverage("shipping partner we kept talked", pool[2], pool) < 0.4


def test_adaptive_fusion_leans_dense_when_the_keywords_match_little() -> None:
    keywords = Fixed([_hit("k", "we talked about the weather"), _hit("x", "filler text here")])
    vectors = Fixed([_hit("d", "the carrier stayed without a tender"), _hit("k", "we talked")])
    scope = Scope("u", frozenset())
    query = "kept the shipping partner, talked"
    for fusion, first in (("adaptive", "d"), ("weighted", "k")):
        r = Retriever(
            FakeEmbedder(),
            vectors,  # type: ignore[arg-type]
            keywords,  # type: ignore[arg-type]
            fusion=fusion,
            sentence_weight=0.0,
        )
        assert r.search(query, scope, 2)[0].chunk_id == first


def test_a_chunk_is_scored_by_its_best_sentence_too() -> None:
    long = "Pricing in the north. " + " ".join(f"Filler sentence {i} here." for i in range(12))
    _, r = _indexed({"long": long, "other": "Some notes on pricing and hiring and rotas."})
    scope = Scope("u", frozenset({"p"}))
    chunk_only = dataclasses.replace(r, fusion="dense", sentence_weight=0.0)
    with_sentences = dataclasses.replace(r, fusion="dense", sentence_weight=0.7)
    assert chunk_only.search("pricing north", scope, 2)[0].chunk_id == "other"
    assert with_sentences.search("pricing north", scope, 2)[0].chunk_id == "long"


def test_only_the_question_is_embedded_at_query_time() -> None:
    embedder, r = _indexed(
        {
            "a": "Raise the price floor early. Tell the sales team first. Then hold it.",
            "b": "Warehouse rotas were designed by the team. Nobody asked for it.",
        }
    )
    before = embedder.texts
    scope = Scope("u", frozenset({"p"}))
    hits = r.search("price floor sales", scope, 2)
    relevance = r.relevance("price floor sales", hits)
    ranked = r.sentence_scores("price floor sales", hits)
    assert embedder.texts - before == 1  # the question, once: passages come from the index
    assert hits[0].chunk_id == "a" and relevance[0] > relevance[1]
    best = max(ranked[0], key=lambda s: s.similarity)
    assert best.text == "Raise the price floor early." == hits[0].text[best.start : best.end]


def test_passages_without_stored_vectors_are_embedded_instead() -> None:
    hit = _hit("x", "One sentence here. Another one there.")
    embedder = FakeEmbedder()
    r = Retriever(embedder, Fixed([hit]), Fixed([hit]))  # type: ignore[arg-type]
    [found] = r.search("sentence", Scope("u", frozenset()), 1)
    [sentences] = r.sentence_scores("sentence", [found])
    assert [s.text for s in sentences] == ["One sentence here.", "Another one there."]
    assert r.relevance("sentence", [found])[0] > 0
