"""The real app in a real browser: Debian's Chromium driven by Playwright."""

from __future__ import annotations

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
    port = free_port()
    log_path = data / "streamlit.log"
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

        wait_until(healthy, proc, log_path, "streamlit")
        yield url
        stop(proc)


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
