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
from functools import cache
from pathlib import Path
from typing import Any

from presidio_analyzer import EntityRecognizer, Pattern, PatternRecognizer, RecognizerResult

DATA = Path(__file__).resolve().parent / "data"

# Words before a name that show the next token is a person ("meet with AL", "thank SJ").
SLOT_WORDS = frozenset(
    """with to for from and & thank thanks praise ask asked meet met tell told help helped
    email emailed call called ring support supported guide coach coached mentor mentored
    recognise recognize recognised recognized celebrate congratulate remind reminded
    invite invited train trained show showed pair paired debrief encourage encouraged
    appreciate acknowledge affirm commend let get take took give gave offer spend contact
    contacted send sent cc by including especially see saw notify brief briefed introduce
    introduced assign assigned listen listened teach taught involve involved join joined
    nominate nominated shadow shadowed host hosted via ping pinged message messaged text
    texted copy copied owner mentee mentors colleague boss manager of starter member hire
    report reports assistant intern lead supervisor peer buddy both""".split()
)
# The strongest of them: an ambiguous token (an English word, a soft acronym) must follow one.
STRONG_SLOTS = frozenset(
    """with to thank thanks praise ask asked meet met tell told email emailed call called
    coach coached mentor mentored celebrate congratulate remind reminded debrief commend
    help helped support supported guide recognise recognize recognised recognized invite
    invited""".split()
)
# Words before a name that can only precede a person (not a product: "integrate with Workday").
PERSON_SLOTS = frozenset(
    """thank thanks praise ask asked meet met tell told call called email emailed coach
    coached mentor mentored remind reminded congratulate commend debrief reach reached
    dear hi hello greet invite invited get give gave assign assigned""".split()
)
# "guidance to X", "reach out to X": the word before "to" that makes it a person slot.
TO_PERSON = frozenset(
    """guidance feedback appreciation thanks support credit praise recognition kudos out talk
    talked speak spoke explain explained introduce introduced report reports write wrote
    say said listen listened apologise apologize apologised apologized gratitude shoutout
    shout-out""".split()
)
# Nouns for people that precede their name ("team member K", "new starter H").
PERSON_NOUNS = frozenset(
    """member members colleague colleagues starter hire report reports mentee intern
    assistant manager boss peer buddy thanking thanked""".split()
)
# Everyday words that are also given names: never a name when written in lowercase.
EVERYDAY = frozenset(
    """will may mark bill grant rob sue pat don art chase hunter faith hope joy grace rose
    green black white brown young king hill wood stone page price rich guy jack frank ray
    drew gene miles max dean earl lance bob nick sandy summer autumn winter april june
    august sky river storm reed glen dale lane cliff penny ginger honey dawn eve ivy holly
    iris lily jade amber crystal ruby pearl violet hazel heather olive cherry melody
    harmony destiny trinity charity patience prudence liberty justice journey royal major
    marshall mason carter cooper parker tanner taylor baker cook smith sterling noble
    ernest victor august christian jean jay gene sol""".split()
)
# Words after a name that show it is a person ("AL contribution", "SJ said").
AFTER_WORDS = frozenset(
    """said says asked asks will would is was has had thinks thought wants wanted needs
    needed agreed disagreed told mentioned suggested did does contribution contributions
    effort efforts achievement achievements work feedback pushed challenged proposed
    raised owns owned joined left explained showed knows knew feels felt kept says
    questioned doubted pointed recorded walked took wrote sent called emailed thinks
    believes does doesn't did didn't would could should can""".split()
)
DETERMINERS = frozenset("""the a an our my your their his her its this that these those""".split())
HONORIFICS = frozenset(
    """dr mr mrs ms mx miss prof professor dame sir lady lord madam madame dott herr frau""".split()
)
# Acronyms that are business terms, never initials of a person.
HARD_ACRONYMS = frozenset(
    """HR IT US UK EU UN USA UAE CEO CFO COO CTO CIO CISO CHRO CMO CPO CRO VP SVP EVP KPI
    KPIS OKR OKRS ROI NPS CSAT QA QC AI ML BI UX UI PR IR BD DEI ESG ERP CRM SAP SLA SOP
    RFP RFQ POC MVP WFH OOO EOD COB ASAP FYI TBD FAQ API SQL AWS GCP CPU PC TV EMEA APAC
    LATAM DACH SMB SME YOY QOQ FY FTE PTO PDR PDP IDP TIB SSC SSN KT CPR NHS ADHD ASC SEN
    OK NO YES ALL FOR DUE TO AT IN ON OR SO UP GO DO BE WE HE IF OF AN BY MY ME IS THE AND
    BUT NOT ANY NEW OUR LLC LTD INC PLC GMBH BV AG SA NV CV HQ RD USD EUR GBP INR JPY CNY
    IPO M&A P&L B2B B2C SKU POS OTC VAT GDPR HIPAA SOX ISO CSR LMS LND IVR NGO PHD MBA CPA
    CFA PMP MSC BSC ETA ETD RSVP PS NB CC BCC RE FW ID IDS DM PM AM GM MD EA PA DR ST""".split()
)
# Acronyms that are usually business terms but also initials ("meet with PM", "ask DR").
SOFT_ACRONYMS = frozenset(["PM", "AM", "GM", "MD", "EA", "PA", "DR", "ST", "AS", "SA", "CV", "CC"])
# Two-letter lowercase words that are never initials.
SHORT_WORDS = frozenset(
    """am an as at be by do go he hi if in is it me my no of oh ok on or so to up us we ye pm
    hr id tv pc uk eu ai qa cv pr ui ux ad ex vs mr ms dr st rd nd th kg km mm cm ml la le
    el da de du di al im ur ya yo vp md ea pa gm ft lb oz ie eg""".split()
)
_INITIALS = re.compile(r"^(?:[A-Z]{2,3}|(?:[A-Z]\.){1,3}[A-Z]?\.?)$")
_LOWER_INITIALS = re.compile(r"^[a-z]{2}$")
_NAME_WORD = re.compile(r"^[A-Z][a-z\u00e0-\u00ff'’]+(?:-[A-Z][a-z\u00e0-\u00ff'’]+)?$")
_POSSESSIVE = frozenset({"'s", "’s", "'", "’"})


