"""The redaction targets, measured by eval/pii.py on its labelled sets, as regression tests."""

from __future__ import annotations

import pytest

from eval import pii
from tests.conftest import CORPUS

pytestmark = pytest.mark.integration

STRUCTURED = ("EMAIL", "PHONE", "ID", "CARD")
NAME_PARTS = ("names_heldout", "names_heldout2", "names_heldout3", "names_heldout4")


@pytest.fixture(scope="module")
def results() -> dict[str, dict[str, pii.Score]]:
    sets = ["synthetic", "handwritten", "heldout", *NAME_PARTS] + (
        ["leader"] if CORPUS.exists() else []
    )
    return pii.evaluate(sets, ["ours"])


@pytest.mark.parametrize("name", ["handwritten", "leader"])
def test_person_recall_meets_the_target(results: dict, name: str) -> None:
    if name not in results:
        pytest.skip(f"the shared corpus is absent at {CORPUS}")
    score = results[name]["ours"]
    recall = score.row("PERSON")["recall"]
    assert recall is not None and recall >= 0.97, score.misses


@pytest.mark.parametrize("name", ["synthetic", "handwritten"])
def test_structured_recall_meets_the_target(results: dict, name: str) -> None:
    score = results[name]["ours"]
    for label in STRUCTURED:
        recall = score.row(label)["recall"]
        assert recall is not None and recall >= 0.99, (label, score.misses)


@pytest.mark.parametrize("name", ["synthetic", "handwritten", "heldout", "leader"])
def test_over_redaction_stays_under_one_percent(results: dict, name: str) -> None:
    if name not in results:
        pytest.skip(f"the shared corpus is absent at {CORPUS}")
    over = results[name]["ours"].over_redaction
    assert over is not None and over <= 0.01, results[name]["ours"].false_alarms


def test_held_out_recall_does_not_regress(results: dict) -> None:
    # Below the target (see the README): a floor at the first measured figure, not a goal.
    recall = results["heldout"]["ours"].row("PERSON")["recall"]
    assert recall is not None and recall >= 0.86, results["heldout"]["ours"].misses


@pytest.mark.parametrize("name", NAME_PARTS)
def test_names_of_every_origin_do_not_regress(results: dict, name: str) -> None:
    # Issue 22's held-out parts: floors just under the figures of the sixth round (see the
    # README: recall 0.967-1.000, weakest group 0.88-0.96, words lost 0.36-0.96%).
    score = results[name]["ours"]
    recall = score.row("PERSON")["recall"]
    assert recall is not None and recall >= 0.96, score.misses
    groups = {g: c / n for g, (c, n) in score.by_group.items() if g != "none"}
    assert len(groups) >= 10 and min(groups.values()) >= 0.88, groups
    assert score.over_redaction is not None and score.over_redaction <= 0.01


def test_the_fourth_held_out_part_meets_the_targets(results: dict) -> None:
    # Issue 22's targets on the part written by an author who had not seen the engine: recall
    # at least 0.97, every origin group at least 0.95, at most 0.5% of business words lost.
    score = results["names_heldout4"]["ours"]
    recall = score.row("PERSON")["recall"]
    assert recall is not None and recall >= 0.97, score.misses
    groups = {g: c / n for g, (c, n) in score.by_group.items() if g != "none"}
    assert len(groups) == 12 and min(groups.values()) >= 0.95, groups
    assert score.over_redaction is not None and score.over_redaction <= 0.005


def test_forms_are_read_from_the_name_and_its_line() -> None:
    ex = pii.parse_marked("<b>[[PERSON:João dos Santos]]</b> met [[PERSON:JOÃO]]'s team.")
    assert pii.forms(ex, ex.gold[0]) == ["diacritics", "particle", "markup"]
    assert pii.forms(ex, ex.gold[1]) == ["case", "diacritics", "repeated", "markup"]
    plain = pii.parse_marked("Met [[PERSON:Anna Kowalski]] today.")
    assert pii.forms(plain, plain.gold[0]) == ["plain"]


def test_parse_marked_lines() -> None:
    ex = pii.parse_marked("Call [[PERSON:Olga]] on [[PHONE:+44 20 7946 0958]].")
    assert ex.text == "Call Olga on +44 20 7946 0958."
    assert [ex.text[s:e] for s, e, _ in ex.gold] == ["Olga", "+44 20 7946 0958"]


def test_scoring_counts_a_partial_name_as_a_miss() -> None:
    ex = pii.parse_marked("Met [[PERSON:Tony Mercer]] today.")
    score = pii.Score()
    score.add(ex, [(4, 8, "PERSON")])  # only "Tony"
    assert score.row("PERSON")["recall"] == 0.0
    score.add(pii.parse_marked("Met [[PERSON:Dr. Okafor]]'s team."), [(8, 14, "PERSON")])
    assert score.caught["PERSON"] == 1  # the title and the possessive need not be covered
