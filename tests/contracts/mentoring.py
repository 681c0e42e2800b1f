"""The ``Profiles`` and ``Pairings`` contracts (issue 20): profiles round trip and are
replaced as a whole batch or not at all, objectives keep their ids while their text stands
and are retired (never lost) when dropped; pairings move only from the state a caller read,
and their reasons, sessions, touchpoints and suggestion counts come back as stored."""

from __future__ import annotations

import datetime as dt

import pytest

from playbook.ports.mentoring import (
    Cycle,
    ObjectiveDraft,
    PairingState,
    ProfileDraft,
    ProfileRole,
    Profiles,
)
from playbook.ports.mentoring import Pairings as PairingsPort
from tests.contracts.stores import Cast, PeopledStore


def mentor(people: Cast, **changes: object) -> ProfileDraft:
    """Ada's mentor profile in north, with ``changes`` applied."""
    fields: dict[str, object] = {
        "programme_id": people.north,
        "user_id": people.ada,
        "role": ProfileRole.MENTOR,
        "expertise": "pricing and negotiation",
        "industries": ("retail",),
        "functions": ("finance", "sales"),
        "markets": ("apac",),
        "style": "directive",
        "languages": ("en", "fr"),
        "capacity": 2,
        "availability": "Tuesdays",
        "seniority": 7,
        "manager_id": people.cora,
        "conflicts": (people.olga,),
    }
    fields.update(changes)
    return ProfileDraft(**fields)  # type: ignore[arg-type]


def mentee(people: Cast, *objectives: str) -> ProfileDraft:
    """Ravi's mentee profile in north with these objectives (goal: "grow margin")."""
    return ProfileDraft(
        programme_id=people.north,
        user_id=people.ravi,
        role=ProfileRole.MENTEE,
        goals="grow margin",
        seniority=3,
        objectives=tuple(ObjectiveDraft(o, "grow margin") for o in objectives),
    )


class ProfilesContract(PeopledStore):
    """Tests every ``Profiles`` adapter passes (a subclass provides ``subject``)."""

    @pytest.fixture
    def subject(self) -> Profiles:
        """An empty profile store of the adapter under test."""
        raise NotImplementedError("a subclass provides the Profiles under test")

    def test_a_profile_round_trips(self, subject: Profiles, people: Cast) -> None:
        [pid] = subject.save_profiles([mentor(people)])
        p = subject.profile(pid)
        assert p is not None and p.role is ProfileRole.MENTOR
        assert (p.user_id, p.programme_id, p.expertise, p.style) == (
            people.ada,
            people.north,
            "pricing and negotiation",
            "directive",
        )
        assert (p.functions, p.markets, p.languages, p.industries) == (
            ("finance", "sales"),
            ("apac",),
            ("en", "fr"),
            ("retail",),
        )
        assert (p.capacity, p.seniority, p.manager_id, p.conflicts) == (
            2,
            7,
            people.cora,
            (people.olga,),
        )
        assert p.updated_at.tzinfo is not None and p.objectives == ()
        assert subject.profile("no-such-id") is None

    def test_saving_again_replaces_the_same_profile(self, subject: Profiles, people: Cast) -> None:
        [first] = subject.save_profiles([mentor(people)])
        [again] = subject.save_profiles([mentor(people, capacity=4, style="coaching")])
        assert first == again
        [p] = subject.profiles(people.north, ProfileRole.MENTOR)
        assert (p.capacity, p.style) == (4, "coaching")

    def test_profiles_filter_by_role_and_person(self, subject: Profiles, people: Cast) -> None:
        subject.save_profiles(
            [
                mentor(people),
                mentor(people, role=ProfileRole.REVERSE_MENTOR),
                mentee(people, "lead a pricing review"),
            ]
        )
        assert len(subject.profiles(people.north)) == 3
        assert [p.user_id for p in subject.profiles(people.north, ProfileRole.MENTEE)] == [
            people.ravi
        ]
        assert {p.role for p in subject.profiles(people.north, user_id=people.ada)} == {
            ProfileRole.MENTOR,
            ProfileRole.REVERSE_MENTOR,
        }
        assert subject.profiles(people.south) == []

    def test_a_failing_batch_stores_nothing(self, subject: Profiles, people: Cast) -> None:
        broken = mentor(people, user_id="no-such-user", role=ProfileRole.ADVISOR)
        with pytest.raises(Exception):  # noqa: B017 - each backend names its integrity error
            subject.save_profiles([mentee(people, "x"), broken])
        assert subject.profiles(people.north) == []
        assert subject.objectives(people.north) == []

    def test_objectives_keep_their_ids_and_retire(self, subject: Profiles, people: Cast) -> None:
        [pid] = subject.save_profiles([mentee(people, "lead a pricing review", "hire well")])
        first = subject.profile(pid)
        assert first is not None
        ids = {o.text: o.objective_id for o in first.objectives}
        assert [o.text for o in first.objectives] == ["lead a pricing review", "hire well"]
        assert all(o.goal == "grow margin" and not o.retired for o in first.objectives)
        subject.save_profiles([mentee(people, "hire well", "speak to the board")])
        second = subject.profile(pid)
        assert second is not None
        assert [o.text for o in second.objectives] == ["hire well", "speak to the board"]
        assert second.objectives[0].objective_id == ids["hire well"]
        gone = subject.objective(ids["lead a pricing review"])
        assert gone is not None and gone.retired and gone.user_id == people.ravi
        everything = subject.objectives(people.north, people.ravi)
        assert {o.text for o in everything} == {
            "lead a pricing review",
            "hire well",
            "speak to the board",
        }
        assert subject.objective("no-such-id") is None
        assert subject.objectives(people.north, people.ada) == []


