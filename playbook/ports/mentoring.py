"""The seams of the mentorship ecosystem (issue 20): profiles with their learning objectives,
and pairings with their sessions, touchpoints, private rematch reasons and suggestion log.

Every free text held here (expertise, availability, goals, objectives, touchpoint titles,
reasons) is redacted by the service before it reaches a port; people are user ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol


class ProfileRole(StrEnum):
    """What a profile offers or seeks in the programme."""

    MENTOR = "mentor"
    REVERSE_MENTOR = "reverse_mentor"  # more junior, advising a senior leader
    ADVISOR = "advisor"  # an external advisor
    MENTEE = "mentee"


GIVING_ROLES = frozenset({ProfileRole.MENTOR, ProfileRole.REVERSE_MENTOR, ProfileRole.ADVISOR})


class PairingState(StrEnum):
    """Where a pairing is (transitions: ``playbook.services.mentoring.pairings``)."""

    PROPOSED = "proposed"
    APPROVED = "approved"
    ACTIVE = "active"
    DECLINED = "declined"
    ENDED = "ended"


OPEN_STATES = frozenset({PairingState.PROPOSED, PairingState.APPROVED, PairingState.ACTIVE})


class Cycle(StrEnum):
    """The business cycle a touchpoint is planned against."""

    PRODUCT_LAUNCH = "product_launch"
    MARKET_REVIEW = "market_review"
    TALENT_REVIEW = "talent_review"
    OTHER = "other"


@dataclass(frozen=True)
class ObjectiveDraft:
    """A learning objective as given: its text and the strategic goal it serves (redacted)."""

    text: str
    goal: str = ""


@dataclass(frozen=True)
class Objective:
    """A stored learning objective; its id is stable, so recounts and validations can
    attach to it. A retired objective is no longer on the profile but keeps what is attached."""

    objective_id: str
    profile_id: str
    programme_id: str
    user_id: str
    text: str
    goal: str
    position: int
    retired: bool
    created_at: dt.datetime


@dataclass(frozen=True)
class ProfileDraft:
    """A profile as written or imported, before it is stored (texts already redacted)."""

    programme_id: str
    user_id: str
    role: ProfileRole
    expertise: str = ""
    industries: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    markets: tuple[str, ...] = ()
    style: str = ""
    languages: tuple[str, ...] = ()
    capacity: int = 0  # most pairings at once (givers); 0 for mentees
    availability: str = ""
    seniority: int = 1  # 1 (most junior) .. 9 (most senior)
    manager_id: str | None = None  # reporting line
    conflicts: tuple[str, ...] = ()  # user ids this person must not be paired with
    goals: str = ""  # a mentee's strategic goals
    objectives: tuple[ObjectiveDraft, ...] = ()


@dataclass(frozen=True)
class Profile:
    """A stored profile, with its current (not retired) objectives in order."""

    profile_id: str
    programme_id: str
    user_id: str
    role: ProfileRole
    expertise: str
    industries: tuple[str, ...]
    functions: tuple[str, ...]
    markets: tuple[str, ...]
    style: str
    languages: tuple[str, ...]
    capacity: int
    availability: str
    seniority: int
    manager_id: str | None
    conflicts: tuple[str, ...]
    goals: str
    updated_at: dt.datetime
    objectives: tuple[Objective, ...] = field(default=())


@dataclass(frozen=True)
class Pairing:
    """A giver (mentor, reverse mentor or advisor) and a mentee, and where they are."""

    pairing_id: str
    programme_id: str
    mentor_id: str
    mentee_id: str
    role: ProfileRole
    state: PairingState
    objective_ids: tuple[str, ...]
    min_sessions_per_quarter: int
    mentor_accepted: bool
    mentee_accepted: bool
    proposed_by: str
    approved_by: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    ended_at: dt.datetime | None = None


@dataclass(frozen=True)
class MentoringSession:
    """One session held by a pairing, optionally linked to a session-note document."""

    session_id: str
    pairing_id: str
    held_on: dt.date
    document_id: str | None
    logged_by: str
    created_at: dt.datetime


@dataclass(frozen=True)
class Touchpoint:
    """A planned touchpoint against a business cycle (title redacted)."""

    touchpoint_id: str
    pairing_id: str
    day: dt.date
    cycle: Cycle
    title: str
    created_at: dt.datetime


@dataclass(frozen=True)
class PrivateReason:
    """Why a pairing ended (chemistry, say): redacted, and readable only by the programme's
    coordinators and its author."""

    reason_id: str
    pairing_id: str
    author_id: str
    text: str
    created_at: dt.datetime


class Profiles(Protocol):
    """Mentoring profiles and learning objectives, per programme."""

    def save_profiles(self, drafts: Sequence[ProfileDraft]) -> list[str]:
        """Create or replace profiles (one per programme, user and role), all in one
        transaction: either every draft is stored or none. Objectives whose text is
        unchanged keep their ids; objectives no longer listed are retired, not deleted.
        Returns the profile ids, in the drafts' order."""
        ...

    def profile(self, profile_id: str) -> Profile | None:
        """One profile by id, or None."""
        ...

    def profiles(
        self, programme_id: str, role: ProfileRole | None = None, user_id: str | None = None
    ) -> list[Profile]:
        """A programme's profiles, optionally of one role and/or one person, by user id."""
        ...

    def objective(self, objective_id: str) -> Objective | None:
        """One objective by id (retired ones too), or None."""
        ...

    def objectives(self, programme_id: str, user_id: str | None = None) -> list[Objective]:
        """A programme's objectives, retired ones included, optionally of one person."""
        ...


