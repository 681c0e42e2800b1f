"""Recognizers for names written as a run of words, or in the shapes other systems write
them (issue 22): "Nguyễn Văn An", "Siobhán Ní Bhriain", "João dos Santos", "Kowalski, Anna",
``anna.kowalski`` in a URL or a code span, and Chinese names in Han characters.

spaCy's small model misses many names that are not common in English text, and the given-name
gazetteer only knows single given names. Here a run of capitalised words (with the particles
names carry: "dos", "bint", "de la") is a name when its words are known given or family names
of any origin (Faker's lists, ``ingest/data``) or words of no language the engine knows, and
the run is no place, brand or organisation that spaCy or the place list names. Everything is
read from the spaCy tokens Presidio already has and from the text; no second model pass.
"""

from __future__ import annotations

import re
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult

from ingest.lexicon import (
    AFTER_WORDS,
    PERSON_SLOTS,
    STRONG_SLOTS,
    fold,
    folded_places,
    given_names,
    hanzi_surnames,
    is_english_word,
    surnames,
)

# Particles inside a name ("João dos Santos", "Mariam bint Rashid", "Puig i Soler"); never
# at either end of one.
PARTICLES = frozenset(
    """da das de del della der di do dos du la le van von den ten ter bin binti bint ibn
    i y e an""".split()
)
# Particles that stand between the words of one name ("Puig i Serra", "af Klint", "dos
# Santos", "bin Rashid"), in the case they are written in: the run particles without the
# articles that open the next particle ("de la Cruz", "Mac an Bhaird"), and the Nordic ones.
NAME_PARTICLES = (PARTICLES - {"la", "le", "an"}) | {"af", "av"}
# Gaelic particles ("Ó Ceallaigh", "Ní Bhriain", "Mac Aodha"): inside a run of name words
# they make it a person's name even where spaCy read the run as a firm or a work.
GAELIC = frozenset("ó o ní ni nic mac mc ua uí ui".split())
_WORD = re.compile(r"[^\W\d_][\w'’]*(?:-[^\W\d_][\w'’]*)*")
# Entities of spaCy that are not people: a run inside one is a place or a firm ("Taj Mahal
# Palace", "Morgan Stanley") unless the words around it make it a person.
_NOT_PEOPLE = frozenset({"GPE", "LOC", "FAC", "ORG", "PRODUCT", "EVENT", "WORK_OF_ART", "NORP"})


