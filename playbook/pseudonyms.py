"""Pure privacy logic: placeholders, the roster and term lists, applying findings to a text
and putting originals back. No engine and no model here (the Presidio adapter in
``ingest.redact`` finds the personal data; this decides what replaces it), so the privacy
service, the pages, the command line and the test fakes use it without loading Presidio.

Every placeholder comes from a keyed HMAC of a normalised value, so the same person gets the
same placeholder in every document without any table to keep: "Tony", "tony" and "Tony's"
agree; inside one text, "Tony" after "Tony Mercer" is the same person, and so are a roster
person's first name, surname and e-mail next to their full name. A roster upload never
changes a placeholder already given (``pseudonyms.identity``).
"""

from __future__ import annotations

import base64
import csv
import hashlib
import hmac
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path

from ingest.lexicon import DATA, HONORIFICS, given_names
from playbook.models import Entity, Redaction

# Presidio entity -> placeholder label. Entities not listed are not looked for: dates, places,
# nationalities, organisations and URLs are business context (see the README's policy).
PLACEHOLDER_LABELS: dict[str, str] = {
    "PERSON": "PERSON",
    "EMAIL_ADDRESS": "EMAIL",
    "PHONE_NUMBER": "PHONE",
    "CREDIT_CARD": "CARD",
    "IBAN_CODE": "IBAN",
    "IP_ADDRESS": "IP",
    "US_SSN": "ID",
    "UK_NINO": "ID",
    "US_PASSPORT": "ID",
    "US_ITIN": "ID",
    "IN_AADHAAR": "ID",
    "ADDRESS": "ADDRESS",
    "HANDLE": "HANDLE",
    "EMPLOYEE_ID": "EMPID",
}
LABELS = tuple(dict.fromkeys(PLACEHOLDER_LABELS.values()))

_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
TOKEN_PATTERN = re.compile(
    r"\[(?:PERSON|EMAIL|PHONE|CARD|IBAN|IP|ID|ADDRESS|HANDLE|EMPID)-"
    r"[0-9A-HJKMNP-TV-Z]{8}\]"
)


class RedactionError(RuntimeError):
    """The engine failed; the text was not redacted and must not be stored or shared."""


def normalise(label: str, value: str) -> str:
    """The form of a value that decides its pseudonym: case, spacing, titles and possessives
    ignored."""
    v = _SPACES.sub(" ", value.strip()).casefold()
    if label == "PERSON":
        v = _POSSESSIVE.sub("", v).strip()
        words = v.replace(".", " ").split()
        while len(words) > 1 and words[0] in HONORIFICS:
            words.pop(0)
        v = " ".join(words)
    elif label in {"PHONE", "CARD", "IBAN", "ID"}:
        v = re.sub(r"[^0-9a-z+]", "", v)
    return v


