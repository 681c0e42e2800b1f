"""Entry content as coordinators type it: checks with one sentence per field, redaction
before anything is stored, a field-by-field three-way merge, and readable text forms (diff
lines, JSON) of a saved entry."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from ingest.pipeline import redact_records
from playbook.lifecycle import content_of
from playbook.models import (
    SECTION_LABELS,
    SECTIONS,
    Entry,
    EntryContent,
    tag_problem,
)
from playbook.ports import Redactor

MAX_TITLE = 200
MAX_SECTION = 8000


class EntryFormError(ValueError):
    """An entry that cannot be saved: one sentence per field at fault."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


def unique_tags(tags: Iterable[str]) -> list[str]:
    """Tags trimmed, empty ones dropped, each once: "Pricing" and "pricing" are one tag (the
    first spelling is kept)."""
    seen: dict[str, str] = {}
    for tag in tags:
        t = tag.strip()
        if t:
            seen.setdefault(t.casefold(), t)
    return list(seen.values())


def clean_content(
    content: EntryContent, redactor: Redactor, max_tags: int, max_tag_chars: int
) -> EntryContent:
    """``content`` checked (``EntryFormError`` naming each field at fault) and redacted, as
    it may be stored."""
    errors: dict[str, str] = {}
    title = " ".join(content.title.split())
    if not title:
        errors["title"] = "give the entry a title"
    elif len(title) > MAX_TITLE:
        errors["title"] = f"keep the title under {MAX_TITLE} characters"
    unknown = set(content.sections) - set(SECTIONS)
    if unknown:
        errors["sections"] = f"unknown section {sorted(unknown)[0]!r}"
    for name, text in content.sections.items():
        if len(text) > MAX_SECTION:
            errors[name] = f"keep {SECTION_LABELS.get(name, name)} under {MAX_SECTION} characters"
    if not 1 <= content.review_interval_days <= 3650:
        errors["review_interval_days"] = "choose a review interval of 1 to 3,650 days"
    tags = unique_tags(content.tags)
    tag_error = tag_problem(tags, max_tags, max_tag_chars)
    if tag_error:
        errors["tags"] = tag_error
    if errors:
        raise EntryFormError(errors)
    names = [n for n in SECTIONS if content.sections.get(n, "").strip()]
    free = [title, *(content.sections[n].strip() for n in names)]
    free += [content.function or "", content.market or "", content.competency or ""]
    free.append("\n".join(tags))
    safe = [r.text for r in redact_records(redactor, [free])[0]]
    tags = unique_tags(safe.pop().split("\n"))
    return replace(
        content,
        title=safe[0],
        sections=dict(zip(names, safe[1 : 1 + len(names)], strict=True)),
        function=safe[-3] or None,
        market=safe[-2] or None,
        competency=safe[-1] or None,
        tags=tuple(tags),
    )


def merge(
    base: EntryContent, mine: EntryContent, theirs: EntryContent
) -> tuple[EntryContent, list[str]]:
    """Three-way merge of an entry, field by field: where only one side changed a field from
    ``base``, that side wins; where both changed it differently, mine wins and the field is
    named in the returned list, for the editor to show."""
    clashes: list[str] = []

    def pick(name: str, b: Any, m: Any, t: Any) -> Any:
        if m == b:
            return t
        if t != b and t != m:
            clashes.append(name)
        return m

    sections = {}
    for name in SECTIONS:
        value = pick(
            SECTION_LABELS[name],
            base.sections.get(name, ""),
            mine.sections.get(name, ""),
            theirs.sections.get(name, ""),
        )
        if value:
            sections[name] = value
    merged = EntryContent(
        title=pick("Title", base.title, mine.title, theirs.title),
        sections=sections,
        function=pick("Function", base.function, mine.function, theirs.function),
        market=pick("Market", base.market, mine.market, theirs.market),
        competency=pick("Competency", base.competency, mine.competency, theirs.competency),
        tags=pick("Tags", base.tags, mine.tags, theirs.tags),
        verifier_id=pick("Verifier", base.verifier_id, mine.verifier_id, theirs.verifier_id),
        review_interval_days=pick(
            "Review interval",
            base.review_interval_days,
            mine.review_interval_days,
            theirs.review_interval_days,
        ),
    )
    return merged, clashes


def diff_lines(snapshot: dict[str, Any]) -> list[str]:
    """A saved state of an entry as labelled lines, for a readable diff."""
    content = content_of(snapshot)
    out = [f"Title: {content.title}", f"Status: {snapshot.get('status')}"]
    for name in SECTIONS:
        text = content.sections.get(name, "")
        if text:
            out.append(f"{SECTION_LABELS[name]}:")
            out.extend(f"  {line}" for line in text.splitlines() or [""])
    for label, value in (
        ("Function", content.function),
        ("Market", content.market),
        ("Competency", content.competency),
        ("Tags", ", ".join(content.tags)),
        ("Review every", f"{content.review_interval_days} days"),
    ):
        if value:
            out.append(f"{label}: {value}")
    return out


def as_json(entry: Entry) -> str:
    """An entry as JSON (redacted text only), for exports and the CLI."""
    c = entry.content
    return json.dumps(
        {
            "id": entry.entry_id,
            "title": c.title,
            "status": entry.status.value,
            "version": entry.version,
            "sections": c.sections,
            "function": c.function,
            "market": c.market,
            "competency": c.competency,
            "tags": list(c.tags),
            "review_due": entry.review_due.isoformat() if entry.review_due else None,
        },
        ensure_ascii=False,
    )
