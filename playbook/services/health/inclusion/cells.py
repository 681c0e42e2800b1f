"""Small-cell protection for a system of linked counts: the inclusion audit's tables, their
margins and totals, and the cross-tabs, solved together so that no combination of what is
shown gives away a small group.

The published numbers are *cells* (each the size of a group of people); some groups are
never published but follow from others (the members of a group who did not write: its
members minus its writers), those are *implicit* cells. A *line* says a total is the sum of
parts that split it (a row of a table and its margin, a column and its total). A reader who
knows some cells narrows every other one through the lines (no count is negative, each part
is at most its total, the parts add up), and again, until nothing more follows; a cell whose
least and greatest possible values meet is worked out. A state is safe when

1. no cell of 1 to ``k - 1`` people is known, shown or so derived (primary protection, the
   rule of ``figures.shown``), and no withheld cell can be derived at all,
2. in every line whose total is known, the unknown parts together are 0 or at least ``k``
   people (else "those withheld cells together" is itself a small group; as in
   ``figures.suppress``, which this generalises to linked tables).

``protect`` starts from the primary rule and withholds further cells (smallest first, cells
that are not zero before zeros) until the state is safe, or withholds everything it may.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from playbook.services.health.figures import shown

Key = Hashable


@dataclass(frozen=True)
class Line:
    """``total`` is the sum of ``parts`` (each person of the total in exactly one part)."""

    total: Key
    parts: tuple[Key, ...]

    @property
    def keys(self) -> tuple[Key, ...]:
        """The total and its parts."""
        return (self.total, *self.parts)


@dataclass(frozen=True)
class Protected:
    """What ``protect`` decided: the published cells to withhold, and whether the state it
    reached is safe (when it is not, the caller must withhold the whole view)."""

    hidden: frozenset[Key]
    safe: bool


def bounds(
    counts: Mapping[Key, int], lines: Sequence[Line], known: set[Key], top: int
) -> dict[Key, tuple[int, int]]:
    """The least and greatest count a reader who knows ``known`` can hold possible for each
    cell, by propagating every line's sum over counts that are never negative (interval
    propagation: it narrows a withheld cell through the cells beside it, as a reader with
    pencil and paper would, bounds included, not only exact sums)."""
    b = {c: (counts[c], counts[c]) if c in known else (0, top) for c in counts}
    for _ in range(64):  # the bounds only narrow, so this settles; 64 sweeps is plenty
        changed = False
        for line in lines:
            lo_sum = sum(b[p][0] for p in line.parts)
            hi_sum = sum(b[p][1] for p in line.parts)
            t_lo, t_hi = b[line.total]
            n_lo, n_hi = max(t_lo, lo_sum), min(t_hi, hi_sum)
            if (n_lo, n_hi) != (t_lo, t_hi):
                b[line.total] = (n_lo, n_hi)
                changed = True
            for p in line.parts:
                p_lo, p_hi = b[p]
                lo = max(p_lo, n_lo - (hi_sum - p_hi))
                hi = min(p_hi, n_hi - (lo_sum - p_lo))
                if (lo, hi) != (p_lo, p_hi):
                    b[p] = (lo, hi)
                    lo_sum += lo - p_lo
                    hi_sum += hi - p_hi
                    changed = True
        if not changed:
            break
    return b


def _violation(
    counts: Mapping[Key, int],
    lines: Sequence[Line],
    bounds: Mapping[Key, tuple[int, int]],
    k: int,
    known: set[Key],
    withheld: set[Key],
    steady: Mapping[Key, tuple[int, int]],
) -> Key | Line | None:
    """The first way the state gives away too much: a cell worked out that is small or was
    withheld, a cell of ``steady`` narrowed, or a line whose total is known while its
    unknown parts together are small; None when safe."""
    pinned = {c for c, (lo, hi) in bounds.items() if lo == hi}
    for c in sorted(pinned - known, key=repr):
        if c in withheld or shown(counts[c], k) is None:
            return c
    for c, was in steady.items():
        if bounds[c] != was:
            return c
    for line in lines:
        if line.total in pinned:
            rest = sum(counts[p] for p in line.parts if p not in pinned)
            if shown(rest, k) is None:
                return line
    return None


def protect(
    counts: Mapping[Key, int],
    lines: Sequence[Line],
    published: Iterable[Key],
    k: int,
    locked: Mapping[Key, bool] | None = None,
    steady: Mapping[Key, tuple[int, int]] | None = None,
) -> Protected:
    """Decide which published cells to withhold.

    Args:
        counts: The true size of every cell, published and implicit.
        lines: The sums that hold between cells.
        published: The cells that would be shown; the others are implicit (never shown).
        k: The smallest group a known cell may describe.
        locked: Published cells decided elsewhere (True: withheld, False: shown), which this
            call must not change (a margin another view already shows, say).
        steady: Bounds a reader already has on some cells from views decided before; this
            view must not narrow them (so views of two quarters, each narrowing a withheld
            margin from another side, cannot pin it between them).

    Returns:
        The withheld published cells (locked ones included) and whether the state is safe.
    """
    fixed = dict(locked or {})
    free = [c for c in published if c not in fixed]
    hidden = {c for c, h in fixed.items() if h} | {c for c in free if shown(counts[c], k) is None}
    shown_keys = {c for c, h in fixed.items() if not h} | set(free)
    top = max(counts.values(), default=0)
    calm = dict(steady or {})
    near: dict[Key, list[Line]] = {}
    for line in lines:
        for c in line.keys:
            near.setdefault(c, []).append(line)
    for _ in range(len(free) + 2):
        found = _check(counts, lines, k, top, calm, shown_keys, hidden, free)
        if found is None:
            return _settled(counts, lines, k, top, shown_keys, hidden, free, True)
        pick = _to_withhold(counts, found, near, set(free) - hidden)
        if pick is None:
            break
        hidden.add(pick)
    # Nothing small enough to withhold fixes it: withhold every free cell and check again.
    hidden |= set(free)
    safe = _check(counts, lines, k, top, calm, shown_keys, hidden, free) is None
    return _settled(counts, lines, k, top, shown_keys, hidden, free, safe)


def _check(
    counts: Mapping[Key, int],
    lines: Sequence[Line],
    k: int,
    top: int,
    steady: Mapping[Key, tuple[int, int]],
    shown_keys: set[Key],
    hidden: set[Key],
    free: Sequence[Key],
) -> Key | Line | None:
    """The state's first violation (None: safe). A withheld free cell a reader works out
    anyway is no violation unless it is small: it is shown in the end (``_settled``)."""
    b = bounds(counts, lines, shown_keys - hidden, top)
    moot = {c for c in free if c in hidden and b[c][0] == b[c][1]}
    moot = {c for c in moot if shown(counts[c], k) is not None}
    return _violation(counts, lines, b, k, shown_keys - hidden, hidden - moot, steady)


def _settled(
    counts: Mapping[Key, int],
    lines: Sequence[Line],
    k: int,
    top: int,
    shown_keys: set[Key],
    hidden: set[Key],
    free: Sequence[Key],
    safe: bool,
) -> Protected:
    # Withheld cells a reader works out anyway are shown: withholding them hides nothing,
    # and showing them adds nothing a reader did not have.
    b = bounds(counts, lines, shown_keys - hidden, top)
    moot = {c for c in free if c in hidden and b[c][0] == b[c][1]}
    moot = {c for c in moot if shown(counts[c], k) is not None}
    return Protected(frozenset(hidden - moot), safe)


def _to_withhold(
    counts: Mapping[Key, int],
    found: Key | Line,
    near: Mapping[Key, list[Line]],
    candidates: set[Key],
) -> Key | None:
    """The cell to withhold next: a shown free cell of a line through the offending cell
    (or of the offending line), parts before totals, the smallest non-zero first; failing
    that, of the lines next to those, nearest first."""
    start = list(found.keys) if isinstance(found, Line) else [found]
    seen_keys = set(start)
    frontier = start
    seen_lines: set[Line] = set()
    while frontier:
        here = [ln for c in frontier for ln in near.get(c, []) if ln not in seen_lines]
        seen_lines.update(here)
        parts = {p for ln in here for p in ln.parts if p in candidates}
        choice = _smallest(counts, sorted(parts, key=repr))
        if choice is None:
            choice = _smallest(counts, sorted({ln.total for ln in here} & candidates, key=repr))
        if choice is not None:
            return choice
        frontier = [c for ln in here for c in ln.keys if c not in seen_keys]
        seen_keys.update(frontier)
    return None


def _smallest(counts: Mapping[Key, int], keys: list[Key]) -> Key | None:
    # Non-zero before zero: a withheld zero protects less (it cannot go lower).
    ranked = sorted(keys, key=lambda c: (counts[c] == 0, counts[c], repr(c)))
    return ranked[0] if ranked else None
