"""Pseudonyms, merging of findings, the roster and term lists: our own logic, no NLP model."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from playbook.pseudonyms import (
    TOKEN_PATTERN,
    Finding,
    Pseudonymizer,
    Roster,
    RosterError,
    TermMatcher,
    _merge,
    apply_findings,
    normalise,
    reidentify,
)


def test_the_same_person_gets_the_same_placeholder_whatever_the_case_title_or_possessive() -> None:
    p = Pseudonymizer(b"secret")
    tony = p.placeholder("PERSON", "Tony")
    for form in ("tony", "TONY", "Tony's", "Tony’s", "Tony'", "  Tony  ", "Dr. Tony", "Mr Tony"):
        assert p.placeholder("PERSON", form) == tony, form
    assert p.placeholder("PERSON", "Priya") != tony
    assert TOKEN_PATTERN.fullmatch(tony)


def test_placeholders_depend_on_the_key() -> None:
    assert Pseudonymizer(b"a").placeholder("PERSON", "Tony") != Pseudonymizer(b"b").placeholder(
        "PERSON", "Tony"
    )


def test_typed_placeholders_and_normalised_numbers() -> None:
    p = Pseudonymizer(b"k")
    assert p.placeholder("EMAIL_ADDRESS", "a@b.com").startswith("[EMAIL-")
    assert p.placeholder("PHONE", "+44 20 7946 0958") == p.placeholder("PHONE", "+44-20-7946-0958")
    assert p.placeholder("EMPLOYEE_ID", "EMP-1234").startswith("[EMPID-")
    assert normalise("PERSON", "  Ana   Lima ") == "ana lima"


@given(st.lists(st.text(min_size=1, max_size=12), min_size=2, max_size=40, unique=True))
def test_placeholders_never_collide_for_distinct_values(values: list[str]) -> None:
    p = Pseudonymizer(b"k")
    distinct = {normalise("PERSON", v) for v in values}
    tokens = {p.for_key("PERSON", v) for v in distinct}
    assert len(tokens) == len(distinct)


def test_overlapping_names_merge_and_other_overlaps_keep_the_longer() -> None:
    found = [
        Finding(0, 4, "PERSON", 0.86, "given"),  # "Tony"
        Finding(0, 11, "PERSON", 0.85, "ner"),  # "Tony Mercer"
        Finding(20, 40, "ADDRESS", 0.7, "address"),
        Finding(25, 31, "PERSON", 0.85, "ner"),  # a town NER calls a person, inside the address
    ]
    merged = _merge(found)
    assert [(f.start, f.end, f.label) for f in merged] == [(0, 11, "PERSON"), (20, 40, "ADDRESS")]


def test_explicit_findings_win_over_engine_findings() -> None:
    found = [Finding(0, 10, "PHONE", 0.9, "phone"), Finding(2, 6, "PERSON", 1.0, "deny")]
    assert [f.source for f in _merge(found)] == ["deny"]


def test_a_first_name_after_the_full_name_shares_its_placeholder() -> None:
    p = Pseudonymizer(b"k")
    text = "Met Tony Mercer today. Later Tony said Mercer's plan works."
    spans = [(4, 15), (29, 33), (39, 45)]
    red = apply_findings(p, text, [Finding(s, e, "PERSON", 0.9, "t") for s, e in spans])
    tokens = TOKEN_PATTERN.findall(red.text)
    assert len(tokens) == 3 and len(set(tokens)) == 1
    assert red.text.endswith("'s plan works.")
    assert red.originals == {tokens[0]: "Tony Mercer"}
    # entities carry both coordinates
    assert [text[e.source_start : e.source_end] for e in red.entities] == [
        "Tony Mercer",
        "Tony",
        "Mercer",
    ]
    assert all(red.text[e.start : e.end] == tokens[0] for e in red.entities)


def test_reidentify_puts_back_only_known_placeholders() -> None:
    p = Pseudonymizer(b"k")
    red = apply_findings(p, "Ask Priya.", [Finding(4, 9, "PERSON", 0.9, "t")])
    stranger = p.placeholder("PERSON", "Someone Else")
    assert reidentify(red.text + " " + stranger, red.originals) == "Ask Priya. " + stranger


def test_originals_stay_out_of_repr() -> None:
    red = apply_findings(Pseudonymizer(b"k"), "Ask Priya.", [Finding(4, 9, "PERSON", 0.9, "t")])
    assert "Priya" not in repr(red)


ROSTER = """name,email
Tony Mercer,tony.mercer@acme.example
Priya Raman,p.raman@acme.example
Will Green,will.green@acme.example
Priya Shah,
"""


def test_roster_forms_map_to_one_person() -> None:
    roster = Roster.from_csv(ROSTER)
    text = "tony said TONY MERCER's memo went to tony.mercer@acme.example; Mercer agreed."
    found = roster.matcher.find(text)
    keys = {f.key for f in found}
    assert keys == {"roster:tony mercer"}
    assert [text[f.start : f.end] for f in found] == [
        "TONY MERCER",
        "tony.mercer@acme.example",
        "tony",
        "Mercer",
    ] or sorted(text[f.start : f.end] for f in found) == sorted(
        ["tony", "TONY MERCER", "tony.mercer@acme.example", "Mercer"]
    )
    p = Pseudonymizer(b"k")
    red = apply_findings(p, text, _merge(found))
    assert len(set(TOKEN_PATTERN.findall(red.text))) == 1


def test_roster_names_that_are_words_match_only_capitalised() -> None:
    roster = Roster.from_csv(ROSTER)
    text = "Will Green will review the green plan; Green agreed."
    spans = [text[f.start : f.end] for f in roster.matcher.find(text)]
    assert sorted(spans) == ["Green", "Will Green"]


def test_a_shared_first_name_is_caught_but_belongs_to_nobody() -> None:
    roster = Roster.from_csv(ROSTER)
    found = [f for f in roster.matcher.find("Ask priya.") if f.label == "PERSON"]
    assert len(found) == 1 and found[0].key is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("email\nx@y.z\n", "'name' column"),
        ("name,email\n,a@b.co\n", "line 2: the name is empty"),
        ("name,email\nAna,not-an-address\n", "line 2: 'not-an-address' is not an e-mail"),
    ],
)
def test_bad_rosters_are_refused_with_the_line(text: str, message: str) -> None:
    with pytest.raises(RosterError, match=message):
        Roster.from_csv(text)


def test_roster_round_trips_through_csv() -> None:
    roster = Roster.from_csv(ROSTER)
    assert Roster.from_csv(roster.to_csv()) == roster


def test_term_matcher_takes_whole_words_and_possessives() -> None:
    m = TermMatcher({"Olu": None, "ops@acme.example": None}, source="deny")
    text = "Olu's plan; olu; Olusegun; write to ops@acme.example."
    found = m.find(text)
    assert [(text[f.start : f.end], f.label) for f in found] == [
        ("Olu", "PERSON"),
        ("olu", "PERSON"),
        ("ops@acme.example", "EMAIL"),
    ]
