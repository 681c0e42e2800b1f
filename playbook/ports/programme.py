"""The seams for the programme around the playbook (issue 20, part 2): the advisor council
(charter, members, meetings, options tracked to internally owned decisions), rotations
planned as programme objects, and the accountability loop (mentors' quarterly impact
reports, mentees' recounts of their learning objectives, and the named observer's
validation).

Every free text in these records is redacted before it reaches an adapter; the adapters
store what they are given. The types here are plain data, no I/O.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

# -- the advisor council -------------------------------------------------------------------


class OptionStatus(StrEnum):
    """Where an option the council raised stands: open until its internal owner decides."""

    OPEN = "open"
    DECIDED = "decided"  # the owner adopted it (the decision text says how)
    DECLINED = "declined"  # the owner chose not to (the decision text says why)


@dataclass(frozen=True)
class Charter:
    """What the council is for, what it may decide (advice only: decisions stay inside the
    organisation), and how often it meets. Texts redacted."""

    programme_id: str
    scope: str
    decision_rights: str
    cadence: str
    updated_by: str
    updated_at: dt.datetime


@dataclass(frozen=True)
class CouncilMember:
    """An advisor on the council: a user of the installation (``user_id``) or an external
    person known by a name only (``name``, redacted: others read it)."""

    member_id: str
    programme_id: str
    user_id: str | None
    name: str
    affiliation: str
    expertise: str
    active: bool
    added_at: dt.datetime


@dataclass(frozen=True)
class CouncilMeeting:
    """A council meeting, with the council-note documents written about it."""

    meeting_id: str
    programme_id: str
    held_on: dt.date
    topic: str
    note_ids: tuple[str, ...]
    created_by: str
    created_at: dt.datetime


@dataclass(frozen=True)
class CouncilOption:
    """An option the council raised, tracked to a decision by its internal owner."""

    option_id: str
    programme_id: str
    meeting_id: str | None
    text: str
    owner_id: str  # an internal member of the programme: the council advises, they decide
    status: OptionStatus
    decision: str
    raised_by: str
    raised_at: dt.datetime
    decided_at: dt.datetime | None = None


class Council(Protocol):
    """The council's charter, members, meetings and options, per programme."""

    def charter(self, programme_id: str) -> Charter | None:
        """The programme's charter, or None before one is written."""
        ...

    def set_charter(
        self, programme_id: str, scope: str, decision_rights: str, cadence: str, by: str
    ) -> Charter:
        """Write (or replace) the programme's charter."""
        ...

    def add_member(
        self,
        programme_id: str,
        user_id: str | None,
        name: str,
        affiliation: str,
        expertise: str,
    ) -> str:
        """Seat an advisor; returns the member id."""
        ...

    def members(self, programme_id: str, active_only: bool = True) -> list[CouncilMember]:
        """The council's members, in the order they joined."""
        ...

    def set_member_active(self, member_id: str, active: bool) -> CouncilMember:
        """Retire a member or bring them back (``StoreError`` for an unknown id)."""
        ...

    def add_meeting(
        self, programme_id: str, held_on: dt.date, topic: str, note_ids: Sequence[str], by: str
    ) -> str:
        """Record a meeting; returns its id."""
        ...

    def meeting(self, meeting_id: str) -> CouncilMeeting | None:
        """One meeting, or None."""
        ...

    def meetings(self, programme_id: str) -> list[CouncilMeeting]:
        """The programme's meetings, newest first."""
        ...

    def add_option(
        self, programme_id: str, meeting_id: str | None, text: str, owner_id: str, by: str
    ) -> str:
        """Track an option the council raised; returns its id (status open)."""
        ...

    def option(self, option_id: str) -> CouncilOption | None:
        """One option, or None."""
        ...

    def options(self, programme_id: str, status: OptionStatus | None = None) -> list[CouncilOption]:
        """The programme's options (of one status), oldest first."""
        ...

    def decide_option(self, option_id: str, status: OptionStatus, decision: str) -> CouncilOption:
        """Close an open option as decided or declined; ``StoreError`` when it is not open."""
        ...


# -- rotations -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PlannedRotation:
    """Two to four weeks in another function or market, anchored in a project: who goes,
    where, when, what for, who hosts them, and the debrief written after (a document id)."""

    rotation_id: str
    programme_id: str
    person_id: str
    function: str
    market: str
    start_date: dt.date
    end_date: dt.date
    anchor_project: str
    strategic_goal: str
    host_sponsor_id: str | None
    debrief_id: str | None
    created_by: str
    created_at: dt.datetime

    def status(self, today: dt.date) -> str:
        """ "planned", "under way" or "finished" on ``today``."""
        if today < self.start_date:
            return "planned"
        return "under way" if today <= self.end_date else "finished"

    @property
    def place(self) -> str:
        """The host function and market, as one phrase."""
        return ", ".join(x for x in (self.function, self.market) if x)


