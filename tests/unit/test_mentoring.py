"""The mentoring service on fakes (FakeRedactor, FakeEmbedder) over a real SQLite store:
CSV import is all or nothing with errors by row, free text is redacted, suggestions are
explained and obey the hard constraints, the balance check spreads them, a pairing goes
proposed → approved → active, sessions count against the commitment, a rematch reason is
private, and the calendar is valid iCalendar."""

from __future__ import annotations

import datetime as dt

import pytest

from playbook.models import Role
from playbook.permissions import NotAllowedError
from playbook.ports.mentoring import Cycle, PairingState, ProfileRole
from playbook.services.mentoring import (
    MentoringError,
    MentoringService,
    PairingError,
    cadence,
    matching,
)
from playbook.wiring import Container

HEADER = (
    "username,role,expertise,functions,markets,style,languages,capacity,seniority,manager,"
    "conflicts,goals,objectives\n"
)
PROFILES = HEADER + (
    "maya,mentor,pricing strategy and negotiation with retailers,finance;sales,apac,"
    "coaching,en,2,8,,,,\n"
    "omar,mentor,building data platforms and analytics teams,technology,emea,directive,"
    "en,2,8,,,,\n"
    "lena,mentor,pricing strategy and margin management,finance,apac,coaching,en,1,7,,,,\n"
    "boss,mentor,pricing strategy everything,finance,apac,coaching,en,3,9,,,,\n"
    "zoe,reverse_mentor,social media and customer experience,marketing,,coaching,en,2,2,,,,\n"
    "ravi,mentee,,finance;apac,,coaching,en,,5,boss,omar,grow margin,"
    "Lead a pricing review with Tony | Grow APAC margin;Learn negotiation with retailers\n"
)


@pytest.fixture
def programme(fake_container: Container) -> Container:
    r = fake_container.records
    r.add_user("cora", roles=[Role.COORDINATOR])
    r.add_user("stew", roles=[Role.STEWARD])
    r.add_user("spon", roles=[Role.SPONSOR])
    for name in ("maya", "omar", "lena", "boss", "zoe", "ravi"):
        r.add_user(name, roles=[Role.LEADER])
    r.add_user("outsider", roles=[Role.LEADER], programme="other")
    return fake_container


def who(c: Container, name: str):
    return c.records.principal(name)


def svc(c: Container) -> MentoringService:
    return c.mentoring


def imported(c: Container) -> MentoringService:
    report = svc(c).import_profiles(who(c, "cora"), "default", PROFILES.encode())
    assert report.errors == () and report.saved == 6
    return svc(c)


def test_import_stores_redacted_profiles_and_objectives(programme: Container) -> None:
    s = imported(programme)
    views = {v.username: v for v in s.list_profiles(who(programme, "spon"), "default")}
    ravi = views["ravi"]
    assert ravi.manager == "boss" and ravi.conflicts == ("omar",)
    texts = [o.text for o in ravi.profile.objectives]
    assert texts[1] == "Learn negotiation with retailers"
    assert "Tony" not in texts[0] and "Lead a pricing review with" in texts[0]
    assert ravi.profile.objectives[0].goal == "Grow APAC margin"
    assert views["maya"].profile.capacity == 2 and views["maya"].profile.functions == (
        "finance",
        "sales",
    )


def test_a_bad_row_imports_nothing_and_names_every_problem(programme: Container) -> None:
    bad = PROFILES + (
        "ghost,mentor,x,,,,,2,5,,,,\n"
        "maya,advisor,x,,,,,lots,5,,,,\n"
        "lena,wizard,x,,,,,1,5,,,,\n"
        "ravi,mentee,,,,,,,5,,,,learn\n"
    )
    report = svc(programme).import_profiles(who(programme, "cora"), "default", bad.encode())
    assert report.saved == 0
    text = "\n".join(report.errors)
    assert "row 8: no user called 'ghost'" in text
    assert "row 9: capacity must be a whole number from 0 to 20, not 'lots'" in text
    assert "row 10: unknown role 'wizard'" in text
    assert "row 11: ravi already has a mentee profile in row 7" in text
    assert [e.split(":")[0] for e in report.errors] == ["row 8", "row 9", "row 10", "row 11"]
    assert svc(programme).list_profiles(who(programme, "cora"), "default") == []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b"\xff\xfe\x00", "not UTF-8"),
        (b"username,colour\nmaya,red\n", "unknown columns: colour"),
        (b"username\nmaya\n", "missing required columns: role"),
        (b"username,role\n", "no profiles"),
        (b"username,role\noutsider,mentor\n", "capacity is needed"),
        (b"username,role,capacity\noutsider,mentor,1\n", "not a member of this programme"),
    ],
)
def test_import_refuses_bad_files_clearly(programme: Container, data: bytes, message: str) -> None:
    report = svc(programme).import_profiles(who(programme, "cora"), "default", data)
    assert report.saved == 0 and message in "\n".join(report.errors)


