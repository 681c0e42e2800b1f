"""The pure rules of the early-warning signals: each kind fires past its threshold and not
at or below it, with the numbers in its sentence, and a stable key that changes only when
its cause does."""

from __future__ import annotations

import dataclasses
import datetime as dt

from playbook.models import Entry, EntryContent, EntryStatus
from playbook.ports.mentoring import MentoringSession, Pairing, PairingState, ProfileRole
from playbook.ports.programme import PlannedRotation
from playbook.ports.signals import ShareWait, SignalState, SignalStatus
from playbook.services.health.signals import kinds as k
from playbook.services.health.signals.kinds import SignalKind, Thresholds

T = Thresholds(quiet_weeks=4, rhythm_drop=0.5, debrief_days=14, share_wait_days=7)
NAMES = {"m": "maya", "e": "kai", "w": "ravi", "o": "cora"}
# 2026-11-15: day 46 of the 92 days of 2026-Q4 (half of it gone).
TODAY = dt.date(2026, 11, 15)


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9), tzinfo=dt.UTC)


def _pairing(created: dt.date, per_quarter: int = 2) -> Pairing:
    return Pairing(
        "p1", "prog", "m", "e", ProfileRole.MENTOR, PairingState.ACTIVE, (), per_quarter,
        True, True, "o", "o", _at(created), _at(created),
    )  # fmt: skip


def _sessions(*days: dt.date) -> list[MentoringSession]:
    return [MentoringSession(f"s{i}", "p1", d, None, "e", _at(d)) for i, d in enumerate(days)]


def test_a_pairing_is_quiet_after_the_set_weeks_since_its_last_session() -> None:
    p = _pairing(dt.date(2026, 1, 5))
    last = TODAY - dt.timedelta(days=28)
    [s] = k.quiet_pairings([(p, _sessions(dt.date(2026, 9, 1), last))], NAMES, TODAY, T)
    assert s.kind is SignalKind.QUIET_PAIRING and s.key == f"quiet_pairing:p1:{last}"
    assert s.subject == "pairing maya → kai" and s.since == last
    assert "No session for 4 weeks (the last on 2026-10-18)" in s.why
    assert "after 4 weeks" in s.why and "maya and kai" in s.todo
    day_before = last + dt.timedelta(days=1)
    assert k.quiet_pairings([(p, _sessions(day_before))], NAMES, TODAY, T) == []
    # A session logged for a day still to come does not count as held.
    future = _sessions(last, TODAY + dt.timedelta(days=3))
    assert len(k.quiet_pairings([(p, future)], NAMES, TODAY, T)) == 1


def test_a_pairing_with_no_session_is_quiet_counted_from_when_it_began() -> None:
    began = TODAY - dt.timedelta(days=35)
    [s] = k.quiet_pairings([(_pairing(began), [])], NAMES, TODAY, T)
    assert s.key == "quiet_pairing:p1:none" and f"none since it began on {began}" in s.why
    assert k.quiet_pairings([(_pairing(TODAY - dt.timedelta(days=27)), [])], NAMES, TODAY, T) == []
    longer = Thresholds(quiet_weeks=6)
    assert k.quiet_pairings([(_pairing(began), [])], NAMES, TODAY, longer) == []


def test_behind_its_commitment_for_the_share_of_the_quarter_gone() -> None:
    p = _pairing(dt.date(2026, 1, 5), per_quarter=4)  # half the quarter gone: 2 due
    [s] = k.behind_commitment([(p, _sessions(dt.date(2026, 10, 2)))], NAMES, TODAY)
    assert s.key == "behind_commitment:p1:2026-Q4" and s.since == dt.date(2026, 10, 1)
    assert "1 of 4 sessions held in 2026-Q4" in s.why and "50% of the quarter" in s.why
    assert "2 were due by now" in s.why and "before 2026-12-31" in s.todo
    on_track = _sessions(dt.date(2026, 10, 2), dt.date(2026, 11, 1))
    assert k.behind_commitment([(p, on_track)], NAMES, TODAY) == []
    # Sessions of the quarter before do not count towards this one.
    old = _sessions(dt.date(2026, 9, 1), dt.date(2026, 9, 20), dt.date(2026, 10, 2))
    assert len(k.behind_commitment([(p, old)], NAMES, TODAY)) == 1


def test_behind_counts_only_whole_sessions_due_since_the_pairing_began() -> None:
    # Two a quarter, 46 of 92 days gone: exactly one due; none held fires, one held does not.
    p = _pairing(dt.date(2026, 1, 5), per_quarter=2)
    assert len(k.behind_commitment([(p, [])], NAMES, TODAY)) == 1
    assert k.behind_commitment([(p, _sessions(dt.date(2026, 11, 1)))], NAMES, TODAY) == []
    # Begun in the quarter's second half: less than one session due yet.
    late = _pairing(dt.date(2026, 11, 1), per_quarter=2)
    assert k.behind_commitment([(late, [])], NAMES, TODAY) == []
    assert k.behind_commitment([(_pairing(dt.date(2026, 1, 5), 0), [])], NAMES, TODAY) == []


