"""Custom Presidio recognizers for leaders' writing, tuned on measurement (see eval/pii.py).

spaCy's small model misses colleagues written as initials ("offer guidance to AL"), lowercase
names ("talk to tony"), sentence-initial names and less common names. These recognizers read
the spaCy tokens Presidio already has (no second NLP pass) and add:

* ``InitialsRecognizer``  - initials used as a name, decided by the words around them;
* ``GivenNameRecognizer`` - a gazetteer of given names, extended over a following surname;
* ``TitledNameRecognizer`` - "Dr. Popli", "Ms Adeyemi": an honorific then a capitalised name.

Pattern recognizers (phones, cards, handles, employee IDs, addresses) are in
``ingest.pattern_recognizers``; runs of name words and names in other systems' shapes in
``ingest.name_runs``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from presidio_analyzer import EntityRecognizer, RecognizerResult

from ingest.lexicon import (
    AFTER_WORDS,
    BESIDE_PERSON,
    DETERMINERS,
    EVERYDAY,
    FOR_PERSON,
    HARD_ACRONYMS,
    MEET_WITH,
    MORE_PERSON_VERBS,
    PAST_VERBS,
    PERSON_AFTER,
    PERSON_NOUNS,
    PERSON_SLOTS,
    SHORT_WORDS,
    SLOT_WORDS,
    SOFT_ACRONYMS,
    STAFF_VERBS,
    STRONG_SLOTS,
    TO_PERSON,
    fold,
    given_names,
    is_english_word,
    places,
    shouting,
    surnames,
)
from ingest.name_context import HONORIFIC_SUFFIXES

_INITIALS = re.compile(r"^(?:[A-Z]{2,3}|(?:[A-Z]\.){1,3}[A-Z]?\.?)$")
_LOWER_INITIALS = re.compile(r"^[a-z]{2}$")
_NAME_WORD = re.compile(r"^[A-Z][a-z\u00e0-\u00ff'’]+(?:-[A-Z][a-z\u00e0-\u00ff'’]+)?$")
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


def _prev_word(doc: Any, i: int) -> tuple[str, int]:
    """The previous word (lowercased) before token i, skipping brackets and quotes."""
    j = i - 1
    while j >= 0 and doc[j].text in {"[", "(", '"', "“", "'", "‘"}:
        j -= 1
    return (doc[j].lower_, j) if j >= 0 else ("", -1)


def _next_word(doc: Any, i: int) -> str:
    j = i + 1
    while j < len(doc) and doc[j].text in {"]", ")", '"', "”"}:
        j += 1
    return doc[j].lower_ if j < len(doc) else ""


def _to_person(doc: Any, j: int) -> bool:
    """True when token j is "to" after a word that makes what follows a person ("feedback
    to X"), or "for" after one of the fewer that do so with "for" ("feedback for X")."""
    if j < 1:
        return False
    word, before = doc[j].lower_, doc[j - 1].lower_
    return (
        (word == "to" and before in TO_PERSON)
        or (word == "for" and before in FOR_PERSON)
        or (word == "over" and before in _TALKED)  # "I talked over Oyinkansola"
    )


_TALKED = frozenset("talked talk talking spoke speak speaking".split())


def _beside_me(doc: Any, i: int, j: int) -> bool:
    """True when token i, after no determiner, is joined by "and" to the writer: "ingrid and
    i disagreed", "me and yasmin": only a person fits there."""
    after = (
        i + 2 < len(doc)
        and doc[i + 1].lower_ == "and"
        and doc[i + 2].lower_ in _ME
        and (j < 0 or doc[j].lower_ not in DETERMINERS)  # not "their belongingness and I"
    )
    before = j >= 1 and doc[j].lower_ == "and" and doc[j - 1].lower_ in _ME
    return after or before


_ME = frozenset({"i", "me", "myself"})


def _beside_person(doc: Any, j: int) -> bool:
    """True when token j is a preposition that sets a person beside the writer ("unlike
    nyokabi", "except daiki", "between anil and smita") or the "to" of "according to"."""
    if j < 0:
        return False
    word = doc[j].lower_
    return word in BESIDE_PERSON or (word == "to" and j >= 1 and doc[j - 1].lower_ == "according")


def _met_with(doc: Any, j: int) -> bool:
    """True when token j is "with" after a word of meeting ("coffee with X", "a call with
    X", "spoke with x"): only a person fits there, unlike "integrate with Workday"."""
    return j >= 1 and doc[j].lower_ == "with" and doc[j - 1].lower_ in MEET_WITH


def _sentence_start(doc: Any, i: int) -> bool:
    """True when token i opens a sentence or a list item."""
    if i == 0:
        return True
    prev = doc[i - 1].text
    return prev in {".", "!", "?", "|", ":", ";", "\n", "-", "*", "•", '"', "“"} or (
        "\n" in doc[i - 1].whitespace_ or doc[i - 1].is_space
    )


class InitialsRecognizer(EntityRecognizer):
    """Initials used as a name: "offer guidance to AL", "EG & MR", "SL's office", "meet sj"."""

    def __init__(self, allow: Iterable[str] = ()) -> None:
        super().__init__(supported_entities=["PERSON"], name="InitialsRecognizer")
        self._allow = {a.upper() for a in allow}

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None
    ) -> list[RecognizerResult]:
        """Find initials in positions where a person's name belongs."""
        if nlp_artifacts is None or "PERSON" not in entities:
            return []
        doc = nlp_artifacts.tokens
        if shouting(doc.text):
            return []
        found: list[RecognizerResult] = []
        caught: set[int] = set()
        for i, tok in enumerate(doc):
            t = tok.text
            upper = bool(_INITIALS.match(t)) or (len(t) == 1 and t.isupper() and t not in "IA")
            lower = bool(_LOWER_INITIALS.match(t)) and t not in SHORT_WORDS
            if not (upper or lower):
                continue
            key = t.replace(".", "").upper()
            if key in self._allow or (key in HARD_ACRONYMS and key not in SOFT_ACRONYMS):
                continue
            prev, j = _prev_word(doc, i)
            nxt = _next_word(doc, i)
            after_person = prev in {"and", "&", ",", "or"} and (j - 1) in caught
            if prev in DETERMINERS or (j >= 0 and doc[j].like_num):
                continue
            strong = (
                prev in STRONG_SLOTS
                or prev in PERSON_NOUNS
                or after_person
                or nxt in _POSSESSIVE
                or _to_person(doc, j)
            )
            weak = prev in SLOT_WORDS or nxt in AFTER_WORDS
            if weak and upper and len(key) >= 2 and (nxt in DETERMINERS or nxt in {"", ".", ","}):
                strong = True  # "training for SA.", "send SA the information"
            ambiguous = lower or len(key) == 1 or key in SOFT_ACRONYMS
            if strong or (weak and not ambiguous):
                caught.add(i)
                found.append(
                    RecognizerResult("PERSON", tok.idx, tok.idx + len(t), 0.86 if strong else 0.6)
                )
        return found