def test_only_coordinators_and_stewards_import(programme: Container) -> None:
    with pytest.raises(NotAllowedError):
        svc(programme).import_profiles(who(programme, "ravi"), "default", PROFILES.encode())
    with pytest.raises(NotAllowedError):
        svc(programme).import_profiles(who(programme, "spon"), "default", PROFILES.encode())
    report = svc(programme).import_profiles(who(programme, "stew"), "default", PROFILES.encode())
    assert report.saved == 6


def test_suggestions_are_explained_and_obey_the_hard_constraints(programme: Container) -> None:
    s = imported(programme)
    report = s.suggest(who(programme, "cora"), "default", "ravi")
    names = [report.names[x.mentor_id] for x in report.suggestions]
    excluded = {report.names[e.mentor_id]: e.reason for e in report.excluded}
    # boss manages ravi; omar is a declared conflict: neither is suggested.
    assert excluded == {
        "boss": "in the mentee's reporting line (above them)",
        "omar": "a conflict of interest is declared between them",
    }
    assert set(names) == {"maya", "lena"}
    first = report.suggestions[0]
    assert any(r.startswith("expertise fits the objective") for r in first.reasons)
    assert any("knows apac, finance" in r for r in first.reasons)
    assert "leadership style the mentee asked for: coaching" in first.reasons
    assert first.objective_id is not None


def test_reverse_mentors_are_more_junior(programme: Container) -> None:
    s = imported(programme)
    report = s.suggest(who(programme, "cora"), "default", "ravi", ProfileRole.REVERSE_MENTOR)
    assert [report.names[x.mentor_id] for x in report.suggestions] == ["zoe"]
    assert any(
        "reverse mentoring: seniority 2 advising 5" in r for r in report.suggestions[0].reasons
    )


def test_the_balance_check_spreads_suggestions(programme: Container) -> None:
    s = imported(programme)
    cora = who(programme, "cora")
    first = s.suggest(cora, "default", "ravi", limit=1).suggestions[0]
    for _ in range(6):
        s.suggest(cora, "default", "ravi", limit=1)
    report = s.suggest(cora, "default", "ravi", limit=2)
    again = next(x for x in report.suggestions if x.mentor_id == first.mentor_id)
    assert again.score < first.score
    assert any(r.startswith("balance:") for r in again.reasons)
    balance = s.balance(cora, "default")
    assert balance.suggestions >= 8 and balance.top_share > 0.5 and balance.concentrated


def test_concentration_is_even_when_spread() -> None:
    spread = matching.concentration([], {"a": 3, "b": 3, "c": 3, "d": 3, "e": 3}, {})
    assert spread.top_share == 0.2 and not spread.concentrated


def test_a_pairing_is_approved_then_active_once_both_accept(programme: Container) -> None:
    s = imported(programme)
    cora, maya, ravi = who(programme, "cora"), who(programme, "maya"), who(programme, "ravi")
    pid = s.propose(cora, "default", "maya", "ravi", min_sessions=3)
    with pytest.raises(PairingError, match="approve this pairing first"):
        s.accept(ravi, pid)
    with pytest.raises(NotAllowedError):
        s.approve(ravi, pid)
    assert s.approve(cora, pid).state is PairingState.APPROVED
    with pytest.raises(NotAllowedError):
        s.accept(cora, pid)  # only the two people accept
    assert s.accept(ravi, pid).state is PairingState.APPROVED
    assert s.accept(maya, pid).state is PairingState.ACTIVE
    [view] = s.pairings(who(programme, "spon"), "default")
    assert view.progress.label == "0 of 3 this quarter"
    assert len(view.objectives) == 2
    # maya is now at 1 of 2; paired with ravi already, so not suggested to him again.
    report = s.suggest(cora, "default", "ravi")
    assert "already paired with this mentee" in [e.reason for e in report.excluded]