class NameRunRecognizer(EntityRecognizer):
    """Runs of two or more capitalised words that form a person's name."""

    def __init__(self, english: frozenset[str] = frozenset(), allow: frozenset[str] = frozenset()):
        super().__init__(supported_entities=["PERSON"], name="NameRunRecognizer")
        self._english = english
        self._allow = allow

    def load(self) -> None:
        """The name lists load lazily and once per process."""

    def _kind(self, word: str) -> str:
        """N a known name, C a name that is also an English word, E an English word, U
        unknown (no English word: a name of a language the lists do not cover)."""
        given, given_common = given_names()
        family, family_common = surnames()
        whole = fold(word)
        if "-" in whole and (whole in given or whole in family):
            # a hyphenated name of the lists ("Sung-min", "Ji-woo"), whatever its halves are
            common = whole in given_common or whole in family_common
            return "C" if common or is_english_word(whole, self._english) else "N"
        parts = [p for p in re.split(r"[-'’]", word.casefold()) if p]
        kinds = []
        for part in parts:
            english = is_english_word(part, self._english)
            named = part in given or part in family
            if named and not english and part not in given_common and part not in family_common:
                kinds.append("N")
            elif named:
                kinds.append("C")
            elif english or part in self._allow:
                kinds.append("E")
            else:
                kinds.append("U")
        for k in ("N", "U", "C"):
            if k in kinds:
                return k
        return "E"

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None
    ) -> list[RecognizerResult]:
        """Find runs of name words, judged by what their words are and what spaCy saw."""
        if "PERSON" not in entities:
            return []
        doc = nlp_artifacts.tokens if nlp_artifacts is not None else None
        others = [
            (e.start_char, e.end_char, e.label_)
            for e in (doc.ents if doc is not None else ())
            if e.label_ in _NOT_PEOPLE
        ]
        found = []
        for run in _runs(text):
            for start, end, words in self._names_in(run):
                if len(words) < 2:
                    continue
                before = _word_before(text, start)
                after = _word_after(text, end)
                person = before in STRONG_SLOTS or before in PERSON_SLOTS or after in AFTER_WORDS
                person = person or any(w.casefold() in GAELIC for w in words[:-1])
                overlaps = {label for s, e, label in others if s < end and start < e}
                if overlaps and not person:
                    # spaCy's firm or work whose every word is a known name and no English
                    # word ("Farzana Akter") is a person; a place never is.
                    named = all(self._kind(w) in {"N", "U"} for w in words if w not in PARTICLES)
                    if not named or overlaps & {"GPE", "LOC", "FAC"}:
                        continue
                found.append(RecognizerResult("PERSON", start, end, 0.8))
        return found

    def _names_in(self, run: list[re.Match[str]]) -> list[tuple[int, int, list[str]]]:
        """The parts of a run that are names: places cut out, English words trimmed off the
        ends, particles kept only inside."""
        words = [m.group(0) for m in run]
        keep = [True] * len(words)
        places = folded_places()
        for size in range(min(5, len(words)), 1, -1):  # "Ho Chi Minh City", "Santa Clara"
            for i in range(len(words) - size + 1):
                if fold(" ".join(words[i : i + size])) in places:
                    keep[i : i + size] = [False] * size
        out: list[tuple[int, int, list[str]]] = []
        i = 0
        while i < len(words):
            if not keep[i]:
                i += 1
                continue
            j = i
            while j < len(words) and keep[j]:
                j += 1
            piece = list(range(i, j))
            kinds = {n: self._kind(words[n]) for n in piece if words[n] not in PARTICLES}
            # Not part of a name at either end: a particle, an English word, a place.
            loose = {
                n
                for n in piece
                if words[n] in PARTICLES or kinds.get(n) == "E" or fold(words[n]) in places
            }
            # "Florence Mac Fearadhaigh": a place that is also a given name opens a name
            if piece and piece[0] in loose and _given_place(words[piece[0]], kinds.get(piece[0])):
                loose.discard(piece[0])
            while piece and piece[0] in loose:
                piece.pop(0)
            while piece and piece[-1] in loose:
                piece.pop()
            named = [kinds[n] for n in piece if n in kinds]
            single_places = sum(fold(words[n]) in places for n in piece)
            if (
                len(named) >= 2
                and "E" not in named
                and any(k in {"N", "U"} for k in named)
                and single_places < len(named)
            ):
                out.append((run[piece[0]].start(), run[piece[-1]].end(), [words[n] for n in piece]))
            i = j
        return out


def _given_place(word: str, kind: str | None) -> bool:
    """A place that is also a given name ("Florence", "Alexandra")."""
    return kind in {"N", "C"} and word.casefold() in given_names()[0]


def _runs(text: str) -> list[list[re.Match[str]]]:
    """Maximal runs of capitalised words (and particles) separated by single spaces."""
    runs: list[list[re.Match[str]]] = []
    current: list[re.Match[str]] = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        capital = (word[:1].isupper() and not word.isupper()) or (word.isupper() and len(word) <= 2)
        joined = bool(current) and text[current[-1].end() : m.start()] == " "
        if capital or (word in PARTICLES and joined):
            if current and not joined:
                runs.append(current)
                current = []
            current.append(m)
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def _word_before(text: str, start: int) -> str:
    m = re.search(r"(\w+)\W*$", text[:start])
    return m.group(1).casefold() if m else ""


