"""PII redaction: a tuned Presidio engine over the installed spaCy pipeline, with a roster,
allow and deny lists, and consistent pseudonyms.

The engine is built once and used in batches (spaCy ``nlp.pipe`` under Presidio's batch
analyzer). What is personal data here, and what stays, is the README's redaction policy;
the choices below were made by measurement with ``eval/pii.py``.

Every placeholder comes from a keyed HMAC of a normalised value, so the same person gets the
same placeholder in every document without any table to keep: "Tony", "tony" and "Tony's"
agree; inside one text, "Tony" after "Tony Mercer" is the same person, and so are a roster
person's first name, surname and e-mail next to their full name. A roster upload never
changes a placeholder already given (``pseudonyms.identity``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from spacy.lang.en.stop_words import STOP_WORDS

from ingest.lexicon import (
    AFTER_WORDS,
    DATA,
    DETERMINERS,
    HARD_ACRONYMS,
    HONORIFICS,
    PAST_VERBS,
    PERSON_AFTER,
    PERSON_SLOTS,
    QUANTITY_AFTER,
    SLOT_WORDS,
    STRONG_SLOTS,
    VIETNAMESE_FAMILY,
    english_non_nouns,
    english_words,
    fold,
    folded_places,
    given_names,
    is_english_word,
    shouting,
    surnames,
)
from ingest.name_context import (
    HONORIFIC_SUFFIXES,
    coordinated_people,
    heads_a_thing,
    hyphen_end,
    inside_place,
    is_honorific,
    name_not_word,
    person_named_firms,
    used_as_place,
)
from ingest.name_runs import (
    GAELIC,
    NAME_PARTICLES,
    HanziNameRecognizer,
    JoinedNameRecognizer,
    NameRunRecognizer,
    SurnameFirstRecognizer,
)
from ingest.normalise import Normalised, for_analysis
from ingest.pattern_recognizers import (
    BroadCardRecognizer,
    address_recognizer,
    employee_id_recognizer,
    handle_recognizer,
    internal_email_recognizer,
    phone_format_recognizer,
)
from ingest.recognizers import (
    GivenNameRecognizer,
    InitialsRecognizer,
    TitledNameRecognizer,
)
from ingest.written_forms import LowercaseIbanRecognizer, spoken_email_recognizer
from playbook.models import Redaction, RedactionPolicy
from playbook.pseudonyms import (
    PLACEHOLDER_LABELS,
    TOKEN_PATTERN,
    Finding,
    Pseudonymizer,
    RedactionError,
    Roster,
    TermMatcher,
    _merge,
    apply_findings,
    load_terms,
    name_words,
    normalise,
)

# Minimum score per label, chosen on eval/pii.py (see the README's results table).
THRESHOLDS: dict[str, float] = {
    "PERSON": 0.5,
    "EMAIL": 0.5,
    "PHONE": 0.4,
    "CARD": 0.3,
    "IBAN": 0.3,
    "IP": 0.5,
    "ID": 0.3,
    "ADDRESS": 0.5,
    "HANDLE": 0.5,
    "EMPID": 0.5,
}
# Case-insensitive: "emp004521" is the same ID as "EMP004521".
DEFAULT_EMPLOYEE_ID_PATTERNS = (r"(?i)\b(?:EMP|EID)[-_]?\d{4,8}\b",)


DEFAULT_ALLOW_TERMS = load_terms(DATA / "allow_terms.txt")


# -- spaCy -----------------------------------------------------------------------------------


def make_offline() -> None:
    """Stop tldextract (used by Presidio's e-mail recognizer) from fetching the suffix list."""
    import tldextract.tldextract as tld

    tld.TLD_EXTRACTOR.suffix_list_urls = ()


def load_spacy(model: str) -> Any:
    """Load the spaCy pipeline for redaction: the named-entity recognizer and nothing else.

    Presidio needs entities (from NER, which in en_core_web_sm has its own embedding layer)
    and lemmas (to find context words such as "phone" near a number). The tagger, attribute
    ruler and lemmatizer cost as much as NER itself (measured: 3.6 s against 1.8 s for 400
    leader entries), so lemmas come from a lower-casing component instead: context words
    still match their usual forms ("phone", "passport", "account").
    """
    import spacy
    from spacy.language import Language

    if not Language.has_factory("playbook_lower_lemma"):

        @Language.component("playbook_lower_lemma")
        def _lower_lemma(doc: Any) -> Any:
            for token in doc:
                token.lemma_ = token.lower_
            return doc

    nlp = spacy.load(model, exclude=["parser", "tagger", "attribute_ruler", "lemmatizer", "senter"])
    if "tok2vec" in nlp.pipe_names:
        # In en_core_web_sm the NER has its own tok2vec; the shared one fed only the tagger.
        ner: Any = nlp.get_pipe("ner")
        ner_listens = any("listener" in layer.name for layer in ner.model.walk())
        if not ner_listens:
            nlp.remove_pipe("tok2vec")
    nlp.add_pipe("playbook_lower_lemma", last=True)
    return nlp


# -- the engine ------------------------------------------------------------------------------


@dataclass
class EngineConfig:
    """What an installation tunes (from settings and the admin's roster)."""

    roster: Roster = field(default_factory=Roster)
    allow_terms: tuple[str, ...] = DEFAULT_ALLOW_TERMS
    employee_id_patterns: tuple[str, ...] = DEFAULT_EMPLOYEE_ID_PATTERNS
    thresholds: dict[str, float] = field(default_factory=lambda: dict(THRESHOLDS))
    phone_regions: tuple[str, ...] = ("US", "GB", "DE", "FR", "IN", "CA", "BR", "AU", "IE", "NG")


class PresidioRedactor:
    """Redactor port over Presidio's batch analyzer with the recognizers of this module."""

    def __init__(
        self,
        nlp: Any,
        pseudonymizer: Pseudonymizer,
        config: EngineConfig | None = None,
        batch_size: int = 64,
    ) -> None:
        from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine
        from presidio_analyzer.predefined_recognizers import (
            CreditCardRecognizer,
            EmailRecognizer,
            IbanRecognizer,
            InAadhaarRecognizer,
            IpRecognizer,
            PhoneRecognizer,
            SpacyRecognizer,
            UkNinoRecognizer,
            UsSsnRecognizer,
        )

        make_offline()
        # Presidio warns about every recognizer of other languages it skips; that is noise.
        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        self.config = config or EngineConfig()
        ner = NerModelConfiguration(
            labels_to_ignore=[
                "CARDINAL",
                "ORDINAL",
                "PERCENT",
                "QUANTITY",
                "MONEY",
                "WORK_OF_ART",
                "LAW",
                "LANGUAGE",
                "EVENT",
                "PRODUCT",
                "FAC",
                "TIME",
                "DATE",
                "GPE",
                "LOC",
                "NORP",
                "ORG",
            ]
        )
        engine = SpacyNlpEngine(
            models=[{"lang_code": "en", "model_name": "preloaded"}], ner_model_configuration=ner
        )
        engine.nlp = {"en": nlp}  # type: ignore[assignment]  # preloaded, without the parser
        allow = self.config.allow_terms
        english = english_words(str(nlp.path) if getattr(nlp, "path", None) else None)
        registry = RecognizerRegistry(supported_languages=["en"])
        recognizers: list[Any] = [
            SpacyRecognizer(supported_entities=["PERSON"]),
            EmailRecognizer(),
            PhoneRecognizer(supported_regions=self.config.phone_regions),
            CreditCardRecognizer(),
            IbanRecognizer(),
            IpRecognizer(),
            UsSsnRecognizer(),
            UkNinoRecognizer(),
            InAadhaarRecognizer(),
            phone_format_recognizer(),
            internal_email_recognizer(),
            BroadCardRecognizer(),
            InitialsRecognizer(allow),
            GivenNameRecognizer(allow, english),
            TitledNameRecognizer(),
            NameRunRecognizer(english, frozenset(a.casefold() for a in allow)),
            SurnameFirstRecognizer(english),
            JoinedNameRecognizer(english),
            HanziNameRecognizer(),
            LowercaseIbanRecognizer(),
            spoken_email_recognizer(),
            handle_recognizer(),
            address_recognizer(),
        ]
        employee = employee_id_recognizer(self.config.employee_id_patterns)
        if employee is not None:
            recognizers.append(employee)
        for r in recognizers:
            registry.add_recognizer(r)
        analyzer = AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])
        self._batch = BatchAnalyzerEngine(analyzer_engine=analyzer)
        self.pseudonymizer = pseudonymizer
        self._batch_size = batch_size
        self._entities = sorted({e for r in recognizers for e in r.supported_entities})
        self._allow = {a.casefold() for a in allow}
        self._english = english
        self._non_nouns = english_non_nouns(str(nlp.path) if getattr(nlp, "path", None) else None)
        self._name_words = given_names()[0] | surnames()[0]
        self._floor = min(self.config.thresholds.values())

    # -- analysis ---------------------------------------------------------------------------

    def analyze_batch(
        self, texts: Sequence[str], policy: RedactionPolicy | None = None
    ) -> list[list[Finding]]:
        """Findings in original-text coordinates, one list per text, non-overlapping."""
        policy = policy or RedactionPolicy()
        written = list(texts)
        # Analysis reads the text without markup, invisible characters or odd Unicode forms;
        # every finding is mapped back to the characters as written (ingest/normalise.py).
        norms = [for_analysis(t, self._is_word, self._is_acronym, self._is_given) for t in written]
        texts = [n.text for n in norms]
        out: list[list[Finding]] = [[] for _ in texts]
        todo = [i for i, t in enumerate(texts) if t.strip()]
        allow = self._allow | {a.casefold() for a in policy.allow}
        explicit = [self.config.roster.matcher]
        if policy.deny:
            explicit.append(TermMatcher(dict.fromkeys(policy.deny), source="deny"))
        try:
            results = self._batch.analyze_iterator(
                [texts[i] for i in todo],
                language="en",
                batch_size=self._batch_size,
                entities=self._entities,
                score_threshold=self._floor,
            )
            for i, found in zip(todo, results, strict=True):
                text = texts[i]
                converted = self._convert(text, found)
                trimmed = [
                    _trim(text, self._whole(text, f), allow, self._english) for f in converted
                ]
                findings = [
                    f
                    for f, seen in zip(trimmed, converted, strict=True)
                    if not self._allowed(text, f, allow) and not _names_a_thing(text, seen, f)
                ]
                findings += coordinated_people(
                    text, trimmed, findings, self._plain, self._given_beside, self._known_name
                )
                for matcher in explicit:
                    findings.extend(matcher.find(text))
                merged = _merge(findings)
                merged = _merge(merged + _propagate(text, merged, self._english))
                # Text that was redacted before (a title, a pasted note) keeps its placeholders.
                tokens = [m.span() for m in TOKEN_PATTERN.finditer(text)]
                kept = [f for f in merged if all(f.end <= a or f.start >= b for a, b in tokens)]
                out[i] = _to_written(norms[i], text, kept)
        except Exception as exc:  # any engine failure must stop the write, never pass text on
            raise RedactionError(f"redaction failed ({type(exc).__name__}: {exc})") from exc
        return out

    def _whole(self, text: str, f: Finding) -> Finding:
        """A person's name is not cut at a hyphen ("Yoon Ji" -> "Yoon Ji-woo"), before a
        family name that is no English word (or one WordNet knows only as a noun), in any case
        ("ravi shankar", "eoghan mccarthy"), before up to two more words of no list and no
        language ("phạm thu trang"), or after a given name ("tama ngata")."""
        if f.label != "PERSON":
            return f
        end = hyphen_end(text, f.end)
        # "Jordi Puig i Serra", "Nils-Petter af Klint": a particle between name words
        bridge = re.match(r"[ \t]([^\W\d_]{1,4})[ \t]([A-ZÀ-ÖØ-Þ][^\W\d_]+)", text[end:])
        whole = len(text[f.start : end].split()) >= 2  # given and family name already
        if bridge and self._name_part(*bridge.groups(), whole=whole):
            end = hyphen_end(text, end + bridge.end())
        for _ in range(2):
            m = re.match(r"[ \t]([^\W\d_]+(?:['’][^\W\d_]+)?)\b(?![-'’.]\w)", text[end:])
            if m is None or not self._goes_on(text[f.start : end], m.group(1)):
                break
            end += m.end()
        start = f.start
        lead = re.search(r"(?<![\w-])(Te|Ngā|Nga)[ \t]$", text[max(0, start - 8) : start])
        if lead and text[start : start + 1].isupper():
            start -= len(lead.group(0))  # "Te Aroha Ngata": a Māori name's article
        before = re.search(r"(?<![\w-])([^\W\d_]+)[ \t]$", text[max(0, start - 40) : start])
        if before and self._given_before(before.group(1), text[start:end]):
            start -= len(before.group(0))
        if (start, end) == (f.start, f.end):
            return f
        return Finding(start, end, f.label, f.score, f.source, f.key)

    def _goes_on(self, name: str, word: str) -> bool:
        """Whether ``word``, right after ``name``, is more of the same name."""
        key = word.casefold()
        if word.islower() and key in STOP_WORDS:
            return False  # "i owe rangi an apology": no lowercase name goes on over "an"
        if re.search(r"['’](?:t|re|ll|ve|d|m)$", key):
            return False  # "jugaad won't fix it": a contraction is no name
        name_words = name.split()
        if fold(name_words[0].casefold()) in VIETNAMESE_FAMILY and len(name_words) < 4:
            # "nguyễn thu hà", "Trần Văn long": a Vietnamese name's given names, in any case
            folded = fold(key)
            if (
                key not in STOP_WORDS
                and key not in AFTER_WORDS
                and (folded in given_names()[0] or folded != key)
            ):
                return True
        if key in surnames()[0]:
            return self._no_mere_word(key)  # "mccarthy", "shankar"
        if (word.isupper() and not name.isupper()) or len(key) < 3 or key in self._allow:
            return False
        if name.islower() != word.islower():
            return False  # "met kofi Tuesday"
        return not self._plain(word)

    def _name_part(self, particle: str, word: str, *, whole: bool) -> bool:
        """A capitalised word after a particle that goes with the name: no English word
        unless WordNet knows it only as a noun of the name lists ("Serra"); a place after a
        particle of descent ("dos Santos"), or after "i", "y" or "e" ("and") only when a
        given and a family name come before ("Jordi Puig i Serra", not "Kofi i Lagos"). A
        Gaelic particle in any case ("Ruairí Mac Giolla"; in capitals it is analysed as
        "mac")."""
        if particle not in NAME_PARTICLES and particle.casefold() not in GAELIC:
            return False
        key = word.casefold()
        conjunction = particle in {"i", "y", "e"}
        gaelic = particle not in NAME_PARTICLES  # "Priya o Lagos" is no name
        if key in self._allow or (
            (gaelic or (conjunction and not whole)) and fold(key) in folded_places()
        ):
            return False
        return self._no_mere_word(key)

    def _no_mere_word(self, key: str) -> bool:
        """No English word, or one WordNet knows only as a noun of the name lists ("serra",
        "mccarthy"): it can be part of a name."""
        return not is_english_word(key, self._english) or name_not_word(
            key, self._name_words, self._non_nouns
        )

    def _word_name_before(self, key: str, name: str) -> bool:
        """A given name of the lists that is also a word, before a name whose first word is
        a given or family name that is no word."""
        first = fold(name.split()[0].casefold())
        given, common = given_names()
        return (
            len(key) >= 3
            and self._given_beside(key)
            and fold(key) not in person_named_firms()
            and key not in STRONG_SLOTS
            and key not in PERSON_SLOTS
            and first not in common
            and (first in given or first in surnames()[0])
            and first not in surnames()[1]
            and not is_english_word(first, self._english)
        )

    def _given_before(self, word: str, name: str) -> bool:
        """Whether ``word``, right before ``name``, is a given name of the same name: one of
        the lists, or, before a one-word name, a word of no list, place or language
        ("ikaika kahananui")."""
        key = word.casefold()
        if word.istitle() and self._word_name_before(key, name):
            return True  # "Faith Chebet", "Grace Kamau": a given name that is also a word
        if (
            word.islower() != name.islower()
            or is_english_word(key, self._english)
            or key in STRONG_SLOTS
            or key in PERSON_SLOTS
        ):
            return False
        if key in given_names()[0]:
            return key not in given_names()[1]
        return (
            len(key) >= 3
            and len(name.split()) == 1
            and key not in surnames()[0]
            and key.upper() not in HARD_ACRONYMS
            and not self._plain(word)
        )

    def _given_beside(self, word: str) -> bool:
        """A given name of the lists that is no allowed term and no place ("Timur"; not
        "April", "Florence" or "Monday")."""
        key = word.casefold()
        return (
            fold(key) in given_names()[0]
            and key not in self._allow
            and fold(key) not in folded_places()
        )

    def _plain(self, word: str) -> bool:
        """An English word, a place or an allowed term: never a name by its place alone."""
        key = word.casefold()
        return (
            is_english_word(key, self._english)
            or fold(key) in folded_places()
            or key in self._allow
        )

    def _known_name(self, word: str) -> bool:
        """A word of the given-name or family-name lists."""
        return word.casefold() in self._name_words

    def _is_word(self, word: str) -> bool:
        """An English word that is no given name: it keeps its capitals outside an all-caps
        note (a "GRACE" may be a name, a "REVIEW" is not)."""
        names, common = given_names()
        key = word.casefold()
        return is_english_word(key, self._english) and (key not in names or key in common)

    def _is_given(self, word: str) -> bool:
        """A given name of the lists, accents folded."""
        return fold(word.casefold()) in given_names()[0]

    def _is_acronym(self, word: str) -> bool:
        return word.upper() in HARD_ACRONYMS or word.casefold() in self._allow

    def _convert(self, text: str, found: Iterable[Any]) -> list[Finding]:
        out = []
        for r in found:
            label = PLACEHOLDER_LABELS.get(r.entity_type)
            if label is None or r.end <= r.start:
                continue
            if r.score < self.config.thresholds.get(label, 0.5):
                continue
            source = (r.recognition_metadata or {}).get("recognizer_name", "")
            out.append(Finding(r.start, r.end, label, float(r.score), source))
        return out

    def _allowed(self, text: str, f: Finding, allow: set[str]) -> bool:
        """Business terms stay: allow-listed values, and spaCy "names" that cannot be names
        (measured on eval/pii.py: "Q3", "Lesson", "Schedule", "Unique Strengths Workshop")."""
        value = text[f.start : f.end]
        if normalise(f.label, value) in allow or value.casefold() in allow:
            return True
        if f.label != "PERSON" or f.source in {"roster", "deny"}:
            return False
        if value.casefold() in STRONG_SLOTS or value.casefold() in PERSON_SLOTS:
            return True  # "mtg w/ procurement": the slot word left once "mtg" was trimmed
        if inside_place(text, f.start, f.end):
            return True  # "Ho Chi Minh City", "Santa Monica": a place is never split into a name
        if heads_a_thing(text, f.start, f.end):
            return True  # "Mark Spencer Hotel", "Valentine's Day", "Saint-Étienne"
        if used_as_place(text, f.start, f.end, self._known_name):
            return True  # "the Killarney numbers", "Kerry stock", "near Akureyri"
        if f.source != "propagated" and self._everyday_words(text, f.start, f.end):
            return True  # "Dawn Raid is the code name", "Patience and Joy are two formats"
        if (
            " " not in value.strip()
            and is_english_word(value, self._english)
            and _next_word_at(text, f.end) in QUANTITY_AFTER
            and _prev_word_at(text, f.start) not in PERSON_SLOTS
        ):
            return True  # "Miles per route", "Penny per unit": a word that counts something
        if self._opens_compound(text, f.start, f.end):
            return True  # "Jasmine rice imports rose", "Grace period ends"
        if f.source != "SpacyRecognizer":
            return False
        words = [w for w in re.split(r"[\s:|.,;-]+", value) if w]
        folded = [w.casefold() for w in words]
        if not words or any(ch.isdigit() for ch in value):
            return True  # "Q3", "FY25": names hold no digits
        names, common = given_names()
        if (
            value.islower()
            and _POSSESSIVE_AFTER.match(text, f.end)
            and all(w in names and w not in common for w in folded)
        ):
            return False  # "sakura's one to one": a given name with a possessive is a person
        if not any(c.isupper() for c in value) and all(
            is_english_word(w, self._english) or w in allow for w in folded
        ):
            return True  # "devs", "workshop", "jugaad won't"
        if all(w in allow or w.upper() in HARD_ACRONYMS for w in folded):
            return True
        prev = _prev_word_at(text, f.start)
        nxt = _next_word_at(text, f.end)
        if (
            fold(value) in folded_places()
            and prev not in PERSON_SLOTS
            and (nxt not in PERSON_AFTER or not self._known_name(value))
        ):
            # "Valencia can host it": an auxiliary after a place makes no person, and a
            # person's verb only after a place that is a name too ("Gdańsk joined the wave")
            return True
        if prev in STRONG_SLOTS or nxt in AFTER_WORDS:
            return False
        if value.isupper() and (len(value) <= 4 or shouting(text)):
            return True  # "FTA", "HURRICANE HELENE": real initials are the initials recognizer's
        if any(name_not_word(w, self._name_words, self._non_nouns) for w in folded):
            return False  # "Zhou Lei", "Mei", "Baraka": WordNet lists them, as nouns only
        # "Unique Strengths Workshop", "Schedule", a sentence-initial "Foster"
        return all(is_english_word(w, self._english) for w in folded) and (
            any(w not in names for w in folded)
            or (len(folded) == 1 and folded[0] in common and _starts_sentence(text, f.start))
        )

    def _opens_compound(self, text: str, start: int, end: int) -> bool:
        """A name that is also an English word, opening a sentence before a lowercase noun
        that is no verb, adjective or adverb: the two are one noun ("Jasmine rice", "Grace
        period", "Rosemary focaccia"). A person there is followed by a verb ("Rose thinks")."""
        value = text[start:end]
        # after a determiner only a word that is also a verb, an adjective or an adverb
        # ("the Frank feedback", "the Amber status"; not "the Smith account", a person's)
        opens = _starts_sentence(text, start) or (
            _prev_word_at(text, start) in DETERMINERS and value.casefold() in self._non_nouns
        )
        if not (value.istitle() and " " not in value and opens):
            return False
        if not is_english_word(value, self._english):
            return False
        m = re.match(r" ([a-z]+)\b(?!['’])", text[end:])
        if m is None:
            return False
        word = m.group(1)
        if word in STOP_WORDS or word in PAST_VERBS:
            return False  # "Rose will", "Rose made the call"
        if word in AFTER_WORDS and word in self._non_nouns:
            return False  # "Rose said", "Rose wants"; not "Frank feedback"
        if word.endswith(("s", "ed", "ing", "ly")) and word[:-1] not in self._non_nouns:
            # "Rose thinks", "Rose agreed", "Grace quickly": a verb or an adverb may follow a
            # person; a plural noun ("Amber flags") is no verb's form
            stems = (word[:-1], word[:-2], word[:-3], word[:-2] + "e")
            if any(s in self._non_nouns for s in stems) or word.endswith("ly"):
                return False
        return word in self._english

    def _everyday_words(self, text: str, start: int, end: int) -> bool:
        """Capitalised everyday words that the name lists also hold, with no person's slot
        and no person's verb: two of them opening a sentence ("Dawn Raid is the code name",
        "Sterling Silver is…"), or one joined by "and" to another that opens the sentence
        ("Patience and Joy are the two formats", "Rose and Lily are fragrances")."""
        words = text[start:end].split()
        if not 1 <= len(words) <= 2 or _next_word_at(text, end) in PERSON_AFTER:
            return False
        if not all(self._everyday(w) for w in words):
            return False
        if len(words) == 2:
            return _starts_sentence(text, start)
        m = re.search(r"([^\W\d_]+)[ \t]+(?:and|or|&)[ \t]+$", text[max(0, start - 40) : start])
        if m is None:
            return False
        partner_at = start - len(m.group(0))
        return _starts_sentence(text, partner_at) and self._everyday(m.group(1))

    def _everyday(self, word: str) -> bool:
        """A title-case English word that is no name, or a name that is also an everyday
        word ("Joy", "Dawn", "Silver"; not "Joseph", which WordNet knows only as people)."""
        key = word.casefold()
        return (
            word[:1].isupper()
            and word[1:].islower()
            and is_english_word(key, self._english)
            and not name_not_word(key, self._name_words, self._non_nouns)
        )

    # -- redaction --------------------------------------------------------------------------

    def redact_batch(
        self, texts: Sequence[str], policy: RedactionPolicy | None = None
    ) -> list[Redaction]:
        """Redact texts in one pass of the batch analyzer; order is kept."""
        texts = list(texts)
        findings = self.analyze_batch(texts, policy)
        return [
            apply_findings(self.pseudonymizer, t, f) for t, f in zip(texts, findings, strict=True)
        ]

    def set_roster(self, roster: Roster) -> None:
        """Use a new people directory from the next call on."""
        self.config.roster = roster


