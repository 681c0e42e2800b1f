"""What an entry's history says about its review: who put it into review (separation of
duties keeps them from publishing it) and whether a reviewer declined it, with the reason.

Pure functions over an entry's saved versions: the lifecycle notes ("submit", "return: the
reason", ...) are the record, so no second store can disagree with the history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from playbook import lifecycle
from playbook.models import EntryVersion

MAX_REASON = 1000
_MOVES = tuple(a.value for a in lifecycle.Action)


@dataclass(frozen=True)
class Declined:
    """A reviewer sent an entry back to draft: who, when, at which version, and why (the
    reason is redacted; empty when it was returned without one, e.g. from the CLI)."""

    by: str  # user id
    at: dt.datetime
    version: int
    reason: str


def move_of(note: str) -> tuple[str, str] | None:
    """The lifecycle action a version note records and its comment, or None for other
    notes ("edited", "verified", "restored version 2")."""
    for action in _MOVES:
        if note == action:
            return action, ""
        if note.startswith(action + ": "):
            return action, note[len(action) + 2 :].strip()
    return None


def submitter(versions: Sequence[EntryVersion]) -> str | None:
    """Who last put the entry into review (by submitting it, or starting a revision)."""
    for v in reversed(versions):
        move = move_of(v.note)
        if move and move[0] in (lifecycle.Action.SUBMIT.value, lifecycle.Action.REVISE.value):
            return v.author_id
    return None


def declined(versions: Sequence[EntryVersion]) -> Declined | None:
    """The decline the entry is still under: when its newest lifecycle move was a return to
    draft; None once it moved on (resubmitted, archived ...) or was never returned."""
    for v in reversed(versions):
        move = move_of(v.note)
        if move is None:
            continue
        if move[0] != lifecycle.Action.RETURN.value:
            return None
        return Declined(v.author_id, v.created_at, v.number, move[1])
    return None
