"""The early-warning signals service on a temp SQLite container: each kind fires from what
the store holds, coordinators and stewards see the board (audited), snooze and resolve, a
resolved signal comes back only when its cause fires anew, and sponsors and champions get
counts per kind, never a name or a key. A planted name in journal text and titles never
reaches any signal or section."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re

import pytest

from playbook.models import EntryContent, EntryStatus, Role
from playbook.permissions import NotAllowedError
from playbook.services.health.figures import Period
from playbook.services.health.signals import SignalKind, SignalService
from playbook.services.programme_base import ProgrammeError
from playbook.wiring import Container
from tests.contracts.stores import doc
from tests.fakes import FakeRedactor
from tests.unit.programme_fixtures import pair

REAL_TODAY = dt.date.today()
PLANTED = "Zebulon Quartermaine"


@dataclasses.dataclass
class Clock:
    day: dt.date

    def __call__(self) -> dt.date:
        return self.day


@pytest.fixture
def clock() -> Clock:
    return Clock(REAL_TODAY)


@pytest.fixture
def svc(members: Container, clock: Clock) -> SignalService:
    """The container's signal service with a clock the test moves, and a steward, a sponsor
    and a champion in the programme beside ada, ravi and cora."""
    r = members.records
    r.add_user("stella", roles=[Role.STEWARD])
    r.add_user("sofia", roles=[Role.SPONSOR])
    r.add_user("chad", roles=[Role.CHAMPION])
    base = members.signals
    return SignalService(
        base.states,
        base.facts,
        base.pairings,
        base.rotations,
        base.entries,
        members.records,
        FakeRedactor(),
        base.thresholds,
        base.min_group,
        audit=members.audit,
        today=clock,
    )


def _who(c: Container, name: str):  # type: ignore[no-untyped-def]
    return c.records.principal(name)


def _pid(c: Container) -> str:
    return c.records.programme_id("default")


def _journal(c: Container, owner: str, source: str, day: dt.date, title: str = "") -> str:
    prepared = doc(_who(c, owner).user_id, _pid(c), source, f"{PLANTED} said {source}")
    when = dt.datetime.combine(day, dt.time(10), tzinfo=dt.UTC)
    new = dataclasses.replace(prepared.doc, created_at=when, title=title or f"{PLANTED} {source}")
    [(doc_id, _)] = c.records.save([dataclasses.replace(prepared, doc=new)])
    return doc_id


def _kinds(board_part: tuple) -> list[SignalKind]:  # type: ignore[type-arg]
    return [s.kind for s in board_part]


def test_a_quiet_pairing_fires_after_the_set_weeks_and_not_before(
    members: Container, svc: SignalService, clock: Clock
) -> None:
    pair(members, "ada", "ravi", ("Lead a launch",))
    cora = _who(members, "cora")
    clock.day = REAL_TODAY + dt.timedelta(days=27)
    assert SignalKind.QUIET_PAIRING not in _kinds(svc.board(cora, _pid(members)).open)
    clock.day = REAL_TODAY + dt.timedelta(days=28)
    [quiet] = [s for s in svc.board(cora, _pid(members)).open if s.kind is SignalKind.QUIET_PAIRING]
    assert quiet.subject == "pairing ada → ravi" and "No session for 4 weeks" in quiet.why
    # A session logged resets it: a new quiet spell is a new cause with a new key.
    [p] = svc.pairings.pairings(_pid(members))
    svc.pairings.log_session(p.pairing_id, clock.day - dt.timedelta(days=1), None, "x")
    assert SignalKind.QUIET_PAIRING not in _kinds(svc.board(cora, _pid(members)).open)


def test_rhythm_rotation_review_and_share_signals_fire_from_the_store(
    members: Container, svc: SignalService, clock: Clock
) -> None:
    pid, cora, ravi = _pid(members), _who(members, "cora"), _who(members, "ravi")
    today = clock.day
    for i in range(6):  # six in the 12 weeks before the last 4, none since
        _journal(members, "ravi", f"j{i}", today - dt.timedelta(days=30 + 10 * i))
    _journal(members, "ada", "a1", today - dt.timedelta(days=40))  # no usual rhythm
    ended = today - dt.timedelta(days=15)
    svc.rotations.add(
        pid, ravi.user_id, "Finance", "Lagos", ended - dt.timedelta(days=20), ended,
        f"Project with {PLANTED}", "Grow", None, cora.user_id,
    )  # fmt: skip
    entry = svc.entries.create(pid, cora.user_id, EntryContent(f"{PLANTED}'s lesson"))
    svc.entries.update(
        entry.entry_id, 1, cora.user_id, "published", status=EntryStatus.PUBLISHED,
        review_due=today - dt.timedelta(days=2),
    )  # fmt: skip
    shared = _journal(members, "ada", "s1", today - dt.timedelta(days=3))
    members.records.set_share_status(shared, "pending")
    board = svc.board(cora, pid)
    assert _kinds(board.open) == [
        SignalKind.RHYTHM_DROP,
        SignalKind.MISSING_DEBRIEF,
        SignalKind.REVIEW_OVERDUE,
    ]
    rhythm, debrief, review = board.open
    assert rhythm.subject == "ravi's reflections" and "0 reflections in the last 4" in rhythm.why
    assert "6 in the 12 weeks before" in rhythm.why
    assert debrief.subject.startswith("ravi's rotation") and "15 days ago" in debrief.why
    assert review.subject == f"entry {entry.entry_id} (by cora, v2)"
    # The share request waits 8 days once the clock moves a week on.
    clock.day = today + dt.timedelta(days=8)
    [share] = [s for s in svc.board(cora, pid).open if s.kind is SignalKind.SHARE_WAITING]
    assert share.subject == "a share request from ada" and "Waiting 8 days" in share.why
    # Linking a debrief or re-verifying makes the cause go.
    svc.rotations.link_debrief(debrief.key.split(":")[1], shared)
    assert SignalKind.MISSING_DEBRIEF not in _kinds(svc.board(cora, pid).open)


def test_a_planted_name_in_journal_text_and_titles_never_reaches_a_signal_or_section(
    members: Container, svc: SignalService, clock: Clock
) -> None:
    test_rhythm_rotation_review_and_share_signals_fire_from_the_store(members, svc, clock)
    pid = _pid(members)
    board = svc.board(_who(members, "cora"), pid)
    assert len(board.open) == 3  # rhythm, review and share fire: there is output to check
    period = Period.last_days(clock.day, 90)
    outputs = [
        json.dumps(board.as_dict()),
        json.dumps(svc.section(_who(members, "sofia"), pid, period).as_dict()),
        json.dumps(svc.section(_who(members, "cora"), pid, period).as_dict()),
        " ".join(f"{e.subject} {e.detail}" for e in members.audit.events()),
    ]
    for text in outputs:
        assert PLANTED not in text and "Zebulon" not in text and "Lagos" not in text


def test_snooze_hides_until_the_day_and_resolve_sticks_until_the_cause_fires_anew(
    members: Container, svc: SignalService, clock: Clock
) -> None:
    pid, cora, stella = _pid(members), _who(members, "cora"), _who(members, "stella")
    pair(members, "ada", "ravi", ("Lead a launch",))
    clock.day = REAL_TODAY + dt.timedelta(days=30)
    [quiet] = [s for s in svc.board(cora, pid).open if s.kind is SignalKind.QUIET_PAIRING]
    until = clock.day + dt.timedelta(days=5)
    svc.snooze(stella, pid, quiet.key, until.isoformat())  # a steward may too
    board = svc.board(cora, pid)
    assert quiet.key in [s.key for s in board.snoozed] and quiet.key not in [
        s.key for s in board.open
    ]
    assert board.names[board.snoozed[0].state.by_id] == "stella"  # type: ignore[union-attr]
    clock.day = until  # back on that day
    assert quiet.key in [s.key for s in svc.board(cora, pid).open]
    resolved = svc.resolve(cora, pid, quiet.key, note="Spoke to Priya about it")
    assert resolved.state is not None and resolved.state.note.startswith("Spoke to ")
    assert "Priya" not in json.dumps(svc.board(cora, pid).as_dict())  # redacted first
    assert "Priya" not in svc.states.states(pid)[quiet.key].note
    clock.day = until + dt.timedelta(days=60)  # still quiet: the same cause stays resolved
    board = svc.board(cora, pid)
    assert quiet.key in [s.key for s in board.resolved]
    assert SignalKind.QUIET_PAIRING not in _kinds(board.open)
    # A session, then a new quiet spell: a new key, open again.
    [p] = svc.pairings.pairings(pid)
    svc.pairings.log_session(p.pairing_id, clock.day - dt.timedelta(days=1), None, "x")
    clock.day += dt.timedelta(days=40)
    [again] = [s for s in svc.board(cora, pid).open if s.kind is SignalKind.QUIET_PAIRING]
    assert again.key != quiet.key and again.state is None
    svc.reopen(cora, pid, quiet.key)  # forgetting a gone cause's state is allowed
    actions = [e.action for e in members.audit.events()]
    assert {"view signals", "snooze signal", "resolve signal", "reopen signal"} <= set(actions)


def test_bad_requests_are_refused_with_a_sentence_and_change_nothing(
    members: Container, svc: SignalService, clock: Clock
) -> None:
    pid, cora = _pid(members), _who(members, "cora")
    pair(members, "ada", "ravi", ("Lead a launch",))
    clock.day = REAL_TODAY + dt.timedelta(days=30)
    [quiet] = [s for s in svc.board(cora, pid).open if s.kind is SignalKind.QUIET_PAIRING]
    cases = [
        (lambda: svc.snooze(cora, pid, quiet.key, "next week"), "is not a date"),
        (lambda: svc.snooze(cora, pid, quiet.key, clock.day), "a day after today"),
        (lambda: svc.snooze(cora, pid, quiet.key, clock.day + dt.timedelta(days=400)), "a year"),
        (lambda: svc.snooze(cora, pid, "no:such:key", clock.day + dt.timedelta(days=2)), "no "),
        (lambda: svc.resolve(cora, pid, " "), "name the signal by its key"),
        (lambda: svc.resolve(cora, pid, quiet.key, "x" * 1001), "keep it to 1,000"),
        (lambda: svc.reopen(cora, pid, quiet.key), "neither snoozed nor resolved"),
    ]
    for call, words in cases:
        with pytest.raises(ProgrammeError, match=words):
            call()
    assert svc.states.states(pid) == {}


def test_only_coordinators_and_stewards_watch_and_sponsors_get_counts_only(
    members: Container, svc: SignalService, clock: Clock
) -> None:
    pid = _pid(members)
    pair(members, "ada", "ravi", ("Lead a launch",))
    clock.day = REAL_TODAY + dt.timedelta(days=30)
    for name in ("ada", "ravi", "sofia", "chad"):
        with pytest.raises(NotAllowedError, match="coordinator or steward"):
            svc.board(_who(members, name), pid)
        with pytest.raises(NotAllowedError):
            svc.snooze(_who(members, name), pid, "k", clock.day + dt.timedelta(days=1))
        with pytest.raises(NotAllowedError):
            svc.resolve(_who(members, name), pid, "k")
    for name in ("ada", "ravi"):
        with pytest.raises(NotAllowedError, match="programme health"):
            svc.section(_who(members, name), pid, Period.last_days(clock.day, 30))
    section = svc.section(_who(members, "sofia"), pid, Period.last_days(clock.day, 30))
    data = section.as_dict()
    quiet = next(f for f in section.figures if f.label == "Quiet pairings")
    assert quiet.value is None and "Withheld: fewer than 5" in quiet.note  # one pair: whose?
    assert quiet.period == Period.last_days(clock.day, 30).label
    svc.min_group = 1
    shown = svc.section(_who(members, "chad"), pid, Period.last_days(clock.day, 30))
    assert next(f.value for f in shown.figures if f.label == "Quiet pairings") == 1
    text = json.dumps(data)
    for leak in ("ada", "ravi", "quiet_pairing:", "No session", "Check in"):
        assert not re.search(rf"\b{leak}", text), leak
    assert [r[0] for r in section.tables[0].rows] == [k.label for k in SignalKind]
    views = [e for e in members.audit.events() if e.action == "view health"]
    assert sorted(e.actor for e in views) == ["chad", "sofia"]  # newest first


def test_a_count_below_the_minimum_group_is_withheld_from_sponsors(
    members: Container, svc: SignalService, clock: Clock
) -> None:
    pid = _pid(members)
    for i in range(5):
        _journal(members, "ravi", f"j{i}", clock.day - dt.timedelta(days=30 + 10 * i))
    section = svc.section(_who(members, "sofia"), pid, Period.last_days(clock.day, 30))
    rhythm = next(f for f in section.figures if f.label == "Reflection rhythm dropping")
    assert rhythm.value is None and "fewer than 5 to show" in rhythm.note
    row = next(r for r in section.tables[0].rows if r[0] == "Reflection rhythm dropping")
    assert row[1:] == (None, 0, 0)  # one open: withheld; zero is shown
    # The coordinator's board names the writer: they act on it.
    [s] = svc.board(_who(members, "cora"), pid).open
    assert s.kind is SignalKind.RHYTHM_DROP


def test_a_past_period_counts_signals_open_on_its_last_day(
    members: Container, svc: SignalService, clock: Clock
) -> None:
    pair(members, "ada", "ravi", ("Lead a launch",))
    clock.day = REAL_TODAY + dt.timedelta(days=60)
    sofia, pid = _who(members, "sofia"), _pid(members)
    svc.min_group = 1  # one pairing: shown only to tell the two days apart
    early = Period(REAL_TODAY, REAL_TODAY + dt.timedelta(days=10))
    quiet = next(f for f in svc.section(sofia, pid, early).figures if f.label == "Quiet pairings")
    assert quiet.value == 0 and str(REAL_TODAY + dt.timedelta(days=10)) in quiet.note
    late = Period.last_days(clock.day, 30)
    quiet = next(f for f in svc.section(sofia, pid, late).figures if f.label == "Quiet pairings")
    assert quiet.value == 1


def test_the_container_builds_the_service_from_the_settings(members: Container) -> None:
    s = members.signals
    assert s.thresholds.quiet_weeks == members.settings.signal_quiet_weeks
    assert s.thresholds.share_wait_days == members.settings.signal_share_wait_days
    assert s.min_group == members.settings.min_group_size
    # Nothing fires in an empty programme.
    board = s.board(members.records.principal("cora"), _pid(members))
    assert board.open == board.snoozed == board.resolved == ()
