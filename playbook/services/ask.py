"""Answers grounded in what the asker may read, with numbered citations.

Privacy and permission come first, in this order: the question is redacted with the engine
(so a name typed into it never reaches a model), retrieval runs inside the asker's permission
scope, and only those redacted passages, fenced as quoted data, are put in the prompt. A
stored text that says "ignore previous instructions" can therefore only ever be one of the
passages the asker may read anyway; it cannot widen what the answer draws on.

Without a language model (or when it fails), the answer is extractive, as a person would
write it: a one-line lead saying what speaks to the question, then one point per source
document, its most relevant sentences (``playbook.services.compose``) as a quotation that
says whose words they are (the kind of document, its title and date; the asker's own
writing as theirs) with its citation, never as if the playbook itself said it. A quoted
sentence that asks for a password or a sign-in carries a caution. Follow-up questions
search with their thread's earlier (redacted) questions as context, in the same scope.
When nothing clears the relevance threshold, the answer says the playbook has nothing on it
and lists the nearest items instead of inventing one.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace

from playbook.models import Principal, SearchHit, Visibility
from playbook.permissions import Action, check, read_scope
from playbook.ports import ChatModel, Documents, Embedder, Redactor
from playbook.ports.feedback import AnswerFeedback
from playbook.ratelimit import RateLimiter, gate
from playbook.retrieval import Retriever, clean_query
from playbook.services.compose import Candidate, emphasis, lead, same_text, select_points
from playbook.services.quotes import CAUTION as CAUTION
from playbook.services.quotes import KIND_NAMES as KIND_NAMES
from playbook.services.quotes import Answer, quote
from playbook.services.quotes import Quote as Quote

# Rotation briefs moved to their own module; callers still import them from here.
from playbook.services.rotation import RotationBrief as RotationBrief
from playbook.services.rotation import before_rotation as before_rotation
from playbook.services.rotation import one_per_document
from prompts import template

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
# Cosine similarity (all-MiniLM-L6-v2) below which a passage does not answer a question.
# Measured by hand on the demo content: related passages score 0.35-0.7, unrelated < 0.2.
RELEVANCE = 0.3
NOTHING = "The playbook has nothing on this yet."
QUOTED_HEAD = "The playbook has no answer of its own to this;"
QUOTED = f"{QUOTED_HEAD} members wrote:"
VERDICTS = ("helped", "wrong")
# A follow-up carries this many earlier questions into its search (the newest ones).
CONTEXT_TURNS = 2


def fence(n: int, hit: SearchHit) -> str:
    """One passage as quoted data: numbered, titled, and fenced so it cannot pose as rules."""
    return fence_text(n, hit.title, hit.text)


def fence_text(n: int, title: str, text: str) -> str:
    """Numbered, titled text fenced as quoted data (a fence inside it is defused)."""
    body = text.replace("```", "'''")
    safe_title = title.replace("```", "'''")
    return f"[{n}] {safe_title}\n```text\n{body}\n```"


def messages(question: str, hits: Sequence[SearchHit]) -> list[tuple[str, str]]:
    """The chat messages for a (redacted) question over (redacted) passages."""
    t = template("ask")
    passages = "\n\n".join(fence(n, h) for n, h in enumerate(hits, start=1)) or "(none)"
    return [("system", t.system), ("human", t.user.format(question=question, passages=passages))]


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if len(s.strip()) > 20]


def dot(a: Sequence[float], b: Sequence[float]) -> float:
    """Dot product of two vectors (cosine similarity for the embedder's unit vectors)."""
    return float(sum(x * y for x, y in zip(a, b, strict=True)))


class Assistant:
    """Answers questions about the playbook within the asker's permission scope."""

    def __init__(
        self,
        retriever: Retriever,
        redactor: Redactor,
        llm: ChatModel | None,
        embedder: Embedder | None = None,
        k: int = 6,
        limiter: RateLimiter | None = None,
        documents: Documents | None = None,
        feedback: AnswerFeedback | None = None,
    ) -> None:
        self.limiter = limiter
        # Whose a cited document is (the asker's own writing is labelled as theirs).
        self.documents = documents
        self.feedback = feedback
        self.retriever = retriever
        self.redactor = redactor
        self.llm = llm
        self.embedder = embedder or retriever.embedder
        self.k = k

    def _limited(self, principal: Principal) -> str | None:
        """A note when the asker has used up their model requests (then: extract instead)."""
        _, refused = gate(self.limiter, self.llm, principal.user_id)
        if refused is None:
            return None
        return refused.capitalize() + "; these are the most relevant passages instead."

    def prepare(self, principal: Principal, question: str) -> tuple[str, list[SearchHit], bool]:
        """The redacted question, the passages the asker may read, and whether any of them is
        relevant enough to answer from.

        Only the question is embedded (once, by the search): a passage's relevance comes
        from the chunk and sentence vectors stored at index time. For the sentences of the
        passages ranked against the question, with their vectors, without embedding again,
        call ``self.retriever.sentence_scores(safe, hits)`` (``safe``: the question returned
        here).
        """
        check(principal, Action.ASK)
        q = clean_query(question)
        if len(question) > MAX_QUESTION_CHARS:
            q = q[:MAX_QUESTION_CHARS]
        safe = self.redactor.redact_batch([q])[0].text
        hits = self.retriever.search(safe, read_scope(principal), self.k, redacted=True)
        if not hits:
            return safe, [], False
        # A passage is relevant when its best sentence (or the whole chunk) is close to the
        # question: a long chunk dilutes the one sentence that answers.
        best = self.retriever.relevance(safe, hits)
        relevant = [h for h, s in zip(hits, best, strict=True) if s >= RELEVANCE]
        return safe, relevant or hits[:3], bool(relevant)

    def _turn(
        self, principal: Principal, question: str, history: Sequence[Answer]
    ) -> tuple[str, list[SearchHit], bool]:
        """Prepare one turn of a conversation: (the redacted question alone, the passages,
        whether any of them answers).

        A follow-up searches with the earlier questions of its thread as context; they are
        the asker's own questions, already redacted, and the search runs in the same read
        scope as every query, so the history can sharpen what is retrieved, never widen it.
        """
        context = [a.question for a in history if a.question][-CONTEXT_TURNS:]
        # The new question first: a search cut to length keeps it and drops old context.
        searched = " ".join([question, *reversed(context)]) if context else question
        safe, hits, grounded = self.prepare(principal, searched)
        if context:  # the turn keeps its own question, not the context it searched with
            safe = self.redactor.redact_batch([clean_query(question)[:MAX_QUESTION_CHARS]])[0].text
        return safe, hits, grounded

    def ask(self, principal: Principal, question: str, history: Sequence[Answer] = ()) -> Answer:
        """Answer from the model when one is configured, else extractively; ``history`` is
        the thread so far (earlier answers, oldest first) for a follow-up question."""
        safe, hits, grounded = self._turn(principal, question, history)
        if not grounded:
            return Answer(NOTHING, tuple(hits), False, "none", question=safe)
        limited = self._limited(principal)
        if limited:
            return replace(self.extractive(safe, hits, principal=principal), note=limited)
        if self.llm is not None:
            try:
                reply = self.llm.invoke(_thread(history) + messages(safe, hits))
            except Exception as exc:  # unreachable or misconfigured: say so, then extract
                log.warning("chat model failed: %s", type(exc).__name__)
                note = (
                    f"The language model is unavailable ({type(exc).__name__}); these are "
                    "the most relevant passages instead."
                )
                answer = self.extractive(safe, hits, principal=principal)
                return replace(answer, note=note)
            return Answer(reply, tuple(hits), True, "llm", question=safe)
        return self.extractive(safe, hits, principal=principal)

    def stream(
        self, principal: Principal, question: str, history: Sequence[Answer] = ()
    ) -> tuple[Answer, Iterator[str] | None]:
        """For the page: the answer's frame now and, with a model, its text as it arrives."""
        safe, hits, grounded = self._turn(principal, question, history)
        if not grounded:
            return Answer(NOTHING, tuple(hits), False, "none", question=safe), None
        llm = self.llm
        if llm is None:
            return self.extractive(safe, hits, principal=principal), None
        limited = self._limited(principal)
        if limited:
            answer = self.extractive(safe, hits, principal=principal)
            return replace(answer, note=limited), None
        prompt = _thread(history) + messages(safe, hits)

        def chunks() -> Iterator[str]:
            yield from llm.stream(prompt)

        return Answer("", tuple(hits), True, "llm", question=safe), chunks()

    def extractive(
        self,
        question: str,
        hits: Sequence[SearchHit],
        n: int = 4,
        *,
        principal: Principal | None = None,
        vectors: Mapping[str, Sequence[float]] | None = None,
    ) -> Answer:
        """An answer a person would write from the passages: a lead saying what speaks to
        the question, then one point per source document (at most ``n``), each its most
        relevant sentences quoted with whose words they are and its citation. ``vectors``
        are index-time sentence vectors; only the sentences missing from them (all of them
        when there are none) and the question are embedded here."""
        candidates = self._candidates(question, hits, vectors)
        points = select_points(candidates, floor=RELEVANCE, max_points=n)
        owners = self._owners([p.document_id for p in points], principal)
        quotes = tuple(
            quote(hits[p.hit], i, p.sentences, *owners.get(p.document_id, (False, False)))
            for i, p in enumerate(points, start=1)
        )
        # Sources: the cited documents in citation order, then the other passages'
        # documents once each (further reading, never a second number for one document).
        cited = [hits[p.hit] for p in points]
        rest = one_per_document(
            [h for h in hits if h.document_id not in {c.document_id for c in cited}]
        )
        opening = lead([q.label for q in quotes])
        first = f"{QUOTED_HEAD} {opening[:1].lower()}{opening[1:]}" if opening else QUOTED
        text = "\n".join([first, *(q.as_text() for q in quotes)])
        return Answer(
            text,
            (*cited, *rest),
            True,
            "extractive",
            quotes=quotes,
            lead=opening,
            question=question,
        )

    def _candidates(
        self,
        question: str,
        hits: Sequence[SearchHit],
        vectors: Mapping[str, Sequence[float]] | None,
    ) -> list[Candidate]:
        """Every distinct sentence of the passages, scored against the question. The
        retriever's ``sentence_scores`` gives them from index-time vectors (only the
        question is embedded); without it, or for sentences ``vectors`` lacks, they are
        embedded here."""
        scorer = getattr(self.retriever, "sentence_scores", None)
        if vectors is None and callable(scorer):
            ranked = scorer(question, hits)
            scored = [
                [(s.text.strip(), float(s.similarity), s.vector) for s in sentences]
                for sentences in ranked
            ]
        else:
            known = vectors or {}
            split = [_sentences(h.text) or [h.text.strip()] for h in hits]
            missing = list(dict.fromkeys(s for ss in split for s in ss if s not in known))
            q_vec, *fresh = self.embedder.embed([question, *missing])
            lookup = {**dict(zip(missing, fresh, strict=True)), **known}
            scored = [[(s, dot(q_vec, lookup[s]), lookup[s]) for s in ss] for ss in split]
        out: list[Candidate] = []
        seen: set[str] = set()
        for i, sentences in enumerate(scored):
            # Fragments ("Advice:") say nothing alone, unless a passage has nothing else.
            full = [x for x in sentences if len(x[0]) > 20] or [x for x in sentences if x[0]]
            for text, score, vector in full:
                if same_text(text) not in seen:  # overlapping chunks repeat sentences
                    seen.add(same_text(text))
                    weighted = score + emphasis(text)
                    out.append(Candidate(i, hits[i].document_id, len(out), text, weighted, vector))
        return out

    def _owners(
        self, document_ids: Sequence[str], principal: Principal | None
    ) -> dict[str, tuple[bool, bool]]:
        """For each document the asker wrote: (own, private)."""
        if principal is None or self.documents is None:
            return {}
        found = self.documents.documents_by_id(document_ids)
        return {
            doc_id: (True, doc.visibility is Visibility.PRIVATE)
            for doc_id, doc in found.items()
            if doc.owner_id == principal.user_id
        }

    def rate(self, principal: Principal, answer: Answer, verdict: str, comment: str = "") -> str:
        """Keep a reader's "this helped" or "this is wrong" on an answer for the review
        queue of the programme its first source belongs to (else the asker's own); the
        comment and the answer are redacted before they are stored. Returns its id."""
        check(principal, Action.ASK)
        if verdict not in VERDICTS:
            raise ValueError("say whether the answer helped or is wrong")
        if self.feedback is None:
            raise ValueError("this installation keeps no feedback on answers")
        if not principal.programme_ids:
            raise ValueError("you belong to no programme whose coordinators could read it")
        comment_safe, answer_safe = (
            r.text for r in self.redactor.redact_batch([comment.strip()[:1000], answer.text[:4000]])
        )
        doc_ids = list(dict.fromkeys(h.document_id for h in answer.passages))
        return self.feedback.add(
            principal.user_id,
            self._programme_of(principal, doc_ids),
            verdict,
            answer.question,
            answer_safe,
            comment_safe,
            doc_ids,
        )

    def _programme_of(self, principal: Principal, document_ids: Sequence[str]) -> str:
        """Whose coordinators should read a verdict: the programme of the first source the
        asker shares a programme with, else the asker's own (the first by id)."""
        documents = self.documents
        found = documents.documents_by_id(document_ids) if documents is not None else {}
        for doc_id in document_ids:
            doc = found.get(doc_id)
            if doc is not None and doc.programme_id in principal.programme_ids:
                return doc.programme_id
        return min(principal.programme_ids)


def _thread(history: Sequence[Answer]) -> list[tuple[str, str]]:
    """The thread so far as chat turns (redacted questions and the answers given), so a
    model reads a follow-up in its context; only the newest turns, to bound the prompt."""
    turns: list[tuple[str, str]] = []
    for a in history[-CONTEXT_TURNS:]:
        if a.question:
            turns += [("human", a.question), ("ai", a.text)]
    return turns
