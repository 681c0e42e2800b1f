"""The inclusion audit's arithmetic, apart from storage: the groups each attribute splits the
members into, the counts per group (members, writers, paired, showcased), and the cells to
withhold so that no view, nor any two views together, gives away a group of fewer than
``k`` people.

Decisions that keep views consistent with each other (so that comparing two never tells
more than each alone):

- the members column of every attribute is decided once (``figures.suppress``), from the
  declarations alone, and is the same in every quarter's view;
- a cross-tab of two attributes is offered only when it needs nothing withheld (every cell
  nobody or at least ``k`` people, every margin shown), decided once too, and is part of
  every view whether or not anyone asks for it;
- each quarter's activity columns are then decided with all of the above fixed, as one
  system (every attribute's table shares the quarter's totals), so the members who did not
  write (members minus writers) are protected like any shown cell.

Free-choice values declared by fewer than ``k`` members are merged into "other values", so a
rare value's very name never shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

from playbook.ports.inclusion import AttributeSpec
from playbook.services.health.figures import shown, suppress
from playbook.services.health.inclusion.cells import Key, Line, bounds, protect

Tally = Callable[[Sequence[str], Iterable[str]], Mapping[tuple[str | None, ...], int]]
# Each activity: its key, its column, and the column of its shares.
METRICS: tuple[tuple[str, str, str], ...] = (
    ("wrote", "Wrote", "% of writers"),
    ("paired", "In a pairing", "% of paired"),
    ("showcased", "Showcased", "% of showcased"),
)
Row = tuple[str, ...]
OTHER: Row = ("other",)
NONE: Row = ("none",)


@dataclass(frozen=True)
class Rows:
    """One attribute's groups in order, each with its label, and where each value goes."""

    spec: AttributeSpec
    order: tuple[Row, ...]
    labels: Mapping[Row, str]
    of_value: Mapping[str, Row]

    def row(self, value: str | None) -> Row:
        """The group a declared value (None: nothing declared) is counted in."""
        return NONE if value is None else self.of_value.get(value, OTHER)


@dataclass(frozen=True)
class Standing:
    """What is decided once, from declarations only: each attribute's groups, the members
    per group (None: withheld) and the cross-tabs offered, with their cells."""

    members: int
    rows: Mapping[str, Rows]
    counts: Mapping[Key, int]  # true sizes, never shown as such
    hidden: frozenset[Key]
    lines: tuple[Line, ...]
    pairs: tuple[tuple[str, str], ...]  # the cross-tabs offered (first, second)


def group_rows(spec: AttributeSpec, declared: Mapping[str | None, int], k: int) -> Rows:
    """The groups of one attribute: its listed values in order (or the free values at least
    ``k`` members declared, by name), "other values" when any other is held, "not declared".
    """
    if spec.values:
        listed = list(spec.values)
    else:
        listed = sorted(
            (v for v, n in declared.items() if v is not None and n >= k), key=str.casefold
        )
    of_value: dict[str, Row] = {v: ("v", v) for v in listed}
    order: list[Row] = [("v", v) for v in listed]
    if any(v is not None and v not in of_value for v in declared):
        order.append(OTHER)
    order.append(NONE)
    labels: dict[Row, str] = {("v", v): v for v in listed}
    labels[OTHER] = "other values"
    labels[NONE] = "not declared"
    return Rows(spec, tuple(order), labels, of_value)


def _by_row(rows: Rows, tally: Mapping[tuple[str | None, ...], int]) -> dict[Row, int]:
    out = dict.fromkeys(rows.order, 0)
    for (value,), n in tally.items():
        out[rows.row(value)] += n
    return out


