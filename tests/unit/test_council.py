"""The advisor council's use cases: coordinators run it, members read it, an option's
internal owner (never a council member) decides it, and every text others read is redacted."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from playbook.permissions import NotAllowedError
from playbook.ports.programme import OptionStatus
from playbook.services.documents import ImportOptions
from playbook.services.programme_base import ProgrammeError
from playbook.wiring import Container

DAY = dt.date(2026, 10, 20)


def _setup(c: Container) -> tuple[str, object, object, object]:
    cora, ada, ravi = (c.records.principal(u) for u in ("cora", "ada", "ravi"))
    return c.council.programme(cora), cora, ada, ravi


def test_coordinators_write_the_charter_members_read_it_redacted(members: Container) -> None:
    pid, cora, ada, ravi = _setup(members)
    members.council.set_charter(
        cora, pid, "Market entry in Asia", "Advice only; Priya decides", "Quarterly"
    )
    view = members.council.view(ravi, pid)
    assert view.charter is not None and view.charter.scope == "Market entry in Asia"
    assert "Priya" not in view.charter.decision_rights  # redacted: others read it
    assert "[PERSON-" in view.charter.decision_rights
    with pytest.raises(NotAllowedError, match="coordinator role"):
        members.council.set_charter(ada, pid, "x", "y", "z")
    with pytest.raises(ProgrammeError, match="the meeting cadence is empty"):
        members.council.set_charter(cora, pid, "x", "y", "  ")
    assert members.council.view(ravi, pid).charter.scope == "Market entry in Asia"  # kept


def test_members_are_users_or_external_names_once_each(members: Container) -> None:
    pid, cora, ada, _ = _setup(members)
    external = members.council.add_member(
        cora, pid, name="Tony Okafor", affiliation="ex-CEO", expertise="retail"
    )
    assert external.user_id is None and "Tony" not in external.name
    seated = members.council.add_member(cora, pid, username="ada")
    assert seated.user_id == ada.user_id
    with pytest.raises(ProgrammeError, match="already on the council"):
        members.council.add_member(cora, pid, username="ada")
    with pytest.raises(ProgrammeError, match="either the advisor's username or an external"):
        members.council.add_member(cora, pid, username="ada", name="Someone")
    with pytest.raises(ProgrammeError, match="no user 'nobody'"):
        members.council.add_member(cora, pid, username="nobody")
    members.council.set_member_active(cora, pid, external.member_id, False)
    view = members.council.view(ada, pid)
    assert [(view.member_label(m), m.active) for m in view.members] == [
        (external.name, False),
        ("ada", True),
    ]


def test_meetings_link_council_notes_of_the_programme_only(
    members: Container, tmp_path: Path
) -> None:
    pid, cora, _, ravi = _setup(members)
    rows = [
        {"id": "c1", "kind": "council_note", "visibility": "shared", "text": "Island logistics."},
        {"id": "j1", "kind": "journal", "visibility": "shared", "text": "A journal."},
        {"id": "c2", "kind": "council_note", "text": "Private draft note."},
    ]
    f = tmp_path / "notes.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in rows))
    members.service.import_paths([f], ImportOptions(as_user="cora", programme="default"))
    ids = {r["id"]: members.pipeline.document_id(cora.user_id, r["id"]) for r in rows}
    assert [i for i, _ in members.council.note_choices(cora, pid)] in (
        [ids["c1"], ids["c2"]],
        [ids["c2"], ids["c1"]],
    )
    meeting = members.council.add_meeting(cora, pid, DAY, "Indonesia entry", [ids["c1"], ids["c2"]])
    with pytest.raises(ProgrammeError, match="not a council note"):
        members.council.add_meeting(cora, pid, DAY, "x", [ids["j1"]])
    with pytest.raises(ProgrammeError, match="no council note 'nope'"):
        members.council.add_meeting(cora, pid, DAY, "x", ["nope"])
    # Ravi reads the meeting, and the title of the shared note only (not cora's private one).
    view = members.council.view(ravi, pid)
    assert [m.meeting_id for m in view.meetings] == [meeting.meeting_id]
    assert set(view.note_titles) == {ids["c1"]}


def test_an_option_is_owned_and_decided_internally(members: Container) -> None:
    pid, cora, ada, ravi = _setup(members)
    members.council.add_member(cora, pid, username="ravi")  # ravi advises
    with pytest.raises(ProgrammeError, match="sits on the council"):
        members.council.raise_option(cora, pid, "Pilot with a local distributor", "ravi")
    with pytest.raises(ProgrammeError, match="not a member of this programme"):
        members.council.raise_option(cora, pid, "Pilot", "nobody")
    assert members.council.owner_choices(cora, pid) == ["ada", "cora"]
    option = members.council.raise_option(cora, pid, "Pilot with Marcus's distributor", "ada")
    assert "Marcus" not in option.text and option.status is OptionStatus.OPEN
    assert [o.option_id for o in members.council.owned_options(ada)] == [option.option_id]
    # The council raised it; neither the coordinator nor an advisor decides it.
    for other in (cora, ravi):
        with pytest.raises(NotAllowedError, match="internal owner"):
            members.council.decide(other, option.option_id, True, "Go")
    with pytest.raises(ProgrammeError, match="the reason is empty"):
        members.council.decide(ada, option.option_id, False, "")
    done = members.council.decide(ada, option.option_id, True, "Pilot in Q1, Tony leads")
    assert done.status is OptionStatus.DECIDED and "Tony" not in done.decision
    assert done.decided_at is not None
    with pytest.raises(ProgrammeError, match="already decided"):
        members.council.decide(ada, option.option_id, False, "changed my mind")
    actions = [e.action for e in members.audit.events()]
    assert "council option decided" in actions and "council option raised" in actions


def test_people_outside_the_programme_read_nothing(members: Container) -> None:
    pid, cora, _, _ = _setup(members)
    members.records.add_user("olga", roles=[], programme="south")
    olga = members.records.principal("olga")
    with pytest.raises(NotAllowedError):
        members.council.view(olga, pid)
    with pytest.raises(ProgrammeError, match="not one of your programmes"):
        members.council.programme(cora, "south")


def test_every_text_others_read_is_redacted_before_it_is_stored(members: Container) -> None:
    pid, cora, _, _ = _setup(members)
    m = members.council.add_member(
        cora, pid, name="Marcus Webb", affiliation="Priya's old firm", expertise="ask Tony"
    )
    meeting = members.council.add_meeting(cora, pid, DAY, "Briefing with Tony")
    stored = members.council.council
    [row] = stored.members(pid)
    texts = [row.name, row.affiliation, row.expertise, stored.meeting(meeting.meeting_id).topic]  # type: ignore[union-attr]
    assert m.name == row.name
    assert not any(n in t for t in texts for n in ("Marcus", "Priya", "Tony")), texts