_LEADING = SLOT_WORDS | DETERMINERS | {"met", "dear", "hi", "hello", "thanks", "cc", "w/"}


def _name_opens(text: str, start: int, m: re.Match[str]) -> bool:
    """Whether a capitalised leading word that is a slot or an allowed term opens the name
    itself: a given name before a family name ("Per Nilsson", "Sunday Okonkwo"; not "Per
    Tesfaye Bekele", where "Per" is the slot, nor "Sunday lunch")."""
    word = m.group(1)
    if not word[:1].isupper() or fold(word.casefold()) not in given_names()[0]:
        return False
    nxt = re.match(r"([^\W\d_][\w'’-]*)", text[start + m.end() :])
    if nxt is None or not nxt.group(1)[:1].isupper():
        return False
    key = fold(nxt.group(1).casefold())
    family, common = surnames()
    return key in family and key not in common and key not in given_names()[0]


def _plain_word(word: str, english: frozenset[str]) -> bool:
    """An English word that is no given or family name of any origin ("Finance", "Team")."""
    key = word.casefold()
    names, _ = given_names()
    family, _ = surnames()
    return is_english_word(key, english) and key not in names and key not in family


def _names_a_thing(text: str, seen: Finding, trimmed: Finding) -> bool:
    """A recognizer's whole span heads a thing although its trimmed name does not: "Nelson
    Mandela Bay" trimmed to "Nelson", "St Patrick's Day" trimmed to "Patrick"."""
    if seen.label != "PERSON" or seen.source in {"roster", "deny"} or seen == trimmed:
        return False
    return heads_a_thing(text, seen.start, seen.end)


