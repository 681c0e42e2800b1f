"""PII redaction with Presidio over the installed spaCy pipeline, with consistent pseudonyms.

The engine is built once and used in batches (spaCy ``nlp.pipe`` under Presidio's batch
analyzer). Every placeholder is derived from a keyed HMAC of the normalised value, so the same
person gets the same placeholder in every document without any table to keep.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import re
from collections.abc import Sequence
from typing import Any

from playbook.models import Entity, Redaction

# Presidio entity -> placeholder label. Entities not listed are not looked for: dates, places,
# nationalities and URLs are business context in this product (see the README's policy).
PLACEHOLDER_LABELS: dict[str, str] = {
    "PERSON": "PERSON",
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "CREDIT_CARD": "CARD",
    "IBAN_CODE": "IBAN",
    "IP_ADDRESS": "IP",
    "US_SSN": "ID",
    "US_PASSPORT": "ID",
    "US_DRIVER_LICENSE": "ID",
    "US_ITIN": "ID",
    "US_BANK_NUMBER": "ACCOUNT",
    "UK_NHS": "ID",
}

_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_TOKEN = re.compile(r"\[[A-Z]+-[0-9A-F]{6}\]")


class RedactionError(RuntimeError):
    """The engine failed; the text was not redacted and must not be stored or shared."""


def normalise(entity_type: str, value: str) -> str:
    """The form of a value that decides its pseudonym: case, spacing and possessives ignored."""
    v = _SPACES.sub(" ", value.strip()).casefold()
    if entity_type == "PERSON":
        v = _POSSESSIVE.sub("", v).strip()
    elif entity_type in {"PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE"}:
        v = re.sub(r"[^0-9a-z+]", "", v)
    return v


class Pseudonymizer:
    """Maps (type, value) to a stable placeholder such as ``[PERSON-7F3A9C]``."""

    def __init__(self, key: bytes) -> None:
        self._key = key

    def placeholder(self, entity_type: str, value: str) -> str:
        """The placeholder for a value; equal for equal normalised values."""
        label = PLACEHOLDER_LABELS.get(entity_type, entity_type.split("_")[0])
        digest = hmac.new(
            self._key, f"{label}:{normalise(entity_type, value)}".encode(), hashlib.sha256
        ).hexdigest()
        return f"[{label}-{digest[:6].upper()}]"


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


class PresidioRedactor:
    """Redactor port over Presidio's batch analyzer."""

    def __init__(
        self,
        nlp: Any,
        pseudonymizer: Pseudonymizer,
        batch_size: int = 64,
        score_threshold: float = 0.4,
    ) -> None:
        from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine, RecognizerRegistry
        from presidio_analyzer.nlp_engine import NerModelConfiguration, SpacyNlpEngine

        make_offline()
        # Presidio warns about every recognizer of other languages it skips; that is noise.
        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
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
            ]
        )
        engine = SpacyNlpEngine(
            models=[{"lang_code": "en", "model_name": "preloaded"}], ner_model_configuration=ner
        )
        engine.nlp = {"en": nlp}  # type: ignore[assignment]  # preloaded, without the parser
        registry = RecognizerRegistry(supported_languages=["en"])
        registry.load_predefined_recognizers(languages=["en"], nlp_engine=engine)
        analyzer = AnalyzerEngine(registry=registry, nlp_engine=engine, supported_languages=["en"])
        self._batch = BatchAnalyzerEngine(analyzer_engine=analyzer)
        self._pseudo = pseudonymizer
        self._batch_size = batch_size
        self._threshold = score_threshold
        self._entities = list(PLACEHOLDER_LABELS)

    def redact_batch(self, texts: Sequence[str]) -> list[Redaction]:
        """Redact texts in one pass of the batch analyzer; order is kept."""
        texts = list(texts)
        out: list[Redaction | None] = [None] * len(texts)
        todo = [i for i, t in enumerate(texts) if t.strip()]
        for i, t in enumerate(texts):
            if not t.strip():
                out[i] = Redaction(text=t)
        try:
            results = self._batch.analyze_iterator(
                [texts[i] for i in todo],
                language="en",
                batch_size=self._batch_size,
                entities=self._entities,
                score_threshold=self._threshold,
            )
            for i, found in zip(todo, results, strict=True):
                out[i] = self._apply(texts[i], found)
        except Exception as exc:  # any engine failure must stop the write, never pass text on
            raise RedactionError(f"redaction failed ({type(exc).__name__}: {exc})") from exc
        return [r for r in out if r is not None]

    def _apply(self, text: str, found: Sequence[Any]) -> Redaction:
        spans = _resolve_overlaps(
            [(r.start, r.end, r.entity_type, r.score) for r in found if r.end > r.start]
        )
        parts: list[str] = []
        entities: list[Entity] = []
        cursor = 0
        length = 0
        for start, end, etype, _ in spans:
            chunk = text[cursor:start]
            parts.append(chunk)
            length += len(chunk)
            token = self._pseudo.placeholder(etype, text[start:end])
            parts.append(token)
            entities.append(
                Entity(PLACEHOLDER_LABELS.get(etype, etype), length, length + len(token))
            )
            length += len(token)
            cursor = end
        parts.append(text[cursor:])
        return Redaction(text="".join(parts), entities=tuple(entities))


def _resolve_overlaps(
    spans: list[tuple[int, int, str, float]],
) -> list[tuple[int, int, str, float]]:
    """Keep non-overlapping spans, preferring higher scores, then longer spans."""
    chosen: list[tuple[int, int, str, float]] = []
    for span in sorted(spans, key=lambda s: (-s[3], -(s[1] - s[0]), s[0])):
        if all(span[1] <= c[0] or span[0] >= c[1] for c in chosen):
            chosen.append(span)
    return sorted(chosen)


def contains_placeholder(text: str) -> bool:
    """True when text holds at least one placeholder."""
    return bool(_TOKEN.search(text))
