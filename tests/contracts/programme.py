"""The contracts of the programme ports (issue 20, part 2): ``Council``, ``Rotations`` and
``Impact``. Every text comes back as given (the services redact before); lists come in the
documented order; closing an option or validating a recount happens once."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from playbook.models import StoreError
from playbook.ports.programme import Council, Impact, OptionStatus, Rotations
from tests.contracts.stores import Cast, PeopledStore

DAY = dt.date(2026, 10, 20)


class CouncilContract(PeopledStore):
    """Tests every ``Council`` adapter passes; a subclass provides ``subject`` and a
    ``directory`` over the same store."""

    @pytest.fixture
    def subject(self) -> Council:
        """An empty council store of the adapter under test."""
        raise NotImplementedError("a subclass provides the Council under test")

    def test_a_charter_is_written_then_replaced(self, subject: Council, people: Cast) -> None:
        assert subject.charter(people.north) is None
        subject.set_charter(people.north, "scope", "rights", "monthly", people.cora)
        ch = subject.set_charter(people.north, "scope 2", "rights 2", "quarterly", people.ada)
        assert (ch.scope, ch.decision_rights, ch.cadence, ch.updated_by) == (
            "scope 2",
            "rights 2",
            "quarterly",
            people.ada,
        )
        assert subject.charter(people.north) == ch and ch.updated_at.tzinfo is not None
        assert subject.charter(people.south) is None

    def test_members_in_joining_order_and_retired_ones_kept(
        self, subject: Council, people: Cast
    ) -> None:
        first = subject.add_member(people.north, None, "[PERSON-1]", "ex-CEO", "retail")
        time.sleep(0.01)
        second = subject.add_member(people.north, people.ada, "", "", "")
        subject.add_member(people.south, None, "elsewhere", "", "")
        assert [m.member_id for m in subject.members(people.north)] == [first, second]
        retired = subject.set_member_active(first, False)
        assert not retired.active and retired.name == "[PERSON-1]"
        assert [m.member_id for m in subject.members(people.north)] == [second]
        assert len(subject.members(people.north, active_only=False)) == 2
        with pytest.raises(StoreError):
            subject.set_member_active("no-such-member", True)

    def test_meetings_newest_first_with_their_notes(self, subject: Council, people: Cast) -> None:
        old = subject.add_meeting(people.north, DAY, "first", ["n1", "n2"], people.cora)
        new = subject.add_meeting(
            people.north, DAY + dt.timedelta(days=30), "next", [], people.cora
        )
        assert [m.meeting_id for m in subject.meetings(people.north)] == [new, old]
        got = subject.meeting(old)
        assert got is not None and got.note_ids == ("n1", "n2") and got.held_on == DAY
        assert subject.meeting("nope") is None and subject.meetings(people.south) == []

    def test_an_option_closes_once(self, subject: Council, people: Cast) -> None:
        meeting = subject.add_meeting(people.north, DAY, "topic", [], people.cora)
        a = subject.add_option(people.north, meeting, "option a", people.ada, people.cora)
        time.sleep(0.01)
        b = subject.add_option(people.north, None, "option b", people.ravi, people.cora)
        assert [o.option_id for o in subject.options(people.north)] == [a, b]
        done = subject.decide_option(a, OptionStatus.DECLINED, "why not")
        assert (done.status, done.decision, done.meeting_id) == (
            OptionStatus.DECLINED,
            "why not",
            meeting,
        )
        assert done.decided_at is not None
        assert [o.option_id for o in subject.options(people.north, OptionStatus.OPEN)] == [b]
        with pytest.raises(StoreError):
            subject.decide_option(a, OptionStatus.DECIDED, "again")
        with pytest.raises(StoreError):
            subject.decide_option(b, OptionStatus.OPEN, "reopen")
        with pytest.raises(StoreError):
            subject.decide_option("nope", OptionStatus.DECIDED, "x")
        assert subject.option(a) == done and subject.option("nope") is None


class RotationsContract(PeopledStore):
    """Tests every ``Rotations`` adapter passes."""

    @pytest.fixture
    def subject(self) -> Rotations:
        """An empty rotations store of the adapter under test."""
        raise NotImplementedError("a subclass provides the Rotations under test")

    def _add(self, subject: Rotations, people: Cast, start: dt.date, person: str = "") -> str:
        return subject.add(
            people.north,
            person or people.ravi,
            "Marketing",
            "Brazil",
            start,
            start + dt.timedelta(days=20),
            "launch",
            "growth",
            people.ada,
            people.cora,
        )

    def test_rotations_round_trip_in_start_order(self, subject: Rotations, people: Cast) -> None:
        late = self._add(subject, people, DAY)
        early = self._add(subject, people, DAY - dt.timedelta(days=60), people.ada)
        assert [r.rotation_id for r in subject.listing([people.north])] == [early, late]
        assert [r.rotation_id for r in subject.listing([people.north], people.ravi)] == [late]
        assert subject.listing([people.south]) == [] and subject.listing([]) == []
        r = subject.get(late)
        assert r is not None
        assert (r.person_id, r.function, r.market, r.start_date, r.end_date) == (
            people.ravi,
            "Marketing",
            "Brazil",
            DAY,
            DAY + dt.timedelta(days=20),
        )
        assert (r.anchor_project, r.strategic_goal, r.host_sponsor_id, r.debrief_id) == (
            "launch",
            "growth",
            people.ada,
            None,
        )

    def test_debriefs_link_and_unlink_and_cancel_removes(
        self, subject: Rotations, people: Cast
    ) -> None:
        rid = self._add(subject, people, DAY)
        assert subject.link_debrief(rid, "doc-1").debrief_id == "doc-1"
        assert subject.link_debrief(rid, None).debrief_id is None
        with pytest.raises(StoreError):
            subject.link_debrief("nope", "doc-1")
        subject.cancel(rid)
        subject.cancel("nope")
        assert subject.get(rid) is None


class ImpactContract(PeopledStore):
    """Tests every ``Impact`` adapter passes."""

    @pytest.fixture
    def subject(self) -> Impact:
        """An empty impact store of the adapter under test."""
        raise NotImplementedError("a subclass provides the Impact under test")

    def test_one_report_per_mentor_programme_and_quarter(
        self, subject: Impact, people: Cast
    ) -> None:
        first = subject.save_report(people.north, people.cora, "2026-Q3", {"speed": "a"}, False)
        again = subject.save_report(people.north, people.cora, "2026-Q3", {"behaviour": "b"}, True)
        assert again.report_id == first.report_id
        assert (again.answers, again.shared) == ({"behaviour": "b"}, True)
        newer = subject.save_report(people.north, people.ada, "2026-Q4", {"speed": "c"}, False)
        subject.save_report(people.south, people.olga, "2026-Q4", {"speed": "d"}, False)
        assert [r.report_id for r in subject.reports([people.north])] == [
            newer.report_id,
            first.report_id,
        ]
        assert [r.report_id for r in subject.reports([people.north], "2026-Q3")] == [
            first.report_id
        ]
        assert subject.report(people.north, people.cora, "2026-Q3") == again
        assert subject.report(people.north, people.cora, "2026-Q4") is None
        assert subject.reports([]) == []

    def test_recounts_narrow_and_validate_once(self, subject: Impact, people: Cast) -> None:
        a = subject.add_recount(
            people.north, people.ravi, "obj-1", "objective", "2026-Q4", "text", people.ada, True
        )
        time.sleep(0.01)
        b = subject.add_recount(
            people.north, people.ravi, "obj-2", "other", "2026-Q4", "more", people.cora, False
        )
        assert [r.recount_id for r in subject.recounts([people.north])] == [b, a]
        assert [r.recount_id for r in subject.recounts([people.north], observer_id=people.ada)] == [
            a
        ]
        assert subject.recounts([people.north], mentee_id=people.ada) == []
        assert [r.recount_id for r in subject.recounts([people.north], quarter="2026-Q4")] == [b, a]
        got = subject.recount(a)
        assert got is not None and (got.objective_id, got.objective, got.text, got.shared) == (
            "obj-1",
            "objective",
            "text",
            True,
        )
        assert got.validation is None and got.validated_at is None
        done = subject.validate(a, "seen it")
        assert done.validation == "seen it" and done.validated_at is not None
        with pytest.raises(StoreError):
            subject.validate(a, "again")
        with pytest.raises(StoreError):
            subject.validate("nope", "x")
        assert subject.recount(a) == done and subject.recounts([]) == []
