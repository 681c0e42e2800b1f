"""Early-warning signals for coordinators (issue 21, item 1): computed on demand from the
programme's metadata and counts (``kinds``), listed with why each fired and what to do,
snoozed until a day or resolved with an optional note (redacted). Sponsors and champions
get only counts per kind (``section``), never a name or a key. Every view is audited.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace

from playbook.models import EntryStatus, Kind, Principal
from playbook.permissions import Action, Target, check, programmes
from playbook.ports import Audit, Directory, Entries, Redactor
from playbook.ports.mentoring import Pairings, PairingState
from playbook.ports.programme import Rotations
from playbook.ports.signals import ActivityFacts, SignalStates
from playbook.services.health.figures import Figure, Period, Section, Table, shown
from playbook.services.health.signals import kinds as k
from playbook.services.health.signals.kinds import Signal, SignalKind, Thresholds
from playbook.services.programme_base import Boundary, PolicyFor, ProgrammeError, clean

MAX_NOTE = 1000
MAX_SNOOZE_DAYS = 366
# Reflections are the writer's journal entries: the rhythm counts these, by date only.
RHYTHM_KINDS = (Kind.JOURNAL.value,)
_POPULATION = {
    SignalKind.QUIET_PAIRING: "active pairings",
    SignalKind.BEHIND_COMMITMENT: "active pairings",
    SignalKind.RHYTHM_DROP: "writers with a usual rhythm (4 or more reflections in 12 weeks)",
    SignalKind.MISSING_DEBRIEF: "planned rotations",
    SignalKind.REVIEW_OVERDUE: "published playbook entries",
    SignalKind.SHARE_WAITING: "pending share requests",
}


@dataclass(frozen=True)
class Board:
    """A programme's signals on a day, as a coordinator or steward sees them."""

    programme_id: str
    today: dt.date
    open: tuple[Signal, ...]
    snoozed: tuple[Signal, ...]
    resolved: tuple[Signal, ...]
    names: dict[str, str]  # usernames of the people who snoozed or resolved

    def as_dict(self) -> dict[str, object]:
        """The board as JSON-ready data."""
        return {
            "programme_id": self.programme_id,
            "today": self.today.isoformat(),
            **{
                part: [s.as_dict(self.today, self.names) for s in getattr(self, part)]
                for part in ("open", "snoozed", "resolved")
            },
        }


