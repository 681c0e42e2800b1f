"""Text as the analyzer should read it, with a map back to the text as it was written.

Names hide from a named-entity model behind forms that change nothing for a human reader:
NFD-decomposed accents, fullwidth letters, zero-width characters and soft hyphens inside a
word, HTML entities (``Anna&nbsp;Smith``) and tags (``<b>Anna</b> <i>Smith</i>``), Markdown
link brackets, code-span backticks and emphasis, tabs between fields, and names written in
capitals or in a broken case ("aNNA sMITH"). ``for_analysis`` rewrites these and keeps, for
every character of the rewritten text, the span of original characters it came from, so a
finding in the rewritten text maps back to exactly the original characters it covers
(``Normalised.to_original``). Pure functions: no model, no Presidio.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

# Removed outright: they are invisible and split a word in two for the tokenizer.
_INVISIBLE = frozenset("\u00ad\u200b\u200c\u200d\u2060\ufeff\u180e")
# The Polynesian glottal stop (ʻokina) and the quote mark written for it, before a letter.
_OKINA = frozenset("\u02bb\u2018")
# Inline tags vanish ("<b>Anna</b>" is "Anna"); block tags are a word break. Only HTML's own
# tag names count: "Anna Smith <anna@acme.example>" is an address, never a tag.
_INLINE_TAGS = frozenset(
    "a abbr b bdi bdo cite code data del dfn em font i ins kbd mark q s samp small span strong "
    "sub sup time u var".split()
)
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body br caption dd div dl dt figcaption figure footer "
    "h1 h2 h3 h4 h5 h6 head header hr html img li main nav ol p pre section table tbody td "
    "tfoot th thead title tr ul".split()
)
_TAG_NAMES = "|".join(sorted(_INLINE_TAGS | _BLOCK_TAGS, key=len, reverse=True))
_TOKEN = re.compile(
    rf"(?P<tag></?(?P<name>{_TAG_NAMES})(?P<attrs>\s[^<>@]{{0,300}})?\s*/?>)"
    r"|(?P<entity>&(?:[A-Za-z][A-Za-z0-9]{1,31}|#\d{1,7}|#[xX][0-9A-Fa-f]{1,6});)"
    r"|(?P<link>\]\()"  # the middle of a Markdown link: "[text](url)"
    r"|(?P<emphasis>\*\*|__|(?<![\w*])[*_](?=\w)|(?<=\w)[*_](?![\w*]))"
    r"|(?P<tick>`+)"
    r"|(?P<tab>\t)"
)
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")


@dataclass(frozen=True)
class Normalised:
    """The rewritten text and, per character, the original span ``[start, end)`` it stands for."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    original_length: int

    @property
    def identity(self) -> bool:
        """True when nothing was rewritten (offsets need no mapping)."""
        return self.original_length == len(self.text) and all(
            s == i for i, s in enumerate(self.starts)
        )

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """The original span covering rewritten characters ``[start, end)``."""
        if end <= start:
            pos = self.starts[start] if start < len(self.starts) else self.original_length
            return pos, pos
        return self.starts[start], self.ends[end - 1]


class _Builder:
    """Collects rewritten characters with their original spans."""

    def __init__(self) -> None:
        self.chars: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []

    def add(self, text: str, start: int, end: int) -> None:
        for ch in text:
            self.chars.append(ch)
            self.starts.append(start)
            self.ends.append(end)


def _unicode(text: str, out: _Builder, offset: int) -> None:
    """NFKC per grapheme cluster (a base and its combining marks), invisible characters
    dropped: "Jose\u0301" and "Ｊｏｓé" both read "José", each letter mapped to its source; a
    Latin letter's mark with no composed form is dropped ("Ọ́" reads "Ọ")."""
    i = 0
    held: int | None = None  # where a dropped ʻokina began: the next letter stands for it too
    while i < len(text):
        j = i + 1
        while j < len(text) and unicodedata.combining(text[j]):
            j += 1
        cluster = "".join(c for c in text[i:j] if c not in _INVISIBLE)
        if cluster in _OKINA and j < len(text) and text[j].isalpha():
            # "ʻAna Taufaʻao" reads "Ana Taufaao": the ʻokina is no capital, and the letter
            # after it maps back over it, so a name's placeholder covers it
            held = i if held is None else held
            i = j
            continue
        if cluster:
            rewritten = unicodedata.normalize("NFKC", cluster)
            if len(rewritten) > 1 and unicodedata.name(rewritten[0], "").startswith("LATIN"):
                # a Latin letter with a mark that has no composed form ("Ọ́" in Yoruba) reads
                # as the letter alone, so the word stays one word
                rewritten = "".join(c for c in rewritten if not unicodedata.combining(c))
            # NFKC turns "ﬁ" into "fi" and "①" into "1"; a space stays one space.
            out.add(rewritten, offset + (i if held is None else held), offset + j)
            held = None
        i = j


