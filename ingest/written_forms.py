"""Pattern recognizers for personal data written the way people type it rather than the way
a form prints it (issue 22): IBANs in lowercase ("gb82 west 1234 ...") and e-mail addresses
spelled out ("anna dot kowalski at acme dot com"). Presidio's own recognizers look for the
printed forms only.
"""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer


class LowercaseIbanRecognizer(PatternRecognizer):
    """IBANs in any case, in groups of four or not, checked by the ISO 13616 remainder."""

    def __init__(self) -> None:
        super().__init__(
            supported_entity="IBAN_CODE",
            name="LowercaseIbanRecognizer",
            patterns=[
                Pattern(
                    "iban_any_case",
                    r"(?<![\w-])[a-zA-Z]{2}\d{2}(?:[ ]?[a-zA-Z0-9]{4}){2,7}"
                    r"(?:[ ]?[a-zA-Z0-9]{1,3})?(?![\w-])",
                    0.6,
                )
            ],
            global_regex_flags=re.MULTILINE,
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        """The mod-97 check of an IBAN (a random word-and-number run almost never passes)."""
        iban = re.sub(r"\s", "", pattern_text).upper()
        if not 15 <= len(iban) <= 34:
            return False
        moved = iban[4:] + iban[:4]
        return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


_AT = r"(?:\s+(?:at|\(at\)|\[at\])\s+|\s*(?:\(at\)|\[at\])\s*)"
_DOT = r"(?:\s+(?:dot|\(dot\)|\[dot\])\s+|\s*(?:\(dot\)|\[dot\])\s*)"
_PART = r"[A-Za-z0-9][\w%+-]*"


def spoken_email_recognizer() -> PatternRecognizer:
    """E-mail addresses spelled out against scrapers: "anna dot kowalski at acme dot com",
    "kwame (at) contoso (dot) example"; the domain needs at least one "dot"."""
    return PatternRecognizer(
        supported_entity="EMAIL_ADDRESS",
        name="SpokenEmailRecognizer",
        patterns=[
            Pattern(
                "spoken_email",
                rf"(?<![\w.]){_PART}(?:{_DOT}{_PART})*{_AT}{_PART}(?:{_DOT}[A-Za-z]{{2,12}})+\b",
                0.6,
            )
        ],
        global_regex_flags=re.MULTILINE | re.IGNORECASE,
    )
