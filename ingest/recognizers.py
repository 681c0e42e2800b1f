"""Custom Presidio recognizers for leaders' writing, tuned on measurement (see eval/pii.py).

spaCy's small model misses colleagues written as initials ("offer guidance to AL"), lowercase
names ("talk to tony"), sentence-initial names and less common names. These recognizers read
the spaCy tokens Presidio already has (no second NLP pass) and add:

* ``InitialsRecognizer``  - initials used as a name, decided by the words around them;
* ``GivenNameRecognizer`` - a gazetteer of given names, extended over a following surname;
* ``TitledNameRecognizer`` - "Dr. Popli", "Ms Adeyemi": an honorific then a capitalised name;
* pattern recognizers for handles, employee IDs and postal addresses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult

from ingest.lexicon import (
    AFTER_WORDS,
    DETERMINERS,
    EVERYDAY,
    HARD_ACRONYMS,
    PERSON_AFTER,
    PERSON_NOUNS,
    PERSON_SLOTS,
    SHORT_WORDS,
    SLOT_WORDS,
    SOFT_ACRONYMS,
    STRONG_SLOTS,
    TO_PERSON,
    given_names,
    is_english_word,
    places,
    shouting,
)

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
    """True when token j is "to" after a word that makes what follows a person."""
    return j >= 1 and doc[j].lower_ == "to" and doc[j - 1].lower_ in TO_PERSON


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
        strong = prev in STRONG_SLOTS or nxt in _POSSESSIVE or chained or _to_person(doc, j)
        person_slot = prev in PERSON_SLOTS or _to_person(doc, j) or chained
        after = nxt in AFTER_WORDS
        place_names = places()
        prev_two = f"{doc[j].text.casefold()} {key}" if j >= 0 else ""
        next_two = f"{key} {doc[i + 1].text.casefold()}" if i + 1 < len(doc) else ""
        if (key in place_names or prev_two in place_names or next_two in place_names) and not (
            (person_slot and not chained) or nxt in PERSON_AFTER  # not "Valencia can host"
        ):
            return False
        title = text[:1].isupper() and text[1:].islower()
        if key not in self._names:
            # An unknown word: a name only where nothing else fits ("Reach Chidi on", "reach
            # out to manny").
            return (
                (title or tok.is_lower)
                and len(key) >= 3
                and not is_english_word(key, self._english)
                and key.upper() not in HARD_ACRONYMS
                and (person_slot or (after and title))
            )
        common = key in self._common
        if title:
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
            return strong or prev in SLOT_WORDS or after
        return False

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
            if not self._is_name(doc, i, last_end):
                i += 1
                continue
            end = i + 1
            while (
                end < len(doc)
                and end - i < 3
                and _NAME_WORD.match(doc[end].text)
                and doc[end].text.casefold() not in self._allow
                and doc[end].text.casefold() not in place_names
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


def _strip_possessive(word: str) -> str:
    for suffix in ("'s", "’s"):
        if word.endswith(suffix) and len(word) > len(suffix):
            return word[: -len(suffix)]
    return word


class TitledNameRecognizer(EntityRecognizer):
    """An honorific then a capitalised name: the name is personal data, the title is not."""

    _PATTERN = re.compile(
        r"\b(?:Dr|Mr|Mrs|Ms|Mx|Miss|Prof|Professor|Dame|Sir|Lady|Lord)\.?\s+"
        r"((?:[A-Z]\.\s*)?[A-Z][\w'’-]+(?:\s+(?:[A-Z]\.\s*)?[A-Z][\w'’-]+){0,2})"
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
        return [
            RecognizerResult("PERSON", m.start(1), m.end(1), 0.85)
            for m in self._PATTERN.finditer(text)
        ]


def phone_format_recognizer() -> PatternRecognizer:
    """Phone numbers in shapes the phonenumbers parser leaves out: North American numbers with
    dots or an extension (449.510.3635, +1-374-823-2939x430), "+44(0)115 4960877"."""
    ext = r"(?:\s?(?:x|ext\.?|extension)\s?\d{1,5})?"
    return PatternRecognizer(
        supported_entity="PHONE_NUMBER",
        name="PhoneFormatRecognizer",
        patterns=[
            Pattern(
                "nanp",
                r"(?<![\w.+-])(?:\+?1[-. ]?|001[-. ]?)?(?:\(\d{3}\)\s?|\d{3}[-. ])\d{3}[-. ]\d{4}"
                + ext
                + r"(?![\w-]|\.\d)",
                0.5,
            ),
            Pattern(
                "international",
                r"(?<![\w+])\+\d{1,3}\s?(?:\(0\)\s?)?\d{2,5}(?:[-. ]?\d{2,5}){1,4}"
                + ext
                + r"(?!\w)",
                0.5,
            ),
        ],
        context=["phone", "mobile", "call", "ring", "number", "tel", "cell"],
        global_regex_flags=re.MULTILINE | re.IGNORECASE,
    )


class BroadCardRecognizer(PatternRecognizer):
    """Payment card numbers of any issuer (13-19 digits, Luhn-checked), including the
    Mastercard 2-series and 19-digit Visa numbers Presidio's recognizer does not list."""

    def __init__(self) -> None:
        super().__init__(
            supported_entity="CREDIT_CARD",
            name="BroadCardRecognizer",
            patterns=[
                Pattern("card", r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])", 0.3),
                # 12-digit Maestro numbers: only with a context word such as "card"
                Pattern("card_12", r"(?<![\d-])(?:\d[ -]?){11}\d(?![\d-])", 0.05),
            ],
            context=["card", "visa", "mastercard", "amex", "credit", "debit", "payment"],
            global_regex_flags=re.MULTILINE,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """Luhn checksum over the digits."""
        digits = [int(c) for c in pattern_text if c.isdigit()]
        total = 0
        for n, d in enumerate(reversed(digits)):
            if n % 2:
                d = d * 2 - 9 if d > 4 else d * 2
            total += d
        return total % 10 == 0


