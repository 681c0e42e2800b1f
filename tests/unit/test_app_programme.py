"""The programme pages (Advisor council, Rotations, Impact) under AppTest on the demo
content: coordinators run the council and plan rotations, an option's owner decides it, a
mentor writes the quarter's report, the named observer validates a recount; the others
read, and are refused what they may not do."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from playbook.ports.programme import OptionStatus
from playbook.wiring import Container
from tests.conftest import page_as
from tests.unit.test_plain_text import unescape


def _page(user: str, name: str) -> AppTest:
    return AppTest.from_function(page_as, args=(user, name), default_timeout=30).run()


def _text(at: AppTest) -> str:
    parts = [*at.markdown, *at.caption, *at.info, *at.success, *at.warning, *at.subheader]
    return unescape(" ".join(str(p.value) for p in parts))


def _submit(at: AppTest, form: str, label: str) -> AppTest:
    return at.button(key=f"FormSubmitter:{form}-{label}").click().run()


def test_members_read_the_council_without_its_forms(demo: Container) -> None:
    at = _page("ravi", "council")
    assert not at.exception
    text = _text(at)
    assert "Market entry and distribution strategy" in text
    assert "Advisor council: entering the Indonesian market" in text  # the linked note
    assert "Pilot in two provinces in Q1" in text  # ada's decision
    assert not [b for b in at.button if b.key and b.key.startswith("FormSubmitter:charter")]


def test_a_coordinator_tracks_an_option_and_its_owner_decides(demo: Container) -> None:
    at = _page("cora", "council")
    assert not at.exception
    [option] = [t for t in at.text_area if t.label == "Option"]
    option.input("Hire a local country manager before the pilot")
    owner = next(s for s in at.selectbox if s.label.startswith("Owner"))
    owner.select("ada")
    at = _submit(at, "option", "Track it")
    assert not at.exception and "Option tracked." in _text(at)
    pid = demo.council.programme(demo.records.principal("cora"))
    opened = demo.council.council.options(pid, OptionStatus.OPEN)
    [new] = [o for o in opened if o.text.startswith("Hire a local")]
    # The owner decides it on the same page; cora sees no decision form for it.
    ada = _page("ada", "council")
    ada.text_area(key=f"text:{new.option_id}").input("Yes: we hire in January")
    ada = ada.button(key=f"FormSubmitter:decide:{new.option_id}-Decide").click().run()
    assert not ada.exception and "Recorded." in _text(ada)
    decided = demo.council.council.option(new.option_id)
    assert decided is not None and decided.status is OptionStatus.DECIDED


def test_a_bad_charter_is_refused_with_a_sentence_and_kept(demo: Container) -> None:
    at = _page("cora", "council")
    [cadence] = [t for t in at.text_input if t.label == "Meeting cadence"]
    cadence.input(" ")
    at = _submit(at, "charter", "Save the charter")
    assert "The meeting cadence is empty" in _text(at)
    pid = demo.council.programme(demo.records.principal("cora"))
    assert demo.council.council.charter(pid).cadence.startswith("Quarterly")  # type: ignore[union-attr]


def test_rotations_page_lists_past_and_planned_and_plans_one(demo: Container) -> None:
    at = _page("ada", "rotation_plans")
    assert not at.exception
    text = _text(at)
    assert "ravi → Finance, Indonesia" in text and "Debrief: Rotation debrief: Marketing" in text
    assert not [b for b in at.button if b.key and "plan-rotation" in b.key]  # not a coordinator
    at = _page("cora", "rotation_plans")
    fields = {t.label: t for t in at.text_input}
    fields["Who rotates (username)"].input("ada")
    fields["Host market"].input("Singapore")
    fields["Anchor project"].input("Warehouse consolidation review")
    start = dt.date.today() + dt.timedelta(days=60)
    at.date_input[0].set_value(start)
    at.date_input[1].set_value(start + dt.timedelta(days=40))  # too long
    at = _submit(at, "plan-rotation", "Plan it")
    assert "A rotation lasts two to four weeks" in _text(at)
    at.date_input[1].set_value(start + dt.timedelta(days=13))
    at = _submit(at, "plan-rotation", "Plan it")
    assert not at.exception and "Rotation planned." in _text(at)
    assert "ada → Singapore" in _text(at)


def test_before_my_rotation_knows_where_i_go_next(demo: Container) -> None:
    at = _page("ravi", "rotation")
    assert not at.exception
    assert "Your rotation: ravi → Finance, Indonesia" in _text(at)
    assert [t.value for t in at.text_input] == ["", ""]  # the form stays free for any place
    at = at.button(key="rotation:mine").click().run()
    assert not at.exception
    # The brief for Finance, Indonesia: nothing shared about it yet, which the page says.
    assert "Your debrief could be the first" in _text(at)
    ada = _page("ada", "rotation")
    assert "Your rotation" not in _text(ada) and not [
        b for b in ada.button if b.key == "rotation:mine"
    ]


def test_a_mentor_writes_the_quarter_report(demo: Container) -> None:
    at = _page("ada", "impact")
    assert not at.exception
    assert "About your pairings with ravi" in _text(at)
    at.text_area(key="answer:speed").input("Faster: I decide in the meeting itself.")
    at.checkbox[0].check()
    at = _submit(at, "impact-report", "Save the report")
    assert not at.exception and "report is saved" in _text(at)
    ada = demo.records.principal("ada")
    q = demo.impact.current_quarter()
    saved = demo.impact.report(ada, demo.impact.programme(ada), q)
    assert saved is not None and saved.shared
    assert saved.answers["speed"] == "Faster: I decide in the meeting itself."


def test_people_without_a_pairing_see_no_report_form(demo: Container) -> None:
    at = _page("ravi", "impact")
    assert not at.exception
    assert not [t for t in at.text_area if (t.key or "").startswith("answer:")]
    assert "My learning objectives" in " ".join(h.value for h in at.header)


def test_the_named_observer_validates_and_nobody_else_is_asked(demo: Container) -> None:
    ada = _page("ada", "impact")
    assert "Asked to validate" not in " ".join(h.value for h in ada.header)
    at = _page("cora", "impact")
    assert "Asked to validate" in " ".join(h.value for h in at.header)
    [pending] = demo.impact.to_validate(demo.records.principal("cora"))
    at = at.button(key=f"FormSubmitter:validate:{pending.recount_id}-Validate").click().run()
    assert "The statement is empty" in _text(at)  # nothing stored
    at.text_area(key=f"stmt:{pending.recount_id}").input("I saw the launch call made early.")
    at = at.button(key=f"FormSubmitter:validate:{pending.recount_id}-Validate").click().run()
    assert not at.exception and "Validated. Thank you." in _text(at)
    assert demo.impact.to_validate(demo.records.principal("cora")) == []
    ravi = _page("ravi", "impact")
    assert "Validated by cora: I saw the launch call made early." in _text(ravi)