def _markup(text: str) -> _Builder:
    out = _Builder()
    cursor = 0
    for m in _TOKEN.finditer(text):
        _unicode(text[cursor : m.start()], out, cursor)
        start, end = m.span()
        if m.group("tag"):
            attrs = m.group("attrs")
            if attrs:
                # Attribute values (a title, an href) are text too: they stay visible to the
                # analyzer, mapped to themselves, since whatever it does not find is kept.
                out.add(" ", start, m.start("attrs"))
                _unicode(attrs, out, m.start("attrs"))
                out.add(" ", m.end("attrs"), end)
            elif m.group("name").lower() not in _INLINE_TAGS:
                out.add(" ", start, end)
        elif m.group("entity"):
            value = html.unescape(m.group("entity"))
            if value == m.group("entity"):  # not an entity after all ("&Co;")
                _unicode(value, out, start)
            else:
                value = unicodedata.normalize("NFKC", value)
                out.add(" " if value.isspace() else value, start, end)
        elif m.group("link"):
            out.add(" (", start, end)  # "[Anna Smith](url)" reads "[Anna Smith (url)"
        elif m.group("tab"):
            out.add(" ", start, end)  # "Anna\tKowalski": the tokenizer keeps a tab as a token
        else:  # backticks and emphasis marks: a word break at most
            out.add(" ", start, end)
        cursor = end
    _unicode(text[cursor:], out, cursor)
    return out


def _recase(
    chars: list[str],
    english: Callable[[str], bool],
    acronym: Callable[[str], bool],
    given: Callable[[str], bool] | None = None,
) -> None:
    """Words in capitals or a broken case ("OKONKWO", "aNNA") as a name would be written
    ("Okonkwo", "Anna"), in place and length for length. Acronyms stay; English words in
    capitals stay too, except in an all-caps note, where they are lowered ("PRIYA WAS RIGHT"
    reads "Priya was right"), so the model sees one capitalised word where a name is. There
    a given name that is also a word stays a name before a name ("MERE TAWHAI")."""
    text = "".join(chars)
    letters_all = [c for c in text if c.isalpha()]
    shouting = len(letters_all) >= 12 and sum(c.isupper() for c in letters_all) > 0.6 * len(
        letters_all
    )
    done: set[int] = set()
    for m in _COMPOUND.finditer(text):
        # "MIN-SEO", "ANTWI-BOASIAKO": a name's parts are recased together, so "MIN" (an
        # English word alone) does not become "min-Seo"
        parts = m.group(0).split("-")
        if all(p.isupper() for p in parts) and not all(english(p) for p in parts):
            chars[m.start() : m.end()] = list("-".join(p[:1] + p[1:].lower() for p in parts))
            done.update(range(m.start(), m.end()))
    plan: list[tuple[re.Match[str], str]] = []
    for m in _WORD.finditer(text):
        word = m.group(0)
        letters = [c for c in word if c.isalpha()]
        if len(letters) < 2 or m.start() in done:
            continue
        upper = all(c.isupper() for c in letters)
        broken = letters[0].islower() and any(c.isupper() for c in letters[1:])
        if not (upper and len(letters) >= 3) and not broken:
            continue
        if upper and (acronym(word) or not any(_vowel(c) for c in word)):
            continue  # "KPMG", "HSBC", "CEO": an acronym, not a name in capitals
        if english(word):
            if shouting or broken:
                plan.append((m, "lower"))
        else:
            plan.append((m, "title"))
    for k, (m, how) in enumerate(plan):
        word = m.group(0)
        if how == "lower" and given is not None and k + 1 < len(plan) and given(word):
            nxt, nxt_how = plan[k + 1]
            if nxt_how == "title" and text[m.end() : nxt.start()] in {" ", "\t"}:
                how = "title"
        recased = word.lower() if how == "lower" else word[:1].upper() + word[1:].lower()
        if len(recased) == len(word):
            chars[m.start() : m.end()] = list(recased)


_VOWELS = frozenset("AEIOUYØÆŒ")
_COMPOUND = re.compile(r"(?<![\w-])[^\W\d_]{2,}(?:-[^\W\d_]{2,})+(?![\w-])")


def _vowel(c: str) -> bool:
    """A capital vowel with or without its marks ("Ă", "Ễ", "Ơ" in Vietnamese too)."""
    return unicodedata.normalize("NFD", c)[:1] in _VOWELS


def for_analysis(
    text: str,
    english: Callable[[str], bool] | None = None,
    acronym: Callable[[str], bool] | None = None,
    given: Callable[[str], bool] | None = None,
) -> Normalised:
    """The text as the analyzer reads it, with offsets back to ``text``.

    Args:
        text: the text as written.
        english: true for an ordinary English word (it keeps its capitals outside an
            all-caps note); with ``None`` no word is recased.
        acronym: true for an acronym, which always keeps its capitals.
        given: true for a given name; in an all-caps note one that is also a word keeps a
            name's capital before a name ("MERE TAWHAI" reads "Mere Tawhai").

    Returns:
        The rewritten text with, per character, the original span it came from.
    """
    out = _markup(text)
    if english is not None:
        _recase(out.chars, english, acronym or (lambda w: False), given)
    return Normalised("".join(out.chars), tuple(out.starts), tuple(out.ends), len(text))
