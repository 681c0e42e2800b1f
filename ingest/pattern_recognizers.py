"""Pattern recognizers for personal data with a printed shape: phone numbers the phonenumbers
parser leaves out, payment cards of any issuer, e-mail addresses on internal domains, user
handles, employee IDs and postal addresses (measured with eval/pii.py). The recognizers that
judge names by the words around them are in ``ingest.recognizers``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from presidio_analyzer import Pattern, PatternRecognizer


def phone_format_recognizer() -> PatternRecognizer:
    """Phone numbers in shapes the phonenumbers parser leaves out: North American numbers with
    dots or an extension (449.510.3635, +1-374-823-2939x430), "+44(0)115 4960877"."""
    ext = r"(?:\s?(?:x|ext\.?|extension)\s?\d{1,5})?"
    return PatternRecognizer(
        supported_entity="PHONE_NUMBER",
        name="PhoneFormatRecognizer",
        patterns=[
            Pattern(
                "nanp",
                r"(?<![\w.+-])(?:\+?1[-. ]?|001[-. ]?)?(?:\(\d{3}\)\s?|\d{3}[-. ])\d{3}[-. ]\d{4}"
                + ext
                + r"(?![\w-]|\.\d)",
                0.5,
            ),
            Pattern(
                "international",
                r"(?<![\w+])\+\d{1,3}\s?(?:\(0\)\s?)?\d{2,5}(?:[-. ]?\d{2,5}){1,4}"
                + ext
                + r"(?!\w)",
                0.5,
            ),
        ],
        context=["phone", "mobile", "call", "ring", "number", "tel", "cell"],
        global_regex_flags=re.MULTILINE | re.IGNORECASE,
    )


class BroadCardRecognizer(PatternRecognizer):
    """Payment card numbers of any issuer (13-19 digits, Luhn-checked), including the
    Mastercard 2-series and 19-digit Visa numbers Presidio's recognizer does not list."""

    def __init__(self) -> None:
        super().__init__(
            supported_entity="CREDIT_CARD",
            name="BroadCardRecognizer",
            patterns=[
                Pattern("card", r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])", 0.3),
                # 12-digit Maestro numbers: only with a context word such as "card"
                Pattern("card_12", r"(?<![\d-])(?:\d[ -]?){11}\d(?![\d-])", 0.05),
            ],
            context=["card", "visa", "mastercard", "amex", "credit", "debit", "payment"],
            global_regex_flags=re.MULTILINE,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """Luhn checksum over the digits."""
        digits = [int(c) for c in pattern_text if c.isdigit()]
        total = 0
        for n, d in enumerate(reversed(digits)):
            if n % 2:
                d = d * 2 - 9 if d > 4 else d * 2
            total += d
        return total % 10 == 0


def internal_email_recognizer() -> PatternRecognizer:
    """E-mail addresses on any domain. Presidio's recognizer checks the top-level domain
    against the public list, so addresses on internal domains (name@corp.internal,
    name@contoso.example) would pass through; a leak either way."""
    return PatternRecognizer(
        supported_entity="EMAIL_ADDRESS",
        name="InternalEmailRecognizer",
        patterns=[
            Pattern(
                "email_any_domain",
                r"(?<![\w.+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+(?<!\.)",
                0.6,
            )
        ],
        global_regex_flags=re.MULTILINE,
    )


def handle_recognizer() -> PatternRecognizer:
    """User handles such as @deepa.k (an @ not preceded by an address's local part)."""
    return PatternRecognizer(
        supported_entity="HANDLE",
        name="HandleRecognizer",
        patterns=[
            Pattern("handle", r"(?<![\w.@])@[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])", 0.8)
        ],
        global_regex_flags=re.MULTILINE,
    )


def employee_id_recognizer(patterns: Sequence[str]) -> PatternRecognizer | None:
    """Employee IDs by the installation's own patterns (settings: ``employee_id_patterns``)."""
    if not patterns:
        return None
    return PatternRecognizer(
        supported_entity="EMPLOYEE_ID",
        name="EmployeeIdRecognizer",
        patterns=[Pattern(f"employee_id_{n}", p, 0.9) for n, p in enumerate(patterns)],
        global_regex_flags=re.MULTILINE,
    )


