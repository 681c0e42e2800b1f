"""Where a document came from, without keeping a name in the clear.

A file's path or a record's ``id`` is what makes a re-import idempotent, and it is often
personal (``Kwabena_Asante-Darko_1on1.md``, ``review-ingrid.johansson@corp.example``). The
store therefore keeps two things instead of the raw value:

- the **identity**: a keyed hash of it (``sid:`` + HMAC-SHA256, truncated), stable for the
  same value and key, and useless for guessing names without the installation's key;
- the **label**: the value as people read it, passed through the same redaction as every
  other field (``label_parts`` / ``join_label`` prepare it for the engine and put it back).

Ids the system makes itself (``studio:<hex>``, ``entry:<hex>``) and identities already in
keyed form (an export being imported again) carry no personal data and are kept as they are.
"""

from __future__ import annotations

import hmac
import re

KEYED = re.compile(r"(?:sid|studio|entry):[0-9a-f]{32}")
_EXTENSION = re.compile(
    r"(\.(?:md|markdown|txt|docx|pdf|csv|jsonl|json))?(#(?:line|row)\d+)?$", re.IGNORECASE
)
_DOT_BETWEEN_WORDS = re.compile(r"(?<=[^\W\d_])\.(?=[^\W\d_])")
_SEP = " / "


def is_keyed(source_id: str) -> bool:
    """Whether an id is already an identity the system made (nothing personal in it)."""
    return KEYED.fullmatch(source_id) is not None


def keyed_source_id(key: bytes, source_id: str) -> str:
    """The identity stored for a raw source id: a keyed hash (idempotent on keyed ids)."""
    if is_keyed(source_id):
        return source_id
    digest = hmac.new(key, b"source-id\x00" + source_id.encode("utf-8", "surrogatepass"), "sha256")
    return "sid:" + digest.hexdigest()[:32]


def label_parts(label: str) -> tuple[str, str]:
    """A label split into the words redaction should read and the suffix it should not.

    File names join words with underscores or dots and end in an extension stuck to the
    last word (``Tony_Mercer.md``): the engine reads ``Tony Mercer`` and the suffix ``.md``
    comes back untouched (the dots and underscores do not: the label reads as words). Path
    separators are spaced so a folder name never sticks to a person's name.
    """
    m = _EXTENSION.search(label)
    suffix = m.group(0) if m else ""
    stem = label[: len(label) - len(suffix)] if suffix else label
    words = stem.replace("_", " ").replace("+", " ")
    if "@" not in words:  # ``ingrid.johansson-notes``: two names, unless it is an address
        words = _DOT_BETWEEN_WORDS.sub(" ", words)
    return _SEP.join(part.strip() for part in words.split("/")), suffix


def join_label(redacted_words: str, suffix: str) -> str:
    """The displayed label from the redacted words and the suffix ``label_parts`` set aside."""
    return redacted_words.replace(_SEP, "/") + suffix