def _trim(text: str, f: Finding, allow: set[str], english: frozenset[str] = frozenset()) -> Finding:
    """Drop leading words that are not part of a name ("Call Olga" -> "Olga"; "talked w/
    joão" -> "joão": no name holds a lowercase slot word such as "w/" or "with") and a
    trailing possessive."""
    if f.label != "PERSON" or f.source in {"roster", "deny"}:
        return f
    start = f.start
    for slot in re.finditer(r"(?<!\S)(\S+)\s+", text[f.start : f.end]):
        if slot.group(1) in STRONG_SLOTS and slot.group(1).islower():
            start = f.start + slot.end()
    while True:
        m = re.match(r"(\S+)\s+", text[start : f.end])
        if m is None:
            break
        word = m.group(1).casefold().strip(",:;")
        if not (word in _LEADING or word in allow) or _name_opens(text, start, m):
            break
        start += m.end()
    end = f.end
    while True:  # "Anna Kowalski Finance": a trailing English word that is no name stays
        tail = re.search(r"\s+(w/|w|with|re)$", text[start:end])  # "mtg w/ procurement"
        if tail is not None:
            end -= len(tail.group(0))
            continue
        last = re.search(r"\s+([^\W\d_]+)$", text[start:end])
        if last is None or not _plain_word(last.group(1), english):
            break
        end -= len(last.group(0))
    m = re.search(r"(?:'s|’s|'|’)$", text[start:end])
    if m and end - start > len(m.group(0)):
        end -= len(m.group(0))  # "Tony Mercer's": the possessive stays outside the placeholder
    m = re.search(rf"[-‐](?:{HONORIFIC_SUFFIXES})$", text[start:end])
    if m and end - start > len(m.group(0)) and is_honorific(text, end - len(m.group(0))):
        end -= len(m.group(0))  # "Morimoto-san": the honorific stays outside it too
    if (start, end) == (f.start, f.end):
        return f
    return Finding(start, end, f.label, f.score, f.source, f.key)


