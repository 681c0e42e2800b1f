"""The Signals page under AppTest on the demo content: a coordinator sees each signal with
why and what to do, snoozes one until a day and resolves another with a note, each then
listed apart and reopened; others are refused with a sentence; no journal text shows."""

from __future__ import annotations

import datetime as dt

from streamlit.testing.v1 import AppTest

from playbook.wiring import Container
from tests.conftest import page_as
from tests.unit.test_plain_text import unescape


def _page(user: str) -> AppTest:
    return AppTest.from_function(page_as, args=(user, "signals"), default_timeout=30).run()


def _text(at: AppTest) -> str:
    parts = [*at.markdown, *at.caption, *at.info, *at.success, *at.warning, *at.header]
    return unescape(" ".join(str(p.value) for p in parts))


def _keys(demo: Container) -> list[str]:
    cora = demo.records.principal("cora")
    return [s.key for s in demo.signals.board(cora, demo.signals.watched(cora)[0]).open]


def test_a_coordinator_sees_why_and_what_to_do(demo: Container) -> None:
    at = _page("cora")
    assert not at.exception
    text = _text(at)
    assert "Open (3)" in text and "Snoozed (0)" in text and "Resolved (0)" in text
    assert "**Quiet pairings:** pairing lena → noor" in text
    assert "Why: No session for 6 weeks" in text
    assert "To do: Remind kai to write the debrief" in text
    assert "**Reflection rhythm dropping:** kai's reflections" in text
    for words in ("Annual terms", "floor price", "Vietnam", "Ho Chi Minh"):
        assert words not in text


def test_snooze_resolve_and_reopen_on_the_page(demo: Container) -> None:
    quiet, _rhythm, debrief = _keys(demo)
    at = _page("cora")
    until = dt.date.today() + dt.timedelta(days=9)
    at.date_input(key=f"until:{quiet}").set_value(until)
    at = at.button(key=f"FormSubmitter:snooze:{quiet}-Snooze").click().run()
    assert not at.exception
    text = _text(at)
    assert f"Snoozed until {until}: pairing lena → noor." in text
    assert "Open (2)" in text and "Snoozed (1)" in text and f"Snoozed by cora until {until}" in text
    at.text_input(key=f"note:{debrief}").input("Kai has a draft")
    at = at.button(key=f"FormSubmitter:resolve:{debrief}-Resolve").click().run()
    text = _text(at)
    assert "Resolved: kai's rotation" in text and "Resolved (1)" in text
    assert "Note: Kai has a draft" in text and "Open (1)" in text
    at = at.button(key=f"reopen:{quiet}").click().run()
    assert not at.exception and "Reopened: pairing lena → noor." in _text(at)
    assert "Open (2)" in _text(at)


def test_a_snooze_that_is_refused_says_why_and_keeps_the_signal_open(demo: Container) -> None:
    quiet = _keys(demo)[0]
    at = _page("cora")
    # The widget refuses days before tomorrow; the service is the last word on the rest.
    far = dt.date.today() + dt.timedelta(days=500)
    at.date_input(key=f"until:{quiet}").set_value(far)
    at = at.button(key=f"FormSubmitter:snooze:{quiet}-Snooze").click().run()
    assert "Snooze for at most a year" in _text(at) and "Open (3)" in _text(at)


def test_others_are_refused_with_a_sentence(demo: Container) -> None:
    for user in ("ravi", "ada", "sofia"):
        at = _page(user)
        assert not at.exception
        assert "need the coordinator or steward role" in _text(at)
        assert not at.button
