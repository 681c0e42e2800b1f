"""Pulse surveys in a real browser, on the demo: the demo survey's open second round has two
answers, so Cora reads "too few answers to show"; Ada, Ravi and Sam each answer it once (the
form goes away once answered); Cora then sees its results (five of the members answered) and
the trend across the two rounds as a chart. The app is started and Chromium launched as in
``test_browser``."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_browser import SHOTS, _sign_in, app_url, browser  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.slow]


def _open_surveys(page: object, url: str) -> None:
    from playwright.sync_api import expect

    # By its address: the sidebar folds a long list of pages behind "View more".
    page.goto(f"{url.rstrip('/')}/surveys")  # type: ignore[attr-defined]
    title = page.get_by_role("heading", name="Pulse surveys", exact=True)  # type: ignore[attr-defined]
    expect(title).to_be_visible(timeout=60_000)


def _answer(page: object, scale: tuple[str, str], words: str) -> None:
    from playwright.sync_api import expect

    radios = page.get_by_test_id("stRadio")  # type: ignore[attr-defined]
    expect(radios.first).to_be_visible(timeout=60_000)
    for n, point in enumerate(scale):
        radios.nth(n).get_by_text(point, exact=True).click()
    page.get_by_label(re.compile("What one thing would make")).fill(words)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Send my answers").click()  # type: ignore[attr-defined]
    expect(page.get_by_text("your answers are in, without your name")).to_be_visible(  # type: ignore[attr-defined]
        timeout=60_000
    )
    expect(page.get_by_text("You have answered this round. Thank you.")).to_be_visible()  # type: ignore[attr-defined]
    expect(page.get_by_role("button", name="Send my answers")).to_have_count(0)  # type: ignore[attr-defined]


def _show_results(page: object) -> None:
    page.get_by_role("button", name="Show results and trends").click()  # type: ignore[attr-defined]


def test_results_appear_once_five_have_answered(
    app_url: str,  # noqa: F811 (the fixture imported above)
    browser: object,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 1100})  # type: ignore[attr-defined]
    page.goto(app_url)
    ready = page.get_by_role("button", name="Sign out").or_(
        page.get_by_text("Demo user", exact=True)
    )
    expect(ready).to_be_visible(timeout=300_000)

    # Two answers so far: the coordinator reads none of them.
    _sign_in(page, app_url, "Cora (coordinator)", "Welcome, Cora")
    _open_surveys(page, app_url)
    expect(page.get_by_role("heading", name="Surveys I run")).to_be_visible(timeout=60_000)
    _show_results(page)
    expect(page.get_by_text(re.compile("Too few answers to show"))).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Mean (1 to 5)")).to_have_count(0)

    for label, welcome, scale in (
        ("Ada (leader)", "Welcome, Ada", ("4", "3")),
        ("Ravi (rotation participant)", "Welcome, Ravi", ("5", "4")),
        ("Sam (admin)", "Welcome, Sam", ("2", "2")),
    ):
        _sign_in(page, app_url, label, welcome)
        _open_surveys(page, app_url)
        expect(page.get_by_text("Programme pulse")).to_be_visible(timeout=60_000)
        _answer(page, scale, "Shorter sessions, more often.")
    page.screenshot(path=str(SHOTS / "31-survey-answered.png"), full_page=True)

    # Five answers: the round's results and the trend across both rounds show.
    _sign_in(page, app_url, "Cora (coordinator)", "Welcome, Cora")
    _open_surveys(page, app_url)
    _show_results(page)
    expect(page.get_by_text(re.compile(r"5 of \d+ members invited answered"))).to_be_visible(
        timeout=60_000
    )
    expect(page.get_by_text("Mean (1 to 5)").first).to_be_visible()
    expect(page.get_by_text("Shorter sessions, more often.").first).to_be_visible()
    expect(page.get_by_test_id("stVegaLiteChart")).to_be_visible(timeout=60_000)
    page.screenshot(path=str(SHOTS / "32-survey-results.png"), full_page=True)
