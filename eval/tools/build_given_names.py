"""Build ``ingest/data/given_names.txt``: given names in Latin script from Faker's locales.

Faker (MIT licence) carries first-name lists for about 80 locales. The redaction engine uses
the list to catch names that spaCy's small model misses (lowercase, sentence-initial, less
common names). Run once when Faker is upgraded; the output is committed::

    python -m eval.tools.build_given_names
"""

from __future__ import annotations

import importlib
import pkgutil
import unicodedata
from pathlib import Path
from typing import Any

OUT = Path(__file__).resolve().parents[2] / "ingest" / "data" / "given_names.txt"
ATTRS = ("first_names", "first_names_male", "first_names_female", "first_names_nonbinary")


def surnames() -> set[str]:
    """Every Latin-script surname Faker knows."""
    import faker.providers.person as people

    names: set[str] = set()
    for module in pkgutil.iter_modules(people.__path__):
        value = importlib.import_module(f"{people.__name__}.{module.name}").Provider.__dict__.get(
            "last_names"
        )
        if isinstance(value, dict):
            value = list(value)
        if isinstance(value, (list, tuple)):
            names.update(n.strip() for n in value if isinstance(n, str))
    return {n.casefold() for n in names if len(n) >= 2 and " " not in n and latin(n)}


def latin(name: str) -> bool:
    """True for names written in Latin letters (with diacritics), hyphens or apostrophes."""
    return all(ch in "-'" or (ch.isalpha() and "LATIN" in unicodedata.name(ch, "")) for ch in name)


def given_names() -> set[str]:
    """Every Latin-script given name of two letters or more that Faker knows."""
    import faker.providers.person as people

    names: set[str] = set()
    for module in pkgutil.iter_modules(people.__path__):
        provider = importlib.import_module(f"{people.__name__}.{module.name}").Provider
        for attr in ATTRS:
            value = provider.__dict__.get(attr)
            if isinstance(value, dict):
                value = list(value)
            if isinstance(value, (list, tuple)):
                names.update(n.strip() for n in value if isinstance(n, str))
    return {n.casefold() for n in names if len(n) >= 2 and " " not in n and latin(n)}


def english_words() -> set[str]:
    """Words of ordinary English: spaCy's stop words and the WordNet index in its lemmatizer."""
    import spacy
    from spacy.lang.en.stop_words import STOP_WORDS

    from playbook.settings import Settings

    nlp = spacy.load(Settings().spacy_model)
    lemmatizer: Any = nlp.get_pipe("lemmatizer")
    index = lemmatizer.lookups.get_table("lemma_index")
    words = {w for pos in index for w in index[pos] if "_" not in w}
    return words | set(STOP_WORDS)


def main() -> None:
    names = sorted(given_names())
    common = english_words()
    lines = [f"{n}\t*" if n in common else n for n in names]
    OUT.write_text(
        "# Given names (Latin script) from Faker's person providers (MIT licence).\n"
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


if __name__ == "__main__":
    main()
