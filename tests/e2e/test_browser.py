"""The real app in a real browser: Debian's Chromium driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import free_port, stop, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).parent / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
BIN = Path(sys.executable).parent


@contextlib.contextmanager
def serve_app(env: dict[str, str], log_path: Path) -> Iterator[str]:
    """`streamlit run app.py` on a free loopback port, as `make run` serves it; yields its
    address once it answers, and stops it afterwards."""
    port = free_port()
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [
                str(BIN / "streamlit"),
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"

        def healthy() -> bool:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                return bool(r.status == 200)

        try:
            wait_until(healthy, proc, log_path, "streamlit")
            yield url
        finally:
            stop(proc)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`playbook init --demo` then `streamlit run app.py`, as `make run` does, on a free port."""
    data = tmp_path_factory.mktemp("e2e-data")
    env = {
        **os.environ,
        "PLAYBOOK_DATA_DIR": str(data),
        "PLAYBOOK_DEMO": "true",
        "HF_HUB_OFFLINE": "1",
    }
    subprocess.run([str(BIN / "playbook"), "init", "--demo"], env=env, check=True, cwd=ROOT)
    with serve_app(env, data / "streamlit.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


def test_sign_in_and_search(app_url: str, browser: object) -> None:
    from playwright.sync_api import expect

    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    page.goto(app_url)
    expect(page.get_by_text("Demo user", exact=True)).to_be_visible(timeout=60_000)
    page.screenshot(path=str(SHOTS / "01-sign-in.png"))
    page.get_by_test_id("stSelectbox").click()
    page.get_by_text("Ravi (rotation participant)").click()
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Welcome, Ravi")).to_be_visible(timeout=60_000)
    page.screenshot(path=str(SHOTS / "02-home.png"))
    page.get_by_role("link", name="Search").click()
    page.get_by_label("Search for").fill("cost of exceptions in distribution")
    page.get_by_role("button", name="Search").click()
    expect(
        page.get_by_text("Count the cost of exceptions when judging cost-to-serve")
    ).to_be_visible(timeout=60_000)
    page.screenshot(path=str(SHOTS / "03-search.png"), full_page=True)
    body = page.inner_text("body")
    assert "Pricing call under time pressure" not in body  # ada's private journal


def _sign_in(page: object, url: str, label: str, welcome: str) -> None:
    from playwright.sync_api import expect

    page.goto(url)  # type: ignore[attr-defined]
    # The session cookie may sign the page in on arrival: wait for either state.
    out = page.get_by_role("button", name="Sign out")  # type: ignore[attr-defined]
    signed_out = page.get_by_text("Demo user", exact=True)  # type: ignore[attr-defined]
    expect(out.or_(signed_out)).to_be_visible(timeout=60_000)
    if out.count():
        out.click()
    expect(signed_out).to_be_visible(timeout=60_000)
    page.get_by_test_id("stSelectbox").click()  # type: ignore[attr-defined]
    page.get_by_text(label).click()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Sign in").click()  # type: ignore[attr-defined]
    expect(page.get_by_text(welcome)).to_be_visible(timeout=60_000)  # type: ignore[attr-defined]
    _wait_for_session_cookie(page)


def _wait_for_session_cookie(page: object, timeout: float = 60.0) -> None:
    """Wait until the page has written the session cookie. A component writes it once the
    signed-in page is drawn; a new tab or address opened before that (under load, seconds
    later) finds no session, as it would for a person that quick (two CI failures)."""
    import time

    context = page.context  # type: ignore[attr-defined]
    deadline = time.monotonic() + timeout
    while not any(c["name"] == "playbook_session" for c in context.cookies()):
        if time.monotonic() > deadline:
            raise AssertionError("the signed-in page never wrote the session cookie")
        page.wait_for_timeout(200)  # type: ignore[attr-defined]


def _click_until(button: object, shown: object, tries: int = 3) -> None:
    """Click until ``shown`` appears. A click that lands while Streamlit is still re-running
    the page can be dropped by the front end; the actions clicked here are idempotent."""
    from playwright.sync_api import expect

    for attempt in range(tries):
        if attempt and shown.is_visible():  # type: ignore[attr-defined]
            return  # the last click did land, only late
        expect(button).to_be_visible(timeout=30_000)
        button.click()  # type: ignore[attr-defined]
        try:
            expect(shown).to_be_visible(timeout=20_000)
            return
        except AssertionError:
            if attempt == tries - 1:
                raise


def _type(page: object, label: str, text: str) -> None:
    box = page.get_by_label(label, exact=True)  # type: ignore[attr-defined]
    box.fill(text)
    box.press("Tab")  # Streamlit sends the value when the box loses the focus
    page.wait_for_timeout(700)  # type: ignore[attr-defined]


def test_write_preview_save_follow_up_debrief_share_approve_find(
    app_url: str, browser: object
) -> None:
    from playwright.sync_api import expect

    SHOTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 1000})  # type: ignore[attr-defined]

    # ada writes a journal entry that names a colleague
    _sign_in(page, app_url, "Ada (leader)", "Welcome, Ada")
    page.get_by_role("link", name="Reflect").click()
    expect(page.get_by_text("Your reflection")).to_be_visible(timeout=60_000)
    _type(
        page,
        "Your reflection",
        "I waited for Tony Mercer's numbers before the pricing call; the deadline was Friday.",
    )
    expect(page.get_by_text("Draft saved at")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Preview redaction").click()
    preview = page.get_by_text("What will be stored and shared").locator("xpath=../../..")
    expect(page.get_by_text("PERSON-").first).to_be_visible(timeout=60_000)
    assert "Mercer" not in preview.inner_text()
    page.screenshot(path=str(SHOTS / "04-journal-preview.png"), full_page=True)
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_text("Saved. It is private to you.")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Follow-up questions")).to_be_visible(timeout=60_000)
    expect(page.get_by_label("Your reflection", exact=True)).to_have_value("")
    page.screenshot(path=str(SHOTS / "05-follow-ups.png"), full_page=True)

    # ada submits a rotation debrief and shares it
    page.get_by_role("tab", name="Rotation debrief").click()
    _type(page, "Function", "Logistics")
    _type(page, "Market", "Jakarta")
    for label, (year, month, day) in (
        ("First day", ("2026", "09", "01")),
        ("Last day", ("2026", "09", "19")),
    ):
        # Streamlit's date input is three spin buttons (react-aria): year, month, day
        for part, value in (("year", year), ("month", month), ("day", day)):
            page.get_by_role("spinbutton", name=f"{part}, {label}").click()
            page.keyboard.type(value)
        page.keyboard.press("Tab")
        page.wait_for_timeout(700)
    _type(
        page,
        "Anchor project (a cross-functional launch, a cost-to-serve analysis…)",
        "island freight",
    )
    _type(page, "What surprised me", "Island hopping freight consolidation halves the cost.")
    _type(page, "Lessons", "Consolidate freight per island before adding trucks.")
    _type(page, "Advice for the next person", "Ride along with the night shift in week one.")
    page.get_by_role("button", name="Save debrief").click()
    expect(page.get_by_text("Debrief saved, private to you.")).to_be_visible(timeout=60_000)
    page.screenshot(path=str(SHOTS / "06-debrief.png"), full_page=True)
    page.get_by_role("tab", name="My reflections").click()
    expect(page.get_by_text("Rotation debrief: Logistics, Jakarta").first).to_be_visible(
        timeout=60_000
    )
    page.get_by_text("Rotation debrief: Logistics, Jakarta").first.click()
    debrief = page.get_by_test_id("stExpander").filter(has_text="Logistics, Jakarta")
    # Sharing first shows what others would read, then asks again (issue 18, item 2).
    confirm = debrief.get_by_role("button", name="Share this redacted text")
    _click_until(debrief.get_by_role("button", name="Share with my programme"), confirm)
    expect(debrief.get_by_text("What others would read")).to_be_visible()
    _click_until(confirm, page.get_by_text("awaiting a coordinator").first)
    page.screenshot(path=str(SHOTS / "07-my-reflections.png"), full_page=True)

    # cora approves it
    _sign_in(page, app_url, "Cora (coordinator)", "Welcome, Cora")
    page.get_by_role("link", name="Moderation").click()
    expect(page.get_by_text("Rotation debrief: Logistics, Jakarta")).to_be_visible(timeout=60_000)
    page.screenshot(path=str(SHOTS / "08-moderation.png"), full_page=True)
    _click_until(
        page.get_by_role("button", name="Approve").first,
        page.get_by_text("Shared items awaiting approval (0)"),
    )

    # ravi finds it by search
    _sign_in(page, app_url, "Ravi (rotation participant)", "Welcome, Ravi")
    page.get_by_role("link", name="Search").click()
    page.get_by_label("Search for").fill("island freight consolidation")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("Rotation debrief: Logistics, Jakarta")).to_be_visible(timeout=60_000)
    page.screenshot(path=str(SHOTS / "09-search-shared.png"), full_page=True)
    assert "Tony Mercer" not in page.inner_text("body")


def test_the_menu_shows_each_person_only_the_pages_they_may_use(
    app_url: str, browser: object
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    expected = {
        ("Ada (leader)", "Welcome, Ada"): {"Reflect"},
        ("Cora (coordinator)", "Welcome, Cora"): {"Reflect", "Moderation", "Curate"},
        ("Sam (admin)", "Welcome, Sam"): {"Administration"},
    }
    optional = {"Reflect", "Moderation", "Curate", "Administration"}
    for (label, welcome), shown in expected.items():
        _sign_in(page, app_url, label, welcome)
        nav = page.get_by_test_id("stSidebarNav")
        expect(nav.get_by_role("link", name="Search", exact=True)).to_be_visible(timeout=30_000)
        # Nothing folded behind "View N more" (app.py keeps the menu unfolded).
        expect(page.get_by_test_id("stSidebarNavViewButton")).to_have_count(0)
        for name in optional:
            links = nav.get_by_role("link", name=name, exact=True).count()
            assert links == (1 if name in shown else 0), (label, name)
    page.screenshot(path=str(SHOTS / "10-admin-menu.png"), full_page=True)
