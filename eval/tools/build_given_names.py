"""Build ``ingest/data/given_names.txt``: given names in Latin script from Faker's locales.

Faker (MIT licence) carries first-name lists for about 80 locales. The redaction engine uses
the list to catch names that spaCy's small model misses (lowercase, sentence-initial, less
common names). It also writes ``surnames.txt`` (Latin-script family and middle names of every
locale, romanised Japanese and Chinese ones included: "Nguyễn", "Thị", "Yamamoto") and
``hanzi_surnames.txt`` (the Chinese family names Faker's zh_CN and zh_TW providers use). These
are lists of common names written for a fake-data generator, not names harvested from
people's records. Run once when Faker is upgraded; the output is committed::

    python -m eval.tools.build_given_names
"""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[2] / "ingest" / "data" / "given_names.txt"
DATA = OUT.parent


def _attrs(prefixes: tuple[str, ...]) -> list[list[str]]:
    """Every string list of Faker's person providers whose attribute starts with a prefix
    (``first_names_female_islamic``, ``last_romanized_names``, ``middle_names``...)."""
    import faker.providers.person as people

    out: list[list[str]] = []
    for module in pkgutil.iter_modules(people.__path__):
        provider = importlib.import_module(f"{people.__name__}.{module.name}").Provider
        for attr, value in provider.__dict__.items():
            if not attr.startswith(prefixes) or "kana" in attr or "pairs" in attr:
                continue
            if isinstance(value, dict):
                value = list(value)
            if isinstance(value, (list, tuple)):
                out.append([n.strip() for n in value if isinstance(n, str)])
    return out


def surnames() -> set[str]:
    """Every Latin-script family or middle name Faker knows, romanised ones included, the
    team's (``surnames_team.txt``), and each written without its accents."""
    names = {n for values in _attrs(("last_", "middle_")) for n in values}
    faker = {n.casefold() for n in names if len(n) >= 2 and " " not in n and latin(n)}
    return with_folded(faker | _words(DATA / "surnames_team.txt"))


def with_folded(names: set[str]) -> set[str]:
    """The names and each written without its accents ("şahin" and "sahin", "oisín" and
    "oisin"): people often type a colleague's name without them."""
    from ingest.lexicon import fold

    return names | {fold(n) for n in names}


def hanzi_surnames() -> set[str]:
    """Chinese family names (one or two Han characters) of Faker's zh_CN and zh_TW providers."""
    names = {n for values in _attrs(("last_",)) for n in values}
    return {
        n for n in names if 1 <= len(n) <= 2 and all("CJK" in unicodedata.name(c, "") for c in n)
    }


def latin(name: str) -> bool:
    """True for names written in Latin letters (with diacritics), hyphens or apostrophes."""
    return all(ch in "-'" or (ch.isalpha() and "LATIN" in unicodedata.name(ch, "")) for ch in name)


TEAM = DATA / "given_names_team.txt"


