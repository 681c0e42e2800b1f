"""What someone about to rotate into a function or market should read first: debriefs from
that place, playbook entries that mention it, the advice of the people before them and the
questions they left open, all within the reader's permission scope (filtered inside both
index queries).

A place is matched by what it stands for, not by its spelling: "Viet Nam", "Ho Chi Minh
City", "HCMC" and "Saigon" all stand for Vietnam, "SCM" and "logistics" for Supply chain
(``ingest/data/market_aliases.tsv``, built by ``eval/tools/build_market_aliases.py``). Advice
comes from others' approved writing only; the reader's own debriefs are listed as theirs.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from playbook.models import Kind, Principal, SearchFilters, SearchHit
from playbook.permissions import read_scope
from playbook.retrieval import Retriever

log = logging.getLogger(__name__)

ALIASES = Path(__file__).resolve().parents[2] / "ingest" / "data" / "market_aliases.tsv"
MAX_CITIES = 6  # a country's biggest cities also searched as the place a debrief names
OTHERS = ("shared", "published")  # visibilities of what others' writing may be advice in


@dataclass(frozen=True)
class RotationBrief:
    """What someone about to rotate into a function or market should read first."""

    entries: tuple[SearchHit, ...]
    debriefs: tuple[SearchHit, ...]  # others' approved debriefs of the place
    advice: tuple[tuple[str, SearchHit], ...]  # from others' approved writing only
    open_questions: tuple[tuple[str, SearchHit], ...]
    mine: tuple[SearchHit, ...] = ()  # the reader's own debriefs of the place
    places: tuple[str, ...] = ()  # what the typed function and market were read as


def fold(text: str) -> str:
    """A place or function as compared: accents, case, dots, apostrophes and hyphens left
    out, spaces collapsed ("Hồ Chí Minh" and "ho-chi-minh" fold alike; "U.S.A." is "usa")."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = re.sub(r"[.'’]", "", bare.casefold()).replace("đ", "d")
    return " ".join(re.sub(r"[-_/,]", " ", bare).split())


@dataclass
class Aliases:
    """Spellings of markets and functions and the names they stand for."""

    names: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, folded) -> name
    # (kind, name) -> its spellings a debrief may carry: the name, variants, biggest cities.
    spellings: dict[tuple[str, str], list[str]] = field(default_factory=dict)

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> Aliases:
        """Read ``kind<TAB>alias<TAB>name<TAB>level`` lines (``#`` starts a comment)."""
        out = cls()
        cities: dict[tuple[str, str], int] = {}
        for line in lines:
            if not line.strip() or line.startswith("#"):
                continue
            kind, alias, name, level = line.rstrip("\n").split("\t")
            out.names.setdefault((kind, alias), name)
            if level in ("name", "variant") or (
                level == "city" and cities.get((kind, name), 0) < MAX_CITIES
            ):
                out.spellings.setdefault((kind, name), []).append(alias)
                if level == "city":
                    cities[(kind, name)] = cities.get((kind, name), 0) + 1
        return out

    def name(self, kind: str, text: str | None) -> str | None:
        """What ``text`` stands for ("Saigon" -> "Vietnam"), or None when it is unknown."""
        return self.names.get((kind, fold(text))) if text and text.strip() else None

    def same(self, kind: str, a: str | None, b: str) -> bool:
        """Whether a stored value ``a`` (possibly "A; B") names the place ``b`` stands for."""
        want = self.name(kind, b) or fold(b)
        return any((self.name(kind, part) or fold(part)) == want for part in (a or "").split(";"))

    def search_terms(self, kind: str, text: str) -> list[str]:
        """The spellings to look a place up by: as typed, then what it stands for and that
        name's other spellings, each once."""
        name = self.name(kind, text)
        terms = [text.strip(), *([name] if name else [])]
        terms += self.spellings.get((kind, name), []) if name else []
        return list(dict.fromkeys(t for t in terms if t))


@functools.cache
def aliases() -> Aliases:
    """The installed alias table, read once (none, and a warning, when it is missing)."""
    try:
        return Aliases.from_lines(ALIASES.read_text(encoding="utf-8").splitlines())
    except OSError:
        log.warning("no market aliases at %s: places match as typed", ALIASES)
        return Aliases()


