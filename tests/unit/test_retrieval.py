import pytest

from playbook.models import IndexHit
from playbook.ports import Scope
from playbook.retrieval import (
    QueryError,
    Retriever,
    clean_query,
    highlight,
    rrf_scores,
    snippet,
    weighted_scores,
)
from tests.fakes import FakeEmbedder


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