class GivenNameRecognizer(EntityRecognizer):
    """Given names from a gazetteer, extended over a following capitalised surname; and
    capitalised words that are no English word, place or acronym, where only a person fits
    ("Reach Chidi on", "as Femi kept saying")."""

    def __init__(self, allow: Iterable[str] = (), english: frozenset[str] = frozenset()) -> None:
        super().__init__(supported_entities=["PERSON"], name="GivenNameRecognizer")
        self._names, self._common = given_names()
        self._allow = {a.casefold() for a in allow}
        self._english = english

    def load(self) -> None:
        """The gazetteer loads lazily and once per process."""

    def _is_name(self, doc: Any, i: int, last_end: int) -> bool:
        tok = doc[i]
        text = _strip_possessive(tok.text)
        key = text.casefold()
        if key in self._allow or len(key) < 2:
            return False
        prev, j = _prev_word(doc, i)
        nxt = _next_word(doc, i)
        chained = prev in {"and", "&", ",", "or"} and j >= 1 and j - 1 == last_end - 1
        # "ingrid and i": only for a word of no language ("finance and i" is a team)
        me = _beside_me(doc, i, j) and not is_english_word(key, self._english)
        strong = prev in STRONG_SLOTS or nxt in _POSSESSIVE or chained or _to_person(doc, j) or me
        person_slot = (
            prev in PERSON_SLOTS or _to_person(doc, j) or chained or _met_with(doc, j) or me
        )
        after = nxt in AFTER_WORDS
        place_names = places()
        prev_two = f"{doc[j].text.casefold()} {key}" if j >= 0 else ""
        next_two = f"{key} {doc[i + 1].text.casefold()}" if i + 1 < len(doc) else ""
        named = key in self._names or fold(key) in self._names
        bracketed = j < i - 1  # "debrief (Gaziantep, 3 weeks)": no slot across a bracket
        if (key in place_names or prev_two in place_names or next_two in place_names) and not (
            # not "Valencia can host"; "Gdańsk joined the wave" is no person at all
            (person_slot and not chained and not bracketed) or (nxt in PERSON_AFTER and named)
        ):
            return False
        title = text[:1].isupper() and text[1:].islower()
        if key not in self._names and fold(key) in self._names:
            key = fold(key)  # the gazetteer is folded: "Oisín" is "oisin"
        if key not in self._names:
            # An unknown word: a name only where nothing else fits ("Reach Chidi on", "reach
            # out to manny").
            # A family name of the lists before a person's verb too ("okafor wants").
            family = key in surnames()[0] and key not in surnames()[1]
            if tok.is_upper and family and len(key) >= 4 and not shouting(doc.text):
                # "ACTION: HASEGAWA to confirm": a family name in capitals in a note that is
                # not all capitals, before a person's verb or an action's "to"
                return key.upper() not in HARD_ACRONYMS and (
                    person_slot or nxt in AFTER_WORDS or nxt == "to"
                )
            return (
                (title or tok.is_lower)
                and len(key) >= 3
                and not is_english_word(key, self._english)
                and key.upper() not in HARD_ACRONYMS
                and (
                    person_slot
                    or (tok.is_lower and (prev in STAFF_VERBS or _beside_person(doc, j)))
                    or (after and (title or family or nxt in PERSON_AFTER))
                    or (title and nxt in MORE_PERSON_VERBS)
                    # "ACTION: Hasegawa to confirm the venue": an action's owner
                    or (title and family and nxt == "to" and _verb_after_to(doc, i))
                    # "notes from Ogawa", "via Uwimana": a family name of the lists after a slot
                    or (title and family and prev in SLOT_WORDS)
                )
            )
        common = key in self._common
        if title:
            evidence = person_slot or nxt in PERSON_AFTER or nxt in _POSSESSIVE or chained
            if me:
                return True  # "Ingrid and I ran the workshop"
            if not evidence and (prev in DETERMINERS or self._names_a_thing(doc, i)):
                return False  # "the Amber Road", "Ivy League", "Rose Gold": a named thing
            slot = prev in SLOT_WORDS and prev not in {"and", "&", "of", "both"}
            if common and not (evidence or slot) and not _sentence_start(doc, i):
                return False  # "Patience and Joy are two formats": a word, unless a slot says
            # "Price was the reason": after a name-word only a person's verb makes a person.
            after = nxt in PERSON_AFTER if common else after
            if not _sentence_start(doc, i) or after or (not common and nxt not in {"of", "the"}):
                return True
            # A sentence-initial "Pascal" or "Ana" followed by a capitalised name or surname.
            if i + 1 >= len(doc) or not _NAME_WORD.match(doc[i + 1].text):
                return False
            following = _strip_possessive(doc[i + 1].text).casefold()
            return following in self._names or not is_english_word(following, self._english)
        if tok.is_upper and len(key) >= 3:
            # In an all-caps note too ("PRIYA WAS RIGHT"): a missed name is worse than a lost
            # word ("HURRICANE HELENE").
            return (
                not common
                and key.upper() not in HARD_ACRONYMS
                and (len(key) >= 4 or not shouting(doc.text))
            )
        if tok.is_lower and prev not in DETERMINERS:
            if key in EVERYDAY or key in SHORT_WORDS:
                return False
            if common or is_english_word(key, self._english):
                # "to foster" is a verb; "with gage", "talk to fatima", "with li wei" are people.
                nxt_key = doc[i + 1].text.casefold() if i + 1 < len(doc) else ""
                pair = (
                    i + 1 < len(doc)
                    and doc[i + 1].is_lower
                    and nxt_key in self._names
                    and not is_english_word(nxt_key, self._english)
                )
                return (
                    person_slot
                    or nxt in _POSSESSIVE
                    or prev == "with"
                    or (prev in STRONG_SLOTS and pair)
                )
            if len(key) < 3:
                return strong
            # "the slides minji made": a name of no language before a verb's past form
            past = nxt in PAST_VERBS
            return strong or prev in SLOT_WORDS or after or past or _beside_person(doc, j)
        return False

    def _hyphenated(self, doc: Any, i: int) -> int | None:
        """The token after a hyphenated given name of the list that spaCy split in three
        ("Sung-min", "Ji-woo", "Anne-Marie"), when it is no English word."""
        if i + 2 >= len(doc) or doc[i + 1].text not in {"-", "‐"} or not doc[i + 2].is_alpha:
            return None
        if doc[i].whitespace_ or doc[i + 1].whitespace_:
            return None
        key = fold(f"{doc[i].text}-{_strip_possessive(doc[i + 2].text)}")
        if key not in self._names or key in self._common or key in self._allow:
            return None
        return None if is_english_word(key, self._english) else i + 3

    def _names_a_thing(self, doc: Any, i: int) -> bool:
        """True when the next word is a capitalised English word that is no name: "Ivy
        League", "Albert Museum", "Jordan River" name a thing, not a person."""
        if i + 1 >= len(doc) or doc[i].whitespace_ == "":
            return False
        nxt = doc[i + 1].text
        key = nxt.casefold()
        return (
            nxt[:1].isupper()
            and nxt[1:].islower()
            and is_english_word(key, self._english)
            and key not in self._names
            and key not in surnames()[0]
        )

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None
    ) -> list[RecognizerResult]:
        """Find given names, judged by case and position."""
        if nlp_artifacts is None or "PERSON" not in entities:
            return []
        doc = nlp_artifacts.tokens
        place_names = places()
        found: list[RecognizerResult] = []
        last_end = -1
        i = 0
        while i < len(doc):
            if not doc[i].is_alpha and not _strip_possessive(doc[i].text).isalpha():
                i += 1
                continue
            end = self._hyphenated(doc, i)
            if end is None and not self._is_name(doc, i, last_end):
                i += 1
                continue
            end = end or i + 1
            first_end = end
            while (
                end < len(doc)
                and end - first_end < 2
                and _NAME_WORD.match(doc[end].text)
                and doc[end].text.casefold() not in self._allow
                # a given name that is also a town goes on a name ("Zhao Xinyi")
                and (
                    doc[end].text.casefold() not in place_names
                    or (
                        doc[end].text.casefold() in self._names
                        and doc[end].text.casefold() not in self._common
                    )
                )
                and doc[end - 1].whitespace_ != ""
            ):
                end += 1
            start_char = doc[i].idx
            end_char = doc[end - 1].idx + len(_strip_possessive(doc[end - 1].text))
            # Scored above spaCy's 0.85 so Presidio keeps it inside a wider NER span ("Tell
            # Adam"), which is trimmed later.
            found.append(RecognizerResult("PERSON", start_char, end_char, 0.86))
            last_end = end
            i = end
        return found


