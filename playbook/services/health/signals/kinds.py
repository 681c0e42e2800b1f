"""What an early-warning signal is, and the pure rules that make each kind fire.

Every rule reads metadata and counts only: pairing states and session dates, the days
people wrote (never what), rotation dates and debrief links, entry review dates, share
request times. A signal's sentences name people by username and things by id and date;
no title, body or other free text ever reaches one.

A signal's ``key`` is stable while its cause lasts (kind, subject id, and the cause's date or
period), so a snooze or a resolution sticks to that cause, and a new cause (a later quarter,
a new last session, a new request) is a new key that fires afresh.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from playbook.models import Entry
from playbook.ports.mentoring import MentoringSession, Pairing
from playbook.ports.programme import PlannedRotation, quarter_days, quarter_of
from playbook.ports.signals import ShareWait, SignalState, SignalStatus

# A writer has a usual rhythm with at least this many reflections in the 12 weeks compared.
USUAL_RHYTHM = 4
BASE_WEEKS = 12
RECENT_WEEKS = 4


class SignalKind(StrEnum):
    """The kinds of early warning, in the order a board lists them."""

    QUIET_PAIRING = "quiet_pairing"
    BEHIND_COMMITMENT = "behind_commitment"
    RHYTHM_DROP = "rhythm_drop"
    MISSING_DEBRIEF = "missing_debrief"
    REVIEW_OVERDUE = "review_overdue"
    SHARE_WAITING = "share_waiting"

    @property
    def label(self) -> str:
        """The kind as people read it."""
        return _LABELS[self]


_LABELS = {
    SignalKind.QUIET_PAIRING: "Quiet pairings",
    SignalKind.BEHIND_COMMITMENT: "Pairings behind their commitment",
    SignalKind.RHYTHM_DROP: "Reflection rhythm dropping",
    SignalKind.MISSING_DEBRIEF: "Rotations without a debrief",
    SignalKind.REVIEW_OVERDUE: "Entries past their review date",
    SignalKind.SHARE_WAITING: "Share requests waiting",
}
ORDER = {k: i for i, k in enumerate(SignalKind)}


@dataclass(frozen=True)
class Thresholds:
    """When each kind fires (from the ``signal_*`` settings)."""

    quiet_weeks: int = 4
    rhythm_drop: float = 0.5
    debrief_days: int = 14
    share_wait_days: int = 7


@dataclass(frozen=True)
class Signal:
    """One early warning: what it is about, why it fired (with the numbers) and what to do.

    ``state`` is the coordinator's decision about it, if any; ``status`` reads it on a day.
    """

    key: str
    kind: SignalKind
    subject: str
    why: str
    todo: str
    since: dt.date
    state: SignalState | None = None

    def status(self, today: dt.date) -> str:
        """ "open", "snoozed" (until a day still to come) or "resolved" on ``today``."""
        s = self.state
        if s is None:
            return "open"
        if s.status is SignalStatus.RESOLVED:
            return "resolved"
        return "snoozed" if s.until is not None and s.until > today else "open"

    def as_dict(self, today: dt.date, names: Mapping[str, str]) -> dict[str, object]:
        """The signal as JSON-ready data (the resolver by username)."""
        s = self.state
        return {
            "key": self.key,
            "kind": self.kind.value,
            "subject": self.subject,
            "why": self.why,
            "todo": self.todo,
            "since": self.since.isoformat(),
            "status": self.status(today),
            "until": s.until.isoformat() if s and s.until else None,
            "by": names.get(s.by_id, "?") if s else None,
            "at": s.at.isoformat() if s else None,
            "note": s.note if s else "",
        }


def _fired(
    kind: SignalKind,
    subject_id: str,
    cause: object,
    *,
    subject: str,
    why: str,
    todo: str,
    since: dt.date,
) -> Signal:
    """A signal whose key is ``kind:subject_id:cause``: the one place keys are made, so every
    kind's key names its subject by id and its cause by a date or a period."""
    return Signal(f"{kind}:{subject_id}:{cause}", kind, subject, why, todo, since)


def _weeks(days: int) -> str:
    return f"{days // 7} weeks" if days >= 14 else f"{days} days"


def quiet_pairings(
    pairings: Iterable[tuple[Pairing, Sequence[MentoringSession]]],
    names: Mapping[str, str],
    today: dt.date,
    t: Thresholds,
) -> list[Signal]:
    """Active pairings with no session in the last ``quiet_weeks`` weeks."""
    out = []
    for p, sessions in pairings:
        held = [s.held_on for s in sessions if s.held_on <= today]
        last = max(held) if held else None
        began = p.created_at.date()
        quiet = (today - (last or began)).days
        if quiet < 7 * t.quiet_weeks:
            continue
        mentor, mentee = names.get(p.mentor_id, "?"), names.get(p.mentee_id, "?")
        since = f"the last on {last.isoformat()}" if last else f"none since it began on {began}"
        out.append(
            _fired(
                SignalKind.QUIET_PAIRING,
                p.pairing_id,
                last or "none",
                subject=f"pairing {mentor} → {mentee}",
                why=(
                    f"No session for {_weeks(quiet)} ({since}); a pairing is quiet after "
                    f"{t.quiet_weeks} weeks."
                ),
                todo=(
                    f"Check in with {mentor} and {mentee}: agree the next session, or end the "
                    "pairing if it has run its course."
                ),
                since=last or began,
            )
        )
    return out


