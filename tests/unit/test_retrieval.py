import pytest

from playbook.models import IndexHit
from playbook.ports import Scope
from playbook.retrieval import QueryError, Retriever, clean_query, highlight, snippet
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
    r = Retriever(FakeEmbedder(), vectors, keywords)  # type: ignore[arg-type]
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