def _propagate(
    text: str, findings: list[Finding], english: frozenset[str] = frozenset()
) -> list[Finding]:
    """Every other mention in the same text of a name found once ("Tony" again, "Raman"
    after "Priya Raman"), whole words only, in any case ("okonkwo", "PRIYA"); a name that is
    also a word ("Will", "Rose") only capitalised or in capitals."""
    words: dict[str, str | None] = {}
    particle_of: dict[str, str] = {}  # "conceição" -> "da": the particle it came after
    for f in findings:
        if f.label != "PERSON":
            continue
        value = normalise("PERSON", text[f.start : f.end])
        parts = value.split()
        for k, w in enumerate(parts):
            if len(w) >= 2 and w not in HONORIFICS:
                words.setdefault(w, f.key or (value if len(parts) > 1 else None))
            if k and parts[k - 1] in _ANY_PARTICLE:
                particle_of.setdefault(w, parts[k - 1])
    if not words:
        return []
    common = name_words()
    out: list[Finding] = []
    for w, key in words.items():
        insensitive = w not in common and not is_english_word(w, english)
        flags = re.IGNORECASE if insensitive else 0
        forms = re.escape(w) if insensitive else f"{re.escape(w.title())}|{re.escape(w.upper())}"
        for m in re.finditer(rf"(?<![\w@.])({forms})(?![\w@])", text, flags):
            start = m.start(1)
            if inside_place(text, start, m.end(1)) and not _beside_name_word(text, m, words):
                continue  # "Thu Hà led the Hà Nội review": the city is no mention of her
            particle = particle_of.get(w)
            before = re.search(r"(?<![\w-])([^\W\d_]+)[ \t]$", text[max(0, start - 8) : start])
            if particle and before and before.group(1).casefold() == particle:
                start -= len(before.group(0))  # "da Conceição wants a reply": the particle too
            out.append(Finding(start, m.end(1), "PERSON", 0.6, "propagated", key))
    return out


