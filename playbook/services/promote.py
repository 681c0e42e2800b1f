"""Promote: draft a playbook entry from shared reflections and debriefs, every sentence with a
pointer to the passage it came from.

With a chat model (the ``ChatModel`` port), the model writes the draft from
``prompts/promote.yaml`` as JSON in the shape of ``DraftModel``, checked by Pydantic; without
one, or when the model fails or answers out of shape,
sentences are picked extractively by cue words and similarity to what each section is for.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from pydantic import BaseModel, Field

from playbook.models import SECTIONS, DocumentInfo, EntryContent, EntrySource
from playbook.ports import ChatModel, Embedder
from playbook.services.ask import dot, fence_text
from prompts import template

log = logging.getLogger(__name__)

PER_SECTION = 2
MIN_SCORE = 0.25
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
CUES = {
    "decision": r"\b(decid\w*|decision|chose|choose|whether|agreed to|commit\w*)\b",
    "context": r"\b(because|context|at the time|situation|pressure|when we|background)\b",
    "options": r"\b(options?|trade-?offs?|instead|versus|alternative\w*|either|or to)\b",
    "outcome": r"\b(outcome|result\w*|turned out|ended|cost us|recall\w*|sold|halved|lost)\b",
    "lesson": r"\b(lessons?|learn\w*|next time|should have|realis\w*|realiz\w*|noticed)\b",
    "advice": r"\b(advice|ask for|make sure|spend your|start with|do not|don't|always|never)\b",
}
PURPOSE = {
    "decision": "the decision that had to be made",
    "context": "the situation and constraints at the time",
    "options": "the options considered and their trade-offs",
    "outcome": "what happened as a result",
    "lesson": "the lesson learned for next time",
    "advice": "advice for the next person in this role",
}


@dataclass(frozen=True)
class Passage:
    """A sentence of a source document, where it sits in its redacted text."""

    document_id: str
    title: str
    start: int
    end: int
    text: str
    label: str = ""  # the form's label before it ("Lessons"), left out of ``text``


# A debrief's or form's own heading at the start of a sentence ("Lessons:", "Advice for the
# next person:"): a hint for the section, never part of the entry's text, or a draft from two
# debriefs reads "Lessons: ... Lessons: ...".
_LABEL = re.compile(r"([A-Z][\w'’ -]{1,40}?)\s*:\s+(?=\S)")


def passages(docs: Sequence[DocumentInfo]) -> list[Passage]:
    """The sentences of the sources' redacted text, in order, each without a leading label
    (kept as ``label``), pointing at exactly the text it holds."""
    out: list[Passage] = []
    for d in docs:
        for m in _SENTENCE.finditer(d.redacted_text):
            text = m.group().strip()
            start = m.start() + (len(m.group()) - len(m.group().lstrip()))
            label = _LABEL.match(text)
            if label and len(label.group(1).split()) <= 6:
                start += label.end()
                text = text[label.end() :]
            if len(text) >= 12:
                name = label.group(1).strip() if label else ""
                out.append(Passage(d.document_id, d.title, start, start + len(text), text, name))
    return out


def extractive_draft(
    docs: Sequence[DocumentInfo], embedder: Embedder
) -> tuple[EntryContent, list[EntrySource]]:
    """A draft from the sources' own sentences, by cue words and similarity per section."""
    pool = passages(docs)
    if not pool:
        return EntryContent(title=_title(docs)), _sources(docs, {})
    vectors = embedder.embed([PURPOSE[s] for s in SECTIONS] + [p.text for p in pool])
    purpose, sentence_vectors = vectors[: len(SECTIONS)], vectors[len(SECTIONS) :]
    # The writer's own label ("Lessons:") says where a sentence belongs: only there.
    labelled = [
        {s for s in SECTIONS if p.label and re.search(CUES[s], p.label, re.IGNORECASE)}
        for p in pool
    ]
    scores = {
        section: [
            (0.6 if re.search(CUES[section], f"{p.label} {p.text}", re.IGNORECASE) else 0.0)
            + 0.4 * dot(purpose[i], v)
            if not homes or section in homes
            else 0.0
            for p, v, homes in zip(pool, sentence_vectors, labelled, strict=True)
        ]
        for i, section in enumerate(SECTIONS)
    }
    used: set[int] = set()
    chosen: dict[str, list[int]] = {}
    # Sections with the clearest signal pick first, so a sentence goes where it fits best.
    for section in sorted(SECTIONS, key=lambda s: -max(scores[s])):
        ranked = sorted(range(len(pool)), key=lambda i: -scores[section][i])
        picks = [i for i in ranked if i not in used and scores[section][i] >= MIN_SCORE]
        picks = sorted(picks[:PER_SECTION])  # keep the sources' order within a section
        used.update(picks)
        if picks:
            chosen[section] = picks
    sections = {
        s: " ".join(_sentence(pool[i].text) for i in chosen[s]) for s in SECTIONS if s in chosen
    }
    pointers = {s: [(pool[i], n) for n, i in enumerate(chosen[s])] for s in SECTIONS if s in chosen}
    return EntryContent(title=_title(docs), sections=sections), _sources(docs, pointers)


class DraftSentence(BaseModel):
    """One sentence of a generated draft and the passage number it came from."""

    text: str
    source: int = Field(description="the number of the passage this sentence came from")