class Pairings(Protocol):
    """Pairings and what hangs off them: sessions, touchpoints, reasons, suggestions."""

    def propose(
        self,
        programme_id: str,
        mentor_id: str,
        mentee_id: str,
        role: ProfileRole,
        objective_ids: Sequence[str],
        min_sessions_per_quarter: int,
        proposed_by: str,
    ) -> str:
        """Store a new pairing in the proposed state; returns its id."""
        ...

    def pairing(self, pairing_id: str) -> Pairing | None:
        """One pairing by id, or None."""
        ...

    def pairings(
        self,
        programme_id: str,
        user_id: str | None = None,
        states: Iterable[PairingState] | None = None,
    ) -> list[Pairing]:
        """A programme's pairings, oldest first; optionally those a person is in (either
        side) and/or in some states."""
        ...

    def update(self, pairing: Pairing, expected: PairingState) -> bool:
        """Write the pairing's state, acceptances, approver and end time, only if it is still
        in ``expected`` (a concurrent change wins and this returns False)."""
        ...

    def add_reason(self, pairing_id: str, author_id: str, text: str) -> str:
        """Keep a private reason (redacted) for a pairing; returns its id."""
        ...

    def reasons(self, pairing_id: str) -> list[PrivateReason]:
        """A pairing's private reasons, oldest first."""
        ...

    def log_session(
        self, pairing_id: str, held_on: dt.date, document_id: str | None, logged_by: str
    ) -> str:
        """Record a session held; returns its id."""
        ...

    def sessions(self, pairing_id: str) -> list[MentoringSession]:
        """A pairing's sessions, by date held."""
        ...

    def add_touchpoint(self, pairing_id: str, day: dt.date, cycle: Cycle, title: str) -> str:
        """Plan a touchpoint; returns its id."""
        ...

    def touchpoints(self, pairing_id: str) -> list[Touchpoint]:
        """A pairing's touchpoints, by day."""
        ...

    def record_suggestions(
        self, programme_id: str, mentee_id: str, mentor_ids: Sequence[str]
    ) -> None:
        """Note that these givers were suggested to this mentee (for the balance check)."""
        ...

    def suggestion_counts(self, programme_id: str, since: dt.datetime) -> dict[str, int]:
        """How often each giver was suggested in the programme since then."""
        ...
