"""Shared set-up for the programme tests (council, rotations, impact): an active pairing
with learning objectives, written through the mentoring ports as their service would."""

from __future__ import annotations

import dataclasses

from playbook.ports.mentoring import ObjectiveDraft, PairingState, ProfileDraft, ProfileRole
from playbook.wiring import Container


def pair(
    c: Container,
    mentor: str,
    mentee: str,
    objectives: tuple[str, ...],
    programme_id: str | None = None,
) -> list[str]:
    """``mentor`` mentors ``mentee`` (both accepted, active) in ``programme_id`` (default:
    one of the mentee's), the mentee holding ``objectives``; returns the objectives' ids."""
    m, e = c.records.principal(mentor), c.records.principal(mentee)
    pid = programme_id or sorted(e.programme_ids)[0]
    profiles, pairings = c.impact.profiles, c.impact.pairings
    profiles.save_profiles(
        [
            ProfileDraft(pid, m.user_id, ProfileRole.MENTOR, expertise="pricing", capacity=3),
            ProfileDraft(
                pid,
                e.user_id,
                ProfileRole.MENTEE,
                objectives=tuple(ObjectiveDraft(t) for t in objectives),
            ),
        ]
    )
    ids = [o.objective_id for o in profiles.objectives(pid, e.user_id)]
    pairing_id = pairings.propose(pid, m.user_id, e.user_id, ProfileRole.MENTOR, ids, 2, "x")
    proposed = pairings.pairing(pairing_id)
    assert proposed is not None
    active = dataclasses.replace(
        proposed, state=PairingState.ACTIVE, mentor_accepted=True, mentee_accepted=True
    )
    assert pairings.update(active, PairingState.PROPOSED)
    return ids
