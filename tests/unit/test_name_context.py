"""The context rules of ``ingest/name_context.py`` on their own (no model)."""

from __future__ import annotations

from ingest.name_context import coordinated, heads_a_thing, hyphen_end, name_not_word


def _at(text: str, word: str) -> tuple[int, int]:
    start = text.index(word)
    return start, start + len(word)


def test_a_capitalised_head_noun_after_the_name_makes_a_thing() -> None:
    text = "The Mark Spencer Hotel is booked."
    assert heads_a_thing(text, *_at(text, "Mark Spencer"))
    text = "Rose sales fell after Valentine's Day."
    assert heads_a_thing(text, *_at(text, "Valentine"))
    text = "Mark Spencer is booked."
    assert not heads_a_thing(text, *_at(text, "Mark Spencer"))
    text = "the hotel of Mark Spencer, day two"
    assert not heads_a_thing(text, *_at(text, "Mark Spencer"))


def test_a_place_prefix_and_a_hyphen_make_a_place() -> None:
    text = "Suppliers in Saint-Étienne signed."
    assert heads_a_thing(text, *_at(text, "Étienne"))
    text = "Jean-Étienne signed."
    assert not heads_a_thing(text, *_at(text, "Étienne"))


def test_a_firm_named_after_people_stays_unless_a_person_slot_says_otherwise() -> None:
    text = "Grant Thornton audits the accounts."
    assert heads_a_thing(text, *_at(text, "Grant Thornton"))
    text = "I met Grant Thornton yesterday."
    assert not heads_a_thing(text, *_at(text, "Grant Thornton"))
    text = "Grant Thornton said no."
    assert not heads_a_thing(text, *_at(text, "Grant Thornton"))


def test_a_name_is_not_cut_at_a_hyphen() -> None:
    text = "Ask Yoon Ji-woo about it"
    assert hyphen_end(text, text.index("-woo")) == text.index(" about")
    text = "Ask Yoon about it"
    assert hyphen_end(text, text.index(" about")) == text.index(" about")
    text = "costs - woo"  # a spaced dash is punctuation, not a hyphen
    assert hyphen_end(text, len("costs")) == len("costs")


def test_coordination_is_and_ampersand_or_a_comma() -> None:
    text = "Baraka and Auma ran it"
    assert coordinated(text, len("Baraka"), text.index("Auma"))
    assert coordinated("A & B", 1, 4) and coordinated("A, B", 1, 3)
    assert coordinated("A, and B", 1, 7)
    assert not coordinated("A met B", 1, 6)


def test_a_name_of_the_lists_known_only_as_a_noun_is_a_name() -> None:
    names = frozenset({"zhou", "joy", "mark"})
    non_nouns = frozenset({"joy", "mark"})
    assert name_not_word("Zhou", names, non_nouns)
    assert not name_not_word("Joy", names, non_nouns)  # also a verb
    assert not name_not_word("Mark", names, non_nouns)
    assert not name_not_word("Lesson", names, non_nouns)  # no name


def test_a_whole_prefixed_place_is_a_place() -> None:
    text = "Suppliers in Saint-Étienne signed."
    assert heads_a_thing(text, *_at(text, "Saint-Étienne"))


def test_a_lowercase_site_noun_makes_a_site_but_not_after_a_possessive_or_a_slot() -> None:
    text = "Jomo Kenyatta airport cargo rates are up."
    assert heads_a_thing(text, *_at(text, "Jomo Kenyatta"))
    text = "Wanjiru's airport pickup is at six."
    assert not heads_a_thing(text, *_at(text, "Wanjiru"))
    text = "Met Wanjiru airport side."
    assert not heads_a_thing(text, *_at(text, "Wanjiru"))


def test_a_firm_of_no_persons_name_stays_even_in_a_persons_slot() -> None:
    text = "Called Vodafone twice."
    assert heads_a_thing(text, *_at(text, "Vodafone"))
    text = "Called Ford twice."  # Ford is a family name too: the slot makes a person
    assert not heads_a_thing(text, *_at(text, "Ford"))
    text = "Ford and Tata trucks."
    assert heads_a_thing(text, *_at(text, "Ford"))


def test_folding_takes_off_strokes_and_marks() -> None:
    from ingest.lexicon import compared, fold

    assert fold("Đà Nẵng") == "da nang"
    assert fold("Søren Łukasz Işık") == "soren lukasz isik"
    assert compared("clear") == ("clearer", "clearest")
    assert compared("happy") == ("happier", "happiest")
    assert "bigger" in compared("big")


def test_a_city_keeps_its_own_spellings_only() -> None:
    from eval.tools.build_places import own_spellings

    assert own_spellings("Hanoi", ["Hà Nội", "Ha Noi", "Hanoï", "Thành phố Hà Nội"]) == {
        "hà nội",
        "hanoï",
    }
    assert own_spellings("Tianshui", ["Tian Shui", "Tiānshuǐ"]) == {"tiānshuǐ"}
