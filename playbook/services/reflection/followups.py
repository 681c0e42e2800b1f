"""Follow-up questions grounded in what the author wrote, and answering one.

With a language model they are generated from the redacted entry (never the original);
without one, or when the model fails or the author is at their request limit, they are chosen
from the prompt library by its cues and by similarity, never one the entry already answers.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Sequence
from typing import Any

from playbook.models import DocumentInfo, Principal
from playbook.ports import ChatModel, Documents, Embedder
from playbook.ratelimit import gate
from playbook.services.reflection.base import (
    AuthorViews,
    DocumentPipeline,
    check_length,
    sentences,
)
from prompts import Library, PromptSet, template

log = logging.getLogger(__name__)


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return float(sum(x * y for x, y in zip(a, b, strict=True)))


# Sentences of an entry compared with each question (a 50,000-character entry has hundreds).
MAX_SENTENCES = 120


class Followups:
    """Suggest follow-up questions and add the author's answers to their entry."""

    def __init__(
        self,
        documents: Documents,
        pipeline: DocumentPipeline,
        privacy: AuthorViews,
        library: Callable[[], Library],
        embedder: Callable[[], Embedder],
        llm: Callable[[], ChatModel | None],
        limiter: Any | None = None,
    ) -> None:
        self._documents = documents
        self._pipeline = pipeline
        self._privacy = privacy
        self._library = library
        self._embedder = embedder
        self._llm = llm
        self._limiter = limiter
        self._cache: dict[str, list[float]] = {}  # library question -> its vector

    def followups(self, principal: Principal, document_id: str, n: int = 3) -> list[str]:
        """One to three follow-up questions grounded in what the author wrote. With an LLM,
        generated from the redacted entry; without one, chosen from the prompt library by its
        cues and by similarity, never one the entry already answers."""
        original = self._privacy.original(principal, document_id)  # authors only
        info = self._documents.document(document_id)
        assert info is not None
        llm, _ = gate(self._limiter, self._llm(), principal.user_id)  # at the limit: library
        if llm is not None:
            try:
                generated = self._generated(llm, info, n)
            except Exception as exc:  # an unreachable or misconfigured model: use the library
                log.warning(
                    "follow-up model failed (%s); using the prompt library", type(exc).__name__
                )
            else:
                if generated:
                    return generated
        return self._chosen(original, info.prompt_set, n)

    def _generated(self, llm: ChatModel, info: DocumentInfo, n: int) -> list[str]:
        t = template("followups")
        prompt = info.title
        reply = llm.invoke(
            [
                ("system", t.system),
                ("human", t.user.format(prompt=prompt, entry=info.redacted_text)),
            ]
        )
        lines = [
            re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", line).strip() for line in reply.splitlines()
        ]
        return [q for q in lines if q.endswith("?")][:n]

    def _chosen(self, text: str, prompt_set: str | None, n: int) -> list[str]:
        lib = self._library()
        sets: list[PromptSet] = (
            [lib.sets[prompt_set]] if prompt_set in lib.sets else list(lib.sets.values())
        )
        words = set(re.findall(r"[a-z'-]+", text.casefold()))
        low = text.casefold()
        candidates: list[tuple[int, str]] = []
        for ps in sets:
            for p in ps.prompts:
                for f in p.follow_ups:
                    hits = sum(1 for c in f.cues if (c in words if " " not in c else c in low))
                    candidates.append((hits, f.text))
        if not candidates:
            return []
        said = sentences(text) or [text]
        if len(said) > MAX_SENTENCES:  # a very long entry: its opening and its close
            half = MAX_SENTENCES // 2
            said = said[:half] + said[-half:]
        qv = self._question_vectors([q for _, q in candidates])
        vectors = self._embedder().embed([text, *said])
        entry, sent = vectors[0], vectors[1:]
        ranked = []
        for (hits, q), v in zip(candidates, qv, strict=True):
            answered = max(_dot(v, s) for s in sent) >= 0.8  # the entry already says this
            if answered:
                continue
            ranked.append((hits > 0, hits + _dot(v, entry), q))
        ranked.sort(key=lambda r: (not r[0], -r[1]))
        chosen = [q for cued, _, q in ranked if cued][:n]
        if not chosen:  # nothing cued: the single closest question
            chosen = [q for _, _, q in ranked[:1]]
        return chosen

    def _question_vectors(self, questions: list[str]) -> list[list[float]]:
        """The library's questions embedded once per process (they only change with the
        library; before, every save embedded every question again)."""
        missing = [q for q in dict.fromkeys(questions) if q not in self._cache]
        if missing:
            self._cache.update(zip(missing, self._embedder().embed(missing), strict=True))
        return [self._cache[q] for q in questions]

    def answer_followup(
        self, principal: Principal, document_id: str, question: str, answer: str
    ) -> None:
        """Add a follow-up and its answer to the entry (redacted and re-indexed with it)."""
        check_length(answer, "answer")
        original = self._privacy.original(principal, document_id)
        info = self._documents.document(document_id)
        assert info is not None
        text = f"{original}\n\n{question.strip()}\n{answer.strip()}"
        check_length(text, "answer")
        title = self._privacy.reidentify(principal, document_id, info.title)
        self._pipeline.ingest([info.as_new(text, title)])

    def answered(
        self, principal: Principal, document_id: str, questions: Sequence[str]
    ) -> dict[str, str]:
        """Which of ``questions`` the author has answered in the entry, with the answer as
        they wrote it (the answer is read back from the entry's original, where
        ``answer_followup`` put it, so the state is the stored text's, not the page's)."""
        original = self._privacy.original(principal, document_id)  # authors only
        asked = [q.strip() for q in questions if q.strip()]
        starts = {q: original.find(f"\n\n{q}\n") for q in asked}
        found = sorted((at, q) for q, at in starts.items() if at >= 0)
        out: dict[str, str] = {}
        for i, (at, q) in enumerate(found):
            begin = at + len(q) + 3
            end = found[i + 1][0] if i + 1 < len(found) else len(original)
            out[q] = original[begin:end].strip()
        return out
