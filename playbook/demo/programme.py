"""Demo content for the programme around the playbook (issue 20, part 2): an advisor
council with a charter, two members, a meeting tied to the demo council note and options
owned inside the organisation; Ravi's rotations, two past (linked to his debriefs) and one
planned; Ada mentoring Ravi, her shared report for last quarter, and Ravi's recount of an
objective waiting for Cora's validation. Written through the services, so every text is
redacted and audited like a person's; seeding again adds nothing."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from playbook.ports.mentoring import (
    ObjectiveDraft,
    PairingState,
    ProfileDraft,
    ProfileRole,
)
from playbook.ports.programme import quarter_days, quarter_of

if TYPE_CHECKING:
    from playbook.wiring import Container

OBJECTIVE = "Lead a cross-functional launch decision without waiting for perfect data"


def seed_programme(c: Container, programme: str = "default") -> bool:
    """Add the demo council, rotations and impact records once. True when anything was added."""
    pid = c.administration.programme_id(programme)
    added = _council(c, pid)
    added |= _rotations(c, pid)
    added |= _impact(c, pid)
    return added


def _council(c: Container, pid: str) -> bool:
    if c.council.council.charter(pid) is not None:
        return False
    who = c.administration.principal("cora")
    c.council.set_charter(
        who,
        pid,
        "Market entry and distribution strategy in South-East Asia.",
        "The council advises and challenges; every decision stays with the internal owner "
        "named on the option, who reports back at the next meeting.",
        "Quarterly, and once more before any market-entry decision.",
    )
    c.council.add_member(
        who,
        pid,
        name="Halim Santoso",
        affiliation="former regional COO of a logistics group",
        expertise="island distribution",
    )
    c.council.add_member(
        who, pid, name="Grace Lim", affiliation="retail board member", expertise="pricing"
    )
    notes = [
        d.document_id for d in c.records.documents(who.user_id) if d.kind.value == "council_note"
    ]
    meeting = c.council.add_meeting(
        who, pid, dt.date(2026, 10, 20), "Entering the Indonesian market", notes
    )
    pilot = c.council.raise_option(
        who,
        pid,
        "Pilot island distribution with a regional partner before choosing a national one.",
        "ada",
        meeting.meeting_id,
    )
    c.council.raise_option(
        who, pid, "Price in local currency from the first day.", "ada", meeting.meeting_id
    )
    c.council.decide(
        c.administration.principal("ada"),
        pilot.option_id,
        True,
        "Pilot in two provinces in Q1; I report back at the January council.",
    )
    return True


def _rotations(c: Container, pid: str) -> bool:
    ravi = c.administration.principal("ravi")
    if c.rotations.rotations.listing([pid], ravi.user_id):
        return False
    cora = c.administration.principal("cora")
    debriefs = {
        d.debrief.market: d.document_id
        for d in c.records.documents(ravi.user_id)
        if d.kind.value == "debrief"
    }
    past = [
        ("Supply chain", "Singapore", dt.date(2026, 7, 27), dt.date(2026, 8, 14),
         "Cost-to-serve analysis for regional distributors", "Reduce cost to serve"),
        ("Marketing", "Brazil", dt.date(2026, 9, 14), dt.date(2026, 10, 9),
         "Cross-functional launch of the mid-range product line", "Grow share in Brazil"),
    ]  # fmt: skip
    for function, market, start, end, project, goal in past:
        view = c.rotations.plan(
            cora,
            pid,
            "ravi",
            function=function,
            market=market,
            start=start,
            end=end,
            anchor_project=project,
            strategic_goal=goal,
            host_sponsor="ada",
        )
        if market in debriefs:
            c.rotations.link_debrief(ravi, view.rotation.rotation_id, debriefs[market])
    # The next one starts on a Monday five weeks ahead, so it is always still to come.
    today = dt.date.today()
    start = today + dt.timedelta(days=35 - today.weekday())
    c.rotations.plan(
        cora,
        pid,
        "ravi",
        function="Finance",
        market="Indonesia",
        start=start,
        end=start + dt.timedelta(days=25),
        anchor_project="Distributor margin model for the island pilot",
        strategic_goal="Enter Indonesia profitably",
        host_sponsor="ada",
    )
    return True


def _impact(c: Container, pid: str) -> bool:
    ada, ravi = c.administration.principal("ada"), c.administration.principal("ravi")
    profiles, pairings = c.impact.profiles, c.impact.pairings
    mine = [p for p in pairings.pairings(pid, ravi.user_id) if p.mentor_id == ada.user_id]
    if mine:
        return False
    if not profiles.profiles(pid, ProfileRole.MENTEE, ravi.user_id):
        profiles.save_profiles(
            [
                ProfileDraft(
                    pid,
                    ada.user_id,
                    ProfileRole.MENTOR,
                    expertise="commercial decisions under time pressure; pricing",
                    functions=("Sales", "Finance"),
                    markets=("APAC",),
                    capacity=2,
                    seniority=7,
                ),
                ProfileDraft(
                    pid,
                    ravi.user_id,
                    ProfileRole.MENTEE,
                    goals="Grow share in new markets",
                    objectives=(ObjectiveDraft(OBJECTIVE, "Grow share in new markets"),),
                ),
            ]
        )
    objectives = [o for o in profiles.objectives(pid, ravi.user_id) if not o.retired]
    pairing_id = pairings.propose(
        pid,
        ada.user_id,
        ravi.user_id,
        ProfileRole.MENTOR,
        [o.objective_id for o in objectives],
        2,
        c.administration.principal("cora").user_id,
    )
    proposed = pairings.pairing(pairing_id)
    if proposed is not None:
        pairings.update(
            dataclasses.replace(
                proposed, state=PairingState.ACTIVE, mentor_accepted=True, mentee_accepted=True
            ),
            PairingState.PROPOSED,
        )
    last = quarter_of(quarter_days(quarter_of(dt.date.today()))[0] - dt.timedelta(days=1))
    c.impact.save_report(
        ada,
        pid,
        last,
        {
            "behaviour": "I now name the least certain assumption before a fast decision; "
            "my team noticed first.",
            "speed": "Faster: the APAC price change took four days, not three weeks.",
            "relationships": "Finance trusts our forecasts more; the support team less, "
            "after the budget cut.",
        },
        shared=True,
    )
    if objectives:
        c.impact.recount(
            ravi,
            objectives[0].objective_id,
            "In Brazil I called the launch-window decision with the data we had and "
            "named what would change my mind; we launched two weeks earlier.",
            "cora",
            shared=True,
        )
    return True
