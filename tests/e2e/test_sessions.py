"""Sign-in sessions in Chromium: a reload keeps you signed in, a bookmarked page address opens
that page (after signing in when needed), and signing out in one tab ends the other."""

from __future__ import annotations

import pytest

from tests.e2e.test_browser import (  # noqa: F401 - app_url, browser: the fixtures
    SHOTS,
    _sign_in,
    app_url,
    browser,
)

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.slow]


def test_a_reload_keeps_you_signed_in_with_a_strict_cookie(
    app_url: str,  # noqa: F811 - the fixtures imported above
    browser: object,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    SHOTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    _sign_in(page, app_url, "Ada (leader)", "Welcome, Ada")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible(timeout=30_000)
    [cookie] = [c for c in context.cookies() if c["name"] == "playbook_session"]
    assert cookie["sameSite"] == "Strict" and len(cookie["value"]) >= 43
    assert cookie["value"] not in page.url  # the token never travels in an address
    page.reload()
    expect(page.get_by_text("Welcome, Ada")).to_be_visible(timeout=60_000)
    assert page.get_by_text("Demo user", exact=True).count() == 0
    assert page.get_by_text("Page not found").count() == 0
    page.screenshot(path=str(SHOTS / "sessions-1-after-reload.png"))
    context.close()


def test_a_bookmarked_address_opens_its_page(
    app_url: str,  # noqa: F811 - the fixtures imported above
    browser: object,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page = context.new_page()
    page.goto(f"{app_url}/reflect")  # signed out: sign in first, on the same address
    expect(page.get_by_text("Demo user", exact=True)).to_be_visible(timeout=60_000)
    assert page.get_by_text("Page not found").count() == 0
    page.get_by_test_id("stSelectbox").click()
    page.get_by_text("Ada (leader)").click()
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_label("Your reflection", exact=True)).to_be_visible(timeout=60_000)
    assert page.url.endswith("/reflect")
    page.goto(f"{app_url}/search")  # signed in: the bookmark opens directly
    expect(page.get_by_label("Search for")).to_be_visible(timeout=60_000)
    page.screenshot(path=str(SHOTS / "sessions-2-bookmark.png"))
    context.close()


def test_signing_out_in_one_tab_ends_the_other(
    app_url: str,  # noqa: F811 - the fixtures imported above
    browser: object,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    first = context.new_page()
    _sign_in(first, app_url, "Cora (coordinator)", "Welcome, Cora")
    second = context.new_page()
    second.goto(app_url)
    expect(second.get_by_text("Welcome, Cora")).to_be_visible(timeout=60_000)
    first.get_by_role("button", name="Sign out").click()
    expect(first.get_by_text("Demo user", exact=True)).to_be_visible(timeout=60_000)
    second.get_by_role("link", name="Search").click()  # the other tab's next step
    expect(second.get_by_text("You were signed out")).to_be_visible(timeout=60_000)
    second.screenshot(path=str(SHOTS / "sessions-3-other-tab.png"))
    second.reload()
    expect(second.get_by_text("Demo user", exact=True)).to_be_visible(timeout=60_000)
    assert second.get_by_text("Welcome, Cora").count() == 0
    assert not [c for c in context.cookies() if c["name"] == "playbook_session"]
    context.close()