@cache
def places() -> frozenset[str]:
    """Casefolded names of places that stay (cities of 100k+, countries, regions)."""
    lines = (DATA / "places.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(x for x in lines if x and not x.startswith("#"))


@cache
def english_words(model_dir: str | None) -> frozenset[str]:
    """Ordinary English words: the WordNet index shipped in the spaCy model's lemmatizer, and
    spaCy's stop words. Empty when the model has no lemmatizer tables."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words: set[str] = set(STOP_WORDS)
    if model_dir is not None:
        path = Path(model_dir) / "lemmatizer" / "lookups"
        if path.exists():
            from spacy.lookups import Lookups

            lookups = Lookups().from_disk(path)
            index = lookups.get_table("lemma_index")
            words.update(w for pos in index for w in index[pos] if "_" not in w)
            exceptions = lookups.get_table("lemma_exc")  # irregular forms: said, told, took
            words.update(w for pos in exceptions for w in exceptions[pos] if "_" not in w)
    return frozenset(words)


def is_english_word(word: str, words: frozenset[str]) -> bool:
    """True when word, or its stem without a plural or verb ending, is an English word."""
    w = word.casefold()
    if w in words:
        return True
    for suffix, repl in (
        ("s", ""),
        ("es", ""),
        ("ies", "y"),
        ("ed", ""),
        ("ed", "e"),
        ("ing", ""),
        ("ing", "e"),
        ("ly", ""),
        ("'s", ""),
        ("’s", ""),
    ):
        if w.endswith(suffix) and len(w) > len(suffix) + 2 and w[: -len(suffix)] + repl in words:
            return True
    return False


@cache
def given_names() -> tuple[frozenset[str], frozenset[str]]:
    """(all given names, those that are also English words), casefolded."""
    names: set[str] = set()
    common: set[str] = set()
    for line in (DATA / "given_names.txt").read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        name, _, mark = line.partition("\t")
        names.add(name)
        if mark == "*":
            common.add(name)
    return frozenset(names), frozenset(common)


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


def shouting(text: str) -> bool:
    """True when most letters are capitals (an all-caps note): acronyms are not initials there."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 12 and sum(c.isupper() for c in letters) > 0.6 * len(letters)


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
            (person_slot and not chained) or after
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
