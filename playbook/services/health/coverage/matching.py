"""Which shared or published texts cover which declared goal or domain, and why.

A text covers a declaration when one of these holds, tried in this order (the first that
holds is the reason given):

1. its market or function field names the declared market or function (or one of its
   keywords), under any spelling of the alias table (``ingest/data/market_aliases.tsv``:
   "Saigon" is Vietnam, "SCM" is Supply chain);
2. its strategic-goal field names the declared goal (folded text equal, or one within the
   other);
3. a declared keyword (or the declared name) appears in its title, tags or text as whole
   words; for a market or function, any spelling of it the alias table knows does too;
4. for a goal, a domain or a function (not a market), its meaning is close: the cosine of
   the declaration's embedding and one of the text's passages (title, or a few sentences)
   reaches ``threshold`` (tuned by ``eval/coverage.py`` on ``eval/data/coverage_*.jsonl``).
   Places are names, not meanings: with the real model "Nordics market" sat as close to a
   note on entering Indonesia as to one on Sweden, so markets never match by meaning.

Only text every member may read reaches this module; private writing never does.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from playbook.ports import Embedder
from playbook.ports.coverage import Declaration, DeclarationKind, SharedText
from playbook.services.rotation import Aliases, fold

# Tuned on eval/data/coverage_labels.jsonl with the installed model (see eval/coverage.py
# and the README's "Knowledge coverage"): the threshold with the best F1 there.
MEANING_THRESHOLD = 0.34
MAX_PASSAGES = 12  # per text: its title and the first sentences, a few at a time
PASSAGE_SENTENCES = 2
MAX_CACHE = 20_000  # vectors kept between views (texts change rarely; memory stays small)
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
# A market or function declared with its kind in the name ("Nordics market").
_KIND_WORD = re.compile(r"\s+(?:market|markets|function|functions)$", re.IGNORECASE)

# Functions are areas of knowledge as well as fields of a debrief; markets are only places.
MEANINGFUL = frozenset({DeclarationKind.GOAL, DeclarationKind.DOMAIN, DeclarationKind.FUNCTION})
REASONS = {
    "place": "its market or function field",
    "goal": "its strategic-goal field",
    "keyword": "a declared keyword",
    "meaning": "similar meaning",
}


@dataclass(frozen=True)
class Match:
    """One text covering one declaration, and the kind of reason (a key of ``REASONS``)."""

    declaration_id: str
    document_id: str
    reason: str


def bare_name(d: Declaration) -> str:
    """A market's or function's name without its kind word ("Nordics market" -> "Nordics")."""
    if d.kind in (DeclarationKind.MARKET, DeclarationKind.FUNCTION):
        return _KIND_WORD.sub("", d.name.strip()) or d.name.strip()
    return d.name.strip()


def terms(d: Declaration) -> list[str]:
    """The words a text is searched for: the declared keywords and the bare name."""
    return list(dict.fromkeys(t for t in (*d.keywords, bare_name(d)) if fold(t)))


def has_words(term: str, folded_text: str) -> bool:
    """Whether ``term`` appears in ``folded_text`` (already folded) as whole words."""
    want = fold(term)
    if not want:
        return False
    return re.search(rf"(?<!\w){re.escape(want)}(?!\w)", folded_text) is not None


def passages(t: SharedText) -> list[str]:
    """The title and the text a few sentences at a time, at most ``MAX_PASSAGES``."""
    sentences = [s.strip() for s in _SENTENCE.split(t.text) if s.strip()]
    out = [t.title.strip()] if t.title.strip() else []
    for i in range(0, len(sentences), PASSAGE_SENTENCES):
        out.append(" ".join(sentences[i : i + PASSAGE_SENTENCES]))
    return out[:MAX_PASSAGES]


def query_text(d: Declaration) -> str:
    """What a declaration's meaning is embedded from: its name, description and keywords."""
    parts = [d.name.strip(), d.description.strip(), ", ".join(d.keywords)]
    return ". ".join(p for p in parts if p)


