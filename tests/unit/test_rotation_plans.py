"""Rotations as programme objects: coordinators plan two to four weeks with an anchor
project, the person links the debrief they wrote after, and handoff packs and the rotation
brief know who is going where next."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from playbook.permissions import NotAllowedError
from playbook.services.documents import ImportOptions
from playbook.services.handoff import to_markdown
from playbook.services.programme_base import ProgrammeError
from playbook.services.rotations import RotationService
from playbook.wiring import Container

TODAY = dt.date(2026, 12, 1)


@pytest.fixture
def plans(members: Container) -> RotationService:
    svc = members.rotations
    svc._today = TODAY  # statuses are judged on a fixed day
    return svc


def _plan(svc: RotationService, c: Container, **kw: object) -> object:
    cora = c.records.principal("cora")
    args: dict[str, object] = {
        "market": "Brazil",
        "function": "Marketing",
        "start": dt.date(2027, 1, 4),
        "end": dt.date(2027, 1, 29),
        "anchor_project": "Mid-range launch",
        "strategic_goal": "Grow share",
        "host_sponsor": "ada",
    }
    args.update(kw)
    return svc.plan(cora, svc.programme(cora), "ravi", **args)  # type: ignore[arg-type]


def test_a_coordinator_plans_and_everyone_in_the_programme_sees_it(
    plans: RotationService, members: Container
) -> None:
    view = _plan(plans, members)
    assert view.status == "planned" and view.person == "ravi" and view.sponsor == "ada"
    ada = members.records.principal("ada")
    [seen] = plans.listing(ada)
    assert seen.line() == (
        "ravi → Marketing, Brazil, 04 Jan 2027 – 29 Jan 2027 (planned): Mid-range launch, "
        "hosted by ada"
    )
    with pytest.raises(NotAllowedError, match="coordinator role"):
        plans.plan(
            ada,
            plans.programme(ada),
            "ravi",
            market="X",
            start=TODAY,
            end=TODAY,
            anchor_project="p",
        )
    assert [v.rotation.rotation_id for v in plans.mine(members.records.principal("ravi"))] == [
        view.rotation.rotation_id
    ]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"end": dt.date(2027, 1, 14)}, "two to four weeks"),  # 11 days
        ({"end": dt.date(2027, 2, 1)}, "two to four weeks"),  # 29 days
        ({"end": dt.date(2027, 1, 1)}, "ends"),
        ({"market": "", "function": " "}, "host function or market"),
        ({"anchor_project": ""}, "anchor project is empty"),
        ({"host_sponsor": "ravi"}, "host sponsor is someone"),
        ({"host_sponsor": "nobody"}, "not a member"),
        ({"anchor_project": "x" * 501}, "keep it to 500"),
    ],
)
def test_bad_plans_are_refused_and_nothing_is_stored(
    plans: RotationService, members: Container, change: dict[str, object], message: str
) -> None:
    with pytest.raises(ProgrammeError, match=message):
        _plan(plans, members, **change)
    assert plans.listing(members.records.principal("cora")) == []


def test_two_weeks_and_four_weeks_are_accepted_overlaps_are_not(
    plans: RotationService, members: Container
) -> None:
    _plan(plans, members, start=dt.date(2027, 1, 4), end=dt.date(2027, 1, 15))  # 12 days
    _plan(plans, members, start=dt.date(2027, 2, 1), end=dt.date(2027, 2, 28))  # 28 days
    with pytest.raises(ProgrammeError, match="already rotating"):
        _plan(plans, members, start=dt.date(2027, 2, 20), end=dt.date(2027, 3, 10))


def test_the_person_links_their_own_debrief_and_nobody_else_can(
    plans: RotationService, members: Container, tmp_path: Path
) -> None:
    past = _plan(plans, members, start=dt.date(2026, 9, 14), end=dt.date(2026, 10, 9))
    assert past.status == "finished"
    rows = [
        {"id": "d1", "kind": "debrief", "visibility": "shared", "text": "What I learnt."},
        {"id": "j1", "kind": "journal", "visibility": "shared", "text": "Not a debrief."},
    ]
    f = tmp_path / "r.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in rows))
    members.service.import_paths([f], ImportOptions(as_user="ravi", programme="default"))
    ravi, ada = members.records.principal("ravi"), members.records.principal("ada")
    d1 = members.pipeline.document_id(ravi.user_id, "d1")
    j1 = members.pipeline.document_id(ravi.user_id, "j1")
    rid = past.rotation.rotation_id
    assert [i for i, _ in plans.debrief_choices(ravi, rid)] == [d1]
    with pytest.raises(NotAllowedError):
        plans.link_debrief(ada, rid, d1)
    with pytest.raises(ProgrammeError, match="link the debrief the person"):
        plans.link_debrief(ravi, rid, j1)
    linked = plans.link_debrief(ravi, rid, d1)
    assert linked.rotation.debrief_id == d1 and linked.debrief_title
    assert (
        plans.link_debrief(members.records.principal("cora"), rid, None).rotation.debrief_id is None
    )


def test_packs_and_briefs_know_who_is_going_there_next(
    plans: RotationService, members: Container
) -> None:
    _plan(plans, members)
    _plan(
        plans,
        members,
        market="Singapore",
        function="Supply chain",
        start=dt.date(2026, 8, 3),
        end=dt.date(2026, 8, 21),
    )  # finished: not "next"
    ada = members.records.principal("ada")
    assert [v.rotation.market for v in plans.going_next(ada, market="brazil")] == ["Brazil"]
    assert plans.going_next(ada, market="Singapore") == []
    assert plans.going_next(ada) == []
    pack = members.curation.handoff_pack(ada, market="Brazil")
    md = to_markdown(plans.add_to_pack(ada, pack, None, "Brazil"))
    assert "## Who is going there next" in md and "ravi → Marketing, Brazil" in md
    assert plans.add_to_pack(ada, pack, None, "Peru") == pack


def test_only_coordinators_cancel(plans: RotationService, members: Container) -> None:
    view = _plan(plans, members)
    with pytest.raises(NotAllowedError):
        plans.cancel(members.records.principal("ravi"), view.rotation.rotation_id)
    plans.cancel(members.records.principal("cora"), view.rotation.rotation_id)
    assert plans.listing(members.records.principal("cora")) == []
    with pytest.raises(ProgrammeError, match="no planned rotation"):
        plans.cancel(members.records.principal("cora"), view.rotation.rotation_id)


def test_every_text_of_a_rotation_is_redacted_before_it_is_stored(
    plans: RotationService, members: Container
) -> None:
    view = _plan(
        plans,
        members,
        function="Sales with Priya",
        market="Brazil",
        anchor_project="Tony's launch review",
        strategic_goal="Grow share, as Marcus asked",
    )
    r = plans.rotations.get(view.rotation.rotation_id)
    assert r is not None
    stored = " ".join((r.function, r.market, r.anchor_project, r.strategic_goal))
    assert not {"Priya", "Tony", "Marcus"} & set(stored.replace("'", " ").split())
    assert stored.count("[PERSON-") == 3
