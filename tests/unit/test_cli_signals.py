"""`playbook signals` from the shell, on the demo content (a quiet pairing, a rotation with
no debrief, a dropping rhythm): list as text and JSON, snooze, resolve, reopen, and the
refusals as one line with a non-zero exit."""

from __future__ import annotations

import datetime as dt
import json

from playbook.wiring import Container
from tests.unit.test_cli_entries import c, run  # noqa: F401 (the demo container fixture)


def _keys(as_user: str = "cora", *extra: str) -> dict[str, list[str]]:
    shown = run("signals", "list", "--json", "--as", as_user, *extra)
    assert shown.exit_code == 0, shown.output
    board = json.loads(shown.output)
    return {part: [s["key"] for s in board[part]] for part in ("open", "snoozed", "resolved")}


def test_list_shows_why_and_what_to_do(c: Container) -> None:  # noqa: F811
    listed = run("signals", "list", "--as", "cora")
    assert listed.exit_code == 0, listed.output
    text = " ".join(listed.output.split())
    assert text.startswith("Open (3)")
    assert "[Quiet pairings] pairing lena → noor" in text and "No session for 6 weeks" in text
    assert "[Rotations without a debrief] kai's rotation" in text and "21 days ago" in text
    assert "[Reflection rhythm dropping] kai's reflections" in text
    assert "to do: Remind kai to write the debrief" in text
    # Nothing the journals or the rotation say reaches the list.
    for words in ("Annual terms", "floor price", "Vietnam", "Ho Chi Minh", "Priya", "pricing"):
        assert words not in listed.output
    data = json.loads(run("signals", "list", "--json", "--as", "cora").output)
    assert [s["kind"] for s in data["open"]] == [
        "quiet_pairing",
        "rhythm_drop",
        "missing_debrief",
    ]
    assert {"key", "why", "todo", "since", "status"} <= set(data["open"][0])


def test_snooze_resolve_and_reopen(c: Container) -> None:  # noqa: F811
    quiet, rhythm, debrief = _keys()["open"]
    until = (dt.date.today() + dt.timedelta(days=7)).isoformat()
    snoozed = run("signals", "snooze", quiet, "--until", until, "--as", "cora")
    assert snoozed.exit_code == 0 and f"Snoozed until {until}: pairing lena" in snoozed.output
    resolved = run("signals", "resolve", debrief, "--note", "Kai wrote it", "--as", "cora")
    assert resolved.exit_code == 0 and "Resolved: kai's rotation" in resolved.output
    assert _keys() == {"open": [rhythm], "snoozed": [quiet], "resolved": [debrief]}
    short = run("signals", "list", "--as", "cora").output
    assert "Open (1)" in short and "(1 snoozed, 1 resolved: see --all)" in short
    full = " ".join(run("signals", "list", "--all", "--as", "cora").output.split())
    assert f"snoozed by cora until {until}" in full and "resolved by cora on" in full
    assert "Kai wrote it" in full
    assert run("signals", "reopen", quiet, "--as", "cora").output.strip() == "Reopened."
    assert quiet in _keys()["open"]
    actions = {e.action for e in c.audit.events() if e.actor == "cora"}
    assert {"view signals", "snooze signal", "resolve signal", "reopen signal"} <= actions


def test_refusals_are_one_line_and_change_nothing(c: Container) -> None:  # noqa: F811
    quiet = _keys()["open"][0]
    bad_day = run("signals", "snooze", quiet, "--until", "soon", "--as", "cora")
    assert bad_day.exit_code == 1 and "'soon' is not a date" in bad_day.output
    past = run("signals", "snooze", quiet, "--until", "2020-01-01", "--as", "cora")
    assert past.exit_code == 1 and "a day after today" in past.output
    unknown = run("signals", "resolve", "quiet_pairing:nope:none", "--as", "cora")
    assert unknown.exit_code == 1 and "no signal with the key" in unknown.output
    again = run("signals", "reopen", quiet, "--as", "cora")
    assert again.exit_code == 1 and "neither snoozed nor resolved" in again.output
    for who in ("ravi", "ada", "sofia"):
        refused = run("signals", "list", "--as", who)
        assert refused.exit_code == 1 and "coordinator or steward" in refused.output
        assert "Traceback" not in refused.output
    nobody = run("signals", "list")
    assert nobody.exit_code == 1 and "--as USER" in nobody.output
    elsewhere = run("signals", "list", "--programme", "nowhere", "--as", "cora")
    assert elsewhere.exit_code == 1 and "not one of your programmes" in elsewhere.output
    assert _keys()["snoozed"] == _keys()["resolved"] == []
