"""Playbook entry lifecycle: which status changes are allowed, and who may make them.

Pure rules, no I/O: the curation service asks here before it writes anything.

    draft ──submit──> in_review ──publish──> published ──archive──> archived
      ^                  │                      │                      │
      └────return────────┘<────────revise───────┘<──────restore────────┘ (to draft)
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from playbook.models import EntryContent, EntryStatus

DEFAULT_REVIEW_DAYS = 90


class Action(StrEnum):
    """What a coordinator can do to an entry's status."""

    SUBMIT = "submit"  # draft -> in_review
    RETURN = "return"  # in_review -> draft, with comments
    PUBLISH = "publish"  # in_review -> published
    REVISE = "revise"  # published -> in_review, a new version to check
    ARCHIVE = "archive"  # published or draft -> archived
    RESTORE = "restore"  # archived -> draft


_MOVES: dict[Action, tuple[frozenset[EntryStatus], EntryStatus]] = {
    Action.SUBMIT: (frozenset({EntryStatus.DRAFT}), EntryStatus.IN_REVIEW),
    Action.RETURN: (frozenset({EntryStatus.IN_REVIEW}), EntryStatus.DRAFT),
    Action.PUBLISH: (frozenset({EntryStatus.IN_REVIEW}), EntryStatus.PUBLISHED),
    Action.REVISE: (frozenset({EntryStatus.PUBLISHED}), EntryStatus.IN_REVIEW),
    Action.ARCHIVE: (
        frozenset({EntryStatus.DRAFT, EntryStatus.IN_REVIEW, EntryStatus.PUBLISHED}),
        EntryStatus.ARCHIVED,
    ),
    Action.RESTORE: (frozenset({EntryStatus.ARCHIVED}), EntryStatus.DRAFT),
}


class TransitionError(ValueError):
    """A status change the lifecycle does not allow, said in a sentence naming what would."""


@dataclass(frozen=True)
class Transition:
    """The outcome of an allowed action."""

    before: EntryStatus
    after: EntryStatus
    action: Action


def allowed(status: EntryStatus) -> list[Action]:
    """The actions open to an entry in ``status``, in lifecycle order."""
    return [a for a, (sources, _) in _MOVES.items() if status in sources]


def transition(status: EntryStatus, action: Action | str) -> Transition:
    """Apply ``action`` to an entry in ``status``, or say why it cannot be done.

    Raises:
        TransitionError: the action is unknown, or not open from ``status``.
    """
    try:
        act = Action(action)
    except ValueError:
        names = ", ".join(a.value for a in Action)
        raise TransitionError(f"unknown action {action!r}; use one of: {names}") from None
    sources, target = _MOVES[act]
    if status not in sources:
        options = ", ".join(a.value for a in allowed(status)) or "none"
        label = _label(status)
        article = "an" if label[0] in "aeiou" else "a"
        raise TransitionError(
            f"{article} {label} entry cannot be {_past(act)} (open actions: {options})"
        )
    return Transition(status, target, act)


def next_review(verified_on: dt.date, interval_days: int = DEFAULT_REVIEW_DAYS) -> dt.date:
    """The date an entry verified on ``verified_on`` is due for its next review."""
    if interval_days < 1:
        raise ValueError("the review interval should be at least one day")
    return verified_on + dt.timedelta(days=interval_days)


def review_state(due: dt.date | None, today: dt.date, soon_days: int = 14) -> str:
    """ "overdue", "due soon" (within ``soon_days``), "current", or "unscheduled"."""
    if due is None:
        return "unscheduled"
    if due < today:
        return "overdue"
    if due <= today + dt.timedelta(days=soon_days):
        return "due soon"
    return "current"


def _label(status: EntryStatus) -> str:
    return status.value.replace("_", " ")


def _past(action: Action) -> str:
    return {
        Action.SUBMIT: "submitted for review",
        Action.RETURN: "returned to draft",
        Action.PUBLISH: "published",
        Action.REVISE: "revised",
        Action.ARCHIVE: "archived",
        Action.RESTORE: "restored",
    }[action]


def snapshot(
    content: EntryContent, status: EntryStatus, review_due: dt.date | None
) -> dict[str, Any]:
    """An entry's state as a version keeps it (JSON-ready)."""
    data = dataclasses.asdict(content)
    data["tags"] = list(content.tags)
    data["status"] = status.value
    data["review_due"] = review_due.isoformat() if review_due else None
    return data


def content_of(data: dict[str, Any]) -> EntryContent:
    """The content part of a snapshot."""
    return EntryContent(
        title=str(data["title"]),
        sections={str(k): str(v) for k, v in dict(data.get("sections") or {}).items()},
        function=data.get("function"),
        market=data.get("market"),
        competency=data.get("competency"),
        tags=tuple(data.get("tags") or ()),
        verifier_id=data.get("verifier_id"),
        review_interval_days=int(data.get("review_interval_days") or 90),
    )