def _word_after(text: str, end: int) -> str:
    m = re.match(r"(?:'s|’s)?\W*(\w+)", text[end:])
    return m.group(1).casefold() if m else ""


class _TextRecognizer(EntityRecognizer):
    """A PERSON recognizer that reads the text and the English word list only: each match of
    ``_PATTERN`` whose two name groups ``_is_name`` accepts is a name."""

    _PATTERN: re.Pattern[str] = re.compile(r"(?!)")

    def __init__(self, english: frozenset[str] = frozenset()) -> None:
        super().__init__(supported_entities=["PERSON"], name=type(self).__name__)
        self._english = english

    def load(self) -> None:
        """Nothing to load: the name lists load lazily and once per process."""

    def _is_name(self, m: re.Match[str]) -> bool:
        return False

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None
    ) -> list[RecognizerResult]:
        """Find the matches that are names, from the first name group to the second."""
        if "PERSON" not in entities:
            return []
        return [
            RecognizerResult("PERSON", m.start(1), m.end(2), 0.8)
            for m in self._PATTERN.finditer(text)
            if self._is_name(m)
        ]


class SurnameFirstRecognizer(_TextRecognizer):
    """ "Kowalski, Anna": a family name, a comma, then a given name, as directories write it."""

    _PATTERN = re.compile(r"(?<![\w,] )\b([^\W\d_][\w'’-]+),[ \t]+([^\W\d_][\w'’-]+)\b")

    def _is_name(self, m: re.Match[str]) -> bool:
        """A family name (or a word of no language), then a given name that is no word."""
        given, given_common = given_names()
        last, first = m.group(1), m.group(2)
        if not (last[:1].isupper() and first[:1].isupper()):
            return False
        lk, fk = last.casefold(), first.casefold()
        if fk not in given or fk in given_common or fold(last) in folded_places():
            return False
        return not is_english_word(lk, self._english) or lk in surnames()[0]


class JoinedNameRecognizer(_TextRecognizer):
    """Names joined into one identifier, as in URLs, handles and code spans: ``anna.kowalski``,
    ``priya-raman``, ``kwame_mensah``."""

    _PATTERN = re.compile(r"(?<![^\W_])([^\W\d_]{2,})[._-]([^\W\d_]{2,})(?![^\W_])")

    def _is_name(self, m: re.Match[str]) -> bool:
        """A given name joined to a known family name, or to a word of no language."""
        given, given_common = given_names()
        family, family_common = surnames()
        first, last = m.group(1).casefold(), m.group(2).casefold()
        if first not in given or fold(m.group(0)) in folded_places():
            return False
        if m.group(0)[m.end(1) - m.start()] == "-" and not m.group(0).islower():
            return False  # "Saint-Étienne", "Harley-Davidson": a written name, no identifier
        # The family name carries the evidence: a known one, or no English word at all
        # ("anna.kowalski", not "mark.down" or "will.change").
        known = last in family and last not in family_common
        return known or not (is_english_word(last, self._english) or last in given_common)


class HanziNameRecognizer(_TextRecognizer):
    """Chinese names in Han characters: a family name and one or two given-name characters."""

    def __init__(self) -> None:
        super().__init__()
        names = sorted(hanzi_surnames(), key=len, reverse=True)
        self._pattern = re.compile(
            rf"(?<![\u4e00-\u9fff])(?:{'|'.join(map(re.escape, names))})[\u4e00-\u9fff]{{1,2}}"
            r"(?![\u4e00-\u9fff])"
        )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None
    ) -> list[RecognizerResult]:
        """Find Han-character runs of two or three that open with a family name."""
        if "PERSON" not in entities or not re.search(r"[\u4e00-\u9fff]", text):
            return []
        return [
            RecognizerResult("PERSON", m.start(), m.end(), 0.8)
            for m in self._pattern.finditer(text)
        ]
