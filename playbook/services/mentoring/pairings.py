"""Pairing transitions, as pure logic: proposed → approved (a coordinator or steward) →
active once both people accepted; either person may decline before it is active; any open
pairing may end. Each function returns the changed pairing or raises ``PairingError``."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from playbook.ports.mentoring import OPEN_STATES, Pairing, PairingState
from playbook.services.mentoring.errors import PairingError


def approve(pairing: Pairing, by: str) -> Pairing:
    """A coordinator's or steward's approval of a proposed pairing."""
    if pairing.state is not PairingState.PROPOSED:
        raise PairingError(
            f"only a proposed pairing can be approved; this one is {_state(pairing)}"
        )
    return replace(pairing, state=PairingState.APPROVED, approved_by=by)


def accept(pairing: Pairing, user_id: str) -> Pairing:
    """One person's acceptance; the second makes the pairing active."""
    if pairing.state is PairingState.PROPOSED:
        raise PairingError("a coordinator or steward has to approve this pairing first")
    if pairing.state is not PairingState.APPROVED:
        raise PairingError(f"this pairing is {_state(pairing)}; there is nothing to accept")
    mentor = pairing.mentor_accepted or user_id == pairing.mentor_id
    mentee = pairing.mentee_accepted or user_id == pairing.mentee_id
    state = PairingState.ACTIVE if mentor and mentee else PairingState.APPROVED
    return replace(pairing, mentor_accepted=mentor, mentee_accepted=mentee, state=state)


def decline(pairing: Pairing) -> Pairing:
    """One person says no before the pairing is active."""
    if pairing.state not in (PairingState.PROPOSED, PairingState.APPROVED):
        raise PairingError(
            f"this pairing is {_state(pairing)}; an active one is ended (or rematched) instead"
        )
    return replace(pairing, state=PairingState.DECLINED, ended_at=dt.datetime.now(dt.UTC))


def end(pairing: Pairing) -> Pairing:
    """Close an open pairing (finished, or a rematch)."""
    if pairing.state not in OPEN_STATES:
        raise PairingError(f"this pairing is already {_state(pairing)}")
    return replace(pairing, state=PairingState.ENDED, ended_at=dt.datetime.now(dt.UTC))


def _state(pairing: Pairing) -> str:
    return pairing.state.value