class Pseudonymizer:
    """Maps (label, value) to a stable placeholder such as ``[PERSON-7F3A9QK2]``.

    Eight base32 characters carry 40 bits: two different people share a placeholder with a
    chance of about one in a million when there are 1,500 names, and one in a hundred at 150,000.
    """

    def __init__(self, key: bytes) -> None:
        self._key = key

    def placeholder(self, label: str, value: str) -> str:
        """The placeholder for a value; equal for equal normalised values."""
        label = PLACEHOLDER_LABELS.get(label, label)
        return self.for_key(label, normalise(label, value))

    def for_key(self, label: str, key: str) -> str:
        """The placeholder for an identity key (a normalised value or a roster person)."""
        digest = hmac.new(self._key, f"{label}:{key}".encode(), hashlib.sha256).digest()
        code = base64.b32encode(digest[:5]).decode()  # RFC 4648 alphabet, 8 characters
        code = code.translate(str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", _ALPHABET))
        return f"[{label}-{code}]"


@dataclass(frozen=True)
class Finding:
    """A piece of personal data in the original text. ``key`` is an identity shared by forms
    of the same person (roster, or the full name seen earlier in the same text). ``value`` is
    the value as the analyzer read it when the text spells it otherwise ("Anna&nbsp;Smith",
    "<b>Anna</b> Smith", "José" in NFD): the placeholder follows the name, not its markup."""

    start: int
    end: int
    label: str
    score: float
    source: str
    key: str | None = None
    value: str | None = None


# -- roster and term lists -------------------------------------------------------------------


class RosterError(ValueError):
    """The roster file cannot be read; nothing was changed."""


@dataclass(frozen=True)
class RosterPerson:
    """One person in the directory an admin uploads."""

    full_name: str
    email: str = ""

    @property
    def key(self) -> str:
        """The identity every form of this person maps to."""
        return "roster:" + normalise("PERSON", self.full_name)


@dataclass(frozen=True)
class Roster:
    """The people directory: each person is always caught by full name, first name, surname,
    possessive and e-mail, case-insensitively (case-sensitively for a name that is also an
    English word, such as Will or Green)."""

    people: tuple[RosterPerson, ...] = ()

    @classmethod
    def from_csv(cls, text: str) -> Roster:
        """Read ``name,email`` rows (a header names the columns: name or full_name, email)."""
        reader = csv.DictReader(io.StringIO(text))
        fields = {(f or "").strip().casefold(): f for f in reader.fieldnames or []}
        name_col = fields.get("name") or fields.get("full_name") or fields.get("full name")
        if name_col is None:
            raise RosterError("the roster needs a header with a 'name' column (and 'email')")
        email_col = fields.get("email") or fields.get("e-mail")
        people: list[RosterPerson] = []
        for line, row in enumerate(reader, start=2):
            name = _SPACES.sub(" ", (row.get(name_col) or "").strip())
            email = (row.get(email_col) or "").strip() if email_col else ""
            if not name:
                raise RosterError(f"line {line}: the name is empty")
            if email and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", email):
                raise RosterError(f"line {line}: {email!r} is not an e-mail address")
            people.append(RosterPerson(name, email))
        return cls(tuple(people))

    @classmethod
    def load(cls, path: Path) -> Roster:
        """Read a roster CSV file."""
        try:
            return cls.from_csv(path.read_text(encoding="utf-8-sig"))
        except (OSError, UnicodeDecodeError) as exc:
            raise RosterError(f"cannot read the roster {path}: {exc}") from None

    def to_csv(self) -> str:
        """The roster as CSV (for the encrypted copy kept in the store)."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["name", "email"])
        writer.writerows([p.full_name, p.email] for p in self.people)
        return out.getvalue()

    @cached_property
    def matcher(self) -> TermMatcher:
        """Regular expressions over every form of every person."""
        forms: dict[str, str | None] = {}
        firsts: dict[str, set[str]] = {}
        for p in self.people:
            words = p.full_name.split()
            forms[p.full_name] = p.key
            if p.email:
                forms[p.email] = p.key
            if len(words) > 1:
                for part in (words[0], words[-1]):
                    firsts.setdefault(part.casefold(), set()).add(p.key)
        for part, keys in firsts.items():
            # A first name or surname two people share stays a name, but of nobody in particular.
            forms.setdefault(part, next(iter(keys)) if len(keys) == 1 else None)
        return TermMatcher(forms, source="roster")


class TermMatcher:
    """Finds listed terms as whole words (with a possessive), returning PERSON findings."""

    def __init__(self, terms: dict[str, str | None], source: str) -> None:
        _, common = given_names()
        insensitive: dict[str, str | None] = {}
        sensitive: dict[str, str | None] = {}
        for term, key in terms.items():
            term = term.strip()
            if not term:
                continue
            folded = term.casefold()
            if folded in common or folded in name_words():
                sensitive[term[:1].upper() + term[1:]] = key
            else:
                insensitive[folded] = key
        self._keys = {**{k.casefold(): v for k, v in sensitive.items()}, **insensitive}
        self._source = source
        self._patterns = [
            _alternation(insensitive, re.IGNORECASE),
            _alternation(sensitive, 0),
        ]

    def find(self, text: str) -> list[Finding]:
        """Every occurrence, with the identity key of the person it names."""
        out: list[Finding] = []
        for pattern in self._patterns:
            if pattern is None:
                continue
            for m in pattern.finditer(text):
                term = m.group(1)
                key = self._keys.get(term.casefold())
                label = "EMAIL" if "@" in term and key is None else "PERSON"
                out.append(Finding(m.start(1), m.end(1), label, 1.0, self._source, key))
        out.sort(key=lambda f: (f.start, f.start - f.end))
        kept: list[Finding] = []
        for f in out:  # the longest form wins where forms overlap ("Will Green" over "Will")
            if not kept or f.start >= kept[-1].end:
                kept.append(f)
        return kept


def _alternation(terms: dict[str, str | None], flags: int) -> re.Pattern[str] | None:
    if not terms:
        return None
    body = "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True))
    return re.compile(rf"(?<![\w@.])({body})(?:'s|’s|')?(?![\w@])", flags)


@cache
def name_words() -> frozenset[str]:
    """Surnames and given names that are also English words (Green, Will, Baker)."""
    _, common = given_names()
    return common | frozenset(load_terms(DATA / "surname_words.txt"))


def load_terms(path: Path) -> tuple[str, ...]:
    """A term list file: one term per line, '#' comments."""
    return tuple(
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    )


def _merge(findings: list[Finding]) -> list[Finding]:
    """Non-overlapping findings. Overlapping names merge into their union (a partial name is
    a leak); other overlaps keep the explicit, then the longer, then the higher-scored one."""
    people = sorted((f for f in findings if f.label == "PERSON"), key=lambda f: (f.start, -f.end))
    merged: list[Finding] = []
    for f in people:
        if merged and f.start < merged[-1].end:
            last = merged[-1]
            keep = last if last.score >= f.score else f
            merged[-1] = Finding(
                last.start,
                max(last.end, f.end),
                "PERSON",
                max(last.score, f.score),
                keep.source,
                last.key or f.key,
            )
        else:
            merged.append(f)
    rank = sorted(
        merged + [f for f in findings if f.label != "PERSON"],
        # A span that contains another wins (the address around a town that NER calls a name).
        key=lambda f: (f.source not in {"roster", "deny"}, -(f.end - f.start), -f.score, f.start),
    )
    chosen: list[Finding] = []
    for f in rank:
        if all(f.end <= c.start or f.start >= c.end for c in chosen):
            chosen.append(f)
    return sorted(chosen, key=lambda f: f.start)


def identity(key: str) -> str:
    """The value a placeholder is made from for an identity key. A roster person's key
    ("roster:tony mercer") stands for their full name, so uploading a roster never changes
    the placeholder a full name already had: "Tony Mercer" keeps its ``[PERSON-…]`` in
    documents redacted before and after, and a name search meets both."""
    return key.removeprefix("roster:")


def apply_findings(pseudo: Pseudonymizer, text: str, findings: Sequence[Finding]) -> Redaction:
    """Replace each finding with its placeholder. Inside one text, a lone first name or
    surname that belongs to a full name found there shares the full name's placeholder.

    A roster form (first name, surname, e-mail) takes its person's placeholder only where the
    text names that person in full, as any name found in full does; elsewhere it keeps the
    placeholder it had before the roster was uploaded. So a roster upload, or a recognizer
    that finds a name the engine missed before, never changes a placeholder already given."""
    full: dict[str, str] = {}
    named_in_full: set[str] = set()
    for f in findings:
        if f.label == "PERSON":
            value = normalise("PERSON", f.value or text[f.start : f.end])
            if f.key is not None and value == identity(f.key):
                named_in_full.add(f.key)
            words = value.split()
            if len(words) > 1:
                for w in (words[0], words[-1]):
                    full.setdefault(w, f.key or value)
    parts: list[str] = []
    entities: list[Entity] = []
    originals: dict[str, str] = {}
    cursor = length = 0
    for f in findings:
        chunk = text[cursor : f.start]
        parts.append(chunk)
        length += len(chunk)
        value = text[f.start : f.end]
        read = f.value or value
        roster_form = f.key is not None and f.key.startswith("roster:")
        if f.key is not None and (not roster_form or f.key in named_in_full):
            token = pseudo.for_key(f.label, identity(f.key))
        elif f.label == "PERSON" and normalise("PERSON", read) in full:
            token = pseudo.for_key("PERSON", identity(full[normalise("PERSON", read)]))
        else:  # a roster e-mail alone keeps the e-mail placeholder it had without the roster
            token = pseudo.placeholder("EMAIL" if roster_form and "@" in read else f.label, read)
        parts.append(token)
        originals.setdefault(token, _POSSESSIVE.sub("", value) if f.label == "PERSON" else value)
        entities.append(Entity(f.label, length, length + len(token), f.start, f.end))
        length += len(token)
        cursor = f.end
    parts.append(text[cursor:])
    return Redaction(text="".join(parts), entities=tuple(entities), originals=originals)


def contains_placeholder(text: str) -> bool:
    """True when text holds at least one placeholder."""
    return bool(TOKEN_PATTERN.search(text))


def reidentify(text: str, originals: dict[str, str]) -> str:
    """Put original values back in place of the placeholders that ``originals`` knows."""
    return TOKEN_PATTERN.sub(lambda m: originals.get(m.group(0), m.group(0)), text)


# -- readable placeholders -------------------------------------------------------------------

READABLE_NAMES: dict[str, str] = {
    "PERSON": "Colleague",
    "EMAIL": "E-mail",
    "PHONE": "Phone",
    "CARD": "Card",
    "IBAN": "Account",
    "IP": "IP address",
    "ID": "ID",
    "ADDRESS": "Address",
    "HANDLE": "Handle",
    "EMPID": "Employee",
}


def readable_labels(tokens: Sequence[str]) -> dict[str, str]:
    """Short, stable labels for stored placeholders: ``[PERSON-TX1X5HP8]`` reads
    "Colleague TX1X". The label is the token's first four code characters, so the same person
    has the same label in every export; where two tokens of one text share those four, both
    take more characters until they differ. The stored token is never changed.

    Args:
        tokens: placeholders as stored (anything else is ignored).

    Returns:
        Each distinct placeholder mapped to its label.
    """
    codes = {t: t[1:-1].split("-", 1) for t in dict.fromkeys(tokens) if TOKEN_PATTERN.fullmatch(t)}
    out: dict[str, str] = {}
    for token, (label, code) in codes.items():
        size = 4
        while size < len(code) and any(
            other != token and o_label == label and o_code[:size] == code[:size]
            for other, (o_label, o_code) in codes.items()
        ):
            size += 2
        out[token] = f"{READABLE_NAMES.get(label, label.title())} {code[:size]}"
    return out


def render_readable(text: str, labels: dict[str, str] | None = None) -> str:
    """Text with each placeholder written as its readable label (``readable_labels``)."""
    labels = labels if labels is not None else readable_labels(TOKEN_PATTERN.findall(text))
    return TOKEN_PATTERN.sub(lambda m: labels.get(m.group(0), m.group(0)), text)