def _writing(owner: str, base: int, recent: int) -> list[tuple[str, dt.date]]:
    """``base`` entries spread over the 12 weeks before the last 4, ``recent`` in them."""
    recent_from = TODAY - dt.timedelta(days=27)
    days = [recent_from - dt.timedelta(days=1 + 6 * i) for i in range(base)]
    days += [TODAY - dt.timedelta(days=2 * i) for i in range(recent)]
    return [(owner, d) for d in days]


def test_a_rhythm_drop_fires_below_the_share_of_the_usual_rate() -> None:
    # 12 in 12 weeks is one a week; half of that is two in four weeks: one fires, two do not.
    [s] = k.rhythm_drops(_writing("w", 12, 1), {"w"}, NAMES, TODAY, T)
    assert s.key == "rhythm_drop:w:2026-Q4" and s.subject == "ravi's reflections"
    assert "1 reflections in the last 4 weeks (0.25 a week)" in s.why
    assert "12 in the 12 weeks before (1.00 a week)" in s.why and "below 50%" in s.why
    assert "Their journal stays private" in s.todo
    assert k.rhythm_drops(_writing("w", 12, 2), {"w"}, NAMES, TODAY, T) == []


def test_only_writers_with_a_usual_rhythm_still_in_the_programme_are_watched() -> None:
    assert len(k.rhythm_drops(_writing("w", 4, 0), {"w"}, NAMES, TODAY, T)) == 1
    assert k.rhythm_drops(_writing("w", 3, 0), {"w"}, NAMES, TODAY, T) == []
    assert k.rhythm_drops(_writing("w", 12, 0), set(), NAMES, TODAY, T) == []  # left
    # Writing older than the 16 weeks compared, or dated after today, is not counted.
    old = [("w", TODAY - dt.timedelta(days=200 + i)) for i in range(10)]
    ahead = [("w", TODAY + dt.timedelta(days=i)) for i in range(1, 10)]
    assert k.rhythm_drops(old + ahead, {"w"}, NAMES, TODAY, T) == []


def _rotation(end: dt.date, debrief: str | None = None) -> PlannedRotation:
    return PlannedRotation(
        "r1", "prog", "w", "Finance", "Lagos", end - dt.timedelta(days=20), end, "x", "y",
        None, debrief, "o", _at(end),
    )  # fmt: skip


def test_a_rotation_without_a_debrief_fires_past_the_set_days() -> None:
    end = TODAY - dt.timedelta(days=15)
    [s] = k.missing_debriefs([_rotation(end)], NAMES, TODAY, T)
    assert s.key == f"missing_debrief:r1:{end}" and "ended 15 days ago" in s.why
    assert s.subject == f"ravi's rotation ({end - dt.timedelta(days=20)} to {end})"
    assert "Lagos" not in s.subject + s.why + s.todo  # no free text of the rotation
    at_limit = TODAY - dt.timedelta(days=14)
    assert k.missing_debriefs([_rotation(at_limit)], NAMES, TODAY, T) == []
    assert k.missing_debriefs([_rotation(end, "d1")], NAMES, TODAY, T) == []


def _entry(due: dt.date | None) -> Entry:
    return Entry(
        "e1", "prog", "o", EntryContent("A title"), EntryStatus.PUBLISHED, 3, due, None, "d",
        _at(TODAY), _at(TODAY),
    )  # fmt: skip


def test_an_entry_fires_once_its_review_date_has_passed() -> None:
    due = TODAY - dt.timedelta(days=1)
    [s] = k.overdue_reviews([_entry(due)], NAMES, TODAY)
    assert s.key == f"review_overdue:e1:{due}" and "1 days ago" in s.why
    assert s.subject == "entry e1 (by cora, v3)" and "A title" not in s.subject + s.why
    assert k.overdue_reviews([_entry(TODAY), _entry(None)], NAMES, TODAY) == []


def test_a_share_request_fires_once_it_waited_longer_than_the_set_days() -> None:
    asked = TODAY - dt.timedelta(days=8)
    [s] = k.waiting_shares([ShareWait("d1", "w", _at(asked))], NAMES, TODAY, T)
    assert s.key == f"share_waiting:d1:{asked}" and "Waiting 8 days" in s.why
    assert s.subject == "a share request from ravi" and "Moderation page" in s.todo
    on_time = ShareWait("d1", "w", _at(TODAY - dt.timedelta(days=7)))
    assert k.waiting_shares([on_time], NAMES, TODAY, T) == []


def test_status_reads_the_state_on_a_day() -> None:
    [s] = k.waiting_shares(
        [ShareWait("d1", "w", _at(TODAY - dt.timedelta(days=9)))], NAMES, TODAY, T
    )
    assert s.status(TODAY) == "open"
    until = TODAY + dt.timedelta(days=3)
    snoozed = SignalState("prog", s.key, SignalStatus.SNOOZED, until, "o", _at(TODAY))
    s2 = dataclasses.replace(s, state=snoozed)
    assert s2.status(TODAY) == "snoozed" and s2.status(until) == "open"
    resolved = SignalState("prog", s.key, SignalStatus.RESOLVED, None, "o", _at(TODAY), "ok")
    s3 = dataclasses.replace(s, state=resolved)
    assert s3.status(TODAY + dt.timedelta(days=400)) == "resolved"
    data = s3.as_dict(TODAY, {"o": "cora"})
    assert (data["status"], data["by"], data["note"]) == ("resolved", "cora", "ok")
