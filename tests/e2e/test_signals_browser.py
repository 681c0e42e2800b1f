"""Early-warning signals in a real browser, on the demo content: Cora (coordinator) sees
each signal with why it fired and what to do, snoozes the quiet pairing and resolves the
missing debrief with a note, each then listed apart; the page has no serious or critical
accessibility violation; Sofia (sponsor) has no Signals page. The app is started and
Chromium launched as in ``test_browser``."""

from __future__ import annotations

import pytest

from tests.e2e.test_accessibility import _violations
from tests.e2e.test_browser import SHOTS, _sign_in, app_url, browser  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.slow]


def _open_signals(page: object, url: str) -> None:
    from playwright.sync_api import expect

    # By its address: the sidebar folds a long list of pages behind "View more".
    page.goto(f"{url.rstrip('/')}/signals")  # type: ignore[attr-defined]
    title = page.get_by_role("heading", name="Signals", exact=True)  # type: ignore[attr-defined]
    expect(title).to_be_visible(timeout=60_000)


def test_a_coordinator_snoozes_and_resolves_signals(
    app_url: str,  # noqa: F811 (the fixture imported above)
    browser: object,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 1400})  # type: ignore[attr-defined]
    page.goto(app_url)
    ready = page.get_by_role("button", name="Sign out").or_(
        page.get_by_text("Demo user", exact=True)
    )
    expect(ready).to_be_visible(timeout=300_000)  # the first load builds the models

    _sign_in(page, app_url, "Cora (coordinator)", "Welcome, Cora")
    _open_signals(page, app_url)
    expect(page.get_by_role("heading", name="Open (3)")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("pairing lena → noor")).to_be_visible()
    expect(page.get_by_text("Why: No session for 6 weeks")).to_be_visible()
    expect(page.get_by_text("To do: Remind kai to write the debrief")).to_be_visible()
    body = page.inner_text("body")
    for private in ("floor price", "Annual terms", "shelf space"):
        assert private not in body
    assert _violations(page) == []
    page.screenshot(path=str(SHOTS / "23-signals.png"), full_page=True)

    # Snooze the quiet pairing (the date field offers two weeks ahead).
    page.get_by_role("button", name="Snooze").first.click()
    expect(page.get_by_text("Snoozed until")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="Open (2)")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="Snoozed (1)")).to_be_visible()

    # Resolve the rotation's missing debrief, with a note: open now are kai's reflections,
    # then kai's rotation (kind order), so its form is the second.
    expect(page.get_by_text("kai's rotation").first).to_be_visible()
    page.get_by_label("Note (optional)").nth(1).fill("Kai is writing it this week")
    page.get_by_role("button", name="Resolve").nth(1).click()
    expect(page.get_by_role("heading", name="Resolved (1)")).to_be_visible(timeout=60_000)
    # The note was redacted before it was stored: the name is a placeholder now.
    expect(page.get_by_text("is writing it this week")).to_be_visible()
    assert "Kai is writing" not in page.inner_text("body")
    expect(page.get_by_role("heading", name="Open (1)")).to_be_visible()
    page.screenshot(path=str(SHOTS / "24-signals-apart.png"), full_page=True)

    # A sponsor reads health summaries, and has no Signals page.
    _sign_in(page, app_url, "Sofia (sponsor)", "Welcome, Sofia")
    page.goto(f"{app_url.rstrip('/')}/signals")  # an address not hers opens Home
    expect(page.get_by_text("Welcome, Sofia")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="Signals", exact=True)).to_have_count(0)
