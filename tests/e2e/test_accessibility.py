"""Accessibility of every page in Chromium: axe-core (from npm, ``tests/e2e/axe``, installed by
``make test``) injected by Playwright finds no serious or critical violation of WCAG 2.1 A/AA
on any page, for the people who see it; each page is photographed on the way; and signing in
works from the keyboard alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_browser import (  # noqa: F401 - app_url, browser: the fixtures
    SHOTS,
    _sign_in,
    app_url,
    browser,
)

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.slow]

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# (who, how the sign-in picker names them, their welcome, the page addresses they can open,
# each with text that says the page has rendered)
WALK = [
    (
        "sam",
        "Sam (admin)",
        "Welcome, Sam",
        {"": "Welcome, Sam", "search": "Search for", "admin": "Administration"},
    ),
    (
        "cora",
        "Cora (coordinator)",
        "Welcome, Cora",
        {
            "ask": "Ask",
            "rotation": "Before my rotation",
            "handoff": "Handoff pack",
            "reflect": "Reflect",
            "moderate": "Moderation",
            "curate": "Curate",
            "council": "Advisor council",
            "rotations": "Rotations",
            "impact": "Impact",
            "health": "Programme health",
            "signals": "Signals",
            "surveys": "Pulse surveys",
            "coverage": "Coverage",
            "inclusion": "Inclusion",
            "mentoring": "Mentoring",
        },
    ),
    ("sofia", "Sofia (sponsor)", "Welcome, Sofia", {"health": "Programme health"}),
]


def _violations(page: Any) -> list[dict[str, Any]]:
    """axe's serious and critical violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    found = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}}))"
        ".violations.map((v) => ({id: v.id, impact: v.impact, help: v.help,"
        " nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' '))}))",
        TAGS,
    )
    return [v for v in found if v["impact"] in ("serious", "critical")]


def _settle(page: Any) -> None:
    """Wait until Streamlit has finished running the page (and drawn what it sent)."""
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000
    )
    page.wait_for_timeout(1_000)


def test_no_page_has_a_serious_accessibility_violation(
    app_url: str,  # noqa: F811 - the fixtures imported above
    browser: Any,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: run `make test` (it runs npm ci in tests/e2e/axe)")
    SHOTS.mkdir(exist_ok=True)
    problems: dict[str, list[dict[str, Any]]] = {}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(app_url)
    expect(page.get_by_text("Demo user", exact=True)).to_be_visible(timeout=60_000)
    _settle(page)
    page.screenshot(path=str(SHOTS / "a11y-signin.png"), full_page=True)
    problems["signin"] = _violations(page)
    for user, label, welcome, pages in WALK:
        _sign_in(page, app_url, label, welcome)  # returns once the session cookie is written
        for address, shown in pages.items():
            page.goto(f"{app_url}/{address}")
            expect(page.get_by_text(shown).first).to_be_visible(timeout=60_000)
            _settle(page)
            shot = SHOTS / f"a11y-{user}-{address or 'home'}.png"
            page.screenshot(path=str(shot), full_page=True)
            problems[f"{user} /{address}"] = _violations(page)
    context.close()
    found = [
        f"{where}: {v['id']} ({v['impact']}): {v['help']} at {v['nodes']}"
        for where, violations in problems.items()
        for v in violations
    ]
    assert not found, "\n".join(found)


def test_signing_in_works_from_the_keyboard(
    app_url: str,  # noqa: F811 - the fixtures imported above
    browser: Any,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(app_url)
    expect(page.get_by_text("Demo user", exact=True)).to_be_visible(timeout=60_000)
    _settle(page)
    picker = page.get_by_role("combobox", name="Demo user")
    for _ in range(30):  # Tab through the page until the picker has the focus
        page.keyboard.press("Tab")
        if picker.evaluate("(e) => e === document.activeElement"):
            break
    else:
        pytest.fail("the demo user picker cannot be reached with Tab")
    page.keyboard.type("Ravi")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Sign in as this demo user")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Welcome, Ravi")).to_be_visible(timeout=60_000)
    context.close()
