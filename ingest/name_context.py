"""What the words around a candidate name say about it: pure functions over the text, used by
the engine (``ingest/redact.py``) after the recognizers have spoken.

* A name-like word that heads an organisation, a place or an event is no person: "Mark
  Spencer Hotel", "Victoria and Albert Museum", "Valentine's Day", "Carter Logistics",
  "Saint-Étienne", "Grant Thornton audits…" (a few firms named after people, listed in
  ``ingest/data/person_named_firms.txt``).
* A name never ends at a hyphen: "Yoon Ji" is "Yoon Ji-woo", "Nils" is "Nils-Erik".
* A candidate dropped as an ordinary word is a person after all when it is coordinated with a
  person found next to it ("Baraka and Auma Odhiambo", "Zhou Lei and Mei").
* A name-like word used as a place is no person: a one-word town of the gazetteer that no
  name list holds ("Killarney", "Akureyri"), a word before a site or market noun, alone or
  in a list ("the Navan stand-up", "Kerry stock", "Cavan and Monaghan routes"), after "in"
  or "near", or in a list beside such a place ("Ennis, Killarney and Dingle").
* In the model's word index, a word known only as a noun that the name lists hold ("Zhou",
  "Mei", "Baraka", "Albert") is a name, not a word: WordNet lists many people and dynasties.

Each rule was measured with ``eval/pii.py`` (tuning sets only; the held-out parts are reported
apart) before it went in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import cache
from pathlib import Path

from ingest.lexicon import (
    BUSINESS_NOUNS,
    DATA,
    EVERYDAY,
    KIN_NOUNS,
    LOCATIVE,
    PERSON_AFTER,
    PERSON_SLOTS,
    SITE_NOUNS,
    STRONG_SLOTS,
    fold,
    folded_places,
    given_names,
    surnames,
)
from ingest.lexicon import (
    places as all_places,
)
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
    Shipping Freight Express Builders Construction Engineering Tires Tyres Bakery Bakeries
    Mart Kitchen Kitchens Cafe Café Restaurant Restaurants Bar Pub Salon Pharmacy Market
    Markets Supermarket Supermarkets Farms Dairy Brands International Suite Suites Estádio
    Estadio Stadion Bayramı Bayram""".split()
)
# Lowercase nouns after a name that make it the name of a site ("Jomo Kenyatta airport",
# "Queen Alia airport fees"); never after a possessive ("Anna's hospital visit").
SITE_HEADS = frozenset(
    """airport airports stadium university hospital terminal terminals highway expressway
    boulevard avenue base bay flights""".split()
)
# Words before a name that make it the name of a project, an operation or a storm
# ("Project Aurora", "Operation Kestrel", "Hurricane Helene", "Storm Ciarán"), in any case.
THING_BEFORE = frozenset(
    """project operation programme program initiative codename hurricane storm typhoon
    cyclone sant eid""".split()
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
    if m and not possessive and m.group(1) in SITE_HEADS:
        prev = re.search(r"([^\W\d_][\w/]*)\W*$", text[:start])
        if prev is None or prev.group(1).casefold() not in PERSON_SLOTS:
            return True  # "Jomo Kenyatta airport", "Prince Sultan base", "Ben Gurion flights"
    last = text[start:end].split()
    if len(last) > 1 and last[-1] in HEAD_NOUNS and not possessive:
        # the span itself ends with the head noun ("Albert Museum", "Victoria Park is the
        # venue", "Joy Mart franchisees"), unless a person slot or a person's verb says
        # otherwise ("met Grace Park", "Jisoo Park said"), or a family name of the lists
        # follows a given name that is no English word ("Seo-yeon Park is on leave")
        prev = re.search(r"([^\W\d_][\w/]*)\W*$", text[:start])
        after = m.group(1).casefold() if m else ""
        # "Waitangi Day", "Harambee Day": a day is no family name here
        family = len(last) == 2 and last[-1].casefold() in surnames()[0]
        family = family and last[-1] not in {"Day", "Eve"}
        if (
            (prev is None or prev.group(1).casefold() not in PERSON_SLOTS)
            and after not in PERSON_AFTER
            and not (family and fold(last[0].casefold()) not in given_names()[1])
        ):
            return True
    head = re.match(r"([^\W\d_]+)[ \t]", text[start:end])
    if head and head.group(1).casefold() in THING_BEFORE:
        return True  # the span itself starts with "Project" ("Project Aurora")
    ahead = re.search(r"([^\W\d_]+)[ \t]+$", text[max(0, start - 16) : start])
    if ahead and ahead.group(1).casefold() in THING_BEFORE:
        return True  # "Project Aurora" with the span at "Aurora"
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
                if not _could_be_person(text[a:b]):
                    return True  # "Called Vodafone", "Barclays said no": no person's name
                prev = re.search(r"(\w+)\W*$", text[:a])
                nxt = re.match(r"\W*(\w+)", text[b:])
                # "Met Paul Smith", "Grant Thornton said": a person slot wins over the firm
                if prev and prev.group(1).casefold() in PERSON_SLOTS:
                    return False
                return not (nxt and nxt.group(1).casefold() in PERSON_AFTER)
    # "Safaricom's M-Pesa": every word of the span a firm or brand of the list
    words = [re.sub(r"['’]s$", "", w) for w in _WORD.findall(text[start:end])]
    words = [w for w in words if w.casefold() not in {"vs", "vs.", "v", "and", "&"}]
    if len(words) > 1 and all(fold(w) in firms for w in words):
        prev = re.search(r"(\w+)\W*$", text[:start])
        return not (prev and prev.group(1).casefold() in PERSON_SLOTS)
    return False


def _could_be_person(firm: str) -> bool:
    """Whether every word of a firm's name is a given or family name of the lists ("Paul
    Smith", "Ford", "Grant Thornton"; not "Vodafone", "Deloitte", "Morgan Stanley Bank")."""
    given, family = given_names()[0], surnames()[0]
    words = [re.sub(r"['’]s$", "", w).casefold() for w in _WORD.findall(firm)]
    return bool(words) and all(w in given or w in family or fold(w) in given for w in words)


# Honorifics written after a name ("Morimoto-san", "Sharma-ji"): not part of the name.
HONORIFIC_SUFFIXES = "san|sama|kun|chan|sensei|senpai|ssi|nim|ji|jee"


def is_honorific(text: str, end: int) -> bool:
    """Whether the hyphenated word at ``end`` is an honorific after a name ("Morimoto-san",
    "Sharma-ji"), not the end of a hyphenated given name ("Eun-ji", "Min-ji")."""
    m = re.match(rf"[-‐]({HONORIFIC_SUFFIXES})\b", text[end:])
    if m is None:
        return False
    word = re.search(r"([^\W\d_]+)$", text[:end])
    before = word.group(1) if word else ""
    if fold(f"{before}-{m.group(1)}".casefold()) in given_names()[0]:
        return False
    return m.group(1) not in {"ji", "jee"} or len(before) >= 5


def hyphen_end(text: str, end: int) -> int:
    """The end of a name that ``end`` cuts at a hyphen ("Yoon Ji|-woo" -> after "woo")."""
    m = re.match(r"[-‐][^\W\d_]+(?:[-‐][^\W\d_]+)*", text[end:])
    if m and (end == 0 or text[end - 1].isalpha()):
        return end if is_honorific(text, end) else end + m.end()
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
            if written_as_place(text[spans[i][0] : spans[j][1]], places):
                return True
    return False


def written_as_place(written: str, places: frozenset[str]) -> bool:
    """Whether ``written`` is a place of ``places`` (folded): written without accents
    ("Sao Paulo"), or with the place's own ("São Paulo"), not others ("chị Linh" is a woman,
    "Chí Linh" a town)."""
    folded = fold(written)
    if folded not in places:
        return False
    key = unicodedata.normalize("NFC", written.casefold())
    return key == folded or key in all_places()


def coordinated_people(
    text: str,
    candidates: list[Finding],
    kept: list[Finding],
    is_word: Callable[[str], bool] = lambda w: False,
    is_given: Callable[[str], bool] = lambda w: False,
    known_name: Callable[[str], bool] = lambda w: False,
) -> list[Finding]:
    """Candidates dropped as ordinary words that stand beside a person with only "and", "&"
    or a comma between ("Baraka and Auma Odhiambo"), and capitalised words no recognizer
    took that stand there and are no English word ("Ousmane Diop and Fatou"): names, not
    words. Never one with a digit, in capitals, or heading a place or a firm."""
    people = [k for k in kept if k.label == "PERSON"]
    taken = [(k.start, k.end) for k in kept] + [(c.start, c.end) for c in candidates]
    unseen = []
    given = given_names()[0]
    for p in people:
        # In a note written in lowercase, a given name beside a person is one too ("inês and
        # rodrigo ran"); otherwise only a capitalised word is.
        lower = text[p.start : p.end].islower()
        word = r"[^\W\d_]+" if lower else r"[A-Z][^\W\d_]+"
        before = re.search(
            rf"(?<![\w-])({word})\s*(?:,\s*(?:and\s+)?|and\s+|&\s+)$", text[: p.start]
        )
        after = re.match(rf"\s*(?:,\s*(?:and\s+)?|and\s+|&\s+)({word})(?![\w-])", text[p.end :])
        spans = [(before.start(1), before.end(1))] if before else []
        spans += [(p.end + after.start(1), p.end + after.end(1))] if after else []
        for a, b in spans:
            value = text[a:b]
            if lower and value.islower() and value.casefold() not in given:
                continue
            # "Agenda: Timur, Aigerim Akhmetova and…": a given name that is also a word
            # (WordNet's Timur) is a name beside a person too
            word_only = is_word(value) and not (value.istitle() and is_given(value))
            if all(b <= x or a >= y for x, y in taken) and not word_only:
                unseen.append(Finding(a, b, "PERSON", 0.5, "coordinated"))
    out: list[Finding] = []
    for d in [*candidates, *unseen]:
        value = text[d.start : d.end]
        if d in unseen and used_as_place(text, d.start, d.end, known_name):
            continue  # "Per Tesfaye Bekele, Addis customs…": a place in the list
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


@cache
def folded_towns() -> frozenset[str]:
    """Folded one-word towns of 5,000+ people (``ingest/data/towns.txt``): weak evidence of a
    place, since many are also somebody's name."""
    return _folded_lines(DATA / "towns.txt")


_LIST_TOKEN = re.compile(r"[^\W\d_][\w'’-]*|[,&]|[.;:!?()\[\]]")


def _list_then_word(tokens: list[str], lower: bool = False) -> tuple[list[str], str]:
    """The names listed after a span (capitalised words joined by commas, "and" or "&"; any
    words when ``lower``, for a note written in lowercase) and the first lowercase word after
    them ("" if none)."""
    members: list[str] = []
    current: list[str] = []
    joined = False
    for tok in tokens:
        if tok in {",", "&", "and"}:
            if current:
                members.append(" ".join(current))
                current = []
            joined = True
        elif joined and (tok[:1].isupper() or (lower and tok[:1].isalpha() and not current)):
            current.append(tok)
        elif tok[:1].isalpha() and tok[:1].islower():
            if current:
                members.append(" ".join(current))
            return members, tok.casefold()
        else:
            break
    if current:
        members.append(" ".join(current))
    return members, ""


def used_as_place(text: str, start: int, end: int, known_name: Callable[[str], bool]) -> bool:
    """True when the name-like words at [start, end) are used as a place, not a person.

    No person slot may come before ("with", "asked", "thank"), no person's verb after
    ("said", "raised") and no possessive. Then it is a place when a site or market noun
    follows it or the list it stands in ("the Navan stand-up", "Cavan and Monaghan
    routes"); when "in", "near" or the like comes before and a word of it is in no name list
    (or it is a town); when it is a one-word town in no name list ("Akureyri"); or when it
    stands in a list beside such a town ("Ennis, Killarney and Dingle").

    Args:
        text: the text the span is in.
        start: where the span starts.
        end: where it ends.
        known_name: whether a word is in a given-name or family-name list.
    """
    rest = text[end:]
    if _POSSESSIVE.match(rest):
        return False
    prev = re.search(r"([^\W\d_][\w/'’-]*)\W*$", text[max(0, start - 30) : start])
    prev_word = prev.group(1).casefold() if prev else ""
    if prev_word in STRONG_SLOTS or prev_word in PERSON_SLOTS:
        return False
    nxt = re.match(r"\W*(\w+)", rest)
    if nxt and nxt.group(1).casefold() in PERSON_AFTER:
        return False
    value = text[start:end]
    words = [w for w in re.split(r"[\s]+", value) if w]
    towns = folded_towns()
    unnamed = not all(known_name(w) for w in words)
    lower = value.islower()
    after, word = _list_then_word(_LIST_TOKEN.findall(rest[:160]), lower)
    if word in PERSON_AFTER:
        return False  # "Akosua, Yaw Boateng and Kwame agreed"
    if word in SITE_NOUNS or (word in BUSINESS_NOUNS and (unnamed or fold(value) in towns)):
        return True
    if prev_word == "the" and word and word not in KIN_NOUNS and unnamed:
        return True  # "the Sahel crop model": a thing's name used as a modifier
    # "via Tolga", "via Uwase Ingabire" go through a person: after "via" only one word of no
    # name list makes a place
    via = prev_word == "via"
    if prev_word in LOCATIVE and (
        (unnamed and not (via and len(words) > 1)) or (fold(value) in towns and not via)
    ):
        return True
    if _a_town(value, towns, known_name):
        return True
    if not (_a_town(value, towns, lambda w: False) or fold(value) in folded_places()):
        return False
    tokens_before = _LIST_TOKEN.findall(text[max(0, start - 160) : start])[::-1]
    before, _ = _list_then_word(tokens_before, lower)
    members = after + [" ".join(x.split()[::-1]) for x in before]
    return any(_a_town(x, towns, known_name) or fold(x) in folded_places() for x in members)


def _a_town(value: str, towns: frozenset[str], known_name: Callable[[str], bool]) -> bool:
    return " " not in value.strip() and fold(value) in towns and not known_name(value)