class VectorCache:
    """Embeddings of texts seen before, keyed by a hash of the text (texts repeat across
    views; embedding them again would cost the most)."""

    def __init__(self, embedder: Callable[[], Embedder], limit: int = MAX_CACHE) -> None:
        self._embedder = embedder
        self._limit = limit
        self._seen: dict[str, list[float]] = {}

    def vectors(self, texts: Sequence[str]) -> list[list[float]]:
        """One vector per text, embedding only the ones not seen yet."""
        keys = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
        missing = list(dict.fromkeys(k for k in keys if k not in self._seen))
        if missing:
            by_key = dict(zip(keys, texts, strict=True))
            fresh = self._embedder().embed([by_key[k] for k in missing])
            if len(self._seen) + len(missing) > self._limit:
                self._seen.clear()  # simplest bound: start again rather than grow
            self._seen.update(zip(missing, fresh, strict=True))
        return [self._seen[k] for k in keys]


def _cosine(a: Sequence[float], b: Sequence[float]) -> float:
    # The embedder's vectors are unit length: the dot product is the cosine.
    return sum(x * y for x, y in zip(a, b, strict=True))


class Matcher:
    """Finds the texts that cover each declaration."""

    def __init__(
        self,
        cache: VectorCache | None,
        table: Aliases,
        threshold: float = MEANING_THRESHOLD,
    ) -> None:
        self._cache = cache
        self._table = table
        self.threshold = threshold

    def _place(self, d: Declaration, t: SharedText) -> bool:
        kind = {DeclarationKind.MARKET: "market", DeclarationKind.FUNCTION: "function"}.get(d.kind)
        if kind is None:
            return False
        value = t.market if kind == "market" else t.function
        if not value:
            return False
        return any(self._table.same(kind, value, name) for name in terms(d))

    @staticmethod
    def _goal(d: Declaration, t: SharedText) -> bool:
        if d.kind is not DeclarationKind.GOAL or not t.strategic_goal:
            return False
        a, b = fold(t.strategic_goal), fold(d.name)
        return bool(a and b) and (a == b or a in b or b in a)

    def spellings(self, d: Declaration) -> list[str]:
        """The words a text is searched for: ``terms``, and for a market or function every
        spelling of them the alias table knows ("Norway": "Oslo", "Bergen"...)."""
        words = terms(d)
        kind = {DeclarationKind.MARKET: "market", DeclarationKind.FUNCTION: "function"}.get(d.kind)
        if kind is not None:
            for w in list(words):
                words += self._table.search_terms(kind, w)
        return list(dict.fromkeys(words))

    def _keyword(self, d: Declaration, folded: str) -> bool:
        return any(has_words(term, folded) for term in self.spellings(d))

    def similarity(
        self, declarations: Sequence[Declaration], texts: Sequence[SharedText]
    ) -> dict[tuple[str, str], float]:
        """Best passage cosine per (declaration id, document id); empty without an embedder."""
        if self._cache is None or not declarations or not texts:
            return {}
        queries = self._cache.vectors([query_text(d) for d in declarations])
        spans = [passages(t) for t in texts]
        flat = self._cache.vectors([p for ps in spans for p in ps])
        best: dict[tuple[str, str], float] = {}
        at = 0
        for t, ps in zip(texts, spans, strict=True):
            vectors = flat[at : at + len(ps)]
            at += len(ps)
            for d, q in zip(declarations, queries, strict=True):
                best[(d.declaration_id, t.document_id)] = max(
                    (_cosine(q, v) for v in vectors), default=0.0
                )
        return best

    def matches(
        self, declarations: Sequence[Declaration], texts: Sequence[SharedText]
    ) -> list[Match]:
        """Every (declaration, text) pair where the text covers the declaration."""
        folded = {t.document_id: fold(" ".join((t.title, " ".join(t.tags), t.text))) for t in texts}
        out: list[Match] = []
        undecided: list[tuple[Declaration, SharedText]] = []
        for d in declarations:
            for t in texts:
                if self._place(d, t):
                    out.append(Match(d.declaration_id, t.document_id, "place"))
                elif self._goal(d, t):
                    out.append(Match(d.declaration_id, t.document_id, "goal"))
                elif self._keyword(d, folded[t.document_id]):
                    out.append(Match(d.declaration_id, t.document_id, "keyword"))
                elif d.kind in MEANINGFUL:
                    undecided.append((d, t))
        if undecided:
            scores = self.similarity(
                list({d.declaration_id: d for d, _ in undecided}.values()),
                list({t.document_id: t for _, t in undecided}.values()),
            )
            out += [
                Match(d.declaration_id, t.document_id, "meaning")
                for d, t in undecided
                if scores.get((d.declaration_id, t.document_id), 0.0) >= self.threshold
            ]
        return out