class DraftModel(BaseModel):
    """The shape a model must answer in."""

    title: str
    decision: list[DraftSentence] = Field(default_factory=list)
    context: list[DraftSentence] = Field(default_factory=list)
    options: list[DraftSentence] = Field(default_factory=list)
    outcome: list[DraftSentence] = Field(default_factory=list)
    lesson: list[DraftSentence] = Field(default_factory=list)
    advice: list[DraftSentence] = Field(default_factory=list)


def format_instructions(model: type[BaseModel]) -> str:
    """Tell a chat model to answer with JSON that validates against ``model``."""
    schema = json.dumps(model.model_json_schema(), ensure_ascii=False)
    return (
        "Answer with one JSON object, and nothing else, that conforms to this JSON schema:\n"
        f"```json\n{schema}\n```"
    )


M = TypeVar("M", bound=BaseModel)
_FENCE = re.compile(r"^\s*```(?:json)?\s*|\s*```\s*$")


def parse_reply(reply: str, model: type[M]) -> M:
    """The JSON object in a model's reply (optionally in a code fence), validated; a
    ``ValueError`` when it is not there or out of shape."""
    text = _FENCE.sub("", reply.strip())
    start, end = text.find("{"), text.rfind("}")
    if start < 0 or end < start:
        raise ValueError("the model's reply holds no JSON object")
    return model.model_validate_json(text[start : end + 1])


def llm_draft(
    docs: Sequence[DocumentInfo], llm: ChatModel, embedder: Embedder
) -> tuple[EntryContent, list[EntrySource]]:
    """A draft written by the chat model from numbered passages (one per source document);
    each sentence points at the closest sentence of the passage it names."""
    t = template("promote")
    fenced = "\n\n".join(
        fence_text(n, d.title, d.redacted_text) for n, d in enumerate(docs, start=1)
    )
    human = t.user.format(passages=fenced, format_instructions=format_instructions(DraftModel))
    draft = parse_reply(llm.invoke([("system", t.system), ("human", human)]), DraftModel)
    pool = passages(docs)
    pointers: dict[str, list[tuple[Passage, int]]] = {}
    sections: dict[str, str] = {}
    for section in SECTIONS:
        sentences = [s for s in getattr(draft, section) if s.text.strip()]
        if not sentences:
            continue
        sections[section] = " ".join(s.text.strip() for s in sentences)
        for n, s in enumerate(sentences):
            if not 1 <= s.source <= len(docs):
                raise ValueError(f"the model cited passage {s.source}, which does not exist")
            doc_id = docs[s.source - 1].document_id
            candidates = [p for p in pool if p.document_id == doc_id] or [
                Passage(doc_id, docs[s.source - 1].title, 0, 0, "")
            ]
            pointers.setdefault(section, []).append((_closest(s.text, candidates, embedder), n))
    title = " ".join(draft.title.split())[:200] or _title(docs)
    return EntryContent(title=title, sections=sections), _sources(docs, pointers)


def draft_entry(
    docs: Sequence[DocumentInfo], embedder: Embedder, llm: ChatModel | None = None
) -> tuple[EntryContent, list[EntrySource], str]:
    """A draft and its provenance, and which way it was made ("llm" or "extractive")."""
    if llm is not None:
        try:
            content, sources = llm_draft(docs, llm, embedder)
            return content, sources, "llm"
        except Exception as exc:  # unreachable, or an answer out of shape: extract instead
            log.warning("chat model could not draft the entry: %s", type(exc).__name__)
    content, sources = extractive_draft(docs, embedder)
    return content, sources, "extractive"


def _closest(text: str, candidates: Sequence[Passage], embedder: Embedder) -> Passage:
    if len(candidates) == 1 or not text.strip():
        return candidates[0]
    vectors = embedder.embed([text] + [p.text for p in candidates])
    return max(zip(candidates, vectors[1:], strict=True), key=lambda pv: dot(vectors[0], pv[1]))[0]


def _sources(
    docs: Sequence[DocumentInfo], pointers: dict[str, list[tuple[Passage, int]]]
) -> list[EntrySource]:
    by_doc: dict[str, list[dict[str, object]]] = {d.document_id: [] for d in docs}
    for section, items in pointers.items():
        for passage, n in items:
            by_doc[passage.document_id].append(
                {
                    "section": section,
                    "sentence": n,
                    "start": passage.start,
                    "end": passage.end,
                    "text": passage.text,
                }
            )
    return [EntrySource(d.document_id, d.title, tuple(by_doc[d.document_id])) for d in docs]


def _sentence(text: str) -> str:
    """A passage as a sentence of the draft: its label gone, it starts with a capital."""
    return text[:1].upper() + text[1:]


def draft_metadata(
    docs: Sequence[DocumentInfo],
) -> tuple[tuple[str, ...], str | None, str | None]:
    """Tags, function and market for a draft from its sources' metadata: every tag once
    (case-insensitively, first spelling kept), and each function or market the sources name,
    in their order ("Supply chain; Marketing" when they differ), None when none does."""
    tags: dict[str, str] = {}
    for d in docs:
        for t in d.tags:
            if t.strip():
                tags.setdefault(t.strip().casefold(), t.strip())

    def named(values: Sequence[str | None]) -> str | None:
        seen: dict[str, str] = {}
        for v in values:
            if v and v.strip():
                seen.setdefault(v.strip().casefold(), v.strip())
        return "; ".join(seen.values()) or None

    functions = named([d.debrief.function for d in docs])
    return tuple(tags.values()), functions, named([d.debrief.market for d in docs])


def _title(docs: Sequence[DocumentInfo]) -> str:
    if len(docs) == 1:
        return docs[0].title[:200] or "Untitled lesson"
    return f"Lessons from {len(docs)} shared reflections"
