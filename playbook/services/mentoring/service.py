"""The mentoring programme's use cases (issue 20), facade ``MentoringService``: profiles
(from ``ProfileUseCases``), explained suggestions with a balance check, pairings from
proposal to active and on to a rematch, sessions against the commitment, touchpoints and
their calendar. Every permission is asked of ``playbook.permissions``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from playbook.models import Kind, Principal, RedactionPolicy
from playbook.permissions import Action, Target, allows, check
from playbook.ports import Audit, Directory, Documents, Embedder, Redactor
from playbook.ports.mentoring import (
    GIVING_ROLES,
    OPEN_STATES,
    Cycle,
    MentoringSession,
    Pairing,
    Pairings,
    PairingState,
    PrivateReason,
    Profile,
    ProfileRole,
    Profiles,
    Touchpoint,
)
from playbook.services.mentoring import cadence, matching
from playbook.services.mentoring import pairings as transitions
from playbook.services.mentoring.errors import MentoringError
from playbook.services.mentoring.profiles import ProfileUseCases

BALANCE_WINDOW = dt.timedelta(days=90)
MAX_REASON_CHARS = 2000
MAX_TITLE_CHARS = 200


@dataclass(frozen=True)
class SuggestionReport:
    """Ranked suggestions for a mentee, and who was left out and why."""

    mentee: str
    suggestions: tuple[matching.Suggestion, ...]
    excluded: tuple[matching.Exclusion, ...]
    names: dict[str, str]  # user id → username, for showing them


@dataclass(frozen=True)
class PairingView:
    """A pairing as pages show it, with its sessions against the commitment."""

    pairing: Pairing
    mentor: str
    mentee: str
    progress: cadence.Progress
    sessions: tuple[MentoringSession, ...]
    touchpoints: tuple[Touchpoint, ...]
    objectives: tuple[str, ...]  # the texts of the objectives it serves (redacted)


class MentoringService(ProfileUseCases):
    """Profiles, matching, pairings, sessions and touchpoints of mentoring programmes."""

    def __init__(
        self,
        profiles: Profiles,
        pairings: Pairings,
        directory: Directory,
        documents: Documents,
        redactor: Redactor,
        embedder: Callable[[], Embedder],
        audit: Audit | None = None,
        policy_for: Callable[[str], RedactionPolicy] | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        super().__init__(profiles, directory, redactor, audit, policy_for)
        self.pairings_store = pairings
        self.documents = documents
        self._embedder = embedder  # asked for on first use: listing pairings loads no model
        self._today = today

    # -- matching --------------------------------------------------------------------------

    def suggest(
        self,
        principal: Principal,
        slug: str,
        mentee: str,
        role: ProfileRole = ProfileRole.MENTOR,
        limit: int = 5,
    ) -> SuggestionReport:
        """Ranked, explained suggestions of givers of ``role`` for ``mentee``'s objectives.

        Args:
            principal: A coordinator or steward of the programme.
            slug: The programme.
            mentee: The mentee's username.
            role: Mentor, reverse mentor or advisor.
            limit: How many suggestions at most (1–20).

        Returns:
            The suggestions (logged for the balance check) and the exclusions.
        """
        programme_id = self.programme(principal, slug, Action.MATCH)
        if role not in GIVING_ROLES:
            raise MentoringError("suggestions are of mentors, reverse mentors or advisors")
        if not 1 <= limit <= 20:
            raise MentoringError("ask for 1 to 20 suggestions")
        mentee_profile = self._mentee(programme_id, mentee)
        everyone = self.profiles_store.profiles(programme_id)
        managers = {p.user_id: p.manager_id for p in everyone if p.manager_id}
        history = self.pairings_store.pairings(programme_id)
        loads = _loads(history)
        seen = self.pairings_store.suggestion_counts(
            programme_id, dt.datetime.now(dt.UTC) - BALANCE_WINDOW
        )
        candidates, excluded = [], []
        for p in everyone:
            if p.role is not role:
                continue
            c = matching.Candidate(p, loads.get(p.user_id, 0), seen.get(p.user_id, 0))
            why = matching.constraint(mentee_profile, c, managers, history)
            if why is None:
                candidates.append(c)
            else:
                excluded.append(matching.Exclusion(p.user_id, why))
        objectives = mentee_profile.objectives
        scored: list[matching.Suggestion] = []
        if candidates:
            texts = [o.text for o in objectives] + [_expertise_text(c) for c in candidates]
            vectors = self._embedder().embed(texts)
            goals, expertise = vectors[: len(objectives)], vectors[len(objectives) :]
            scored = [
                matching.score(mentee_profile, c, objectives, goals, e)
                for c, e in zip(candidates, expertise, strict=True)
            ]
        kinds = {c.profile.user_id: matching.background(c.profile) for c in candidates}
        ranked = matching.diversify(scored, kinds, limit)
        self.pairings_store.record_suggestions(
            programme_id, mentee_profile.user_id, [s.mentor_id for s in ranked]
        )
        ids = {s.mentor_id for s in ranked} | {e.mentor_id for e in excluded}
        names = self.directory.usernames(ids | {mentee_profile.user_id})
        return SuggestionReport(mentee, tuple(ranked), tuple(excluded), names)

    def balance(self, principal: Principal, slug: str) -> matching.Concentration:
        """How concentrated recent suggestions are on a few givers (coordinators, stewards).

        Args:
            principal: A coordinator or steward.
            slug: The programme.

        Returns:
            The concentration report over the balance window.
        """
        programme_id = self.programme(principal, slug, Action.MATCH)
        givers = [p for p in self.profiles_store.profiles(programme_id) if p.role in GIVING_ROLES]
        seen = self.pairings_store.suggestion_counts(
            programme_id, dt.datetime.now(dt.UTC) - BALANCE_WINDOW
        )
        return matching.concentration(
            givers, seen, _loads(self.pairings_store.pairings(programme_id))
        )

    # -- pairings --------------------------------------------------------------------------

    def propose(
        self,
        principal: Principal,
        slug: str,
        mentor: str,
        mentee: str,
        role: ProfileRole = ProfileRole.MENTOR,
        min_sessions: int = 2,
    ) -> str:
        """Propose a pairing; the hard constraints are checked again here.

        Args:
            principal: A coordinator or steward.
            slug: The programme.
            mentor: The giver's username.
            mentee: The mentee's username.
            role: The giver's role in the pairing.
            min_sessions: Sessions per quarter they commit to (1–12).

        Returns:
            The new pairing's id.
        """
        programme_id = self.programme(principal, slug, Action.MATCH)
        if not 1 <= min_sessions <= 12:
            raise MentoringError("the commitment is 1 to 12 sessions per quarter")
        mentee_profile = self._mentee(programme_id, mentee)
        mentor_id = self.directory.user_ids([mentor]).get(mentor.strip().casefold())
        givers = self.profiles_store.profiles(programme_id, role, mentor_id) if mentor_id else []
        if not givers:
            raise MentoringError(f"{mentor} has no {role.value} profile in this programme")
        everyone = self.profiles_store.profiles(programme_id)
        history = self.pairings_store.pairings(programme_id)
        managers = {p.user_id: p.manager_id for p in everyone if p.manager_id}
        candidate = matching.Candidate(givers[0], _loads(history).get(givers[0].user_id, 0), 0)
        why = matching.constraint(mentee_profile, candidate, managers, history)
        if why:
            raise MentoringError(f"{mentor} cannot be paired with {mentee}: {why}")
        pairing_id = self.pairings_store.propose(
            programme_id,
            givers[0].user_id,
            mentee_profile.user_id,
            role,
            [o.objective_id for o in mentee_profile.objectives],
            min_sessions,
            principal.user_id,
        )
        self._record(principal, "mentoring pairing proposed", pairing_id)
        return pairing_id

    def approve(self, principal: Principal, pairing_id: str) -> Pairing:
        """A coordinator's or steward's approval of a proposed pairing."""
        p = self._pairing(pairing_id)
        check(principal, Action.MANAGE_PROGRAMME, Target.programme(p.programme_id))
        return self._move(principal, p, transitions.approve(p, principal.user_id), "approved")

    def accept(self, principal: Principal, pairing_id: str) -> Pairing:
        """One of the two people accepts an approved pairing (both: it is active)."""
        p = self._pairing(pairing_id)
        check(principal, Action.RESPOND, _target(p))
        return self._move(principal, p, transitions.accept(p, principal.user_id), "accepted")

    def decline(self, principal: Principal, pairing_id: str) -> Pairing:
        """One of the two people declines a pairing that is not yet active."""
        p = self._pairing(pairing_id)
        check(principal, Action.RESPOND, _target(p))
        return self._move(principal, p, transitions.decline(p), "declined")

    def end(self, principal: Principal, pairing_id: str, reason: str = "") -> Pairing:
        """End an open pairing (one of its people, or a coordinator or steward). A reason, if
        given, is kept privately: a rematch when chemistry fails. The mentee can then be
        matched again; this giver is not suggested to them again.

        Args:
            principal: One of the pair, or a coordinator or steward.
            pairing_id: The pairing.
            reason: Why (redacted; read only by the programme's coordinators and its author).

        Returns:
            The ended pairing.
        """
        p = self._pairing(pairing_id)
        if not allows(principal, Action.RESPOND, _target(p)):
            check(principal, Action.MANAGE_PROGRAMME, Target.programme(p.programme_id))
        if len(reason) > MAX_REASON_CHARS:
            raise MentoringError(f"keep the reason under {MAX_REASON_CHARS} characters")
        ended = self._move(principal, p, transitions.end(p), "ended")
        if reason.strip():
            [redacted] = self.redact(principal, [reason.strip()])
            self.pairings_store.add_reason(pairing_id, principal.user_id, redacted)
            self._record(principal, "mentoring rematch reason given", pairing_id)
        return ended

    def reasons(self, principal: Principal, pairing_id: str) -> list[PrivateReason]:
        """The private reasons ``principal`` may read (their own; all, for coordinators);
        each read is audited."""
        p = self._pairing(pairing_id)
        visible = [
            r
            for r in self.pairings_store.reasons(pairing_id)
            if allows(
                principal,
                Action.VIEW_REASON,
                Target(programme_id=p.programme_id, owner_id=r.author_id),
            )
        ]
        if visible:
            self._record(principal, "mentoring rematch reason viewed", pairing_id)
        return visible

    # -- commitments and cadence ------------------------------------------------------------

    def log_session(
        self,
        principal: Principal,
        pairing_id: str,
        held_on: dt.date,
        document_id: str | None = None,
    ) -> str:
        """Log a session an active pairing held, optionally linking its session note.

        Args:
            principal: One of the pair, or a coordinator or steward.
            pairing_id: The pairing.
            held_on: When (not in the future).
            document_id: A session-note document the principal may read, if any.

        Returns:
            The session's id.
        """
        p = self._pairing(pairing_id)
        check(principal, Action.LOG_SESSION, _target(p))
        if p.state is not PairingState.ACTIVE:
            raise MentoringError(
                f"sessions are logged for active pairings; this one is {p.state.value}"
            )
        if held_on > self._today():
            raise MentoringError("a session is logged once it has been held (the date is ahead)")
        if document_id:
            info = self.documents.document(document_id.strip())
            readable = info is not None and allows(principal, Action.READ, Target.document(info))
            if info is None or not readable:
                raise MentoringError(f"no session note {document_id!r} you can read")
            if info.kind is not Kind.SESSION_NOTE:
                raise MentoringError(f"{document_id!r} is a {info.kind.value}, not a session note")
        return self.pairings_store.log_session(
            pairing_id, held_on, document_id.strip() if document_id else None, principal.user_id
        )

    def plan_touchpoint(
        self, principal: Principal, pairing_id: str, day: dt.date, cycle: Cycle, title: str = ""
    ) -> str:
        """Plan a touchpoint against a business cycle (the title is redacted)."""
        p = self._pairing(pairing_id)
        check(principal, Action.LOG_SESSION, _target(p))
        if p.state not in OPEN_STATES:
            raise MentoringError(f"this pairing is {p.state.value}; plan touchpoints for open ones")
        if len(title) > MAX_TITLE_CHARS:
            raise MentoringError(f"keep the title under {MAX_TITLE_CHARS} characters")
        [text] = self.redact(principal, [title.strip()])
        return self.pairings_store.add_touchpoint(pairing_id, day, cycle, text)

    def pairings(self, principal: Principal, slug: str, mine: bool = False) -> list[PairingView]:
        """The programme's pairings with sessions against their commitment (members).

        Args:
            principal: A member of the programme.
            slug: The programme.
            mine: Only the pairings ``principal`` is in.

        Returns:
            The pairings, oldest first.
        """
        programme_id = self.programme(principal, slug, Action.VIEW_PROGRAMME)
        found = self.pairings_store.pairings(programme_id, principal.user_id if mine else None)
        names = self.directory.usernames({u for p in found for u in (p.mentor_id, p.mentee_id)})
        objectives = {o.objective_id: o.text for o in self.profiles_store.objectives(programme_id)}
        today = self._today()
        views = []
        for p in found:
            sessions = self.pairings_store.sessions(p.pairing_id)
            views.append(
                PairingView(
                    p,
                    names.get(p.mentor_id, "?"),
                    names.get(p.mentee_id, "?"),
                    cadence.progress(sessions, p.min_sessions_per_quarter, today),
                    tuple(sessions),
                    tuple(self.pairings_store.touchpoints(p.pairing_id)),
                    tuple(objectives[o] for o in p.objective_ids if o in objectives),
                )
            )
        return views

    def calendar(self, principal: Principal, slug: str) -> str:
        """An ``.ics`` of the touchpoints of the pairings ``principal`` is in, or of every
        pairing of the programme for its coordinators and stewards."""
        programme_id = self.programme(principal, slug, Action.VIEW_PROGRAMME)
        everyone = allows(principal, Action.MANAGE_PROGRAMME, Target.programme(programme_id))
        events: list[cadence.CalendarEvent] = []
        for view in self.pairings(principal, slug, mine=not everyone):
            between = f"{view.mentor} and {view.mentee}"
            events += cadence.touchpoint_events(view.touchpoints, between)
        name = f"Mentoring: {self.directory.programme_name(programme_id)}"
        return cadence.ics(events, dt.datetime.now(dt.UTC), name)

    # -- helpers --------------------------------------------------------------------------

    def _mentee(self, programme_id: str, username: str) -> Profile:
        user_id = self.directory.user_ids([username]).get(username.strip().casefold())
        found = (
            self.profiles_store.profiles(programme_id, ProfileRole.MENTEE, user_id)
            if user_id
            else []
        )
        if not found:
            raise MentoringError(f"{username} has no mentee profile in this programme")
        if not found[0].objectives:
            raise MentoringError(f"{username} has no learning objectives to match on")
        return found[0]

    def _pairing(self, pairing_id: str) -> Pairing:
        p = self.pairings_store.pairing(pairing_id.strip())
        if p is None:
            raise MentoringError(f"no pairing {pairing_id!r}")
        return p

    def _move(self, principal: Principal, old: Pairing, new: Pairing, what: str) -> Pairing:
        if not self.pairings_store.update(new, old.state):
            raise MentoringError("someone changed this pairing meanwhile; look again and retry")
        self._record(principal, f"mentoring pairing {what}", old.pairing_id)
        return new

    def _record(self, principal: Principal, action: str, subject: str) -> None:
        if self.audit is not None:
            self.audit.record(principal.username, action, subject)


def _target(p: Pairing) -> Target:
    return Target.pairing(p.programme_id, p.mentor_id, p.mentee_id)


def _loads(history: list[Pairing]) -> dict[str, int]:
    loads: dict[str, int] = {}
    for p in history:
        if p.state in OPEN_STATES:
            loads[p.mentor_id] = loads.get(p.mentor_id, 0) + 1
    return loads


def _expertise_text(c: matching.Candidate) -> str:
    # What the model compares objectives with: the expertise, and what they know.
    p = c.profile
    known = ", ".join(p.functions + p.markets + p.industries)
    return f"{p.expertise}. {known}" if known else p.expertise