def test_propose_refuses_what_the_constraints_forbid(programme: Container) -> None:
    s = imported(programme)
    with pytest.raises(MentoringError, match="reporting line"):
        s.propose(who(programme, "cora"), "default", "boss", "ravi")
    with pytest.raises(MentoringError, match="no mentor profile"):
        s.propose(who(programme, "cora"), "default", "zoe", "ravi")
    with pytest.raises(MentoringError, match="no mentee profile"):
        s.propose(who(programme, "cora"), "default", "maya", "lena")
    s.propose(who(programme, "cora"), "default", "lena", "ravi")
    zoe = {"username": "zoe", "role": "mentee", "seniority": "2", "objectives": "pricing"}
    s.save_profile(who(programme, "zoe"), "default", zoe)
    with pytest.raises(MentoringError, match=r"no capacity left \(1 of 1 pairings\)"):
        s.propose(who(programme, "cora"), "default", "lena", "zoe")


def _active(programme: Container, today: dt.date | None = None) -> tuple[MentoringService, str]:
    s = imported(programme)
    if today is not None:
        s._today = lambda: today
    pid = s.propose(who(programme, "cora"), "default", "maya", "ravi", min_sessions=3)
    s.approve(who(programme, "cora"), pid)
    s.accept(who(programme, "ravi"), pid)
    s.accept(who(programme, "maya"), pid)
    return s, pid


def test_sessions_count_against_the_commitment(programme: Container) -> None:
    s, pid = _active(programme, today=dt.date(2026, 5, 20))
    ravi = who(programme, "ravi")
    s.log_session(ravi, pid, dt.date(2026, 4, 2))
    s.log_session(who(programme, "maya"), pid, dt.date(2026, 5, 1))
    s.log_session(ravi, pid, dt.date(2026, 3, 30))  # last quarter
    [view] = s.pairings(ravi, "default", mine=True)
    assert view.progress.label == "2 of 3 this quarter" and view.progress.quarter == "2026 Q2"
    with pytest.raises(MentoringError, match="once it has been held"):
        s.log_session(ravi, pid, dt.date(2026, 6, 1))
    with pytest.raises(MentoringError, match="no session note"):
        s.log_session(ravi, pid, dt.date(2026, 5, 2), "no-such-doc")
    with pytest.raises(NotAllowedError):
        s.log_session(who(programme, "lena"), pid, dt.date(2026, 5, 2))
    assert len(s.pairings(ravi, "default")[0].sessions) == 3


def test_a_rematch_reason_is_private_and_audited(programme: Container) -> None:
    s, pid = _active(programme)
    ravi = who(programme, "ravi")
    s.end(ravi, pid, "No chemistry; Priya agrees")
    assert s.reasons(ravi, pid)[0].text.startswith("No chemistry; ")
    assert "Priya" not in s.reasons(ravi, pid)[0].text
    assert len(s.reasons(who(programme, "cora"), pid)) == 1
    assert s.reasons(who(programme, "maya"), pid) == []
    assert s.reasons(who(programme, "stew"), pid) == []  # stewards match; reasons are not theirs
    assert s.reasons(who(programme, "spon"), pid) == []
    actions = [e.action for e in programme.audit.events()]
    assert actions.count("mentoring rematch reason viewed") == 3  # ravi twice, cora once
    # Rematching: the ended pair is not offered again, the others are.
    report = s.suggest(who(programme, "cora"), "default", "ravi")
    assert "an earlier pairing with this mentee was ended" in [e.reason for e in report.excluded]
    assert [report.names[x.mentor_id] for x in report.suggestions] == ["lena"]
    with pytest.raises(PairingError, match="already ended"):
        s.end(who(programme, "cora"), pid)


def test_either_person_may_decline(programme: Container) -> None:
    s = imported(programme)
    pid = s.propose(who(programme, "cora"), "default", "maya", "ravi")
    assert s.decline(who(programme, "maya"), pid).state is PairingState.DECLINED
    with pytest.raises(PairingError):
        s.accept(who(programme, "ravi"), pid)


def test_outsiders_see_nothing(programme: Container) -> None:
    imported(programme)
    with pytest.raises(NotAllowedError):
        svc(programme).list_profiles(who(programme, "outsider"), "default")
    with pytest.raises(NotAllowedError):
        svc(programme).pairings(who(programme, "outsider"), "default")
    with pytest.raises(NotAllowedError):
        svc(programme).suggest(who(programme, "ravi"), "default", "ravi")


