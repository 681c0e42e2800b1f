"""The minimum-group rule every health figure goes through (issue 21)."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest

from playbook.services.health.figures import Period, shown, suppress


def test_a_small_count_is_withheld_and_zero_is_shown() -> None:
    assert shown(4, 5) is None
    assert shown(5, 5) == 5
    assert shown(0, 5) == 0


def test_one_small_cell_takes_a_second_with_it_so_the_total_cannot_give_it_away() -> None:
    out = suppress({"north": 10, "south": 3, "east": 7}, 5)
    assert out["south"] is None
    assert out["east"] is None  # the smallest shown cell goes too
    assert out["north"] == 10


def test_no_withheld_cell_can_be_recovered_from_the_total() -> None:
    # Every breakdown of up to four categories of 0..12 people: what stays hidden is either
    # nothing, or at least two cells describing at least min_group people together.
    for values in itertools.product(range(0, 13, 2), repeat=3):
        counts = dict(zip("abc", values, strict=True))
        out = suppress(counts, 5)
        hidden = [k for k, v in out.items() if v is None]
        for k, v in out.items():
            if v is not None:
                assert v == counts[k] and (v == 0 or v >= 5)
        if hidden:
            assert len(hidden) >= 2 or sum(counts.values()) == counts[hidden[0]] < 5
            assert (
                len(hidden) < 2
                or sum(counts[k] for k in hidden) >= 5
                or all(out[k] is None or out[k] == 0 for k in counts)
            )


def test_a_period_states_itself_and_refuses_to_run_backwards() -> None:
    p = Period.last_days(dt.date(2026, 12, 1), 30)
    assert p.label == "2026-11-02 to 2026-12-01"
    assert p.holds(dt.date(2026, 11, 2)) and not p.holds(dt.date(2026, 11, 1))
    with pytest.raises(ValueError, match="ends on or after"):
        Period(dt.date(2026, 12, 2), dt.date(2026, 12, 1))
