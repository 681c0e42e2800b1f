"""Before my rotation (issue 18): places match by what they stand for ("Viet Nam", "Ho Chi
Minh City", "HCMC", "Saigon" are Vietnam; "SCM" is Supply chain), advice comes from every
debrief that has it (imported ones, one line of labels, too), and only from others' approved
writing: the reader's own debrief is listed as theirs."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from playbook.models import Role
from playbook.services.documents import ImportOptions
from playbook.services.rotation import Aliases, advice_in, aliases, before_rotation, fold
from playbook.wiring import Container

DEBRIEF = {
    "function": "Supply chain",
    "market": "Vietnam",
    "start_date": dt.date(2026, 9, 1),
    "end_date": dt.date(2026, 9, 21),
    "anchor_project": "cold-chain audit",
    "surprised": "Motorbike couriers carried most urgent orders.",
    "decisions": "Kept the night depot open.",
    "lessons": "Map the informal couriers before the formal routes.",
    "strategic_goal": "Service levels",
    "advice": "Visit the depot at night in your first week.",
}


@pytest.fixture
def c(fake_container: Container) -> Container:
    r = fake_container.records
    for name, role in (("ada", Role.LEADER), ("ravi", Role.PARTICIPANT)):
        r.add_user(name, roles=[role])
    r.add_user("cora", roles=[Role.COORDINATOR])
    return fake_container


def _approved(c: Container, author: str, **fields: str) -> str:
    p = c.records.principal(author)
    doc = c.reflection.save_debrief(p, {**DEBRIEF, **fields})
    c.reflection.request_share(p, doc)
    c.reflection.decide_share(c.records.principal("cora"), doc, approve=True)
    return doc


def _imported(c: Container) -> str:
    row = {
        "id": "imp-1",
        "kind": "debrief",
        "visibility": "shared",
        "title": "Rotation debrief: Supply chain, Ho Chi Minh City",
        "function": "Supply chain",
        "market": "Ho Chi Minh City",
        "text": "What surprised me: the port closes for Tet. Decisions and trade-offs I saw: "
        "we air-freighted spares. Lessons: book Tet capacity in October. Advice for the "
        "next person: learn the customs broker's name on day one.",
    }
    f = c.settings.data_dir / "imp.jsonl"
    f.parent.mkdir(parents=True, exist_ok=True)
    f.write_text(json.dumps(row))
    c.service.import_paths([f], ImportOptions(as_user="ada"))
    doc = c.pipeline.document_id(c.records.principal("ada").user_id, "imp-1")
    assert doc
    return doc


def test_the_alias_table_knows_the_spellings() -> None:
    table = aliases()
    for spelling in ("Viet Nam", "Ho Chi Minh City", "HCMC", "Saigon", "vietnam", "Hồ Chí Minh"):
        assert table.name("market", spelling) == "Vietnam", spelling
    assert table.name("market", "U.S.A.") == "United States"
    assert table.name("function", "SCM") == "Supply chain"
    assert table.name("function", "logistics") == "Supply chain"
    assert table.name("market", "Atlantis") is None
    assert fold("  Ho-Chi-Minh  City ") == "ho chi minh city"
    terms = table.search_terms("market", "Saigon")
    assert terms[:2] == ["Saigon", "Vietnam"] and "ho chi minh city" in terms
    assert table.same("market", "Singapore; Ho Chi Minh City", "Viet Nam")


@pytest.mark.parametrize("typed", ["Viet Nam", "Ho Chi Minh City", "HCMC", "Saigon", "Vietnam"])
def test_any_spelling_of_the_market_finds_its_debriefs(c: Container, typed: str) -> None:
    by_name = _approved(c, "ada")
    by_city = _imported(c)
    brief = before_rotation(c.retriever, c.records.principal("ravi"), market=typed)
    assert {h.document_id for h in brief.debriefs} == {by_name, by_city}
    assert "Vietnam" in brief.places


def test_a_function_alias_with_a_market_narrows_to_both(c: Container) -> None:
    vietnam = _approved(c, "ada")
    _approved(
        c,
        "ada",
        function="Marketing",
        surprised="Tet shopping starts in November.",
        decisions="Moved the launch to January.",
        lessons="Local influencers outperform television.",
        advice="Meet the agency before the brief.",
    )
    brief = before_rotation(c.retriever, c.records.principal("ravi"), "SCM", "Viet Nam")
    assert [h.document_id for h in brief.debriefs] == [vietnam]


def test_advice_comes_from_imported_one_line_debriefs_too(c: Container) -> None:
    _imported(c)
    brief = before_rotation(c.retriever, c.records.principal("ravi"), market="Vietnam")
    said = [text for text, _ in brief.advice]
    assert "book Tet capacity in October." in said
    assert "learn the customs broker's name on day one." in said
    assert advice_in("Lessons: one. Advice: two.\nAdvice for the next person: three") == [
        "one.",
        "two.",
        "three",
    ]


def test_only_others_approved_writing_is_advice_from_the_people_before_you(
    c: Container,
) -> None:
    theirs = _approved(c, "ada")
    ravi = c.records.principal("ravi")
    own = c.reflection.save_debrief(ravi, {**DEBRIEF, "advice": "My own unapproved advice."})
    pending = c.reflection.save_debrief(
        c.records.principal("ada"), {**DEBRIEF, "advice": "Pending advice of Ada."}
    )
    c.reflection.request_share(c.records.principal("ada"), pending)  # not yet approved
    brief = before_rotation(c.retriever, ravi, market="Vietnam")
    assert [h.document_id for h in brief.debriefs] == [theirs]
    assert [h.document_id for h in brief.mine] == [own]
    said = " ".join(text for text, _ in brief.advice)
    assert "night in your first week" in said
    assert "My own unapproved advice" not in said and "Pending advice" not in said


def test_a_missing_alias_table_matches_as_typed(c: Container) -> None:
    doc = _approved(c, "ada")
    empty = Aliases()
    ravi = c.records.principal("ravi")
    assert before_rotation(c.retriever, ravi, market="Viet Nam", table=empty).debriefs == ()
    found = before_rotation(c.retriever, ravi, market="vietnam", table=empty)
    assert [h.document_id for h in found.debriefs] == [doc]


def test_the_page_reads_brasil_as_brazil_with_the_imported_advice(demo: Container) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.conftest import page_as
    from tests.unit.test_plain_text import unescape

    at = AppTest.from_function(page_as, args=("ada", "rotation"), default_timeout=30).run()
    [market] = [t for t in at.text_input if t.label == "Market"]
    market.input("Brasil")
    at.button(key="FormSubmitter:rotation-Show me").click().run()
    assert not at.exception
    assert "Looked up as: Brazil" in unescape(" ".join(x.value for x in at.caption))
    shown = unescape(" ".join(x.value for x in at.markdown))
    assert "learn the approval path for claims early" in shown  # the demo's imported debrief
    assert "Rotation debrief: Marketing, Brazil" in [unescape(e.label) for e in at.expander]
