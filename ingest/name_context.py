"""What the words around a candidate name say about it: pure functions over the text, used by
the engine (``ingest/redact.py``) after the recognizers have spoken.

* A name-like word that heads an organisation, a place or an event is no person: "Mark
  Spencer Hotel", "Victoria and Albert Museum", "Valentine's Day", "Carter Logistics",
  "Saint-Étienne", "Grant Thornton audits…" (a few firms named after people, listed in
  ``ingest/data/person_named_firms.txt``).
* A name never ends at a hyphen: "Yoon Ji" is "Yoon Ji-woo", "Nils" is "Nils-Erik".
* A candidate dropped as an ordinary word is a person after all when it is coordinated with a
  person found next to it ("Baraka and Auma Odhiambo", "Zhou Lei and Mei").
* In the model's word index, a word known only as a noun that the name lists hold ("Zhou",
  "Mei", "Baraka", "Albert") is a name, not a word: WordNet lists many people and dynasties.

Each rule was measured with ``eval/pii.py`` (tuning sets only; the held-out parts are reported
apart) before it went in.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from ingest.lexicon import DATA, EVERYDAY, PERSON_AFTER, PERSON_SLOTS, fold, folded_places
from playbook.pseudonyms import Finding

# Capitalised words after a name that make the whole an organisation, a place or an event.
HEAD_NOUNS = frozenset(
    """Hotel Hotels Inn Resort Museum Gallery Galleries Bank Banks Day Eve Road Street Avenue
    Boulevard Drive Way Square Station Airport Bridge Park River Lake Bay Beach Valley Island
    Islands Mountain Mountains Centre Center Hall Arena Stadium Theatre Theater Cathedral
    Church Chapel Abbey Castle Palace Tower Towers University College School Academy
    Institute Foundation Trust Hospital Clinic Group Holdings Partners Partnership Logistics
    Foods Services Sporting Goods Motors Airlines Airways Stores Mall Company Co Corp
    Corporation Inc Ltd LLC PLC GmbH Consulting Capital Ventures Labs Laboratories Systems
    Technologies Media Records Studios Pictures Festival Awards Award Prize Cup Trophy Fund
    Index Prize Brewery Winery Pharmaceuticals Pharma Insurance Associates Solicitors
    Chambers Estates Properties Homes Industries Enterprises Electronics Energy Mining
    Shipping Freight Express Builders Construction Engineering Tires Tyres""".split()
)
# "Saint-Étienne", "St-Tropez": a name after one of these and a hyphen is a place.
PLACE_PREFIXES = frozenset(
    "saint sainte st ste san santa são sao mont port fort villa pont bad".split()
)
_WORD = re.compile(r"[^\W\d_][\w'’.&-]*")
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)(?=\s|$)")


@cache
def person_named_firms() -> frozenset[str]:
    """Folded names of well-known firms and brands named after people ("Grant Thornton",
    "Harley-Davidson"), from ``ingest/data/person_named_firms.txt``."""
    return _folded_lines(DATA / "person_named_firms.txt")


def _folded_lines(path: Path) -> frozenset[str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(fold(x.strip()) for x in lines if x.strip() and not x.startswith("#"))


def heads_a_thing(text: str, start: int, end: int) -> bool:
    """True when the name-like words at [start, end) name an organisation, a place or an
    event: a capitalised head noun follows ("Mark Spencer Hotel", "Valentine's Day",
    "Victoria and Albert Museum"), a place prefix and a hyphen come before ("Saint-Étienne"),
    or the words lie inside a firm named after people ("Grant Thornton")."""
    rest = text[end:]
    possessive = _POSSESSIVE.match(rest)
    if possessive:
        rest = rest[possessive.end() :]
    m = re.match(r"[ \t]+([^\W\d_][\w.]*)", rest)
    if m and m.group(1).rstrip(".") in HEAD_NOUNS:
        return True
    if m is None and not possessive:
        # the span itself may end with the head noun ("Albert Museum" as spaCy read it)
        last = text[start:end].split()
        if len(last) > 1 and last[-1] in HEAD_NOUNS:
            return True
    before = re.search(r"([^\W\d_]+)[-‐]$", text[max(0, start - 12) : start])
    if before and before.group(1).casefold() in PLACE_PREFIXES:
        return True
    prefixed = re.match(r"([^\W\d_]+)[-‐][^\W\d_]", text[start:end])
    if prefixed and prefixed.group(1).casefold() in PLACE_PREFIXES:
        return True  # the span is the whole "Saint-Étienne"
    return _inside_firm(text, start, end)


def _inside_firm(text: str, start: int, end: int) -> bool:
    firms = person_named_firms()
    base = max(0, start - 40)
    spans = [(base + m.start(), base + m.end()) for m in _WORD.finditer(text[base : end + 40])]
    for i, (a, _) in enumerate(spans):
        if a > start:
            break
        for j in range(i, min(i + 4, len(spans))):
            b = spans[j][1]
            if b < end:
                continue
            if fold(text[a:b]) in firms:
                prev = re.search(r"(\w+)\W*$", text[:a])
                nxt = re.match(r"\W*(\w+)", text[b:])
                # "Met Paul Smith", "Grant Thornton said": a person slot wins over the firm
                if prev and prev.group(1).casefold() in PERSON_SLOTS:
                    return False
                return not (nxt and nxt.group(1).casefold() in PERSON_AFTER)
    return False


def hyphen_end(text: str, end: int) -> int:
    """The end of a name that ``end`` cuts at a hyphen ("Yoon Ji|-woo" -> after "woo")."""
    m = re.match(r"[-‐][^\W\d_]+(?:[-‐][^\W\d_]+)*", text[end:])
    if m and (end == 0 or text[end - 1].isalpha()):
        return end + m.end()
    return end


def coordinated(text: str, a_end: int, b_start: int) -> bool:
    """True when only "and", "&" or a comma stands between two spans ("Baraka and Auma")."""
    return re.fullmatch(r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s+)", text[a_end:b_start]) is not None


def name_not_word(word: str, names: frozenset[str], non_nouns: frozenset[str]) -> bool:
    """A word of the name lists that the word index knows only as a noun and that is no
    everyday word ("zhou", "mei", "baraka"; not "joy", "price", "mark")."""
    w = word.casefold()
    return w in names and w not in EVERYDAY and w not in non_nouns


_PLACE_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def inside_place(text: str, start: int, end: int) -> bool:
    """True when [start, end) lies inside a place of two or more words written in the text."""
    words = list(_PLACE_WORD.finditer(text[max(0, start - 60) : end + 60]))
    base = max(0, start - 60)
    spans = [(base + m.start(), base + m.end()) for m in words]
    places = folded_places()
    for i in range(len(spans)):
        for j in range(i + 1, min(i + 5, len(spans))):
            if spans[i][0] > start or spans[j][1] < end:
                continue
            if fold(text[spans[i][0] : spans[j][1]]) in places:
                return True
    return False


def coordinated_people(
    text: str,
    candidates: list[Finding],
    kept: list[Finding],
    is_word: Callable[[str], bool] = lambda w: False,
) -> list[Finding]:
    """Candidates dropped as ordinary words that stand beside a person with only "and", "&"
    or a comma between ("Baraka and Auma Odhiambo"), and capitalised words no recognizer
    took that stand there and are no English word ("Ousmane Diop and Fatou"): names, not
    words. Never one with a digit, in capitals, or heading a place or a firm."""
    people = [k for k in kept if k.label == "PERSON"]
    taken = [(k.start, k.end) for k in kept] + [(c.start, c.end) for c in candidates]
    unseen = []
    for p in people:
        before = re.search(
            r"(?<![\w-])([A-Z][^\W\d_]+)\s*(?:,\s*(?:and\s+)?|and\s+|&\s+)$", text[: p.start]
        )
        after = re.match(
            r"\s*(?:,\s*(?:and\s+)?|and\s+|&\s+)([A-Z][^\W\d_]+)(?![\w-])", text[p.end :]
        )
        spans = [(before.start(1), before.end(1))] if before else []
        spans += [(p.end + after.start(1), p.end + after.end(1))] if after else []
        for a, b in spans:
            if all(b <= x or a >= y for x, y in taken) and not is_word(text[a:b]):
                unseen.append(Finding(a, b, "PERSON", 0.5, "coordinated"))
    out: list[Finding] = []
    for d in [*candidates, *unseen]:
        value = text[d.start : d.end]
        if d.label != "PERSON" or d in kept or any(ch.isdigit() for ch in value):
            continue
        if value.isupper() or inside_place(text, d.start, d.end) or fold(value) in folded_places():
            continue
        if heads_a_thing(text, d.start, d.end):
            continue
        if any(
            coordinated(text, d.end, p.start) or coordinated(text, p.end, d.start) for p in people
        ):
            out.append(d)
    return out