def internal_email_recognizer() -> PatternRecognizer:
    """E-mail addresses on any domain. Presidio's recognizer checks the top-level domain
    against the public list, so addresses on internal domains (name@corp.internal,
    name@contoso.example) would pass through; a leak either way."""
    return PatternRecognizer(
        supported_entity="EMAIL_ADDRESS",
        name="InternalEmailRecognizer",
        patterns=[
            Pattern(
                "email_any_domain",
                r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?<!\.)",
                0.6,
            )
        ],
        global_regex_flags=re.MULTILINE,
    )


def handle_recognizer() -> PatternRecognizer:
    """User handles such as @deepa.k (an @ not preceded by an address's local part)."""
    return PatternRecognizer(
        supported_entity="HANDLE",
        name="HandleRecognizer",
        patterns=[
            Pattern("handle", r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])", 0.8)
        ],
        global_regex_flags=re.MULTILINE,
    )


def employee_id_recognizer(patterns: Sequence[str]) -> PatternRecognizer | None:
    """Employee IDs by the installation's own patterns (settings: ``employee_id_patterns``)."""
    if not patterns:
        return None
    return PatternRecognizer(
        supported_entity="EMPLOYEE_ID",
        name="EmployeeIdRecognizer",
        patterns=[Pattern(f"employee_id_{n}", p, 0.9) for n, p in enumerate(patterns)],
        global_regex_flags=re.MULTILINE,
    )


