"""Hybrid search: keyword (BM25) and dense results, fused (weighted scores by default).

The permission scope is passed into both index queries, so a chunk the reader may not see is
never fetched, ranked or returned.

Dense scores come from vectors made at index time: each candidate's score is a mix of its
chunk's cosine and its best sentence's (``sentence_weight``), read from the dense index's
sentence vectors (``VectorIndex.vectors``), so only the query is embedded. The same vectors
rank sentences for answers (``Retriever.sentence_scores``).
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import cast

import numpy as np

from playbook.models import IndexHit, SearchHit
from playbook.ports import ChunkVectors, Embedder, KeywordIndex, Scope, VectorIndex

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


FUSIONS = ("rrf", "weighted", "adaptive", "dense", "keyword")


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


@dataclass(frozen=True)
class ScoredSentence:
    """A sentence of a hit's text (``text[start:end]``), its cosine similarity to the query
    and its vector (unit length, made at index time)."""

    text: str
    start: int
    end: int
    similarity: float
    vector: Sequence[float]


_TERM_STEM = 5  # query words and text words match on their first letters (a cheap stemmer)


def _stems(text: str) -> set[str]:
    return {w.casefold()[:_TERM_STEM] for w in _WORD.findall(text) if len(w) > 2}


def _finder(stems: set[str]) -> re.Pattern[str]:
    """A pattern finding the words of a text whose stem is one of ``stems`` (one C-speed
    scan of each text instead of splitting every word of it in Python)."""
    long = sorted(re.escape(t) for t in stems if len(t) == _TERM_STEM)
    short = sorted(re.escape(t) for t in stems if len(t) < _TERM_STEM)
    parts = ([rf"(?<!\w)(?:{'|'.join(long)})"] if long else []) + (
        [rf"(?<!\w)(?:{'|'.join(short)})(?!\w)"] if short else []
    )
    return re.compile("|".join(parts), re.IGNORECASE)


def keyword_coverage(query: str, top: str, pool: Sequence[str]) -> float:
    """How much of the query the best keyword hit (``top``) contains, 0..1: its share of the
    query's words, each weighted by its rarity among the candidate texts (``pool``).

    A query whose words are in the hit (a rare exact term, a name's placeholder) scores
    high; a paraphrase, whose best keyword hit shares only common words, scores low.
    """
    terms = _stems(query)
    if not terms:
        return 0.0
    finder = _finder(terms)

    def found(text: str) -> set[str]:
        return {m.casefold()[:_TERM_STEM] for m in finder.findall(text)}

    texts = [found(t) for t in pool]
    n = len(texts)
    idf = {t: np.log1p(n / (1 + sum(t in x for x in texts))) for t in terms}
    present = found(top)
    return float(sum(idf[t] for t in terms if t in present) / sum(idf.values()))


@dataclass
class Retriever:
    """Keyword and dense candidates, fused, boosted, de-duplicated.

    ``fusion`` is ``"weighted"`` (min-max normalised scores, ``dense_weight`` for the dense
    side), ``"adaptive"`` (weighted, with the dense side at ``adaptive_dense_weight`` when
    the best keyword hit covers less than ``adaptive_coverage`` of the query: see
    ``keyword_coverage``), ``"rrf"`` (reciprocal rank), or ``"dense"`` / ``"keyword"`` for
    one side alone (for evaluation). The dense score of a candidate is
    ``(1 - sentence_weight)`` × its chunk's cosine + ``sentence_weight`` × its best
    sentence's, from the vectors stored at index time (a candidate without them keeps the
    index's chunk score). ``redact``, when given, is applied to every query first, so a name
    typed into a search meets the same placeholder the stored text carries and never reaches
    an index in the clear.
    """

    embedder: Embedder
    vectors: VectorIndex
    keywords: KeywordIndex
    candidates: int = 50
    rrf_k: int = 60
    published_boost: float = 1.25
    duplicate_jaccard: float = 0.9
    fusion: str = "adaptive"
    dense_weight: float = 0.5
    sentence_weight: float = 0.7
    adaptive_dense_weight: float = 1.0
    adaptive_coverage: float = 0.4
    redact: Callable[[str], str] | None = None
    _queries: dict[str, list[float]] = field(default_factory=dict, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.fusion not in FUSIONS:
            raise ValueError(f"fusion should be one of {', '.join(FUSIONS)}, not {self.fusion!r}")

    def embed_query(self, query: str) -> list[float]:
        """The query's vector, kept for the last few hundred queries: an answer's sentence
        ranking right after its search embeds nothing again."""
        with self._lock:
            found = self._queries.get(query)
        if found is not None:
            return found
        vector = self.embedder.embed([query])[0]
        with self._lock:
            if len(self._queries) >= 512:
                self._queries.clear()
            self._queries[query] = vector
        return vector

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
        dense_hits: list[IndexHit] = []
        if self.fusion != "keyword":
            qv = self.embed_query(q)
            dense_hits = self.vectors.query(qv, n, scope)
        keyword_hits = pending.result() if pending is not None else []
        if dense_hits and self.sentence_weight > 0:
            dense_hits = self._rescored(qv, dense_hits)
        rankings = (keyword_hits, dense_hits)
        if self.fusion == "rrf":
            fused = rrf_scores(rankings, self.rrf_k)
        else:
            weight = self._dense_share(q, keyword_hits, dense_hits)
            fused = weighted_scores(rankings, (1.0 - weight, weight))
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

    def _dense_share(
        self, query: str, keyword_hits: Sequence[IndexHit], dense_hits: Sequence[IndexHit]
    ) -> float:
        # One side alone is scored by its own normalised scores (as fusion would see them).
        alone = {"dense": 1.0, "keyword": 0.0}
        if self.fusion in alone:
            return alone[self.fusion]
        if self.fusion != "adaptive" or not keyword_hits:
            return self.dense_weight
        pool = [h.text for h in (*keyword_hits, *dense_hits)]
        cover = keyword_coverage(query, keyword_hits[0].text, pool)
        return self.adaptive_dense_weight if cover < self.adaptive_coverage else self.dense_weight

    def _stored(self, chunk_ids: Sequence[str]) -> dict[str, ChunkVectors]:
        # An index adapter without stored sentence vectors (an older third-party one) has
        # no ``vectors``: its hits keep the index's own scores.
        lookup = getattr(self.vectors, "vectors", None)
        return lookup(chunk_ids) if lookup is not None else {}

    def _rescored(self, qv: Sequence[float], hits: Sequence[IndexHit]) -> list[IndexHit]:
        """Dense hits scored by their chunk and best sentence (see the class notes)."""
        stored = self._stored([h.chunk_id for h in hits])
        q = np.asarray(qv, dtype=np.float32)
        out = []
        for h in hits:
            v = stored.get(h.chunk_id)
            if v is None:
                out.append(h)
                continue
            chunk = float(np.dot(np.asarray(v.chunk, dtype=np.float32), q))
            best = _best(v, q, chunk)
            w = self.sentence_weight
            out.append(IndexHit(h.chunk_id, (1 - w) * chunk + w * best, h.text, h.metadata))
        return sorted(out, key=lambda h: (-h.score, h.chunk_id))

    def sentence_scores(self, query: str, hits: Sequence[SearchHit]) -> list[list[ScoredSentence]]:
        """Each hit's sentences with their similarity to ``query`` (the redacted query the
        hits were searched with), from the vectors stored at index time: only the query is
        embedded, and only once (``embed_query``). For the extractive answer.

        A hit whose chunk has no stored vectors (an index built before them, until the
        rebuild on start is done) has its sentences embedded here instead.
        """
        q = np.asarray(self.embed_query(clean_query(query)), dtype=np.float32)
        stored = self._stored([h.chunk_id for h in hits])
        out: list[list[ScoredSentence]] = []
        for h in hits:
            v = stored.get(h.chunk_id)
            if v is None or len(v.spans) != len(v.sentences):
                v = self._embedded(h.text)
            rows = np.asarray(v.sentences, dtype=np.float32).reshape(len(v.spans), -1)
            sims = rows @ q if len(v.spans) else np.zeros(0)
            out.append(
                [
                    ScoredSentence(h.text[a:b], a, b, float(s), cast("Sequence[float]", row))
                    for (a, b), s, row in zip(v.spans, sims, rows, strict=True)
                ]
            )
        return out

    def relevance(self, query: str, hits: Sequence[SearchHit]) -> list[float]:
        """How well each hit answers ``query``: the cosine of its best sentence (or of the
        whole chunk, if higher) to the query, from stored vectors (see ``sentence_scores``)."""
        q = np.asarray(self.embed_query(clean_query(query)), dtype=np.float32)
        stored = self._stored([h.chunk_id for h in hits])
        out = []
        for h in hits:
            v = stored.get(h.chunk_id) or self._embedded(h.text)
            chunk = float(np.dot(np.asarray(v.chunk, dtype=np.float32), q))
            out.append(max(chunk, _best(v, q, chunk)))
        return out

    def _embedded(self, text: str) -> ChunkVectors:
        spans = [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]
        vectors = self.embedder.embed([text, *(text[a:b] for a, b in spans)])
        return ChunkVectors(chunk=vectors[0], spans=tuple(spans), sentences=vectors[1:])


# A sentence for the fallback above: text up to . ! ? or a line break (stored vectors use
# the indexing side's own split).
_SENTENCE = re.compile(r"[^\s](?:[^\n]*?[.!?](?=\s|$)|[^\n]*)")


def _best(v: ChunkVectors, q: np.ndarray, default: float) -> float:
    if not len(v.sentences):
        return default
    return float(np.max(np.asarray(v.sentences, dtype=np.float32) @ q))


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
        owner_id=str(meta.get("owner_id", "")),
        visibility=str(meta.get("visibility", "")),
        function=str(meta["function"]) if meta.get("function") else None,
        market=str(meta["market"]) if meta.get("market") else None,
    )
