"""Property test of the inclusion audit's suppression: over drawn populations, attribute
values and activity in two quarters, every view the service offers (both attributes' tables
for each quarter, and the cross-tab) is checked against a reader who knows every shown
number at once and reasons exactly (a linear programme over the unknown counts):

- no shown cell describes 1 to k-1 people;
- no withheld cell can be worked out (its least and greatest possible values differ);
- no group a reader could form by differencing views (members minus writers, a margin
  minus a cross-tab cell, a total minus a group, over both quarters at once) has a
  count pinned to 1..k-1.

The reader's unknowns are, per quarter and activity, how many people of each pair of groups
did it or not, tied to the cross-tab cell of the pair (no view crosses two activities, so
these are all a reader can learn about).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from playbook.ports.inclusion import AttributeSpec
from playbook.services.health.figures import shown
from playbook.services.health.inclusion.audit import (
    METRICS,
    QuarterCells,
    Standing,
    quarter_cells,
    standing,
)

FUNCTION = AttributeSpec("function", "Function", ("Finance", "Sales", "Legal"))
LOCATION = AttributeSpec("location", "Location")  # free choice
SPECS = (FUNCTION, LOCATION)
QUARTERS = ("q1", "q2")
ACTS = [(q, m) for q in QUARTERS for m, _, _ in METRICS]


@dataclass(frozen=True)
class Person:
    """One drawn member: their declared values and what they did in each quarter."""

    uid: str
    values: dict[str, str | None]
    did: frozenset[tuple[str, str]]  # (quarter, metric)


def tally_of(people: Sequence[Person]):  # type: ignore[no-untyped-def]
    """The port's ``tally`` over the drawn people."""
    by_id = {p.uid: p for p in people}

    def tally(names: Sequence[str], among: Iterable[str]) -> dict[tuple[str | None, ...], int]:
        out: dict[tuple[str | None, ...], int] = {}
        for uid in set(among):
            key = tuple(by_id[uid].values.get(n) for n in names)
            out[key] = out.get(key, 0) + 1
        return out

    return tally


@st.composite
def populations(draw: st.DrawFn) -> tuple[list[Person], int]:
    k = draw(st.sampled_from([2, 3, 5]))
    n = draw(st.integers(0, 36))
    people = []
    for i in range(n):
        f = draw(st.sampled_from(["Finance", "Finance", "Sales", "Legal", None]))
        loc = draw(st.sampled_from(["Oslo", "Oslo", "Lima", "Pune", None]))
        did = frozenset(a for a in ACTS if draw(st.booleans()))
        people.append(Person(f"u{i}", {"function": f, "location": loc}, did))
    return people, k


