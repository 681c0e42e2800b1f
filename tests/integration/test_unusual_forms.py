"""Names and numbers in unusual forms (issue 22): each is caught by the real engine (Presidio
and spaCy). The forms are the team's own versions of the 58 that leaked in the probe: capitals
and broken case, later mentions in another case, decomposed accents, fullwidth letters,
invisible characters, HTML and Markdown, "Surname, Given", tab-separated fields, a name in a
long list, lowercase IBANs and employee IDs, spelled-out e-mail addresses, Chinese names.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any

import pytest

from ingest.redact import PresidioRedactor
from playbook.pseudonyms import TOKEN_PATTERN, Pseudonymizer

pytestmark = pytest.mark.integration


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# (form, text, what must be gone, what must stay)
CASES: list[tuple[str, str, tuple[str, ...], tuple[str, ...]]] = [
    ("caps", "MEETING WITH ANNA KOWALSKI ABOUT THE BUDGET", ("anna", "kowalski"), ("budget",)),
    ("caps", "CALL OLUWASEUN TOMORROW ABOUT THE FREIGHT", ("oluwaseun",), ("freight",)),
    ("caps", "Feedback from PRIYANKA MENON was blunt.", ("priyanka", "menon"), ("blunt",)),
    ("caps", "THANKS TO SIOBHÁN FOR COVERING THE SHIFT", ("siobhán",), ("shift",)),
    ("mixed case", "ask aNNA kOWALSKI about the forecast", ("anna", "kowalski"), ("forecast",)),
    ("mixed case", "Met with AnNa KoWaLsKi today.", ("anna", "kowalski"), ("today",)),
    ("mixed case", "tHOMAS mÜLLER said no to the plan", ("thomas", "müller"), ("plan",)),
    ("surname lower", "Kwame Asante led the review; later asante sent notes.", ("asante",), ()),
    ("surname lower", "Dr. Okonkwo joined the call and okonkwo disagreed.", ("okonkwo",), ()),
    ("surname lower", "I met Ingrid Solberg. solberg's view was clear.", ("solberg",), ()),
    ("first caps", "Priya Raman presented. Afterwards PRIYA asked for budget.", ("priya",), ()),
    ("first caps", "Tomasz Nowak joined and TOMASZ took the notes.", ("tomasz",), ("notes",)),
    ("first caps", "Aroha Ngata opened the hui; AROHA closed it.", ("aroha",), ("hui",)),
    ("NFD", nfd("Met José Martínez about the Lisbon store."), ("josé", "martínez"), ("lisbon",)),
    ("NFD", nfd("Siobhán Kelly said the survey was rushed."), ("siobhán", "kelly"), ("survey",)),
    ("NFD", nfd("Coffee with Nguyễn Văn An about Hanoi."), ("nguyễn", "văn"), ("hanoi",)),
    ("fullwidth", fullwidth("Met Anna Kowalski today."), ("anna", "kowalski"), ()),
    ("fullwidth", "Call " + fullwidth("Priya Raman") + " on Monday.", ("priya", "raman"), ()),
    ("fullwidth", fullwidth("Tanaka Hiroshi") + " said the plant is late.", ("tanaka",), ()),
    ("zero-width", "Met An\u200bna Kowal\u200bski about the audit.", ("anna", "kowalski"), ()),
    ("zero-width", "Thanks to Pri\u200dya Raman for the cover.", ("priya", "raman"), ()),
    ("zero-width", "Call \ufeffKwame Men\u200csah tomorrow.", ("kwame", "mensah"), ()),
    ("soft hyphen", "Met Anna Kowal\u00adski about the audit.", ("kowalski",), ("audit",)),
    ("soft hyphen", "Sio\u00adbhán Kelly said the survey was rushed.", ("siobhán",), ()),
    ("soft hyphen", "Ask Ra\u00adjesh Ku\u00admar about Pune.", ("rajesh", "kumar"), ("pune",)),
    ("nbsp", "Anna&nbsp;Kowalski joined the review.", ("anna", "kowalski"), ("review",)),
    ("nbsp", "Met Priya&nbsp;Raman&nbsp;today about pricing.", ("priya", "raman"), ()),
    ("nbsp", "Call Dr.&nbsp;Okafor about the trial.", ("okafor",), ("trial",)),
    ("html", "<b>Anna</b> <i>Kowalski</i> said the plan slips.", ("anna", "kowalski"), ()),
    ("html", "<p>Thanks to <strong>Kwame Mensah</strong> for Accra.</p>", ("kwame", "mensah"), ()),
    ("html", '<span class="x">Priya</span> Raman asked for data.', ("priya", "raman"), ()),
    ("surname first", "Kowalski, Anna presented the plan.", ("anna", "kowalski"), ("plan",)),
    ("surname first", "Attendees: Mensah, Kwame; Raman, Priya", ("kwame", "mensah", "raman"), ()),
    ("surname first", "Reviewer: Okafor, Ngozi", ("okafor", "ngozi"), ()),
    ("markdown", "See [Anna Kowalski](https://intranet.example/p/42).", ("kowalski",), ()),
    ("markdown", "[Priya Raman](mailto:priya.raman@acme.example) owns it", ("priya", "raman"), ()),
    ("markdown", "Ask [Kwame Mensah](https://wiki.example/u/7) first.", ("kwame", "mensah"), ()),
    ("code span", "Assign it to `anna.kowalski` in the tracker.", ("anna", "kowalski"), ()),
    ("code span", "Owner: `Priya Raman`", ("priya", "raman"), ()),
    ("code span", "ping `kwame.mensah` about the release", ("kwame", "mensah"), ("release",)),
    ("url", "Profile: https://intranet.example/people/anna.kowalski", ("kowalski",), ()),
    ("url", "https://wiki.example/users/priya-raman has the notes", ("priya", "raman"), ()),
    ("url", "See https://acme.example/team/kwame_mensah/profile", ("kwame", "mensah"), ()),
    ("tabs", "Anna\tKowalski\tFinance", ("anna", "kowalski"), ("finance",)),
    ("tabs", "Name:\tPriya Raman\tRole: lead", ("priya", "raman"), ("lead",)),
    ("tabs", "Kwame\tMensah\tAccra\tQ3", ("kwame", "mensah"), ("accra",)),
    (
        "list of ten",
        "Invite: Finance, Legal, Sales, Marketing, Ops, Procurement, Audit, Tax, "
        "Oluwaseun Bakare, Facilities",
        ("oluwaseun", "bakare"),
        ("procurement", "facilities"),
    ),
    (
        "list of ten",
        "Sites: Leeds, York, Bath, Hull, Derby, Ingrid Solberg, Bristol, Cardiff, Exeter, Truro",
        ("ingrid", "solberg"),
        ("leeds", "truro"),
    ),
    (
        "list of ten",
        "Owners: pricing, churn, retention, onboarding, billing, support, tooling, hiring, "
        "budget, Mwangi Kariuki",
        ("mwangi", "kariuki"),
        ("pricing", "budget"),
    ),
    ("iban", "pay it to gb82 west 1234 5698 7654 32 today", ("5698",), ("today",)),
    ("iban", "the iban de89370400440532013000 bounced", ("370400440532013000",), ()),
    ("iban", "nl91abna0417164300 is the supplier account", ("0417164300",), ("supplier",)),
    ("employee id", "emp004521 raised a grievance about the rota", ("004521",), ("rota",)),
    ("employee id", "Employee Emp-004522 left in May.", ("004522",), ()),
    ("employee id", "eid_0099123 reported the fault", ("0099123",), ("fault",)),
    ("spoken email", "write to anna dot kowalski at acme dot com", ("kowalski", "acme"), ()),
    ("spoken email", "priya at contoso dot co dot uk has the file", ("priya", "contoso"), ()),
    ("spoken email", "kwame dot mensah (at) acme dot example", ("kwame", "mensah"), ()),
    ("hanzi", "Met 王伟 about the Shanghai plan.", ("王伟",), ("shanghai",)),
    ("hanzi", "张丽 said the supplier is late.", ("张丽",), ("supplier",)),
    ("hanzi", "Thanks to 李娜 and 陈静 for the audit.", ("李娜", "陈静"), ("audit",)),
]


def readable(text: str) -> str:
    """What a reader sees: entities decoded, invisible characters gone, NFKC, casefolded."""
    text = html.unescape(text)
    text = re.sub("[\u00ad\u200b\u200c\u200d\u2060\ufeff]", "", text)
    return unicodedata.normalize("NFKC", text).casefold()


@pytest.fixture(scope="module")
def engine(nlp: Any) -> PresidioRedactor:
    return PresidioRedactor(nlp, Pseudonymizer(b"forms"))


def test_every_form_of_the_probe_has_its_cases() -> None:
    assert len(CASES) >= 58


@pytest.mark.parametrize(
    ("form", "text", "gone", "kept"), CASES, ids=[f"{c[0]}-{n}" for n, c in enumerate(CASES)]
)
def test_unusual_form_is_caught(
    engine: PresidioRedactor, form: str, text: str, gone: tuple[str, ...], kept: tuple[str, ...]
) -> None:
    out = engine.redact_batch([text])[0].text
    seen = readable(TOKEN_PATTERN.sub(" ", out))
    for value in gone:
        assert value.casefold() not in seen, (form, out)
    for word in kept:
        assert word in seen, (form, out)


def test_a_name_in_markup_gets_the_placeholder_of_the_plain_name(engine: PresidioRedactor) -> None:
    plain, nbsp, tagged = engine.redact_batch(
        ["Anna Kowalski said no.", "Anna&nbsp;Kowalski said no.", "<b>Anna Kowalski</b> said no."]
    )
    token = TOKEN_PATTERN.search(plain.text)
    assert token is not None
    assert token.group(0) in nbsp.text and token.group(0) in tagged.text