def _beside_name_word(text: str, m: re.Match[str], words: dict[str, str | None]) -> bool:
    """Whether the word next to a mention is a word of a name found ("Sánchez del Río" again:
    "Del Rio" is a city, but here "del" is part of the name)."""
    before = re.search(r"([^\W\d_]+)[ \t]+$", text[: m.start(1)])
    after = re.match(r"[ \t]+([^\W\d_]+)", text[m.end(1) :])
    near = [x.group(1) for x in (before, after) if x is not None]
    return any(normalise("PERSON", w) in words for w in near)


def _to_written(norm: Normalised, text: str, findings: list[Finding]) -> list[Finding]:
    """Findings in the analysed text mapped to the text as written; each keeps the value as
    read, so "Anna&nbsp;Smith" gets the placeholder of "Anna Smith"."""
    if norm.identity:
        return findings
    out = []
    for f in findings:
        start, end = norm.to_original(f.start, f.end)
        if end > start:
            out.append(
                Finding(start, end, f.label, f.score, f.source, f.key, text[f.start : f.end])
            )
    return _merge(out)


_POSSESSIVE_AFTER = re.compile(r"['’]s\b")
_ANY_PARTICLE = NAME_PARTICLES | GAELIC


def _next_word_at(text: str, end: int) -> str:
    m = re.match(r"\W*(\w+)", text[end:])
    return m.group(1).casefold() if m else ""


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t")
    return not before or before[-1] in '.!?|:;\n-*•"“(['


def _prev_word_at(text: str, start: int) -> str:
    m = re.search(r"(\w+)\W*$", text[:start])
    return m.group(1).casefold() if m else ""