def _words(path: Path) -> set[str]:
    """Whitespace-separated casefolded words of a list file; ``#`` lines are comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return {w.casefold() for line in lines if not line.startswith("#") for w in line.split()}


def team_names() -> set[str]:
    """The given names the team added (``given_names_team.txt``)."""
    return _words(TEAM)


def faker_given_names() -> set[str]:
    """Every Latin-script given name of two letters or more that Faker knows (every
    ``first_*`` list, romanised Japanese and Chinese ones included)."""
    names = {n for values in _attrs(("first_",)) for n in values}
    return {n.casefold() for n in names if len(n) >= 2 and " " not in n and latin(n)}


def given_names() -> set[str]:
    """Faker's given names and the team's, and each written without its accents."""
    return with_folded(faker_given_names() | team_names())


def english_words(nouns: bool = True) -> set[str]:
    """Words of ordinary English: spaCy's stop words and the WordNet index in its lemmatizer
    (without its nouns when ``nouns`` is false)."""
    import spacy
    from spacy.lang.en.stop_words import STOP_WORDS
    from spacy.strings import hash_string  # type: ignore[attr-defined]  # Cython, no stub

    from playbook.settings import Settings

    nlp = spacy.load(Settings().spacy_model)
    lemmatizer: Any = nlp.get_pipe("lemmatizer")
    index = lemmatizer.lookups.get_table("lemma_index")
    noun = hash_string("noun")
    words = {w for pos in index if nouns or pos != noun for w in index[pos] if "_" not in w}
    return words | set(STOP_WORDS)


# Names of the team's list that WordNet knows only as nouns and that are everyday nouns in a
# business text too: they stay marked as words.
TEAM_WORDS = frozenset("sultan raj nada tamer ling wale mona sola salem basel oran gita".split())


def marked_words(names: set[str]) -> set[str]:
    """The names to mark as also English words. WordNet lists many people and gods as nouns
    ("faisal", "nasser", "lakshmi", "timur"): a given name the team added that WordNet knows
    only as a noun is a name, unless it is an everyday noun too (``TEAM_WORDS``); as a family
    name too. Family names of the team's list are marked as WordNet says ("son", "bang")."""
    common = english_words()
    non_nouns = english_words(nouns=False)
    team_only = with_folded(team_names()) - with_folded(faker_given_names())
    return {
        n
        for n in names
        if n in common
        and (n not in team_only or n in non_nouns or n in TEAM_WORDS)
        and (n in non_nouns or not n.endswith(PATRONYMIC_ENDINGS))
    }


# Nordic patronymic endings: WordNet lists "Nilsson" and "Hansen" as people, nouns only;
# no everyday English noun ends so.
PATRONYMIC_ENDINGS = ("sson", "sen", "dottir", "dóttir")


def main() -> None:
    names = sorted(given_names())
    common = marked_words(set(names) | surnames())
    lines = [f"{n}\t*" if n in common else n for n in names]
    OUT.write_text(
        "# Given names (Latin script) from Faker's person providers (MIT licence), and the\n"
        "# team's additions (given_names_team.txt).\n"
        "# Built by eval/tools/build_given_names.py; one casefolded name per line.\n"
        "# A '*' marks a name that is also an English word (WordNet index or stop word):\n"
        "# the engine only takes those as names when capitalised inside a sentence.\n"
        + "\n".join(lines)
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(names)} names ({sum(n in common for n in names)} also words) -> {OUT}")
    words = sorted((surnames() | set(names)) & common)
    (OUT.parent / "surname_words.txt").write_text(
        "# Names (given or family) that are also English words: a roster matches them only\n"
        "# capitalised. Built by eval/tools/build_given_names.py.\n" + "\n".join(words) + "\n",
        encoding="utf-8",
    )
    print(f"{len(words)} name-words -> surname_words.txt")
    family = sorted(surnames())
    (DATA / "surnames.txt").write_text(
        "# Family and middle names (Latin script, casefolded) from Faker's person providers\n"
        "# (MIT licence), romanised ones included. Built by eval/tools/build_given_names.py.\n"
        "# A '*' marks a name that is also an English word.\n"
        + "\n".join(f"{n}\t*" if n in common else n for n in family)
        + "\n",
        encoding="utf-8",
    )
    print(f"{len(family)} family names -> surnames.txt")
    hanzi = sorted(hanzi_surnames(), key=lambda n: (-len(n), n))
    (DATA / "hanzi_surnames.txt").write_text(
        "# Chinese family names (Han characters) from Faker's zh_CN and zh_TW providers\n"
        "# (MIT licence). Built by eval/tools/build_given_names.py.\n" + "\n".join(hanzi) + "\n",
        encoding="utf-8",
    )
    print(f"{len(hanzi)} Chinese family names -> hanzi_surnames.txt")


if __name__ == "__main__":
    main()