def standing(specs: Sequence[AttributeSpec], members: set[str], tally: Tally, k: int) -> Standing:
    """Decide the members columns and the cross-tabs (the part no quarter changes)."""
    counts: dict[Key, int] = {("M",): len(members)}
    hidden: set[Key] = set()
    lines: list[Line] = []
    rows: dict[str, Rows] = {}
    for spec in specs:
        raw = tally([spec.name], members)
        declared: dict[str | None, int] = {}
        for (value,), n in raw.items():
            declared[value] = declared.get(value, 0) + n
        r = rows[spec.name] = group_rows(spec, declared, k)
        per = _by_row(r, raw)
        column = suppress({repr(g): n for g, n in per.items()}, k)
        for g, n in per.items():
            counts[("P", spec.name, g)] = n
            if column[repr(g)] is None:
                hidden.add(("P", spec.name, g))
        lines.append(Line(("M",), tuple(("P", spec.name, g) for g in r.order)))
    pairs: list[tuple[str, str]] = []
    margins_shown = {n: not any(("P", n, g) in hidden for g in rows[n].order) for n in rows}
    for a, b in combinations([s.name for s in specs], 2):
        cells: dict[Key, int] = {
            ("C", a, b, ga, gb): 0 for ga in rows[a].order for gb in rows[b].order
        }
        for (va, vb), n in tally([a, b], members).items():
            cells[("C", a, b, rows[a].row(va), rows[b].row(vb))] += n
        # A cross-tab is offered only when it needs nothing withheld: every cell nobody or
        # at least k people, every margin shown. Withheld cells of a cross-tab can come
        # back from its margins by bounds (the property test found such cases), so none is.
        if not (margins_shown[a] and margins_shown[b]):
            continue
        if any(shown(n, k) is None for n in cells.values()):
            continue
        pairs.append((a, b))
        counts.update(cells)
        lines += [
            Line(("P", a, ga), tuple(("C", a, b, ga, gb) for gb in rows[b].order))
            for ga in rows[a].order
        ]
        lines += [
            Line(("P", b, gb), tuple(("C", a, b, ga, gb) for ga in rows[a].order))
            for gb in rows[b].order
        ]
    return Standing(len(members), rows, counts, frozenset(hidden), tuple(lines), tuple(pairs))


@dataclass(frozen=True)
class QuarterCells:
    """One quarter's activity cells: true sizes and the withheld ones (with everything of
    the standing), and whether the whole is safe."""

    counts: Mapping[Key, int]
    hidden: frozenset[Key]
    safe: bool

    def value(self, key: Key) -> int | None:
        """A cell as shown: its count, or None when withheld."""
        return None if key in self.hidden else self.counts[key]


def quarter_cells(
    base: Standing, activity: Mapping[str, set[str]], members: set[str], tally: Tally, k: int
) -> QuarterCells:
    """Decide one quarter's activity columns with the standing fixed.

    Args:
        base: The standing decided from the declarations.
        activity: Metric name ("wrote", "paired", "showcased") -> who did it in the quarter.
        members: The programme's members (activity of anyone else is not counted).
        tally: Counts of values among a set of people (the port's ``tally``).
        k: The minimum group size.

    Returns:
        The cells, with the withheld ones.
    """
    counts: dict[Key, int] = dict(base.counts)
    lines = list(base.lines)
    published: list[Key] = []
    for metric, _, _ in METRICS:
        people = activity.get(metric, set()) & members
        counts[("T", metric)] = len(people)
        counts[("NT", metric)] = len(members) - len(people)
        published.append(("T", metric))
        lines.append(Line(("M",), (("T", metric), ("NT", metric))))
        for name, rows in base.rows.items():
            yes = _by_row(rows, tally([name], people))
            for g in rows.order:
                counts[("Y", name, metric, g)] = yes[g]
                counts[("N", name, metric, g)] = counts[("P", name, g)] - yes[g]
                published.append(("Y", name, metric, g))
                lines.append(Line(("P", name, g), (("Y", name, metric, g), ("N", name, metric, g))))
            lines.append(Line(("T", metric), tuple(("Y", name, metric, g) for g in rows.order)))
            lines.append(Line(("NT", metric), tuple(("N", name, metric, g) for g in rows.order)))
    # Everything of the standing is fixed: members columns, cross-tabs, the member count;
    # and what a reader can tell about its withheld cells must not narrow, whatever quarter.
    locked = {c: c in base.hidden for c in base.counts}
    known = {c for c in base.counts if c not in base.hidden}
    steady = bounds(base.counts, base.lines, known, len(members))
    done = protect(counts, lines, [*locked, *published], k, locked, steady)
    return QuarterCells(counts, done.hidden, done.safe)


def share(part: int | None, whole: int | None) -> float | None:
    """``part`` as a percentage of ``whole`` (one decimal), from shown numbers only."""
    if part is None or whole is None:
        return None
    return round(100.0 * part / whole, 1) if whole else 0.0


def member_value(base: Standing, name: str, g: Row) -> int | None:
    """The members of one group as shown (None: withheld)."""
    key = ("P", name, g)
    return None if key in base.hidden else base.counts[key]


def total_value(cells: QuarterCells, metric: str, k: int) -> int | None:
    """A quarter's total of one activity as shown."""
    value = cells.value(("T", metric))
    return value if value is None else shown(value, k)
