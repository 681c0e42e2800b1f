"""Programme health in a real browser, on the demo (issue 21's "done when"): Cora
(coordinator) sees the early-warning signals with their reasons, closes the demo survey's
open round and publishes a new survey, whose results stay "too few answers to show" on the
Programme health page while four have answered and appear once the fifth does (five demo
users answer through the browser); she sees the coverage gaps and the inclusion audit there;
Sofia (sponsor) sees the summaries, and no page she can open holds a word of anyone's
private journal. The app is started and Chromium launched as in ``test_browser``."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_accessibility import _settle, _violations
from tests.e2e.test_browser import SHOTS, _sign_in, app_url, browser  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SURVEY = "Health check"
QUESTION = "How healthy is the programme for you?"
ROUND = f"{SURVEY}: round 1"
NORDICS = "No debrief covers the Nordics market"


def _private_words() -> list[str]:
    """Six-word runs of every private journal of the demo (their names aside, which are
    redacted anyway): none may show on a page a sponsor opens."""
    runs = []
    for line in (ROOT / "playbook" / "demo" / "demo.jsonl").read_text().splitlines():
        item = json.loads(line)
        if item.get("visibility", "private") != "private":
            continue
        words = item["text"].split()
        runs += [" ".join(words[i : i + 6]) for i in range(0, max(1, len(words) - 5), 3)]
    return runs


def _addresses() -> list[str]:
    """Every page address of app.py's PAGES (an address a person may not open shows Home)."""
    source = (ROOT / "app.py").read_text()
    return re.findall(r'"([a-z_]+)",\s*(?:Action\.[A-Z_]+|None),?\s*\)', source)


def _open(page: Any, url: str, address: str, heading: str) -> None:
    from playwright.sync_api import expect

    # By its address: the sidebar folds a long list of pages behind "View more".
    page.goto(f"{url.rstrip('/')}/{address}")
    expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible(timeout=120_000)


def _answer(page: Any, url: str, point: str) -> None:
    from playwright.sync_api import expect

    _open(page, url, "surveys", "Pulse surveys")
    form = page.get_by_test_id("stForm").filter(has_text=QUESTION)
    expect(form).to_be_visible(timeout=60_000)
    form.get_by_test_id("stRadio").first.get_by_text(point, exact=True).click()
    form.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("your answers are in, without your name")).to_be_visible(timeout=60_000)


def _round_on_the_health_page(page: Any, url: str) -> Any:
    from playwright.sync_api import expect

    _open(page, url, "health", "Programme health")
    expect(page.get_by_role("heading", name="Pulse surveys", exact=True)).to_be_visible(
        timeout=180_000
    )
    heading = page.get_by_role("heading", name=ROUND, exact=True)
    expect(heading).to_be_visible(timeout=60_000)
    return heading


def test_coordinator_and_sponsor_read_programme_health(
    app_url: str,  # noqa: F811 (the fixture imported above)
    browser: Any,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 1400})
    page.goto(app_url)
    ready = page.get_by_role("button", name="Sign out").or_(
        page.get_by_text("Demo user", exact=True)
    )
    expect(ready).to_be_visible(timeout=300_000)  # the first load builds the models

    # Signals, each with why it fired and what to do.
    _sign_in(page, app_url, "Cora (coordinator)", "Welcome, Cora")
    _open(page, app_url, "signals", "Signals")
    expect(page.get_by_text("Why: No session for 6 weeks")).to_be_visible(timeout=60_000)
    expect(page.get_by_text(re.compile("^To do: ")).first).to_be_visible()

    # A new survey: the demo's open round is closed first, so only this one is open.
    _open(page, app_url, "surveys", "Pulse surveys")
    page.get_by_role("button", name="Close round 2").click()
    expect(page.get_by_text("The round is closed.")).to_be_visible(timeout=60_000)
    page.get_by_role("tab", name="New survey").click()
    page.get_by_label("Title", exact=True).fill(SURVEY)
    page.get_by_label("Question", exact=True).first.fill(QUESTION)
    page.get_by_role("button", name="Save the draft").click()
    expect(page.get_by_text("The draft is saved")).to_be_visible(timeout=60_000)
    page.get_by_role("tab", name="Surveys and results").click()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("Published: members can answer.")).to_be_visible(timeout=60_000)

    # Four answer: the report shows the round, and no result of it.
    _answer(page, app_url, "3")
    for label, welcome, point in (
        ("Ada (leader)", "Welcome, Ada", "4"),
        ("Ravi (rotation participant)", "Welcome, Ravi", "5"),
        ("Sam (admin)", "Welcome, Sam", "2"),
    ):
        _sign_in(page, app_url, label, welcome)
        _answer(page, app_url, point)
    _sign_in(page, app_url, "Cora (coordinator)", "Welcome, Cora")
    _round_on_the_health_page(page, app_url)
    body = page.inner_text("body")
    assert QUESTION not in body  # no row of results: the question shows only with them
    expect(page.get_by_text(re.compile(r"4 of \d+ members invited answered"))).to_be_visible()
    page.screenshot(path=str(SHOTS / "41-health-four-answers.png"), full_page=True)

    # The fifth answer (the sponsor's): the round's results appear.
    _sign_in(page, app_url, "Sofia (sponsor)", "Welcome, Sofia")
    _answer(page, app_url, "4")
    _sign_in(page, app_url, "Cora (coordinator)", "Welcome, Cora")
    _round_on_the_health_page(page, app_url)
    table = page.get_by_test_id("stTable").filter(has_text=QUESTION)
    expect(table).to_be_visible(timeout=60_000)
    expect(table.get_by_text("3.6", exact=True)).to_be_visible()  # mean of 3, 4, 5, 2, 4
    # Coverage gaps and the inclusion audit, on the same report.
    expect(page.get_by_text(NORDICS).first).to_be_visible()
    expect(page.get_by_role("heading", name="Inclusion audit", exact=True)).to_be_visible()
    expect(
        page.get_by_text(re.compile("The inclusion audit covers whole calendar quarters"))
    ).to_be_visible()
    expect(page.get_by_role("button", name="Download PDF")).to_be_visible()
    assert _violations(page) == []
    page.screenshot(path=str(SHOTS / "42-health-coordinator.png"), full_page=True)

    # The sponsor: the summaries, and not a word of a private journal on any page.
    _sign_in(page, app_url, "Sofia (sponsor)", "Welcome, Sofia")
    _round_on_the_health_page(page, app_url)
    expect(page.get_by_test_id("stTable").filter(has_text=QUESTION)).to_be_visible()
    expect(page.get_by_text(NORDICS).first).to_be_visible()
    page.screenshot(path=str(SHOTS / "43-health-sponsor.png"), full_page=True)
    private = _private_words()
    assert len(private) > 10
    for address in ["", *_addresses()]:
        page.goto(f"{app_url.rstrip('/')}/{address}")
        expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=60_000)
        _settle(page)
        body = " ".join(page.inner_text("body").split())
        leaked = [run for run in private if run in body]
        assert not leaked, (address, leaked[:3])
