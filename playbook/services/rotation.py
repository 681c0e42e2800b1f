"""What someone about to rotate into a function or market should read first: debriefs from
that place, playbook entries that mention it, their advice and the questions people left
open, all within the reader's permission scope (filtered inside both index queries)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from playbook.models import Kind, Principal, SearchFilters, SearchHit
from playbook.permissions import read_scope
from playbook.retrieval import Retriever


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
        one_per_document(entries),
        one_per_document(debriefs),
        tuple(advice.items()),
        tuple(questions.items()),
    )


def one_per_document(hits: Sequence[SearchHit]) -> tuple[SearchHit, ...]:
    """The first passage of each document, in order."""
    seen: set[str] = set()
    out = []
    for h in hits:
        if h.document_id not in seen:
            seen.add(h.document_id)
            out.append(h)
    return tuple(out)