class Reader:
    """What a reader knows (every shown number of every view) as linear constraints over
    the unknowns z[a, b] (members in group a of function and b of location) and
    x[act, a, b, did] (of those, who did or did not do the activity)."""

    def __init__(self, base: Standing) -> None:
        self.base = base
        self.ra = base.rows["function"].order
        self.rb = base.rows["location"].order
        self.index: dict[tuple[object, ...], int] = {}
        for a in self.ra:
            for b in self.rb:
                self._var(("z", a, b))
                for act in ACTS:
                    for d in (0, 1):
                        self._var(("x", act, a, b, d))
        self.rows: list[np.ndarray] = []
        self.rhs: list[float] = []
        for act in ACTS:  # each activity splits every cross-tab cell in two
            for a in self.ra:
                for b in self.rb:
                    self.equal({("x", act, a, b, 0): 1, ("x", act, a, b, 1): 1, ("z", a, b): -1}, 0)

    def _var(self, key: tuple[object, ...]) -> None:
        self.index[key] = len(self.index)

    def equal(self, coeffs: dict[tuple[object, ...], float], value: float) -> None:
        row = np.zeros(len(self.index))
        for key, c in coeffs.items():
            row[self.index[key]] += c
        self.rows.append(row)
        self.rhs.append(value)

    def group(self, cell: tuple[object, ...]) -> dict[tuple[object, ...], float]:
        """A published or implicit cell as a sum of unknowns."""
        kind = cell[0]
        if kind == "M":
            return {("z", a, b): 1 for a in self.ra for b in self.rb}
        if kind == "P":
            _, name, g = cell
            pairs = [(g, b) for b in self.rb] if name == "function" else [(a, g) for a in self.ra]
            return {("z", a, b): 1 for a, b in pairs}
        if kind == "C":
            _, _, _, a, b = cell
            return {("z", a, b): 1}
        if kind in ("T", "NT"):
            act, d = cell[1], int(kind == "T")
            return {("x", act, a, b, d): 1 for a in self.ra for b in self.rb}
        if kind in ("Y", "N"):
            _, name, act, g = cell
            d = int(kind == "Y")
            pairs = [(g, b) for b in self.rb] if name == "function" else [(a, g) for a in self.ra]
            return {("x", act, a, b, d): 1 for a, b in pairs}
        raise AssertionError(cell)

    def bounds(self, coeffs: dict[tuple[object, ...], float]) -> tuple[float, float]:
        """The least and greatest value of a sum of unknowns the reader cannot rule out."""
        c = np.zeros(len(self.index))
        for key, v in coeffs.items():
            c[self.index[key]] += v
        a_eq = np.array(self.rows) if self.rows else None
        b_eq = np.array(self.rhs) if self.rhs else None
        lo = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        hi = linprog(-c, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs")
        assert lo.status == 0 and hi.status == 0, "the true counts must be feasible"
        return lo.fun, -hi.fun


def pinned(lo: float, hi: float) -> int | None:
    """The one whole number in [lo, hi], or None when there are several."""
    first, last = math.ceil(lo - 1e-6), math.floor(hi + 1e-6)
    return first if first == last else None


def views(people: list[Person], k: int) -> tuple[Standing, dict[str, QuarterCells]]:
    members = {p.uid for p in people}
    tally = tally_of(people)
    base = standing(list(SPECS), members, tally, k)
    quarters = {
        q: quarter_cells(
            base,
            {m: {p.uid for p in people if (q, m) in p.did} for m, _, _ in METRICS},
            members,
            tally,
            k,
        )
        for q in QUARTERS
    }
    return base, quarters


def act_key(cell: tuple[object, ...], q: str) -> tuple[object, ...]:
    # The quarter's cells name the metric alone; the reader's unknowns name (quarter, metric).
    if cell[0] in ("T", "NT"):
        return (cell[0], (q, cell[1]))
    if cell[0] in ("Y", "N"):
        return (cell[0], cell[1], (q, cell[2]), cell[3])
    return cell


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(populations())
def test_no_view_or_pair_of_views_gives_away_a_small_group(drawn: tuple[list[Person], int]) -> None:
    people, k = drawn
    if len(people) < k:
        return  # the service shows nothing below k members (tested in test_inclusion)
    base, quarters = views(people, k)
    assert all(c.safe for c in quarters.values())
    reader = Reader(base)
    withheld: list[tuple[object, ...]] = []
    true: dict[tuple[object, ...], int] = {}
    for q, cells in quarters.items():
        for cell, count in cells.counts.items():
            key = act_key(cell, q)
            true[key] = count
            implicit = cell[0] in ("N", "NT")
            if implicit:
                continue
            if cell in cells.hidden:
                withheld.append(key)
            else:
                assert shown(count, k) is not None, f"{cell} shows {count} people"
                reader.equal(reader.group(key), count)
    # Differences a reader can form: each listed group is a set difference of two views.
    groups: dict[tuple[object, ...], dict[tuple[object, ...], float]] = {
        key: reader.group(key) for key in true
    }
    offered = ("function", "location") in base.pairs
    for a in reader.ra if offered else ():
        for b in reader.rb:
            cell = reader.group(("C", "function", "location", a, b))
            for name, g in (("function", a), ("location", b)):
                diff = dict(reader.group(("P", name, g)))
                for v in cell:
                    diff[v] -= 1
                groups[("P-C", name, g, a, b)] = diff
                true[("P-C", name, g, a, b)] = (
                    true[("P", name, g)] - true[("C", "function", "location", a, b)]
                )
    for name, rows in (("function", reader.ra), ("location", reader.rb)):
        for g in rows:
            for act in ACTS:
                diff = dict(reader.group(("T", act)))
                for v in reader.group(("Y", name, act, g)):
                    diff[v] -= 1
                groups[("T-Y", name, act, g)] = diff
                true[("T-Y", name, act, g)] = true[("T", act)] - true[("Y", name, act, g)]
    for key, coeffs in groups.items():
        if key not in withheld and shown(true[key], k) is not None:
            continue  # pinned or not, it can only be pinned at its true, safe size
        lo, hi = reader.bounds(coeffs)
        value = pinned(lo, hi)
        if key in withheld:
            assert value is None, f"withheld {key} can be worked out: {value}"
        if value is not None:
            assert shown(value, k) is not None, f"{key}: {value} people can be worked out"


@settings(max_examples=60, deadline=None)
@given(populations())
def test_a_rare_free_value_never_names_a_row(drawn: tuple[list[Person], int]) -> None:
    people, k = drawn
    base, _ = views(people, k)
    labels = set(base.rows["location"].labels.values()) - {"other values", "not declared"}
    for label in labels:
        assert sum(p.values["location"] == label for p in people) >= k