class SignalService:
    """Use cases of the early-warning signals."""

    def __init__(
        self,
        states: SignalStates,
        facts: ActivityFacts,
        pairings: Pairings,
        rotations: Rotations,
        entries: Entries,
        directory: Directory,
        redactor: Redactor,
        thresholds: Thresholds,
        min_group: int = 5,
        audit: Audit | None = None,
        policy_for: PolicyFor | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.states = states
        self.facts = facts
        self.pairings = pairings  # read here (written by mentoring, rotations, curation)
        self.rotations = rotations
        self.entries = entries
        self.thresholds = thresholds
        self.min_group = min_group
        self._audit = audit
        self._today = today
        self._at = Boundary(directory, redactor, policy_for)

    def programme(self, who: Principal, slug_or_id: str = "") -> str:
        """The programme id ``who`` means (by slug or id; their only one when empty)."""
        return self._at.programme(slug_or_id, who.programme_ids)

    def watched(self, who: Principal) -> list[str]:
        """The programmes whose signals ``who`` may watch, sorted."""
        return sorted(programmes(who, Action.WATCH_SIGNALS))

    # -- computing ------------------------------------------------------------------------

    def signals(self, programme_id: str, today: dt.date) -> list[Signal]:
        """Every signal firing in the programme on ``today``, with its stored state, in
        kind order then oldest cause first. No permission check: callers check."""
        t = self.thresholds
        active = self.pairings.pairings(programme_id, states=[PairingState.ACTIVE])
        with_sessions = [(p, self.pairings.sessions(p.pairing_id)) for p in active]
        base_from = today - dt.timedelta(days=7 * (k.RECENT_WEEKS + k.BASE_WEEKS))
        writing = self.facts.writing_days(programme_id, base_from, RHYTHM_KINDS)
        rotations = self.rotations.listing([programme_id])
        entries = self.entries.listing([programme_id], [EntryStatus.PUBLISHED])
        waits = [w for w in self.facts.share_waits(programme_id) if w.requested_at.date() <= today]
        people = {p.mentor_id for p in active} | {p.mentee_id for p in active}
        people |= {o for o, _ in writing} | {r.person_id for r in rotations}
        people |= {e.owner_id for e in entries} | {w.owner_id for w in waits}
        names = self._at.names(sorted(people))
        found = [
            *k.quiet_pairings(with_sessions, names, today, t),
            *k.behind_commitment(with_sessions, names, today),
            *k.rhythm_drops(writing, self._at.directory.member_ids(programme_id), names, today, t),
            *k.missing_debriefs(rotations, names, today, t),
            *k.overdue_reviews(entries, names, today),
            *k.waiting_shares(waits, names, today, t),
        ]
        states = self.states.states(programme_id)
        found = [replace(s, state=states.get(s.key)) for s in found]
        return sorted(found, key=lambda s: (k.ORDER[s.kind], s.since, s.key))

    # -- coordinators and stewards --------------------------------------------------------

    def board(self, who: Principal, programme_id: str) -> Board:
        """The programme's signals today, open, snoozed and resolved apart (audited).

        Raises:
            NotAllowedError: ``who`` is not a coordinator or steward of the programme.
        """
        check(who, Action.WATCH_SIGNALS, Target.programme(programme_id))
        today = self._today()
        found = self.signals(programme_id, today)
        parts: dict[str, list[Signal]] = {"open": [], "snoozed": [], "resolved": []}
        for s in found:
            parts[s.status(today)].append(s)
        names = self._at.names([s.state.by_id for s in found if s.state])
        self._record(
            who,
            "view signals",
            programme_id,
            ", ".join(f"{len(v)} {part}" for part, v in parts.items()),
        )
        return Board(
            programme_id,
            today,
            tuple(parts["open"]),
            tuple(parts["snoozed"]),
            tuple(parts["resolved"]),
            names,
        )

    def snooze(self, who: Principal, programme_id: str, key: str, until: dt.date | str) -> Signal:
        """Hide a firing signal until ``until`` (it shows again on that day).

        Raises:
            NotAllowedError: ``who`` may not watch the programme's signals.
            ProgrammeError: The date is not a day after today (within a year), or no signal
                with this key fires in the programme now.
        """
        check(who, Action.WATCH_SIGNALS, Target.programme(programme_id))
        today = self._today()
        day = _day(until)
        if day <= today:
            raise ProgrammeError(
                f"snooze until a day after today ({today}); {day} is not (nothing changed)"
            )
        if (day - today).days > MAX_SNOOZE_DAYS:
            raise ProgrammeError(
                f"snooze for at most a year (until {today + dt.timedelta(days=MAX_SNOOZE_DAYS)}"
                "); resolve the signal instead if it needs no more attention"
            )
        signal = self._firing(programme_id, key, today)
        state = self.states.snooze(programme_id, signal.key, day, who.user_id)
        self._record(who, "snooze signal", programme_id, f"{signal.key} until {day}")
        return replace(signal, state=state)

    def resolve(self, who: Principal, programme_id: str, key: str, note: str = "") -> Signal:
        """Mark a firing signal dealt with, with an optional note (redacted before it is
        stored). It comes back only if its cause fires anew (a new key).

        Raises:
            NotAllowedError: ``who`` may not watch the programme's signals.
            ProgrammeError: The note is too long, or no signal with this key fires now.
        """
        check(who, Action.WATCH_SIGNALS, Target.programme(programme_id))
        text = clean(note, "the note", MAX_NOTE, required=False)
        signal = self._firing(programme_id, key, self._today())
        [redacted] = self._at.redact(who.user_id, [text])
        state = self.states.resolve(programme_id, signal.key, who.user_id, redacted)
        self._record(who, "resolve signal", programme_id, signal.key)
        return replace(signal, state=state)

    def reopen(self, who: Principal, programme_id: str, key: str) -> None:
        """Show a snoozed or resolved signal again now.

        Raises:
            NotAllowedError: ``who`` may not watch the programme's signals.
            ProgrammeError: The key has no snooze or resolution in the programme.
        """
        check(who, Action.WATCH_SIGNALS, Target.programme(programme_id))
        if not self.states.reopen(programme_id, (key or "").strip()):
            raise ProgrammeError(
                f"{key!r} is neither snoozed nor resolved in this programme (see "
                "`playbook signals list`)"
            )
        self._record(who, "reopen signal", programme_id, key.strip())

    # -- sponsors and champions: counts only ----------------------------------------------

    def section(self, principal: Principal, programme_id: str, period: Period) -> Section:
        """Counts of signals per kind on the period's last day (or today, if sooner): open,
        snoozed and resolved, with no name, key or sentence. Every count from 1 to
        ``min_group - 1`` is withheld: each signal is about a person or a pair (a quiet
        pairing, a late debrief, a writer), and a reader who knows the programme could tell
        whose a small count is (audited).

        Raises:
            NotAllowedError: ``principal`` may not view the programme's health.
        """
        check(principal, Action.VIEW_HEALTH, Target.programme(programme_id))
        on = min(period.end, self._today())
        tally = {kind: {"open": 0, "snoozed": 0, "resolved": 0} for kind in SignalKind}
        for s in self.signals(programme_id, on):
            tally[s.kind][s.status(on)] += 1
        cells = {
            kind: {part: shown(n, self.min_group) for part, n in parts.items()}
            for kind, parts in tally.items()
        }
        note = f"Signals open on {on} (the period's last day, or today if sooner)."
        withheld = f"{note} Withheld: fewer than {self.min_group} to show."
        figures = tuple(
            Figure(
                label=kind.label,
                value=cells[kind]["open"],
                period=period.label,
                population=_POPULATION[kind],
                note=note if cells[kind]["open"] is not None else withheld,
            )
            for kind in SignalKind
        )
        table = Table(
            title="Signals by kind",
            columns=("Kind", "Open", "Snoozed", "Resolved"),
            rows=tuple((kind.label, *cells[kind].values()) for kind in SignalKind),
            period=period.label,
            population="the programme's pairings, writers, rotations, entries and share requests",
            note=f"{note} A count below {self.min_group} is withheld (empty).",
        )
        self._record(principal, "view health", programme_id, f"signals {period.label}")
        return Section(
            key="signals",
            title="Early-warning signals",
            figures=figures,
            tables=(table,),
            notes=(
                "Counted from activity metadata only (dates, states, counts), never from "
                "what anyone wrote.",
            ),
        )

    # -- helpers ------------------------------------------------------------------------------

    def _firing(self, programme_id: str, key: str, today: dt.date) -> Signal:
        wanted = (key or "").strip()
        if not wanted:
            raise ProgrammeError("name the signal by its key (see `playbook signals list`)")
        for s in self.signals(programme_id, today):
            if s.key == wanted:
                return s
        raise ProgrammeError(
            f"no signal with the key {wanted!r} fires in this programme now; its cause may "
            "have gone (see `playbook signals list`)"
        )

    def _record(self, who: Principal, action: str, subject: str, detail: str) -> None:
        if self._audit is not None:
            self._audit.record(who.username, action, subject, detail)


def _day(value: dt.date | str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat((value or "").strip())
    except ValueError:
        raise ProgrammeError(f"{value!r} is not a date; write it like 2026-12-31") from None