def behind_commitment(
    pairings: Iterable[tuple[Pairing, Sequence[MentoringSession]]],
    names: Mapping[str, str],
    today: dt.date,
) -> list[Signal]:
    """Active pairings that held fewer sessions this quarter than were due by today: their
    quarterly commitment times the share of the quarter gone since they began, rounded down
    (a session is due once a whole one has come due)."""
    quarter = quarter_of(today)
    first, last = quarter_days(quarter)
    length = (last - first).days + 1
    out = []
    for p, sessions in pairings:
        if p.min_sessions_per_quarter <= 0:
            continue
        start = max(first, p.created_at.date())
        share = max(0, (today - start).days + 1) / length
        due = math.floor(p.min_sessions_per_quarter * share + 1e-9)
        held = sum(1 for s in sessions if first <= s.held_on <= today)
        if held >= due:
            continue
        mentor, mentee = names.get(p.mentor_id, "?"), names.get(p.mentee_id, "?")
        out.append(
            _fired(
                SignalKind.BEHIND_COMMITMENT,
                p.pairing_id,
                quarter,
                subject=f"pairing {mentor} → {mentee}",
                why=(
                    f"{held} of {p.min_sessions_per_quarter} sessions held in {quarter}; with "
                    f"{share:.0%} of the quarter gone since {start}, {due} were due by now."
                ),
                todo=(
                    f"Ask {mentor} and {mentee} to plan their next sessions before {last}, or "
                    "agree a lower commitment if it no longer fits."
                ),
                since=start,
            )
        )
    return out


def rhythm_drops(
    writing: Iterable[tuple[str, dt.date]],
    members: set[str],
    names: Mapping[str, str],
    today: dt.date,
    t: Thresholds,
) -> list[Signal]:
    """Writers whose reflections per week over the last 4 weeks fell below ``rhythm_drop``
    times their rate over the 12 weeks before; only writers with a usual rhythm (at least
    ``USUAL_RHYTHM`` reflections in those 12 weeks) and still in the programme."""
    recent_from = today - dt.timedelta(days=7 * RECENT_WEEKS - 1)
    base_from = recent_from - dt.timedelta(days=7 * BASE_WEEKS)
    recent: Counter[str] = Counter()
    base: Counter[str] = Counter()
    for owner, day in writing:
        if recent_from <= day <= today:
            recent[owner] += 1
        elif base_from <= day < recent_from:
            base[owner] += 1
    quarter = quarter_of(today)
    out = []
    for owner, before in sorted(base.items()):
        if before < USUAL_RHYTHM or owner not in members:
            continue
        usual, now = before / BASE_WEEKS, recent[owner] / RECENT_WEEKS
        if now >= t.rhythm_drop * usual:
            continue
        name = names.get(owner, "?")
        out.append(
            _fired(
                SignalKind.RHYTHM_DROP,
                owner,
                quarter,
                subject=f"{name}'s reflections",
                why=(
                    f"{recent[owner]} reflections in the last {RECENT_WEEKS} weeks "
                    f"({now:.2f} a week) against {before} in the {BASE_WEEKS} weeks before "
                    f"({usual:.2f} a week): below {t.rhythm_drop:.0%} of their usual rhythm."
                ),
                todo=(
                    f"A light check-in with {name}: how the work is going and whether the "
                    "prompts still help. Their journal stays private; do not ask about it."
                ),
                since=recent_from,
            )
        )
    return out


def missing_debriefs(
    rotations: Iterable[PlannedRotation], names: Mapping[str, str], today: dt.date, t: Thresholds
) -> list[Signal]:
    """Rotations that ended more than ``debrief_days`` days ago with no debrief linked."""
    out = []
    for r in rotations:
        late = (today - r.end_date).days
        if r.debrief_id is not None or late <= t.debrief_days:
            continue
        who = names.get(r.person_id, "?")
        out.append(
            _fired(
                SignalKind.MISSING_DEBRIEF,
                r.rotation_id,
                r.end_date,
                subject=f"{who}'s rotation ({r.start_date} to {r.end_date})",
                why=(
                    f"It ended {late} days ago and has no debrief linked; a debrief is due "
                    f"within {t.debrief_days} days."
                ),
                todo=(
                    f"Remind {who} to write the debrief while it is fresh, then link it on the "
                    "Rotations page."
                ),
                since=r.end_date,
            )
        )
    return out


def overdue_reviews(
    entries: Iterable[Entry], names: Mapping[str, str], today: dt.date
) -> list[Signal]:
    """Published entries whose review date has passed."""
    out = []
    for e in entries:
        if e.review_due is None or e.review_due >= today:
            continue
        late = (today - e.review_due).days
        out.append(
            _fired(
                SignalKind.REVIEW_OVERDUE,
                e.entry_id,
                e.review_due,
                subject=f"entry {e.entry_id} (by {names.get(e.owner_id, '?')}, v{e.version})",
                why=f"Its review date was {e.review_due}, {late} days ago.",
                todo=(
                    "Re-verify it on the Curate page (or `playbook entries verify ID`), revise "
                    "it, or archive it if it no longer holds."
                ),
                since=e.review_due,
            )
        )
    return out


def waiting_shares(
    waits: Iterable[ShareWait], names: Mapping[str, str], today: dt.date, t: Thresholds
) -> list[Signal]:
    """Share requests pending for more than ``share_wait_days`` days."""
    out = []
    for w in waits:
        asked = w.requested_at.date()
        waited = (today - asked).days
        if waited <= t.share_wait_days:
            continue
        who = names.get(w.owner_id, "?")
        out.append(
            _fired(
                SignalKind.SHARE_WAITING,
                w.document_id,
                asked,
                subject=f"a share request from {who}",
                why=(
                    f"Waiting {waited} days for review (asked on {asked}); requests are "
                    f"answered within {t.share_wait_days} days."
                ),
                todo=(
                    f"Approve or decline it on the Moderation page, so {who} knows where it stands."
                ),
                since=asked,
            )
        )
    return out
