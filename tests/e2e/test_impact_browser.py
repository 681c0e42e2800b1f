"""Impact in a real browser, on the demo content: a mentor (Ada, who mentors Ravi) writes the
quarter's impact report, and the observer Ravi named (Cora) validates his recount of a
learning objective; Ravi then reads the validation. The app is started and Chromium
launched as in ``test_browser``."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_browser import SHOTS, _sign_in, app_url, browser  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.slow]


def _open_impact(page: object) -> None:
    from playwright.sync_api import expect

    nav = page.get_by_test_id("stSidebarNav")  # type: ignore[attr-defined]
    nav.get_by_role("link", name="Impact", exact=True).click()
    title = page.get_by_role("heading", name="Impact", exact=True)  # type: ignore[attr-defined]
    expect(title).to_be_visible(timeout=60_000)


def test_a_mentor_reports_and_the_named_observer_validates(
    app_url: str,  # noqa: F811 (the fixture imported above)
    browser: object,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})  # type: ignore[attr-defined]

    # The first page load builds the models; on a busy machine that takes a while.
    page.goto(app_url)
    ready = page.get_by_role("button", name="Sign out").or_(
        page.get_by_text("Demo user", exact=True)
    )
    expect(ready).to_be_visible(timeout=300_000)

    # The mentor writes the quarter's report.
    _sign_in(page, app_url, "Ada (leader)", "Welcome, Ada")
    _open_impact(page)
    expect(page.get_by_text("About your pairings with ravi.")).to_be_visible(timeout=60_000)
    # The question is the prompt set's text (its label is escaped Markdown: match its start).
    speed = page.get_by_label(re.compile("^Did your decisions get faster or slower"))
    speed.fill("Faster: the Jakarta pilot was agreed in one meeting instead of three.")
    page.get_by_text("Share it with the programme (the quarterly showcase)").click()
    page.get_by_role("button", name="Save the report").click()
    expect(page.get_by_text("report is saved")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("shared with the programme")).to_be_visible(timeout=60_000)
    page.screenshot(path=str(SHOTS / "21-impact-report.png"), full_page=True)

    # The observer Ravi named validates his recount; nobody else is asked to.
    assert "Asked to validate" not in page.inner_text("body")
    _sign_in(page, app_url, "Cora (coordinator)", "Welcome, Cora")
    _open_impact(page)
    expect(page.get_by_role("heading", name="Asked to validate")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("we launched two weeks earlier")).to_be_visible()
    page.get_by_label("What did you see change? (a sentence or two)").fill(
        "I watched him call the Brazil launch window early, with the data we had."
    )
    page.get_by_role("button", name="Validate").click()
    expect(page.get_by_text("Validated. Thank you.")).to_be_visible(timeout=60_000)
    expect(page.get_by_role("heading", name="Asked to validate")).to_have_count(0)
    expect(page.get_by_label("What did you see change? (a sentence or two)")).to_have_count(0)
    page.screenshot(path=str(SHOTS / "22-impact-validated.png"), full_page=True)

    # The mentee reads the validation beside his objective; Ada's report is shared with him.
    _sign_in(page, app_url, "Ravi (rotation participant)", "Welcome, Ravi")
    _open_impact(page)
    page.get_by_text("Lead a cross-functional launch decision").first.click()
    expect(
        page.get_by_text("Validated by cora: I watched him call the Brazil launch")
    ).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Shared impact reports")).to_be_visible()
