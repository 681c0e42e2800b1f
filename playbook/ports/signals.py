"""The seams of the early-warning signals (issue 21, item 1): what a coordinator decided
about a signal (snoozed until a day, or resolved), and the two metadata-only reads the
signals need from the documents (when each person wrote, when each share was requested).

Signals themselves are computed on demand and never stored; only their state is. The reads
here return ids and dates, never a title or a body, so no text can leak into a signal.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol


class SignalStatus(StrEnum):
    """What a coordinator did with a signal."""

    SNOOZED = "snoozed"  # hidden until ``until``
    RESOLVED = "resolved"  # dealt with; back only if its cause fires anew (a new key)


@dataclass(frozen=True)
class SignalState:
    """The stored decision about one signal of a programme, by its stable key."""

    programme_id: str
    key: str
    status: SignalStatus
    until: dt.date | None  # the day a snoozed signal shows again
    by_id: str
    at: dt.datetime
    note: str = ""  # redacted before it is stored


@dataclass(frozen=True)
class ShareWait:
    """A share request awaiting a coordinator: whose document, since when (no text)."""

    document_id: str
    owner_id: str
    requested_at: dt.datetime


class SignalStates(Protocol):
    """Snoozed and resolved signals, per programme and key (one state per key)."""

    def snooze(self, programme_id: str, key: str, until: dt.date, by_id: str) -> SignalState:
        """Hide the signal until ``until`` (replaces any earlier state of the key)."""
        ...

    def resolve(self, programme_id: str, key: str, by_id: str, note: str) -> SignalState:
        """Mark the signal dealt with (``note`` already redacted; replaces any earlier
        state of the key)."""
        ...

    def reopen(self, programme_id: str, key: str) -> bool:
        """Forget the state of a key; True when there was one."""
        ...

    def states(self, programme_id: str) -> dict[str, SignalState]:
        """Every stored state of the programme, by key."""
        ...


class ActivityFacts(Protocol):
    """Metadata of the documents, read for the signals: dates and ids, never text."""

    def writing_days(
        self, programme_id: str, since: dt.date, kinds: Iterable[str]
    ) -> list[tuple[str, dt.date]]:
        """(owner id, day created) of each live document of these kinds in the programme
        created on or after ``since``."""
        ...

    def share_waits(self, programme_id: str) -> list[ShareWait]:
        """Share requests still pending in the programme, oldest first."""
        ...