def _verb_after_to(doc: Any, i: int) -> bool:
    """Whether token i is followed by "to" and a lowercase word ("to confirm", "to send")."""
    return i + 2 < len(doc) and doc[i + 1].lower_ == "to" and doc[i + 2].is_lower


def _strip_possessive(word: str) -> str:
    for suffix in ("'s", "’s"):
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)]
    return word


class TitledNameRecognizer(EntityRecognizer):
    """An honorific then a capitalised name, or a name then an honorific suffix
    ("Morimoto-san", "Sharma-ji", "Min-jun-ssi"): the name is personal data, the title is
    not."""

    _PATTERN = re.compile(
        r"\b(?:Dr|Mr|Mrs|Ms|Mx|Miss|Prof|Professor|Dame|Sir|Lady|Lord)\.?\s+"
        r"((?:[A-Z]\.\s*)?[A-Z][\w'’-]+(?:\s+(?:[A-Z]\.\s*)?[A-Z][\w'’-]+){0,2})"
        rf"|\b([A-Z][^\W\d_]+(?:[ -][A-Z]?[^\W\d_]+)?)-(?:{HONORIFIC_SUFFIXES})\b"
    )

    def __init__(self) -> None:
        super().__init__(supported_entities=["PERSON"], name="TitledNameRecognizer")

    def load(self) -> None:
        """Nothing to load."""

    def analyze(
        self, text: str, entities: list[str], nlp_artifacts: Any = None
    ) -> list[RecognizerResult]:
        """Find titled names."""
        if "PERSON" not in entities:
            return []
        found = []
        for m in self._PATTERN.finditer(text):
            group = 1 if m.group(1) is not None else 2
            found.append(RecognizerResult("PERSON", m.start(group), m.end(group), 0.85))
        return found
