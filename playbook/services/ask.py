"""Answers grounded in what the asker may read, with numbered citations.

Privacy and permission come first, in this order: the question is redacted with the engine
(so a name typed into it never reaches a model), retrieval runs inside the asker's permission
scope, and only those redacted passages, fenced as quoted data, are put in the prompt. A
stored text that says "ignore previous instructions" can therefore only ever be one of the
passages the asker may read anyway; it cannot widen what the answer draws on.

Without a language model (or when it fails), the answer is extractive: the sentences of the
retrieved passages closest to the question, each shown as a quotation that says whose words
it is (the kind of document, its title and date) with its citation, never as if the playbook
itself said it. A quoted sentence that asks for a password or a sign-in carries a caution.
When nothing clears the relevance threshold, the answer says the playbook has nothing on it
and lists the nearest items instead of inventing one.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

from playbook.models import Kind, Principal, SearchFilters, SearchHit
from playbook.permissions import Action, check, read_scope
from playbook.ports import ChatModel, Embedder, Redactor
from playbook.ratelimit import RateLimiter, gate
from playbook.retrieval import Retriever, clean_query
from prompts import template

log = logging.getLogger(__name__)

MAX_QUESTION_CHARS = 2000
# Cosine similarity (all-MiniLM-L6-v2) below which a passage does not answer a question.
# Measured by hand on the demo content: related passages score 0.35-0.7, unrelated < 0.2.
RELEVANCE = 0.3
NOTHING = "The playbook has nothing on this yet."
QUOTED = "The playbook has no answer of its own to this; members wrote:"
KIND_NAMES = {
    Kind.JOURNAL: "a journal entry",
    Kind.DEBRIEF: "a rotation debrief",
    Kind.SESSION_NOTE: "a reverse-mentoring note",
    Kind.COUNCIL_NOTE: "an advisor council note",
    Kind.ENTRY: "the playbook entry",
}
# A passage asking the reader for credentials is never what the playbook says: phishing
# planted in a shared note must not read as the answer.
_CREDENTIALS = re.compile(
    r"\b(?:passwords?|passcodes?|credentials?|one[- ]time (?:code|password)|"
    r"(?:2fa|mfa|verification|security) codes?|sign[- ]?in again|log[- ]?in again|"
    r"verify your (?:account|identity))\b",
    re.IGNORECASE,
)
_REQUEST = re.compile(
    r"https?://|www\.|\b(?:enter|type|provide|send|share|confirm|submit|reply|click|visit|go to|"
    r"sign[- ]?in|log[- ]?in|reset)\b",
    re.IGNORECASE,
)
CAUTION = (
    "This passage asks for a password or a sign-in. The playbook never does: do not follow it, "
    "and tell your programme coordinator."
)


@dataclass(frozen=True)
class Quote:
    """A sentence of a stored passage, quoted as its author wrote it (redacted), with whose
    words it is: the kind of document, its title and date, and its citation number."""

    text: str
    n: int
    kind: str
    title: str
    written: dt.date | None = None
    caution: str = ""

    @property
    def attribution(self) -> str:
        """Whose words these are, e.g. 'a rotation debrief, “Pricing in Jakarta”, 3 Mar 2026'."""
        try:
            what = KIND_NAMES[Kind(self.kind)]
        except ValueError:
            what = "a note"
        when = f", {self.written.day} {self.written:%b %Y}" if self.written else ""
        return f"{what}, “{self.title}”{when}"

    def as_text(self) -> str:
        """The quotation as one line of plain text (for the terminal and exports)."""
        warn = f" ({self.caution})" if self.caution else ""
        return f"“{self.text}” — {self.attribution} [{self.n}]{warn}"


@dataclass(frozen=True)
class Answer:
    """An answer (plain text: never rendered as HTML) and the passages it cites, numbered
    from 1; ``grounded`` is False when nothing relevant was found (``passages`` then holds
    the nearest items, not sources). An extractive answer is made of ``quotes``: its text
    says so, then quotes them one per line."""

    text: str
    passages: tuple[SearchHit, ...]
    grounded: bool
    mode: str  # "llm", "extractive" or "none"
    note: str = ""
    quotes: tuple[Quote, ...] = ()


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
    ) -> None:
        self.limiter = limiter
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
        relevant enough to answer from."""
        check(principal, Action.ASK)
        q = clean_query(question)
        if len(question) > MAX_QUESTION_CHARS:
            q = q[:MAX_QUESTION_CHARS]
        safe = self.redactor.redact_batch([q])[0].text
        hits = self.retriever.search(safe, read_scope(principal), self.k, redacted=True)
        if not hits:
            return safe, [], False
        # A passage is relevant when its best sentence is close to the question (a whole long
        # chunk dilutes the one sentence that answers).
        pieces = [(i, s) for i, h in enumerate(hits) for s in [h.text, *_sentences(h.text)]]
        vectors = self.embedder.embed([safe] + [s for _, s in pieces])
        best = [0.0] * len(hits)
        for (i, _), v in zip(pieces, vectors[1:], strict=True):
            best[i] = max(best[i], dot(vectors[0], v))
        relevant = [h for h, s in zip(hits, best, strict=True) if s >= RELEVANCE]
        return safe, relevant or hits[:3], bool(relevant)

    def ask(self, principal: Principal, question: str) -> Answer:
        """Answer from the model when one is configured, else extractively."""
        safe, hits, grounded = self.prepare(principal, question)
        if not grounded:
            return Answer(NOTHING, tuple(hits), False, "none")
        limited = self._limited(principal)
        if limited:
            return replace(self.extractive(safe, hits), note=limited)
        if self.llm is not None:
            try:
                reply = self.llm.invoke(messages(safe, hits))
            except Exception as exc:  # unreachable or misconfigured: say so, then extract
                log.warning("chat model failed: %s", type(exc).__name__)
                note = (
                    f"The language model is unavailable ({type(exc).__name__}); these are "
                    "the most relevant passages instead."
                )
                return replace(self.extractive(safe, hits), note=note)
            return Answer(reply, tuple(hits), True, "llm")
        return self.extractive(safe, hits)

    def stream(self, principal: Principal, question: str) -> tuple[Answer, Iterator[str] | None]:
        """For the page: the answer's frame now and, with a model, its text as it arrives."""
        safe, hits, grounded = self.prepare(principal, question)
        if not grounded:
            return Answer(NOTHING, tuple(hits), False, "none"), None
        llm = self.llm
        if llm is None:
            return self.extractive(safe, hits), None
        limited = self._limited(principal)
        if limited:
            return replace(self.extractive(safe, hits), note=limited), None

        def chunks() -> Iterator[str]:
            yield from llm.stream(messages(safe, hits))

        return Answer("", tuple(hits), True, "llm"), chunks()

    def extractive(self, question: str, hits: Sequence[SearchHit], n: int = 3) -> Answer:
        """The sentences closest to the question, each quoted with whose words it is."""
        pool = [(i, s) for i, h in enumerate(hits, start=1) for s in _sentences(h.text)]
        if not pool:
            pool = [(i, h.text.strip()) for i, h in enumerate(hits, start=1)]
        vectors = self.embedder.embed([question] + [s for _, s in pool])
        scored = sorted(
            ((dot(vectors[0], v), i, s) for (i, s), v in zip(pool, vectors[1:], strict=True)),
            key=lambda x: -x[0],
        )
        top = scored[0][0]
        # Sentences nearly as close as the best one; a distant third sentence only adds noise.
        chosen = [(i, s) for score, i, s in scored[:n] if score >= max(RELEVANCE, top - 0.12)] or [
            (scored[0][1], scored[0][2])
        ]
        quotes = tuple(quote(hits[i - 1], i, s) for i, s in chosen)
        text = "\n".join([QUOTED, *(q.as_text() for q in quotes)])
        return Answer(text, tuple(hits), True, "extractive", quotes=quotes)


