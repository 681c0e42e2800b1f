"""Fakes: small, real implementations of the ports, for fast unit tests of our own logic."""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Sequence

from playbook.models import ChunkRecord, IndexHit, Redaction, RedactionPolicy
from playbook.permissions import scope_allows
from playbook.ports import ChunkVectors, Scope
from playbook.pseudonyms import (
    Finding,
    Pseudonymizer,
    RedactionError,
    Roster,
    TermMatcher,
    _merge,
    apply_findings,
)

_WORD = re.compile(r"\w+")


class FakeRedactor:
    """Finds a fixed list of names and anything that looks like an e-mail address, then
    replaces them through the real pseudonym logic (``apply_findings``)."""

    def __init__(self, names: Sequence[str] = ("Tony", "Priya", "Marcus")) -> None:
        alternatives = "|".join(re.escape(n) for n in names)
        self._pattern = re.compile(rf"\S+@\S+\.\w+|\b(?:{alternatives})\b", re.IGNORECASE)
        self.pseudonymizer = Pseudonymizer(b"fake-key")
        self.roster = Roster()
        self.calls = 0
        self.fail = False
        self.policies: list[RedactionPolicy | None] = []

    def analyze_batch(
        self, texts: Sequence[str], policy: RedactionPolicy | None = None
    ) -> list[list[Finding]]:
        self.calls += 1
        self.policies.append(policy)
        if self.fail:
            raise RedactionError("engine down")
        allow = {a.casefold() for a in (policy.allow if policy else ())}
        deny = TermMatcher(dict.fromkeys(policy.deny), "deny") if policy and policy.deny else None
        out = []
        for text in texts:
            found = [
                Finding(m.start(), m.end(), "EMAIL" if "@" in m.group() else "PERSON", 0.9, "fake")
                for m in self._pattern.finditer(text)
                if m.group().casefold() not in allow
            ]
            if deny is not None:
                found.extend(deny.find(text))
            found.extend(self.roster.matcher.find(text))
            out.append(_merge(found))
        return out

    def redact_batch(
        self, texts: Sequence[str], policy: RedactionPolicy | None = None
    ) -> list[Redaction]:
        found = self.analyze_batch(texts, policy)
        return [apply_findings(self.pseudonymizer, t, f) for t, f in zip(texts, found, strict=True)]

    def set_roster(self, roster: Roster) -> None:
        self.roster = roster


class FakeEmbedder:
    """Hashed bag of words, normalised: texts sharing words are close."""

    dimension = 64

    def __init__(self) -> None:
        self.calls = 0
        self.texts = 0

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.calls += 1
        self.texts += len(texts)
        vectors = []
        for text in texts:
            v = [0.0] * self.dimension
            for w in _WORD.findall(text.lower()):
                v[int(hashlib.md5(w.encode()).hexdigest(), 16) % self.dimension] += 1.0
            norm = math.sqrt(sum(x * x for x in v)) or 1.0
            vectors.append([x / norm for x in v])
        return vectors


class InMemoryVectorIndex:
    """Brute-force cosine search with the permission scope applied to every candidate."""

    def __init__(self) -> None:
        self.rows: dict[str, tuple[ChunkRecord, list[float]]] = {}
        self.sentences: dict[str, ChunkVectors] = {}

    def upsert(
        self,
        chunks: Sequence[ChunkRecord],
        embeddings: Sequence[Sequence[float]],
        sentences: Sequence[ChunkVectors] | None = None,
    ) -> None:
        for c, e in zip(chunks, embeddings, strict=True):
            self.rows[c.chunk_id] = (c, list(e))
            self.sentences.pop(c.chunk_id, None)
        for c, v in zip(chunks, sentences or (), strict=False):
            self.sentences[c.chunk_id] = v

    def vectors(self, chunk_ids: Sequence[str]) -> dict[str, ChunkVectors]:
        return {i: self.sentences[i] for i in chunk_ids if i in self.sentences}

    def delete_documents(self, document_ids: Sequence[str]) -> None:
        ids = set(document_ids)
        self.rows = {k: v for k, v in self.rows.items() if v[0].document_id not in ids}
        self.sentences = {k: v for k, v in self.sentences.items() if k in self.rows}

    def query(self, embedding: Sequence[float], k: int, scope: Scope) -> list[IndexHit]:
        scored = [
            (sum(a * b for a, b in zip(embedding, e, strict=True)), c)
            for c, e in self.rows.values()
            if scope_allows(scope, c.metadata())
        ]
        scored.sort(key=lambda t: (-t[0], t[1].chunk_id))
        return [IndexHit(c.chunk_id, s, c.text, c.metadata()) for s, c in scored[:k]]

    def count(self) -> int:
        return len(self.rows)

    def reset(self) -> None:
        self.rows.clear()
        self.sentences.clear()

    def scrub(self) -> None:
        pass  # nothing on disk


class InMemoryKeywordIndex:
    """Counts shared words; the permission scope is applied to every candidate."""

    def __init__(self) -> None:
        self.rows: dict[str, ChunkRecord] = {}

    def upsert(self, chunks: Sequence[ChunkRecord]) -> None:
        for c in chunks:
            self.rows[c.chunk_id] = c

    def delete_documents(self, document_ids: Sequence[str]) -> None:
        ids = set(document_ids)
        self.rows = {k: c for k, c in self.rows.items() if c.document_id not in ids}

    def query(self, text: str, k: int, scope: Scope) -> list[IndexHit]:
        terms = {w for w in _WORD.findall(text.lower()) if len(w) > 2}
        scored = []
        for c in self.rows.values():
            if not scope_allows(scope, c.metadata()):
                continue
            words = _WORD.findall(c.text.lower())
            score = sum(1 for w in words if w in terms)
            if score:
                scored.append((float(score), c))
        scored.sort(key=lambda t: (-t[0], t[1].chunk_id))
        return [IndexHit(c.chunk_id, s, c.text, c.metadata()) for s, c in scored[:k]]

    def count(self) -> int:
        return len(self.rows)

    def reset(self) -> None:
        self.rows.clear()

    def scrub(self) -> None:
        pass  # nothing on disk
