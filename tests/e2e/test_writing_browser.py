"""Everyday writing in Chromium: a journal entry typed without ever leaving the box is
autosaved a moment after the author pauses, and a reload brings it back."""

from __future__ import annotations

import pytest

from tests.e2e.test_browser import (  # noqa: F401 - app_url, browser: the fixtures
    SHOTS,
    _sign_in,
    app_url,
    browser,
)

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.slow]


def test_text_typed_without_leaving_the_box_survives_a_reload(
    app_url: str,  # noqa: F811 - the fixtures imported above
    browser: object,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    _sign_in(page, app_url, "Ada (leader)", "Welcome, Ada")
    page.get_by_role("link", name="Reflect").click()
    box = page.get_by_label("Your reflection", exact=True)
    expect(box).to_be_visible(timeout=60_000)
    box.click()
    words = "Typed in one go, never leaving the box: the pilot slipped a week"
    box.press_sequentially(words, delay=15)
    # The box keeps the focus throughout: Streamlit itself has not sent its value.
    assert box.evaluate("el => el === document.activeElement")
    expect(page.get_by_text("Draft saved at")).to_be_visible(timeout=20_000)
    assert box.evaluate("el => el === document.activeElement")  # the save kept the focus
    assert box.input_value() == words  # and nothing typed was lost or echoed back
    page.screenshot(path=str(SHOTS / "writing-1-autosaved.png"))
    page.reload()
    box = page.get_by_label("Your reflection", exact=True)
    expect(box).to_have_value(words, timeout=60_000)
    expect(page.get_by_text("Restored your unsaved draft.")).to_be_visible()
    page.screenshot(path=str(SHOTS / "writing-2-restored.png"))
    # After a save, the next entry autosaves too (a pause from before the save would not).
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_text("Saved. It is private to you.")).to_be_visible(timeout=60_000)
    box = page.get_by_label("Your reflection", exact=True)
    expect(box).to_have_value("", timeout=30_000)
    box.click()
    second = "A second entry, also typed in one go"
    box.press_sequentially(second, delay=15)
    expect(page.get_by_text("Draft saved at")).to_be_visible(timeout=20_000)
    page.reload()
    expect(page.get_by_label("Your reflection", exact=True)).to_have_value(second, timeout=60_000)
    context.close()
