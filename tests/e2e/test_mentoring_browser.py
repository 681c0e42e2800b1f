"""Mentoring in a real browser, on the demo content: Cora (coordinator) imports profiles
from a CSV file, gets explained suggestions of a reverse mentor for Ada, proposes Ravi and
approves the pairing; Ravi and Ada each accept it; Ada logs a session and Cora sees it
against the commitment ("1 of 2 this quarter"). Started as in ``test_browser``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e.test_browser import (  # noqa: F401 (fixtures)
    SHOTS,
    _click_until,
    _sign_in,
    app_url,
    browser,
)

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.slow]

CSV = (
    "username,role,expertise,functions,markets,style,languages,capacity,seniority,objectives\n"
    "ravi,reverse_mentor,How customers under thirty choose products on social media and "
    "in apps,Marketing,APAC,coaching,en,1,3,\n"
    "ada,mentee,,Marketing,APAC,coaching,en,,7,Understand how younger customers discover "
    "and choose our products online | Grow share with under-30s\n"
)


def _open_mentoring(page: object) -> None:
    from playwright.sync_api import expect

    nav = page.get_by_test_id("stSidebarNav")  # type: ignore[attr-defined]
    nav.get_by_role("link", name="Mentoring", exact=True).click()
    title = page.get_by_role("heading", name="Mentoring", exact=True)  # type: ignore[attr-defined]
    expect(title).to_be_visible(timeout=60_000)


def _pairing_box(page: object, text: str) -> object:
    # The innermost block holding the text: the pairing's bordered container.
    boxes = page.get_by_test_id("stVerticalBlock")  # type: ignore[attr-defined]
    return boxes.filter(has_text=text).last


def test_import_suggest_approve_accept_and_count_sessions(
    app_url: str,  # noqa: F811 (the fixture imported above)
    browser: object,  # noqa: F811
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 1100})  # type: ignore[attr-defined]
    page.goto(app_url)
    ready = page.get_by_role("button", name="Sign out").or_(
        page.get_by_text("Demo user", exact=True)
    )
    expect(ready).to_be_visible(timeout=300_000)

    # The coordinator imports two profiles from a file.
    _sign_in(page, app_url, "Cora (coordinator)", "Welcome, Cora")
    _open_mentoring(page)
    page.get_by_role("tab", name="Profiles").click()
    profiles = tmp_path / "profiles.csv"
    profiles.write_text(CSV, encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(profiles))
    page.get_by_role("button", name="Import", exact=True).click()
    expect(page.get_by_text("Imported 2 profiles.")).to_be_visible(timeout=60_000)

    # Explained suggestions of a reverse mentor for Ada; Cora proposes Ravi.
    page.get_by_role("tab", name="Suggestions").click()
    form = page.get_by_test_id("stForm").filter(has_text="Looking for")
    # Streamlit's select boxes filter as one types; Enter picks the one left.
    for box, typed in ((0, "ada"), (1, "Reverse")):
        form.get_by_test_id("stSelectbox").nth(box).click()
        page.keyboard.type(typed)
        page.keyboard.press("Enter")
    form.get_by_role("button", name="Suggest").click()
    expect(page.get_by_text("Suggestions for ada")).to_be_visible(timeout=120_000)
    expect(page.get_by_text("expertise fits the objective").first).to_be_visible()
    expect(page.get_by_text("reverse mentoring: seniority 3 advising 7")).to_be_visible()
    page.screenshot(path=str(SHOTS / "31-mentoring-suggestions.png"), full_page=True)
    page.get_by_role("button", name="Propose ravi").click()
    expect(page.get_by_text("Proposed ravi for ada")).to_be_visible(timeout=60_000)

    # Cora approves it on the Pairings tab.
    page.get_by_role("tab", name="Pairings").click()
    box = _pairing_box(page, "ravi → ada")
    box.get_by_role("button", name="Approve").click()  # type: ignore[attr-defined]
    expect(_pairing_box(page, "ravi → ada · Reverse mentor · approved")).to_be_visible(
        timeout=60_000
    )

    # Both people accept; the second makes it active.
    for label, welcome in (
        ("Ravi (rotation participant)", "Welcome, Ravi"),
        ("Ada (leader)", "Welcome, Ada"),
    ):
        _sign_in(page, app_url, label, welcome)
        _open_mentoring(page)
        _pairing_box(page, "ravi → ada").get_by_role("button", name="Accept").click()  # type: ignore[attr-defined]
        expect(
            page.get_by_text("You accepted; waiting for the other person.")
            .or_(page.get_by_text("ravi → ada · Reverse mentor · active"))
            .first
        ).to_be_visible(timeout=60_000)
    box = _pairing_box(page, "ravi → ada · Reverse mentor · active")
    expect(box).to_be_visible(timeout=60_000)

    # Ada logs a session; Cora sees it against the commitment.
    box.get_by_text("Log a session").click()  # type: ignore[attr-defined]
    # A click that lands while the page re-runs can be dropped; _click_until clicks again
    # only when the session has not appeared.
    _click_until(
        box.get_by_role("button", name="Log session"),  # type: ignore[attr-defined]
        _pairing_box(page, "ravi → ada").get_by_text("Session held"),  # type: ignore[attr-defined]
    )
    box = _pairing_box(page, "ravi → ada")
    expect(box.get_by_text("Sessions: 1 of 2 this quarter")).to_be_visible(timeout=60_000)  # type: ignore[attr-defined]
    _sign_in(page, app_url, "Cora (coordinator)", "Welcome, Cora")
    _open_mentoring(page)
    box = _pairing_box(page, "ravi → ada · Reverse mentor · active")
    expect(box.get_by_text("Sessions: 1 of 2 this quarter")).to_be_visible(timeout=60_000)  # type: ignore[attr-defined]
    page.screenshot(path=str(SHOTS / "32-mentoring-pairings.png"), full_page=True)
