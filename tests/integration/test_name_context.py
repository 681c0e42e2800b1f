"""The words around a name (issue 22, ``ingest/name_context.py``), through the real engine:
organisations, places and events named after people stay; coordinated names, hyphenated
given names and WordNet's people are caught. The team's own lines, not the eval sets'."""

from __future__ import annotations

from typing import Any

import pytest

from ingest.redact import PresidioRedactor
from playbook.pseudonyms import Pseudonymizer

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def engine(nlp: Any) -> PresidioRedactor:
    return PresidioRedactor(nlp, Pseudonymizer(b"name-context"))


# Name-like words heading a thing: nothing is redacted.
STAY = [
    "We booked the Clara Benson Hotel for the offsite.",
    "The launch is at the Henry Moore Gallery next spring.",
    "Sales spiked before Mother's Day and again before Valentine's Day.",
    "Dean Carter Logistics lost the tender.",
    "Suppliers in Saint-Denis and Saint-Étienne signed.",
    "Morgan Stanley and Goldman Sachs both pitched for the bond.",
    "Harley-Davidson dealers asked for the new catalogue.",
    "Rio Tinto and BHP renewed the contracts.",
]
# Names beside them: each must be gone.
GONE = [
    ("Kofi and Ama Owusu ran the clinic.", ("kofi", "ama", "owusu")),
    ("Wang Fang and Mei presented the Suzhou numbers.", ("wang", "fang", "mei")),
    ("Ask Park Seo-yeon about the Busan warehouse.", ("seo-yeon",)),
    ("Met Paul Smith about the forecast.", ("paul", "smith")),
    ("Thanked siobhán for the cover.", ("siobhán",)),
    ("Moussa Keita and Awa ran the Bamako stand.", ("moussa", "keita", "awa")),
    ("Feedback from Róisín Mac an Bhaird was sharp.", ("róisín", "bhaird")),
    ("Florence Mac Giolla Bhríde walked me through it.", ("florence", "bhríde")),
    ("Credit goes to Alexandra Ó Ceallaigh for the fix.", ("alexandra", "ceallaigh")),
]


@pytest.mark.parametrize("text", STAY)
def test_a_thing_named_after_people_stays(engine: PresidioRedactor, text: str) -> None:
    assert engine.redact_batch([text])[0].text == text


@pytest.mark.parametrize(("text", "gone"), GONE)
def test_a_name_beside_them_is_caught(
    engine: PresidioRedactor, text: str, gone: tuple[str, ...]
) -> None:
    out = engine.redact_batch([text])[0].text.casefold()
    for word in gone:
        assert word not in out, out
