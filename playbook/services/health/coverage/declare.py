"""Checking what a coordinator declares, typed on a page or imported from CSV: every row is
checked before anything is stored, and a file with one bad row stores nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from playbook.ports.coverage import DeclarationDraft, DeclarationKind
from playbook.services.programme_base import ProgrammeError, clean

MAX_NAME = 200
MAX_DESCRIPTION = 1000
MAX_KEYWORDS = 20
MAX_KEYWORD = 64
MAX_ROWS = 500
MAX_IMPORT_BYTES = 1024 * 1024
COLUMNS = ("kind", "name", "description", "keywords")
KINDS = ", ".join(k.value for k in DeclarationKind)


@dataclass(frozen=True)
class ImportReport:
    """How many declarations an import stored, or why it stored none (one line per row)."""

    saved: int
    problems: tuple[str, ...] = ()


def split_keywords(value: str | Sequence[str]) -> list[str]:
    """Keywords as typed ("a; b, c") or as a list, stripped, empty ones left out."""
    items = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        out += [k.strip() for k in item.replace(",", ";").split(";") if k.strip()]
    return list(dict.fromkeys(out))


def draft(
    kind: str, name: str, description: str = "", keywords: str | Sequence[str] = ()
) -> DeclarationDraft:
    """A declaration checked field by field (not yet redacted).

    Args:
        kind: goal, domain, market or function.
        name: What the goal or domain is called ("Nordics market").
        description: Optional: what it covers, in a sentence.
        keywords: Optional: words a text covering it would use ("a; b" or a list).

    Returns:
        The draft.

    Raises:
        ProgrammeError: A field is missing, too long or not one of the choices.
    """
    try:
        which = DeclarationKind((kind or "").strip().casefold())
    except ValueError:
        raise ProgrammeError(f"the kind {kind!r} is not one of: {KINDS}") from None
    words = split_keywords(keywords)
    if len(words) > MAX_KEYWORDS:
        raise ProgrammeError(f"{len(words)} keywords is too many; keep at most {MAX_KEYWORDS}")
    long = next((w for w in words if len(w) > MAX_KEYWORD), None)
    if long is not None:
        raise ProgrammeError(
            f"the keyword {long[:30]!r}… has {len(long)} characters; keep it to {MAX_KEYWORD}"
        )
    return DeclarationDraft(
        kind=which,
        name=clean(name, "the name", MAX_NAME),
        description=clean(description, "the description", MAX_DESCRIPTION, required=False),
        keywords=tuple(words),
    )


def parse_csv(data: bytes) -> tuple[list[DeclarationDraft], list[str]]:
    """Drafts from a CSV file with the columns ``kind,name,description,keywords`` (the last
    two optional; keywords separated by ";"), and the problems, one per bad row.

    Returns:
        (drafts, problems): when ``problems`` is not empty, nothing should be stored.
    """
    if len(data) > MAX_IMPORT_BYTES:
        return [], [f"the file is over {MAX_IMPORT_BYTES // 1024} KB; split it"]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], ["the file is not UTF-8 text; save it as CSV UTF-8"]
    try:
        reader = csv.DictReader(io.StringIO(text))
        header = [h.strip().casefold() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        return [], [f"the file is not readable CSV ({exc})"]
    missing = [c for c in ("kind", "name") if c not in header]
    if missing:
        return [], [
            f"the header has no {' or '.join(missing)} column; the columns are " + ",".join(COLUMNS)
        ]
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        return [], [f"unknown column {unknown[0]!r}; the columns are " + ",".join(COLUMNS)]
    drafts: list[DeclarationDraft] = []
    problems: list[str] = []
    try:
        for number, raw in enumerate(reader, start=2):
            if number - 1 > MAX_ROWS:
                return [], [f"the file has more than {MAX_ROWS} rows; split it"]
            row: Mapping[str, str] = {
                (k or "").strip().casefold(): (v if isinstance(v, str) else "")
                for k, v in raw.items()
            }
            if not any(v.strip() for v in row.values()):
                continue  # a blank line
            try:
                drafts.append(
                    draft(
                        row.get("kind", ""),
                        row.get("name", ""),
                        row.get("description", ""),
                        row.get("keywords", ""),
                    )
                )
            except ProgrammeError as exc:
                problems.append(f"row {number}: {exc}")
    except csv.Error as exc:
        return [], [f"the file is not readable CSV ({exc})"]
    if not drafts and not problems:
        problems.append("the file has no rows below its header")
    return drafts, problems