# A form's label where a sentence starts ("Advice for the next person: ...", "Lessons: ..."),
# anywhere in a line: imported debriefs keep their fields on one line.
_LABELLED = re.compile(r"(?:^|(?<=[.!?;])\s+)([A-Z][\w'’ -]{1,40}?):\s+")
_ADVICE = re.compile(r"^(?:advice|lessons?)\b", re.IGNORECASE)


def advice_in(text: str) -> list[str]:
    """The advice and lessons a text's own labels mark, each up to the next label."""
    found: list[str] = []
    for line in re.split(r"\n+", text):
        parts = _LABELLED.split(line.strip())
        # parts: [before, label, text, label, text, ...]
        for label, said in zip(parts[1::2], parts[2::2], strict=True):
            if _ADVICE.match(label.strip()) and said.strip():
                found.append(said.strip())
    return found


def before_rotation(
    retriever: Retriever,
    principal: Principal,
    function: str = "",
    market: str = "",
    k: int = 8,
    table: Aliases | None = None,
) -> RotationBrief:
    """Rank the playbook entries, debriefs and lessons for a function or market: debriefs
    from that place under any of its spellings (filtered inside both index queries), entries
    that name it, others' advice, and the questions people left open."""
    function, market = function.strip(), market.strip()
    if not (function or market):
        raise ValueError("name the function or the market you are rotating into")
    table = table if table is not None else aliases()
    names = [table.name("function", function) or function, table.name("market", market) or market]
    place = " ".join(x for x in names if x)
    # One filtered query per spelling of the narrower place (the market when there is one);
    # the other is checked on each hit. The query text is the same, so it is embedded once.
    kind, typed = ("market", market) if market else ("function", function)
    query = f"{place} lessons advice surprised trade-offs"
    found: dict[str, SearchHit] = {}
    for term in table.search_terms(kind, typed):
        filters = SearchFilters(
            kinds=(Kind.DEBRIEF,),
            function=None if market else term,
            market=term if market else None,
        )
        for hit in retriever.search(query, read_scope(principal, filters), k):
            if hit.chunk_id not in found or hit.score > found[hit.chunk_id].score:
                found[hit.chunk_id] = hit
    ranked = sorted(found.values(), key=lambda h: -h.score)
    if market and function:
        ranked = [h for h in ranked if table.same("function", h.function, function)]
    others = [h for h in ranked if _others(h, principal)]
    mine = [h for h in ranked if h.owner_id == principal.user_id]
    entries = _entries(retriever, principal, table, function, market, place, k)
    advice: dict[str, SearchHit] = {}
    questions: dict[str, SearchHit] = {}
    for hit in [*entries, *others]:  # every chunk, overlapping ones once per sentence
        if _others(hit, principal):
            for said in advice_in(hit.text):
                advice.setdefault(said, hit)
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", hit.text):
            if sentence.strip().endswith("?") and len(sentence.strip()) > 15:
                questions.setdefault(sentence.strip(), hit)
    return RotationBrief(
        one_per_document(entries),
        one_per_document(others[: 2 * k]),
        tuple(advice.items()),
        tuple(questions.items()),
        mine=one_per_document(mine),
        places=tuple(x for x in names if x),
    )


def _others(hit: SearchHit, principal: Principal) -> bool:
    """Someone else's writing that was approved for the programme (or published)."""
    return hit.owner_id != principal.user_id and hit.visibility in OTHERS


def _entries(
    retriever: Retriever,
    principal: Principal,
    table: Aliases,
    function: str,
    market: str,
    place: str,
    k: int,
) -> list[SearchHit]:
    """Playbook entries of the place: by their function or market, or naming it."""
    hits = retriever.search(
        f"{place} lesson decision", read_scope(principal, SearchFilters(kinds=(Kind.ENTRY,))), k
    )
    terms = [
        *(table.search_terms("function", function) if function else []),
        *(table.search_terms("market", market) if market else []),
    ]
    named = re.compile(
        r"\b(?:" + "|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)) + r")\b",
        re.IGNORECASE,
    )
    return [
        h
        for h in hits
        if (market and table.same("market", h.market, market))
        or (function and table.same("function", h.function, function))
        or named.search(fold(h.text))
        or named.search(h.text)
    ]


def one_per_document(hits: Sequence[SearchHit]) -> tuple[SearchHit, ...]:
    """The first passage of each document, in order."""
    seen: set[str] = set()
    out = []
    for h in hits:
        if h.document_id not in seen:
            seen.add(h.document_id)
            out.append(h)
    return tuple(out)
