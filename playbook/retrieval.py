"""Hybrid search: keyword (BM25) and dense results, fused (weighted scores by default).

The permission scope is passed into both index queries, so a chunk the reader may not see is
never fetched, ranked or returned.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from playbook.models import IndexHit, SearchHit
from playbook.ports import Embedder, KeywordIndex, Scope, VectorIndex

MAX_QUERY_CHARS = 2000
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="keyword-query")
_WORD = re.compile(r"\w+")


class QueryError(ValueError):
    """A query that cannot be run, with a sentence saying why."""


def clean_query(query: str) -> str:
    """Trim a query; refuse one with nothing to search for."""
    q = " ".join(query.split())
    if not q:
        raise QueryError("type a few words to search for")
    if not _WORD.search(q):
        raise QueryError("the query has no words to search for, only punctuation")
    return q[:MAX_QUERY_CHARS]


def snippet(text: str, query: str, width: int = 240) -> str:
    """A window of ``text`` around the first query word it contains."""
    words = {w.lower() for w in _WORD.findall(query) if len(w) > 2}
    pos = 0
    for m in _WORD.finditer(text):
        if m.group().lower() in words:
            pos = m.start()
            break
    start = max(0, pos - width // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < pos else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return ("…" if start else "") + text[start:end].strip() + ("…" if end < len(text) else "")


def shingles(text: str, n: int = 3) -> frozenset[str]:
    """Word n-grams of a text, for near-duplicate detection."""
    words = [w.casefold() for w in _WORD.findall(text)]
    if len(words) < n:
        return frozenset([" ".join(words)])
    return frozenset(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """Overlap of two shingle sets (1.0: the same text)."""
    return len(a & b) / len(a | b) if a or b else 1.0


def highlight(text: str, query: str) -> list[tuple[str, bool]]:
    """``text`` cut into pieces, each marked True where it is a word of the query."""
    words = {w.casefold() for w in _WORD.findall(query) if len(w) > 2}
    out: list[tuple[str, bool]] = []
    cursor = 0
    for m in _WORD.finditer(text):
        if m.group().casefold() in words:
            if m.start() > cursor:
                out.append((text[cursor : m.start()], False))
            out.append((m.group(), True))
            cursor = m.end()
    if cursor < len(text):
        out.append((text[cursor:], False))
    return out


FUSIONS = ("rrf", "weighted", "dense", "keyword")


def rrf_scores(rankings: Sequence[Sequence[IndexHit]], k: int = 60) -> dict[str, float]:
    """Reciprocal-rank fusion: each list adds 1 / (k + rank) for each of its chunks."""
    fused: dict[str, float] = {}
    for ranked in rankings:
        for rank, hit in enumerate(ranked):
            fused[hit.chunk_id] = fused.get(hit.chunk_id, 0.0) + 1.0 / (k + rank + 1)
    return fused


def weighted_scores(
    rankings: Sequence[Sequence[IndexHit]], weights: Sequence[float]
) -> dict[str, float]:
    """Weighted sum of min-max normalised scores (a chunk missing from a list scores 0 there).

    Each list's scores are rescaled to 0..1 within the list, since BM25 and cosine scores
    live on different scales.
    """
    fused: dict[str, float] = {}
    for ranked, weight in zip(rankings, weights, strict=True):
        if not ranked:
            continue
        top = max(h.score for h in ranked)
        low = min(h.score for h in ranked)
        span = top - low
        for hit in ranked:
            norm = (hit.score - low) / span if span > 0 else 1.0
            fused[hit.chunk_id] = fused.get(hit.chunk_id, 0.0) + weight * norm
    return fused


@dataclass
class Retriever:
    """Keyword and dense candidates, fused, boosted, de-duplicated.

    ``fusion`` is ``"weighted"`` (min-max normalised scores, ``dense_weight`` for the dense
    side; the default, as it scored best in ``eval/retrieval.py``), ``"rrf"`` (reciprocal
    rank), or ``"dense"`` / ``"keyword"`` for one side alone (for evaluation). ``redact``, when
    given, is applied to every query first, so a name typed into a search meets the same
    placeholder the stored text carries and never reaches an index in the clear.
    """

    embedder: Embedder
    vectors: VectorIndex
    keywords: KeywordIndex
    candidates: int = 50
    rrf_k: int = 60
    published_boost: float = 1.25
    duplicate_jaccard: float = 0.9
    fusion: str = "weighted"
    dense_weight: float = 0.5
    redact: Callable[[str], str] | None = None

    def __post_init__(self) -> None:
        if self.fusion not in FUSIONS:
            raise ValueError(f"fusion should be one of {', '.join(FUSIONS)}, not {self.fusion!r}")

    def search(
        self, query: str, scope: Scope, k: int = 10, redacted: bool = False
    ) -> list[SearchHit]:
        """The ``k`` best chunks for ``query`` that the scope may read. ``redacted`` says the
        query has been redacted already."""
        if k < 1:
            raise QueryError("ask for at least one result")
        q = clean_query(query)
        if self.redact is not None and not redacted:
            q = self.redact(q)
        n = max(self.candidates, k)
        # The keyword query runs beside the embedding and the dense query (SQLite and Chroma
        # both work outside the GIL).
        pending = _POOL.submit(self.keywords.query, q, n, scope) if self.fusion != "dense" else None
        dense_hits = (
            self.vectors.query(self.embedder.embed([q])[0], n, scope)
            if self.fusion != "keyword"
            else []
        )
        keyword_hits = pending.result() if pending is not None else []
        rankings = (keyword_hits, dense_hits)
        if self.fusion == "weighted":
            fused = weighted_scores(rankings, (1.0 - self.dense_weight, self.dense_weight))
        else:
            fused = rrf_scores(rankings, self.rrf_k)
        hits: dict[str, IndexHit] = {}
        for ranked in rankings:
            for hit in ranked:
                hits.setdefault(hit.chunk_id, hit)
        for cid, hit in hits.items():
            if hit.metadata.get("visibility") == "published":
                fused[cid] *= self.published_boost  # curated entries outrank raw notes
        order = sorted(fused, key=lambda cid: (-fused[cid], cid))
        chosen: list[str] = []
        seen: list[frozenset[str]] = []
        for cid in order:
            grams = shingles(hits[cid].text)
            if any(jaccard(grams, other) >= self.duplicate_jaccard for other in seen):
                continue  # a near-copy of a passage already shown
            chosen.append(cid)
            seen.append(grams)
            if len(chosen) == k:
                break
        return [_to_search_hit(hits[cid], fused[cid], q) for cid in chosen]


def _to_search_hit(hit: IndexHit, score: float, query: str) -> SearchHit:
    meta = hit.metadata
    try:
        review_due = (
            dt.date.fromisoformat(str(meta["review_due"])) if "review_due" in meta else None
        )
    except ValueError:
        review_due = None  # unreadable: no flag rather than a failed search
    return SearchHit(
        chunk_id=hit.chunk_id,
        document_id=str(meta.get("document_id", "")),
        source_id=str(meta.get("source_id", "")),
        score=round(score, 6),
        kind=str(meta.get("kind", "")),
        title=str(meta.get("title", "")),
        snippet=snippet(hit.text, query),
        text=hit.text,
        review_due=review_due,
        source_label=str(meta.get("source_label", "")),
        created_at=(
            dt.datetime.fromtimestamp(int(meta["created_ts"]), dt.UTC)
            if isinstance(meta.get("created_ts"), int | float)
            else None
        ),
    )
