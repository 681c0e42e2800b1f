"""The shape every programme-health figure takes, and the one rule for small groups.

A figure always says what period and what population it describes, so a sponsor reading a
number out of context still knows what it counts. A value of ``None`` means the figure was
withheld because it describes too few people; its ``note`` says so in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from playbook.models import Principal
from playbook.ports.programme import quarter_days, quarter_of

TOO_FEW = "too few answers to show"
Cell = str | int | float | None


@dataclass(frozen=True)
class Period:
    """The days a figure covers, first and last included."""

    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after the day it starts")

    @property
    def label(self) -> str:
        """The period as people read it: "2026-09-01 to 2026-11-30"."""
        return f"{self.start.isoformat()} to {self.end.isoformat()}"

    def holds(self, day: dt.date | dt.datetime) -> bool:
        """Whether ``day`` (a date, or a moment's date) falls inside the period."""
        when = day.date() if isinstance(day, dt.datetime) else day
        return self.start <= when <= self.end

    @classmethod
    def last_days(cls, today: dt.date, days: int) -> Period:
        """The ``days`` days ending ``today``."""
        return cls(today - dt.timedelta(days=days - 1), today)


@dataclass(frozen=True)
class Figure:
    """One number about the programme, with what it covers."""

    label: str
    value: int | float | None  # None: withheld (too few people)
    period: str
    population: str
    note: str = ""

    def as_dict(self) -> dict[str, object]:
        """The figure as JSON-ready data."""
        return {
            "label": self.label,
            "value": self.value,
            "period": self.period,
            "population": self.population,
            "note": self.note,
        }


@dataclass(frozen=True)
class Table:
    """Rows of figures under shared columns; a ``None`` cell was withheld."""

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    period: str
    population: str
    note: str = ""

    def as_dict(self) -> dict[str, object]:
        """The table as JSON-ready data."""
        return {
            "title": self.title,
            "columns": list(self.columns),
            "rows": [list(r) for r in self.rows],
            "period": self.period,
            "population": self.population,
            "note": self.note,
        }


@dataclass(frozen=True)
class Section:
    """One source's part of the health report (signals, surveys, coverage, inclusion)."""

    key: str
    title: str
    figures: tuple[Figure, ...] = ()
    tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = field(default=())

    def as_dict(self) -> dict[str, object]:
        """The section as JSON-ready data."""
        return {
            "key": self.key,
            "title": self.title,
            "figures": [f.as_dict() for f in self.figures],
            "tables": [t.as_dict() for t in self.tables],
            "notes": list(self.notes),
        }


def shown(count: int, min_group: int) -> int | None:
    """``count`` when it describes at least ``min_group`` people, else ``None`` (withheld).

    Zero is shown: "nobody" singles nobody out.
    """
    return count if count == 0 or count >= min_group else None


def suppress(counts: Mapping[str, int], min_group: int) -> dict[str, int | None]:
    """Counts of one breakdown with every small cell withheld, and enough others withheld
    that no withheld cell can be worked out from the total.

    A cell of 1 to ``min_group - 1`` people is withheld (primary suppression). When exactly
    one cell is withheld, the total minus the shown cells would give it away, so the next
    smallest shown non-zero cell is withheld too (secondary suppression); when that cell
    alone plus the first is still below ``min_group``, the next is withheld as well.

    Args:
        counts: People per category of one breakdown (each person in one category).
        min_group: The smallest group a shown cell may describe.

    Returns:
        The same categories, each with its count or ``None``.
    """
    out: dict[str, int | None] = {k: shown(v, min_group) for k, v in counts.items()}
    hidden = [k for k, v in out.items() if v is None]
    if not hidden:
        return out
    # The withheld cells together must describe at least min_group people, and there must
    # be at least two of them, or the total gives them away.
    candidates = sorted((v, k) for k, v in counts.items() if out[k] is not None and v > 0)
    while candidates and (len(hidden) < 2 or sum(counts[k] for k in hidden) < min_group):
        _, key = candidates.pop(0)
        out[key] = None
        hidden.append(key)
    return out


def suppressed_total(counts: Sequence[int], min_group: int) -> int | None:
    """The sum of ``counts``, withheld when it describes fewer than ``min_group`` people."""
    return shown(sum(counts), min_group)


def latest_ended_quarter(today: dt.date) -> str:
    """The last calendar quarter that has ended before ``today`` ("2026-Q3")."""
    start, _ = quarter_days(quarter_of(today))
    return quarter_of(start - dt.timedelta(days=1))


def ended_quarter(period: Period, today: dt.date) -> str:
    """The whole calendar quarter a count of people asked for ``period`` covers instead.

    Counts of people over any days asked for can be differenced: two periods a day apart
    that show 6 writers, then 5, say that one person wrote on that day. Counted over whole
    quarters that have ended, every period gives one of a few fixed views. The quarter is
    the last one ended by the period's end (the one ending on that day, if it does), or the
    latest ended before ``today`` when that one has not ended yet.

    Args:
        period: The days asked for.
        today: Today; a quarter ends once its last day is before today.

    Returns:
        The quarter's name, as "2026-Q3".
    """
    start, last = quarter_days(quarter_of(period.end))
    q = quarter_of(period.end if period.end == last else start - dt.timedelta(days=1))
    if quarter_days(q)[1] >= today:
        q = latest_ended_quarter(today)
    return q


def quarter_period(quarter: str) -> Period:
    """The days of a quarter ("2026-Q3") as a ``Period``."""
    return Period(*quarter_days(quarter))


class SectionSource(Protocol):
    """A health source's part of the report: its figures for one programme and period, as
    ``principal`` may see them (sponsors and champions get counts; coordinators and stewards
    may also see what to act on)."""

    def section(self, principal: Principal, programme_id: str, period: Period) -> Section:
        """The source's figures; raises ``NotAllowedError`` unless ``principal`` may view
        the programme's health."""
        ...
