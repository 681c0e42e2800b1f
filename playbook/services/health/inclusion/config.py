"""What a programme asks in its inclusion audit: the default attributes, the checks on a
coordinator's configuration, the text people consent to, and parsing an attribute as typed
on the command line ("level:Level=Manager,Director")."""

from __future__ import annotations

import re
from collections.abc import Sequence

from playbook.ports.inclusion import AttributeSpec
from playbook.services.programme_base import ProgrammeError

DEFAULTS: tuple[AttributeSpec, ...] = (
    AttributeSpec("function", "Function"),
    AttributeSpec("level", "Level"),
    AttributeSpec("location", "Location"),
)
MAX_ATTRIBUTES = 10
MAX_VALUES = 30
MAX_LABEL = 60
MAX_VALUE = 60
MAX_STORED = 120  # the declarations table's value column, redacted text included
_NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
# What the redactor may find in a label or listed value and the category still stand: places,
# groups, organisations, dates ("Under 30"). Anything else (a person, a contact) is refused.
CATEGORY_ENTITIES = frozenset({"LOCATION", "GPE", "NRP", "ORGANIZATION", "ORG", "DATE_TIME"})

# What a person agrees to, stored word for word with each value they declare.
CONSENT = (
    "I choose to declare these details about myself for this programme's inclusion audit. "
    "They are used only in aggregate: they count once at least {k} people have declared, "
    "no group of fewer than {k} people is shown, and nobody else can see my answers. "
    "I can see and withdraw them at any time; withdrawing deletes them."
)


def consent_text(k: int) -> str:
    """The consent sentence with the programme's minimum group size."""
    return CONSENT.format(k=k)


def standing_note(more: int | None) -> str:
    """What one's own declaration does in the audit: "counted", or how many more people
    must declare that attribute first (``more``; None when it counts already)."""
    if more is None:
        return "counted in the audit"
    people = "person has" if more == 1 else "people have"
    return f"your answer counts once {more} more {people} declared this"


def _one_line(value: str | None, what: str, limit: int) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise ProgrammeError(f"{what} is empty; write it and try again")
    if len(text) > limit:
        raise ProgrammeError(f"{what} has {len(text)} characters; keep it to {limit}")
    return text


def checked(specs: Sequence[AttributeSpec]) -> list[AttributeSpec]:
    """The attributes as they will be stored: names checked, labels and values tidied.

    Raises:
        ProgrammeError: A name is not a short lower-case key or repeats, a label or value
            is empty or too long, a value repeats, or there are too many.
    """
    if len(specs) > MAX_ATTRIBUTES:
        raise ProgrammeError(f"ask for at most {MAX_ATTRIBUTES} attributes")
    out: list[AttributeSpec] = []
    names: set[str] = set()
    for spec in specs:
        name = (spec.name or "").strip().lower()
        if not _NAME.match(name):
            raise ProgrammeError(
                f"{spec.name!r} is not an attribute key; use lower-case letters, digits and "
                "underscores, starting with a letter (like function or work_pattern)"
            )
        if name in names:
            raise ProgrammeError(f"the attribute {name!r} is listed twice")
        names.add(name)
        label = _one_line(spec.label or name.replace("_", " ").capitalize(), "a label", MAX_LABEL)
        if len(spec.values) > MAX_VALUES:
            raise ProgrammeError(f"{label} has more than {MAX_VALUES} values; group them")
        values = [_one_line(v, f"a value of {label}", MAX_VALUE) for v in spec.values]
        folded = [v.casefold() for v in values]
        twice = sorted({v for v in values if folded.count(v.casefold()) > 1})
        if twice:
            raise ProgrammeError(f"{label} lists {', '.join(twice)} more than once")
        out.append(AttributeSpec(name, label, tuple(values)))
    return out


def parse_spec(text: str) -> AttributeSpec:
    """An attribute as typed: ``name``, ``name:Label``, ``name=v1,v2`` or
    ``name:Label=v1,v2`` (no values: free choice).

    Raises:
        ProgrammeError: The text has no name.
    """
    head, _, values = (text or "").partition("=")
    name, _, label = head.partition(":")
    if not name.strip():
        raise ProgrammeError(f"{text!r} names no attribute; write it like level:Level=IC,Manager")
    listed = tuple(v.strip() for v in values.split(",") if v.strip()) if values else ()
    return AttributeSpec(name.strip(), label.strip(), listed)