_STREET = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|"
    r"Square|Sq|Terrace|Crescent|Close|Gardens|Parkway|Pkwy|Highway|Hwy|Row|Walk|Mews|Hill|"
    r"Hills|Park|Grove|Green|Rise|View|Vale|Circle|Cir|Trail|Trl|Path|Orchard|Lakes?|Fort|"
    r"Pines?|Falls|Isle|Burg|Mall|Ridges?|Forge|Crossing|Heights|Meadows?|Estates?|Fields?|"
    r"Point|Port|Station|Junction|Loop|Alley|Bridge|Brook|Creek|Springs?|Harbor|Harbour|"
    r"Shores?|Valley|Manor|Landing|Plaza|Summit|Villages?|Wells|Woods?|Camp|Cape|Causeway|"
    r"Center|Centre|Common|Corners?|Cove|Crest|Dale|Divide|Expressway|Ferry|Flats?|Freeway|"
    r"Gateway|Glen|Haven|Hollow|Inlet|Island|Key|Knolls?|Motorway|Mount|Mountain|Neck|Oval|"
    r"Pass|Pike|Plains?|Prairie|Ramp|Ranch|Rapids?|Rest|Route|Run|Shoal|Skyway|Spur|Stream|"
    r"Throughway|Trace|Track|Tunnel|Turnpike|Union|Viaduct|Vista|Wharf|Parade|Quay|Embankment)"
    r"\b\.?"
)
_UNIT = r"(?:(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Studio|Floor|Fl\.?)\s*[\w-]+,?\s*)"
_ZIP_OR_POSTCODE = r"(?:[A-Z]{2}\s+\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2})\b"


def address_recognizer() -> PatternRecognizer:
    """Postal addresses: a house number and a street, with the town and postcode that follow."""
    tail = (
        r"(?:,?\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2})?(?:,?\s+[A-Z]{2,3})?"
        r"(?:,?\s+[A-Z0-9]{1,4}(?:[ -]?[A-Z0-9]{2,4})?)?"
    )
    patterns = [
        # 42 Wallaby Way, Sydney NSW 2000 / 1600 Pennsylvania Avenue NW, Washington, DC 20500
        Pattern(
            "street_number_first",
            rf"(?:\b{_UNIT})?\b\d{{1,5}}[A-Z]?,?\s+(?:[A-Z][\w'-]+\s+){{1,3}}{_STREET}"
            rf"(?:\s+(?:NW|NE|SW|SE))?(?:\s+{_UNIT})?{tail}",
            0.7,
        ),
        # Flat 6, Middleton Path, North Andreaton, N44 1QX
        Pattern(
            "unit_first",
            rf"\b{_UNIT}(?:[A-Z][\w'-]+\s+){{1,3}}{_STREET}{tail}",
            0.7,
        ),
        # Rua Augusta 120, 1100-053 Lisboa / 17 Rue de la Paix, 75002 Paris
        Pattern(
            "street_word_first",
            r"\b(?:\d{1,5}\s+)?(?:Rua|Rue|Calle|Via|Viale|Avenida|Av\.|Strasse|Straße|Platz|Plaza)"
            r"\s+[\w' -]{1,40}?,\s*\d{4,5}(?:-\d{3})?\s+[A-Z][\w-]+",
            0.7,
        ),
        # German style: Hauptstraße 5, 10115 Berlin
        Pattern(
            "strasse",
            r"\b[A-Z][\w-]*(?:straße|strasse|weg|gasse|platz)\s+\d{1,4}[a-z]?,\s*\d{5}\s+[A-Z][\w-]+",
            0.7,
        ),
        # Any street shape, when a US state and ZIP or a UK postcode closes it
        Pattern(
            "street_with_postcode",
            rf"(?:\b{_UNIT})?\b\d{{1,5}}[A-Z]?,?\s+(?:[A-Z][\w'-]+\s+){{0,3}}[A-Z][\w'-]+"
            rf"(?:\s+{_UNIT})?,\s+(?:[A-Z][\w'-]+\s+){{0,2}}[A-Z][\w'-]+,?\s+{_ZIP_OR_POSTCODE}",
            0.75,
        ),
        Pattern(
            "unit_with_postcode",
            rf"\b{_UNIT}(?:[A-Z][\w'-]+\s+){{0,3}}[A-Z][\w'-]+,\s+(?:[A-Z][\w'-]+\s+){{0,2}}"
            rf"[A-Z][\w'-]+,?\s+{_ZIP_OR_POSTCODE}",
            0.75,
        ),
        # UK postcode on its own (NW1 6XE)
        Pattern("uk_postcode", r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b", 0.5),
    ]
    return PatternRecognizer(
        supported_entity="ADDRESS",
        name="AddressRecognizer",
        patterns=patterns,
        global_regex_flags=re.MULTILINE,
    )