_STREET = (
    r"(?:Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|"
    r"Square|Sq|Terrace|Crescent|Close|Gardens|Parkway|Pkwy|Highway|Hwy|Row|Walk|Mews|Hill|"
    r"Hills|Park|Grove|Green|Rise|View|Vale|Circle|Cir|Trail|Trl|Path|Orchard|Lakes?|Fort|"
    r"Pines?|Falls|Isle|Burg|Mall|Ridges?|Forge|Crossing|Heights|Meadows?|Estates?|Fields?|"
    r"Point|Port|Station|Junction|Loop|Alley|Bridge|Brook|Creek|Springs?|Harbor|Harbour|"
    r"Shores?|Valley|Manor|Landing|Plaza|Summit|Villages?|Wells|Woods?|Camp|Cape|Causeway|"
    r"Center|Centre|Common|Corners?|Cove|Crest|Dale|Divide|Expressway|Ferry|Flats?|Freeway|"
    r"Gateway|Glen|Haven|Hollow|Inlet|Island|Key|Knolls?|Motorway|Mount|Mountain|Neck|Oval|"
    r"Pass|Pike|Plains?|Prairie|Ramp|Ranch|Rapids?|Rest|Route|Run|Shoal|Skyway|Spur|Stream|"
    r"Throughway|Trace|Track|Tunnel|Turnpike|Union|Viaduct|Vista|Wharf|Parade|Quay|Embankment)"
    r"\b\.?"
)
_UNIT = r"(?:(?:Apt\.?|Apartment|Suite|Ste\.?|Unit|Flat|Studio|Floor|Fl\.?)\s*[\w-]+,?\s*)"
_ZIP_OR_POSTCODE = r"(?:[A-Z]{2}\s+\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2})\b"


def address_recognizer() -> PatternRecognizer:
    """Postal addresses: a house number and a street, with the town and postcode that follow."""
    tail = (
        r"(?:,?\s+[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2})?(?:,?\s+[A-Z]{2,3})?"
        r"(?:,?\s+[A-Z0-9]{1,4}(?:[ -]?[A-Z0-9]{2,4})?)?"
    )
    patterns = [
        # 42 Wallaby Way, Sydney NSW 2000 / 1600 Pennsylvania Avenue NW, Washington, DC 20500
        Pattern(
            "street_number_first",
            rf"(?:\b{_UNIT})?\b\d{{1,5}}[A-Z]?,?\s+(?:[A-Z][\w'-]+\s+){{1,3}}{_STREET}"
            rf"(?:\s+(?:NW|NE|SW|SE))?(?:\s+{_UNIT})?{tail}",
            0.7,
        ),
        # Flat 6, Middleton Path, North Andreaton, N44 1QX
        Pattern(
            "unit_first",
            rf"\b{_UNIT}(?:[A-Z][\w'-]+\s+){{1,3}}{_STREET}{tail}",
            0.7,
        ),
        # Rua Augusta 120, 1100-053 Lisboa / 17 Rue de la Paix, 75002 Paris
        Pattern(
            "street_word_first",
            r"\b(?:\d{1,5}\s+)?(?:Rua|Rue|Calle|Via|Viale|Avenida|Av\.|Strasse|Straße|Platz|Plaza)"
            r"\s+[\w' -]{1,40}?,\s*\d{4,5}(?:-\d{3})?\s+[A-Z][\w-]+",
            0.7,
        ),
        # German style: Hauptstraße 5, 10115 Berlin
        Pattern(
            "strasse",
            r"\b[A-Z][\w-]*(?:straße|strasse|weg|gasse|platz)\s+\d{1,4}[a-z]?,\s*\d{5}\s+[A-Z][\w-]+",
            0.7,
        ),
        # Any street shape, when a US state and ZIP or a UK postcode closes it
        Pattern(
            "street_with_postcode",
            rf"(?:\b{_UNIT})?\b\d{{1,5}}[A-Z]?,?\s+(?:[A-Z][\w'-]+\s+){{0,3}}[A-Z][\w'-]+"
            rf"(?:\s+{_UNIT})?,\s+(?:[A-Z][\w'-]+\s+){{0,2}}[A-Z][\w'-]+,?\s+{_ZIP_OR_POSTCODE}",
            0.75,
        ),
        Pattern(
            "unit_with_postcode",
            rf"\b{_UNIT}(?:[A-Z][\w'-]+\s+){{0,3}}[A-Z][\w'-]+,\s+(?:[A-Z][\w'-]+\s+){{0,2}}"
            rf"[A-Z][\w'-]+,?\s+{_ZIP_OR_POSTCODE}",
            0.75,
        ),
        # UK postcode on its own (NW1 6XE)
        Pattern("uk_postcode", r"\b[A-Z]{1,2}\d[A-Z\d]?\s\d[A-Z]{2}\b", 0.5),
    ]
    return PatternRecognizer(
        supported_entity="ADDRESS",
        name="AddressRecognizer",
        patterns=patterns,
        global_regex_flags=re.MULTILINE,
    )