class Rotations(Protocol):
    """Planned rotations, per programme."""

    def add(
        self,
        programme_id: str,
        person_id: str,
        function: str,
        market: str,
        start_date: dt.date,
        end_date: dt.date,
        anchor_project: str,
        strategic_goal: str,
        host_sponsor_id: str | None,
        by: str,
    ) -> str:
        """Plan a rotation (fields already checked and redacted); returns its id."""
        ...

    def get(self, rotation_id: str) -> PlannedRotation | None:
        """One rotation, or None."""
        ...

    def listing(
        self, programme_ids: Iterable[str], person_id: str | None = None
    ) -> list[PlannedRotation]:
        """Rotations in these programmes (of one person), by start date."""
        ...

    def link_debrief(self, rotation_id: str, document_id: str | None) -> PlannedRotation:
        """Link the debrief written after (None unlinks); ``StoreError`` for an unknown id."""
        ...

    def cancel(self, rotation_id: str) -> None:
        """Remove a planned rotation (unknown ids are ignored)."""
        ...


# -- impact reports, recounts and validations -----------------------------------------------

_QUARTER = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")


def quarter_of(day: dt.date) -> str:
    """The quarter ``day`` falls in, as "2026-Q4"."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def parse_quarter(text: str) -> str:
    """A quarter as a person types it ("2026-Q4", "2026q4", "2026 Q4"), normalised.

    Raises:
        ValueError: It is not a quarter; the message shows the form.
    """
    m = _QUARTER.match(text or "")
    if not m:
        raise ValueError(f"{text!r} is not a quarter; write it like 2026-Q4")
    return f"{m.group(1)}-Q{m.group(2)}"


def quarter_days(quarter: str) -> tuple[dt.date, dt.date]:
    """The first and last day of a quarter ("2026-Q4")."""
    year, q = int(quarter[:4]), int(quarter[-1])
    start = dt.date(year, 3 * (q - 1) + 1, 1)
    end = dt.date(year + (q == 4), (3 * q) % 12 + 1, 1) - dt.timedelta(days=1)
    return start, end


@dataclass(frozen=True)
class ImpactReport:
    """A mentor's report for a quarter: an answer (redacted) per prompt of the quarterly
    impact prompt set; shared with the programme, or kept to its author."""

    report_id: str
    programme_id: str
    mentor_id: str
    quarter: str
    answers: Mapping[str, str] = field(default_factory=dict)
    shared: bool = False
    updated_at: dt.datetime | None = None


@dataclass(frozen=True)
class Recount:
    """A mentee's recount of one learning objective (how what they learnt informed what
    they did), the observer they named, and that observer's validation once given."""

    recount_id: str
    programme_id: str
    mentee_id: str
    objective_id: str
    objective: str  # the objective's text as it stood (redacted), so the recount reads alone
    quarter: str
    text: str
    observer_id: str
    shared: bool
    created_at: dt.datetime
    validation: str | None = None
    validated_at: dt.datetime | None = None


class Impact(Protocol):
    """Impact reports, recounts and validations, per programme."""

    def save_report(
        self,
        programme_id: str,
        mentor_id: str,
        quarter: str,
        answers: Mapping[str, str],
        shared: bool,
    ) -> ImpactReport:
        """Write the mentor's report for the quarter (one per mentor, programme, quarter:
        saving again replaces it)."""
        ...

    def report(self, programme_id: str, mentor_id: str, quarter: str) -> ImpactReport | None:
        """The mentor's report for the quarter, or None."""
        ...

    def reports(
        self, programme_ids: Iterable[str], quarter: str | None = None
    ) -> list[ImpactReport]:
        """Reports in these programmes (of one quarter), newest quarter first."""
        ...

    def add_recount(
        self,
        programme_id: str,
        mentee_id: str,
        objective_id: str,
        objective: str,
        quarter: str,
        text: str,
        observer_id: str,
        shared: bool,
    ) -> str:
        """Store a recount (texts redacted); returns its id."""
        ...

    def recount(self, recount_id: str) -> Recount | None:
        """One recount, or None."""
        ...

    def recounts(
        self,
        programme_ids: Iterable[str],
        mentee_id: str | None = None,
        observer_id: str | None = None,
        quarter: str | None = None,
    ) -> list[Recount]:
        """Recounts in these programmes, narrowed, newest first."""
        ...

    def validate(self, recount_id: str, statement: str) -> Recount:
        """Record the observer's statement; ``StoreError`` when the recount is unknown or
        already validated (a validation is given once and not rewritten)."""
        ...