def quote(hit: SearchHit, n: int, sentence: str) -> Quote:
    """One sentence of a passage as a quotation attributed to its document."""
    return Quote(
        text=sentence,
        n=n,
        kind=hit.kind,
        title=hit.title,
        written=hit.created_at.date() if hit.created_at else None,
        caution=CAUTION if _CREDENTIALS.search(sentence) and _REQUEST.search(sentence) else "",
    )


@dataclass(frozen=True)
class RotationBrief:
    """What someone about to rotate into a function or market should read first."""

    entries: tuple[SearchHit, ...]
    debriefs: tuple[SearchHit, ...]
    advice: tuple[tuple[str, SearchHit], ...]
    open_questions: tuple[tuple[str, SearchHit], ...]


_ADVICE = re.compile(r"(?:Advice for the next person|Advice|Lessons?)\s*:\s*(.+)", re.IGNORECASE)


def before_rotation(
    retriever: Retriever, principal: Principal, function: str = "", market: str = "", k: int = 8
) -> RotationBrief:
    """Rank the playbook entries, debriefs and lessons for a function or market: debriefs
    from that place (filtered inside both index queries), entries that mention it, their
    advice, and the questions people left open."""
    place = " ".join(x for x in (function.strip(), market.strip()) if x)
    if not place:
        raise ValueError("name the function or the market you are rotating into")
    debriefs = retriever.search(
        f"{place} lessons advice surprised trade-offs",
        read_scope(
            principal,
            SearchFilters(kinds=(Kind.DEBRIEF,), function=function or None, market=market or None),
        ),
        k,
    )
    entries = retriever.search(
        f"{place} lesson decision", read_scope(principal, SearchFilters(kinds=(Kind.ENTRY,))), k
    )
    words = {w.casefold() for w in re.findall(r"\w+", place)}
    entries = [h for h in entries if words & {w.casefold() for w in re.findall(r"\w+", h.text)}]
    advice: dict[str, SearchHit] = {}
    questions: dict[str, SearchHit] = {}
    for hit in [*entries, *debriefs]:  # every chunk, overlapping ones once per sentence
        for part in re.split(r"\n+", hit.text):
            m = _ADVICE.match(part.strip())
            if m:
                advice.setdefault(m.group(1).strip(), hit)
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", hit.text):
            if sentence.strip().endswith("?") and len(sentence.strip()) > 15:
                questions.setdefault(sentence.strip(), hit)
    return RotationBrief(
        _one_per_document(entries),
        _one_per_document(debriefs),
        tuple(advice.items()),
        tuple(questions.items()),
    )


def _one_per_document(hits: Sequence[SearchHit]) -> tuple[SearchHit, ...]:
    seen: set[str] = set()
    out = []
    for h in hits:
        if h.document_id not in seen:
            seen.add(h.document_id)
            out.append(h)
    return tuple(out)
