import datetime as dt

import pytest

from playbook.lifecycle import (
    Action,
    TransitionError,
    allowed,
    next_review,
    review_state,
    transition,
)
from playbook.models import EntryStatus as S

LEGAL = {
    (S.DRAFT, Action.SUBMIT): S.IN_REVIEW,
    (S.IN_REVIEW, Action.RETURN): S.DRAFT,
    (S.IN_REVIEW, Action.PUBLISH): S.PUBLISHED,
    (S.PUBLISHED, Action.REVISE): S.IN_REVIEW,
    (S.DRAFT, Action.ARCHIVE): S.ARCHIVED,
    (S.IN_REVIEW, Action.ARCHIVE): S.ARCHIVED,
    (S.PUBLISHED, Action.ARCHIVE): S.ARCHIVED,
    (S.ARCHIVED, Action.RESTORE): S.DRAFT,
}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("action", list(Action))
def test_every_status_and_action_has_a_defined_answer(status: S, action: Action) -> None:
    if (status, action) in LEGAL:
        t = transition(status, action)
        assert (t.before, t.after, t.action) == (status, LEGAL[status, action], action)
        assert action in allowed(status)
    else:
        with pytest.raises(TransitionError, match="cannot be") as err:
            transition(status, action)
        assert action not in allowed(status)
        for other in allowed(status):
            assert other.value in str(err.value)  # the message names what would work


def test_a_draft_cannot_skip_review() -> None:
    with pytest.raises(TransitionError, match="a draft entry cannot be published"):
        transition(S.DRAFT, "publish")


def test_unknown_actions_are_named() -> None:
    with pytest.raises(TransitionError, match="unknown action 'approve'; use one of: submit"):
        transition(S.DRAFT, "approve")


def test_review_dates() -> None:
    assert next_review(dt.date(2026, 1, 1)) == dt.date(2026, 4, 1)
    assert next_review(dt.date(2026, 1, 1), 30) == dt.date(2026, 1, 31)
    with pytest.raises(ValueError, match="at least one day"):
        next_review(dt.date(2026, 1, 1), 0)
    today = dt.date(2026, 6, 1)
    assert review_state(None, today) == "unscheduled"
    assert review_state(dt.date(2026, 5, 31), today) == "overdue"
    assert review_state(today, today) == "due soon"
    assert review_state(dt.date(2026, 6, 15), today) == "due soon"
    assert review_state(dt.date(2026, 6, 16), today) == "current"
