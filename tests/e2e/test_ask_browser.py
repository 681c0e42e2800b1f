"""The Ask page in a real browser: a question gets the structured answer (a lead, then one
quotation per source), and a citation link opens its source with the quoted sentence
highlighted. The app is started and Chromium launched as in ``test_browser``."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_browser import SHOTS, _sign_in, app_url, browser  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.slow]


def test_ask_shows_a_structured_answer_whose_citations_open_their_source(
    app_url: str,  # noqa: F811 (the fixture imported above)
    browser: object,  # noqa: F811
) -> None:
    from playwright.sync_api import expect

    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    _sign_in(page, app_url, "Ravi (rotation participant)", "Welcome, Ravi")
    page.get_by_test_id("stSidebarNav").get_by_role("link", name="Ask", exact=True).click()
    question = page.get_by_label("Your question", exact=True)
    expect(question).to_be_visible(timeout=60_000)
    question.fill("What have rotation participants learned about distributors?")
    question.press("Enter")
    expect(page.get_by_text("Sources", exact=True)).to_be_visible(timeout=90_000)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)
    # the lead, then quotations: members' words with whose they are
    expect(page.get_by_text(re.compile(r"speaks? to this\.$")).first).to_be_visible()
    quote = page.locator("blockquote").first
    expect(quote).to_be_visible()
    page.screenshot(path=str(SHOTS / "11-ask-answer.png"), full_page=True)

    link = page.locator("a.citation").first
    target = link.get_attribute("href")
    assert target and re.fullmatch(r"#source-0-\d+", target), target
    link.click()
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    heading = page.locator(target)
    expect(heading).to_be_in_viewport(timeout=10_000)
    # the source under that heading is open, with the quoted sentence in bold
    source = heading.locator("xpath=following::details[1]")
    expect(source).to_have_attribute("open", "")
    bold = source.locator("strong").first
    expect(bold).to_be_visible(timeout=10_000)
    highlighted = " ".join(bold.inner_text().split())
    assert highlighted and highlighted[:40] in " ".join(quote.inner_text().split()), (
        highlighted,
        quote.inner_text(),
    )
    page.screenshot(path=str(SHOTS / "12-ask-citation.png"), full_page=False)
