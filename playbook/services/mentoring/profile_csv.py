"""Reading mentoring profiles from CSV, as pure logic: one row per person and role, every
problem reported with its row number, and nothing returned as importable when any row is
wrong (the service then stores nothing).

Columns (a header row; names are case-insensitive, unknown ones are refused):
``username`` and ``role`` (mentor, reverse_mentor, advisor, mentee) are required;
``expertise``, ``style``, ``availability``, ``goals`` are text; ``industries``,
``functions``, ``markets``, ``languages`` and ``conflicts`` (usernames) are lists separated
by ``;``; ``capacity`` (0–20) and ``seniority`` (1–9) are whole numbers; ``manager`` is a
username; ``objectives`` is a ``;``-separated list where each item may name the strategic
goal it serves after a ``|`` ("Lead a pricing review | Grow APAC margin").
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field

from playbook.ports.mentoring import GIVING_ROLES, ObjectiveDraft, ProfileRole

COLUMNS = (
    "username",
    "role",
    "expertise",
    "industries",
    "functions",
    "markets",
    "style",
    "languages",
    "capacity",
    "availability",
    "seniority",
    "manager",
    "conflicts",
    "goals",
    "objectives",
)
MAX_ROWS = 2000
MAX_FIELD_CHARS = 2000
MAX_STYLE_CHARS = 100
MAX_LIST_ITEMS = 30
MAX_CAPACITY = 20
SENIORITY = range(1, 10)


@dataclass(frozen=True)
class RawProfile:
    """A row as read: people still named by username (the service resolves them)."""

    row: int  # 1-based line of the file, the header being line 1
    username: str
    role: ProfileRole
    expertise: str = ""
    industries: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    markets: tuple[str, ...] = ()
    style: str = ""
    languages: tuple[str, ...] = ()
    capacity: int = 0
    availability: str = ""
    seniority: int = 1
    manager: str = ""
    conflicts: tuple[str, ...] = ()
    goals: str = ""
    objectives: tuple[ObjectiveDraft, ...] = field(default=())


@dataclass(frozen=True)
class ParsedCsv:
    """The rows read, and every problem found (``row 3: capacity must be ...``)."""

    rows: tuple[RawProfile, ...]
    errors: tuple[str, ...]


def parse(text: str) -> ParsedCsv:
    """Read profiles from CSV text.

    Args:
        text: The file's text (already decoded).

    Returns:
        The rows and the problems; rows are only to be used when there are no problems.
    """
    if "\x00" in text:
        return ParsedCsv((), ("this is not a CSV text file (it holds NUL bytes)",))
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = [h.strip().casefold() for h in next(reader)]
    except StopIteration:
        return ParsedCsv((), ("the file is empty; it needs a header row: " + ", ".join(COLUMNS),))
    except csv.Error as exc:
        return ParsedCsv((), (f"row 1: not readable as CSV ({exc})",))
    unknown = [h for h in header if h not in COLUMNS]
    missing = [c for c in ("username", "role") if c not in header]
    problems: list[str] = []
    if unknown:
        problems.append(
            f"unknown columns: {', '.join(unknown)}; the columns are: {', '.join(COLUMNS)}"
        )
    if missing:
        problems.append(f"missing required columns: {', '.join(missing)}")
    if len(set(header)) != len(header):
        problems.append("a column is named twice in the header")
    if problems:
        return ParsedCsv((), tuple(problems))
    rows: list[RawProfile] = []
    seen: dict[tuple[str, ProfileRole], int] = {}
    try:
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(rows) + len(problems) >= MAX_ROWS:
                problems.append(f"more than {MAX_ROWS} rows; split the file")
                break
            raw, errors = _row(number, header, values)
            problems.extend(f"row {number}: {e}" for e in errors)
            if raw is None:
                continue
            key = (raw.username, raw.role)
            if key in seen:
                problems.append(
                    f"row {number}: {raw.username} already has a {raw.role.value} profile "
                    f"in row {seen[key]}"
                )
                continue
            seen[key] = number
            rows.append(raw)
    except csv.Error as exc:
        problems.append(f"row {reader.line_num}: not readable as CSV ({exc})")
    if not rows and not problems:
        problems.append("the file has a header but no profiles")
    return ParsedCsv(tuple(rows), tuple(problems))


def _row(number: int, header: list[str], values: list[str]) -> tuple[RawProfile | None, list[str]]:
    errors: list[str] = []
    if len(values) > len(header):
        return None, [f"{len(values)} values for {len(header)} columns"]
    cells = {h: v.strip() for h, v in zip(header, values, strict=False)}
    if len(cells.get("style", "")) > MAX_STYLE_CHARS:
        errors.append(f"style is longer than {MAX_STYLE_CHARS} characters")
    for name, value in cells.items():
        if len(value) > MAX_FIELD_CHARS:
            errors.append(f"{name} is longer than {MAX_FIELD_CHARS} characters")
    username = cells.get("username", "").casefold()
    if not username:
        errors.append("username is empty")
    role_text = cells.get("role", "").casefold().replace(" ", "_").replace("-", "_")
    try:
        role = ProfileRole(role_text)
    except ValueError:
        choices = ", ".join(r.value for r in ProfileRole)
        errors.append(f"unknown role {cells.get('role', '')!r}; choose one of: {choices}")
        return None, errors  # what else a row needs depends on its role
    lists = {}
    for name in ("industries", "functions", "markets", "languages", "conflicts"):
        items = _items(cells.get(name, ""))
        if len(items) > MAX_LIST_ITEMS:
            errors.append(f"{name} lists more than {MAX_LIST_ITEMS} items")
        lists[name] = items
    capacity = _whole(cells.get("capacity", ""), "capacity", range(0, MAX_CAPACITY + 1), errors)
    seniority = _whole(cells.get("seniority", ""), "seniority", SENIORITY, errors)
    if role in GIVING_ROLES and capacity is None and not cells.get("capacity"):
        errors.append(f"capacity is needed for a {role.value} (how many pairings, 1–20)")
    objectives = tuple(
        ObjectiveDraft(text.strip(), goal.strip())
        for text, _, goal in (item.partition("|") for item in _items(cells.get("objectives", "")))
        if text.strip()
    )
    if role is ProfileRole.MENTEE and not objectives:
        errors.append("a mentee needs at least one learning objective")
    if role is not ProfileRole.MENTEE and objectives:
        errors.append("only a mentee profile has learning objectives")
    if len(objectives) > MAX_LIST_ITEMS:
        errors.append(f"more than {MAX_LIST_ITEMS} objectives")
    if errors:
        return None, errors
    return (
        RawProfile(
            row=number,
            username=username,
            role=role,
            expertise=cells.get("expertise", ""),
            industries=lists["industries"],
            functions=lists["functions"],
            markets=lists["markets"],
            style=cells.get("style", ""),
            languages=lists["languages"],
            capacity=capacity or 0,
            availability=cells.get("availability", ""),
            seniority=seniority or 1,
            manager=cells.get("manager", "").casefold(),
            conflicts=tuple(c.casefold() for c in lists["conflicts"]),
            goals=cells.get("goals", ""),
            objectives=objectives,
        ),
        [],
    )


def read_row(cells: Mapping[str, str]) -> tuple[RawProfile | None, list[str]]:
    """One profile from named values, by the same rules as a CSV row (the edit page).

    Args:
        cells: Column name → value, as in ``COLUMNS``; list values separated by ``;`` or
            new lines.

    Returns:
        The profile, or None and the problems.
    """
    unknown = sorted(set(cells) - set(COLUMNS))
    if unknown:
        return None, [f"unknown fields: {', '.join(unknown)}"]
    names = list(cells)
    return _row(0, names, [cells[n] for n in names])


def _items(value: str) -> tuple[str, ...]:
    items = value.replace("\n", ";").split(";")
    return tuple(dict.fromkeys(i.strip() for i in items if i.strip()))


def _whole(value: str, name: str, allowed: range, errors: list[str]) -> int | None:
    if not value:
        return None
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or number not in allowed:
        errors.append(
            f"{name} must be a whole number from {allowed.start} to {allowed.stop - 1}, "
            f"not {value!r}"
        )
        return None
    return number
