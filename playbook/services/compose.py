"""Composing an extractive answer as a person would write it: a one-line lead saying what
speaks to the question, then one point per source document, each made of that source's
most relevant sentences, chosen for relevance and for novelty (a sentence that says again
what an earlier one said is left out, so no source and no sentence appears twice).

Pure functions over scores and vectors: no model, no store. ``playbook.services.ask``
feeds them the question's similarity to each sentence of the passages retrieved.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

# Two sentences this close (cosine) say the same thing: the second adds nothing.
SAME = 0.9
# A source's further sentences join its point only when nearly as relevant as its first.
# SECOND and select_points' spread were chosen on eval/answers.py (see the README).
SECOND = 0.2
NUMBERS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_SPACES = re.compile(r"\s+")
# Labelled lines of debriefs, notes and entries. What someone learned or advises is what a
# successor came for; a line that frames the topic ("Decision: which distributors to
# keep") restates the question and so scores high while telling nothing. Measured on
# eval/answers.py (tuned there, so a hint rather than a result: see the README).
_LESSON = re.compile(
    r"^(?:lessons?|advice(?: for the next person)?|outcome|what i learned|what we decided|"
    r"what i will change|what surprised me|action|a rule i will use|next time)\b",
    re.IGNORECASE,
)
_FRAMING = re.compile(
    r"^(?:decision|context|options(?: and trade-offs| raised)?|strategic goal link|"
    r"charter topic|topic|mentor|owner|session with)\b",
    re.IGNORECASE,
)
LESSON_BONUS = 0.08
FRAMING_PENALTY = 0.1


@dataclass(frozen=True)
class Candidate:
    """A sentence of a retrieved passage with its relevance to the question."""

    hit: int  # index of the passage it comes from
    document_id: str
    position: int  # order within the passages, for reading order inside a point
    sentence: str
    score: float
    vector: Sequence[float]


@dataclass(frozen=True)
class Point:
    """One source's contribution: its best sentences in reading order."""

    document_id: str
    hit: int  # the passage holding its most relevant sentence
    sentences: tuple[str, ...]
    score: float


def same_text(sentence: str) -> str:
    """The form two copies of a sentence share (overlapping chunks repeat sentences)."""
    return _SPACES.sub(" ", sentence).strip().casefold()


def emphasis(sentence: str) -> float:
    """How much a sentence's label moves its relevance: up for a lesson or advice, down
    for a line that only frames the topic, nothing for plain prose."""
    text = sentence.lstrip()
    if _LESSON.match(text):
        return LESSON_BONUS
    if _FRAMING.match(text):
        return -FRAMING_PENALTY
    return 0.0


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return float(sum(x * y for x, y in zip(a, b, strict=True)))


def select_points(
    candidates: Sequence[Candidate],
    *,
    floor: float,
    spread: float = 0.25,
    max_points: int = 4,
    per_point: int = 3,
) -> list[Point]:
    """The points of an answer, most relevant source first.

    Args:
        candidates: every sentence of the passages, scored against the question.
        floor: the relevance below which a sentence does not answer at all.
        spread: how far below the best sentence another may score and still be used.
        max_points: at most this many sources.
        per_point: at most this many sentences from one source.

    Returns:
        One point per source document; at least the single best sentence when any exists.
    """
    ranked = sorted(candidates, key=lambda c: (-c.score, c.position))
    if not ranked:
        return []
    threshold = max(floor, ranked[0].score - spread)
    chosen: dict[str, list[Candidate]] = {}
    seen: set[str] = set()
    for cand in ranked:
        if cand.score < threshold and chosen:
            break
        key = same_text(cand.sentence)
        if key in seen:
            continue
        picked = chosen.get(cand.document_id)
        if picked is None and len(chosen) >= max_points:
            continue
        if picked is not None and (
            len(picked) >= per_point or cand.score < picked[0].score - SECOND
        ):
            continue
        # Novelty: a sentence as close to one already chosen as a copy repeats it.
        if any(_dot(cand.vector, c.vector) >= SAME for cs in chosen.values() for c in cs):
            continue
        chosen.setdefault(cand.document_id, []).append(cand)
        seen.add(key)
    points = []
    for doc, picked in chosen.items():
        in_order = sorted(picked, key=lambda c: c.position)
        points.append(
            Point(doc, picked[0].hit, tuple(c.sentence for c in in_order), picked[0].score)
        )
    return points


def count_word(n: int) -> str:
    """A small count as a word ("two"), larger ones as digits."""
    return NUMBERS[n] if 0 <= n < len(NUMBERS) else str(n)


def lead(labels: Sequence[tuple[str, str]]) -> str:
    """The answer's first line, e.g. "Two rotation debriefs and one playbook entry speak to
    this." ``labels`` holds each point's (singular, plural) noun, in the points' order; the
    asker's own writing comes as its own label ("your private journal")."""
    groups: dict[tuple[str, str], int] = {}
    for label in labels:
        groups[label] = groups.get(label, 0) + 1
    parts = []
    for (one, many), n in groups.items():
        if one.startswith("your "):
            parts.append(one if n == 1 else f"{count_word(n)} of {many}")
        else:
            parts.append(f"{count_word(n)} {one if n == 1 else many}")
    if not parts:
        return ""
    said = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    verb = "speaks" if len(labels) == 1 else "speak"
    return f"{said[0].upper()}{said[1:]} {verb} to this."