def test_a_person_edits_their_own_profile_only(programme: Container) -> None:
    s = imported(programme)
    cells = {"username": "maya", "role": "mentor", "capacity": "3", "expertise": "pricing"}
    s.save_profile(who(programme, "maya"), "default", cells)
    with pytest.raises(NotAllowedError):
        s.save_profile(who(programme, "lena"), "default", cells)
    with pytest.raises(MentoringError, match="seniority must be a whole number"):
        s.save_profile(who(programme, "maya"), "default", {**cells, "seniority": "12"})
    [maya] = [v for v in s.list_profiles(who(programme, "cora"), "default") if v.username == "maya"]
    assert maya.profile.capacity == 3


def test_the_calendar_is_escaped_folded_icalendar(programme: Container) -> None:
    s, pid = _active(programme)
    title = "Launch, review; and a very long title " + "x" * 80 + " with Marcus\\"
    s.plan_touchpoint(who(programme, "maya"), pid, dt.date(2026, 7, 1), Cycle.PRODUCT_LAUNCH, title)
    text = s.calendar(who(programme, "ravi"), "default")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith(
        "END:VCALENDAR\r\n"
    )
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    unfolded = text.replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20260701" in unfolded and "DTEND;VALUE=DATE:20260702" in unfolded
    assert "SUMMARY:Product launch: Launch\\, review\\; and a very long title" in unfolded
    assert "Marcus" not in unfolded and unfolded.count("BEGIN:VEVENT") == 1
    assert "\\\\\r\n" in unfolded  # the backslash escaped
    assert svc(programme).calendar(who(programme, "lena"), "default").count("VEVENT") == 0


def test_quarters_and_folding() -> None:
    assert cadence.quarter(dt.date(2026, 11, 5)) == (dt.date(2026, 10, 1), dt.date(2026, 12, 31))
    assert cadence.quarter(dt.date(2026, 2, 28)) == (dt.date(2026, 1, 1), dt.date(2026, 3, 31))
    folded = cadence.fold("SUMMARY:" + "é" * 80)
    assert all(len(p.encode()) <= 75 for p in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "é" * 80
    assert cadence.escape_text("a\r\nb\x07c") == "a\\nbc"


def test_admins_can_grant_the_new_roles(programme: Container) -> None:
    programme.records.add_user("root", roles=[Role.ADMIN])
    programme.administration.set_roles(
        who(programme, "root"), "lena", [Role.STEWARD, Role.CHAMPION], "default"
    )
    assert {Role.STEWARD, Role.CHAMPION} <= who(programme, "lena").roles


def _suggestion(mentor: str, score: float) -> matching.Suggestion:
    return matching.Suggestion(mentor, f"p-{mentor}", ProfileRole.MENTOR, score, score, None, ())


def test_the_shortlist_mixes_backgrounds() -> None:
    # Three near-identical finance veterans and one strong fit from another function: without
    # variety the shortlist of three would be all finance; with it, operations makes the list.
    scored = [
        _suggestion("f1", 0.80),
        _suggestion("f2", 0.79),
        _suggestion("f3", 0.78),
        _suggestion("o1", 0.75),
    ]
    kinds = {"f1": ("finance", 5), "f2": ("finance", 5), "f3": ("finance", 5), "o1": ("ops", 3)}
    plain = [s.mentor_id for s in matching.rank(scored)[:3]]
    assert plain == ["f1", "f2", "f3"]
    shortlist = matching.diversify(scored, kinds, 3)
    assert [s.mentor_id for s in shortlist] == ["f1", "o1", "f2"]
    assert shortlist[0].reasons == () and shortlist[1].reasons == ()
    assert (
        "variety: 1 suggestion above share this background (finance, seniority 5)"
        in (shortlist[2].reasons[-1])
    )
    assert shortlist[2].score == round(0.79 - matching.VARIETY_PENALTY, 4)
    # Different backgrounds keep their order and scores.
    mixed = {"f1": ("finance", 5), "f2": ("sales", 4), "f3": ("hr", 2), "o1": ("ops", 3)}
    assert matching.diversify(scored, mixed, 4) == matching.rank(scored)