class PairingsContract(PeopledStore):
    """Tests every ``Pairings`` adapter passes (a subclass provides ``subject``)."""

    @pytest.fixture
    def subject(self) -> PairingsPort:
        """An empty pairing store of the adapter under test."""
        raise NotImplementedError("a subclass provides the Pairings under test")

    def _propose(self, subject: PairingsPort, people: Cast) -> str:
        return subject.propose(
            people.north, people.ada, people.ravi, ProfileRole.MENTOR, ["o1"], 3, people.cora
        )

    def test_a_pairing_round_trips(self, subject: PairingsPort, people: Cast) -> None:
        pid = self._propose(subject, people)
        p = subject.pairing(pid)
        assert p is not None and p.state is PairingState.PROPOSED
        assert (p.mentor_id, p.mentee_id, p.role, p.objective_ids) == (
            people.ada,
            people.ravi,
            ProfileRole.MENTOR,
            ("o1",),
        )
        assert (p.min_sessions_per_quarter, p.proposed_by, p.approved_by) == (3, people.cora, None)
        assert not p.mentor_accepted and not p.mentee_accepted and p.ended_at is None
        assert subject.pairing("no-such-id") is None

    def test_update_is_compare_and_set(self, subject: PairingsPort, people: Cast) -> None:
        from dataclasses import replace

        pid = self._propose(subject, people)
        p = subject.pairing(pid)
        assert p is not None
        approved = replace(p, state=PairingState.APPROVED, approved_by=people.cora)
        assert subject.update(approved, PairingState.PROPOSED)
        # A second writer that read "proposed" too loses, and changes nothing.
        assert not subject.update(replace(p, state=PairingState.DECLINED), PairingState.PROPOSED)
        now = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
        ended = replace(approved, state=PairingState.ENDED, mentor_accepted=True, ended_at=now)
        assert subject.update(ended, PairingState.APPROVED)
        back = subject.pairing(pid)
        assert back is not None and back.state is PairingState.ENDED
        assert back.approved_by == people.cora and back.mentor_accepted
        assert back.ended_at == now

    def test_pairings_filter_by_person_and_state(self, subject: PairingsPort, people: Cast) -> None:
        a = self._propose(subject, people)
        b = subject.propose(
            people.north, people.cora, people.ada, ProfileRole.REVERSE_MENTOR, [], 2, people.cora
        )
        subject.propose(people.south, people.olga, people.olga, ProfileRole.ADVISOR, [], 1, "x")
        assert [p.pairing_id for p in subject.pairings(people.north)] == [a, b]
        assert [p.pairing_id for p in subject.pairings(people.north, people.ravi)] == [a]
        assert [p.pairing_id for p in subject.pairings(people.north, people.ada)] == [a, b]
        assert subject.pairings(people.north, states=[PairingState.ACTIVE]) == []
        assert len(subject.pairings(people.north, states=[PairingState.PROPOSED])) == 2

    def test_reasons_sessions_and_touchpoints(self, subject: PairingsPort, people: Cast) -> None:
        pid = self._propose(subject, people)
        subject.add_reason(pid, people.ravi, "no chemistry")
        [r] = subject.reasons(pid)
        assert (r.pairing_id, r.author_id, r.text) == (pid, people.ravi, "no chemistry")
        subject.log_session(pid, dt.date(2026, 2, 3), None, people.ada)
        subject.log_session(pid, dt.date(2026, 1, 9), "doc-1", people.ravi)
        s1, s2 = subject.sessions(pid)
        assert (s1.held_on, s1.document_id, s1.logged_by) == (
            dt.date(2026, 1, 9),
            "doc-1",
            people.ravi,
        )
        assert s2.held_on == dt.date(2026, 2, 3) and s2.document_id is None
        subject.add_touchpoint(pid, dt.date(2026, 5, 1), Cycle.TALENT_REVIEW, "talent review")
        subject.add_touchpoint(pid, dt.date(2026, 4, 1), Cycle.PRODUCT_LAUNCH, "launch")
        t1, t2 = subject.touchpoints(pid)
        assert (t1.day, t1.cycle, t1.title) == (dt.date(2026, 4, 1), Cycle.PRODUCT_LAUNCH, "launch")
        assert t2.cycle is Cycle.TALENT_REVIEW
        assert subject.reasons("none") == subject.sessions("none") == []

    def test_suggestion_counts(self, subject: PairingsPort, people: Cast) -> None:
        before = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        subject.record_suggestions(people.north, people.ravi, [people.ada, people.cora])
        subject.record_suggestions(people.north, people.ravi, [people.ada])
        subject.record_suggestions(people.north, people.ravi, [])
        subject.record_suggestions(people.south, people.olga, [people.olga])
        assert subject.suggestion_counts(people.north, before) == {people.ada: 2, people.cora: 1}
        later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=1)
        assert subject.suggestion_counts(people.north, later) == {}
