"""Sentence-aware chunking with a small overlap, keeping character offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from playbook.models import Span

# A sentence ends at . ! ? (optionally followed by closing quotes or brackets) before white
# space, or at a blank line / line break that starts a list item or heading.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+|\n\s*\n|\n(?=\s*(?:[-*•#]|\d+[.)])\s)")
_TOKEN = re.compile(r"\w+|[^\w\s]")


def count_tokens(text: str) -> int:
    """Approximate model tokens: words and punctuation marks."""
    return len(_TOKEN.findall(text))


def sentences(text: str) -> list[Span]:
    """Split text into sentence spans (offsets into ``text``), dropping blank ones."""
    spans: list[Span] = []
    start = 0
    for m in _SENTENCE_END.finditer(text):
        _add(spans, text, start, m.end())
        start = m.end()
    _add(spans, text, start, len(text))
    return spans


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        s = start + lead
        spans.append(Span(stripped, s, s + len(stripped)))


@dataclass(frozen=True)
class Chunker:
    """Packs whole sentences into chunks of about ``max_tokens``, overlapping by whole sentences.

    A sentence longer than ``max_tokens`` is cut at word boundaries.
    """

    max_tokens: int = 220
    overlap_tokens: int = 40

    def split(self, text: str) -> list[Span]:
        """Chunks of ``text`` with offsets into it."""
        units: list[tuple[Span, int]] = []
        for sent in sentences(text):
            n = count_tokens(sent.text)
            if n <= self.max_tokens:
                units.append((sent, n))
            else:
                units.extend(self._cut_long(text, sent))
        chunks: list[Span] = []
        current: list[tuple[Span, int]] = []
        size = 0
        for unit in units:
            if current and size + unit[1] > self.max_tokens:
                chunks.append(_join(text, current))
                current = self._overlap(current)
                size = sum(n for _, n in current)
            current.append(unit)
            size += unit[1]
        if current:
            chunks.append(_join(text, current))
        return chunks

    def _overlap(self, units: list[tuple[Span, int]]) -> list[tuple[Span, int]]:
        kept: list[tuple[Span, int]] = []
        size = 0
        for unit in reversed(units):
            if size + unit[1] > self.overlap_tokens:
                break
            kept.insert(0, unit)
            size += unit[1]
        # Never carry the whole previous chunk: that would repeat it.
        return kept if len(kept) < len(units) else []

    def _cut_long(self, text: str, sent: Span) -> list[tuple[Span, int]]:
        words = list(re.finditer(r"\S+", sent.text))
        out: list[tuple[Span, int]] = []
        i = 0
        while i < len(words):
            j, n = i, 0
            while j < len(words):
                wn = count_tokens(words[j].group())
                if n and n + wn > self.max_tokens:
                    break
                n += wn
                j += 1
            s = sent.start + words[i].start()
            e = sent.start + words[j - 1].end()
            out.append((Span(text[s:e], s, e), n))
            i = j
        return out


def _join(text: str, units: list[tuple[Span, int]]) -> Span:
    start, end = units[0][0].start, units[-1][0].end
    return Span(text[start:end], start, end)
