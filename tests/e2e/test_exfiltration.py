"""User text cannot make a reader's browser fetch anything, link anywhere or change how a page
looks (DESIGN principle 4), checked in a real browser against a loopback listener.

Markdown images and links pointing at the listener, raw HTML, ``javascript:`` links, bare
URLs, emphasis, headings, colours and LaTeX are planted in every field of every kind of
document (imported through ``playbook import``), of a curated and published entry, of a
pending share, a pending term, a term for everyone and a reader's feedback. Then every page
is walked as each demo role, with every action that reveals text. The listener must receive
nothing, the pages must hold no element built from the planted Markdown, and the planted
syntax must be on the pages as literal text (so it is the rendering, not the redaction,
that stops it: the redaction may change titles, tags, places and ids, so those fields are
only required to be inert wherever they appear).
"""

from __future__ import annotations

import contextlib
import http.server
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from playbook.models import SECTIONS
from tests.conftest import free_port
from tests.e2e.test_browser import (  # noqa: F401 - browser: the Chromium fixture
    _sign_in,
    browser,
    serve_app,
)

pytestmark = [pytest.mark.e2e, pytest.mark.integration, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SHOTS = Path(__file__).parent / "screenshots"
BIN = Path(sys.executable).parent
MARK = "zq"  # every planted marker word starts with it: zqbold<code>, zqimg<code>, ...
# A colleague ada names in a shared journal: redacted for everyone else, so no page another
# person opens may hold the name anywhere in its HTML (ada's own history shows her original).
NAMED = "Tony Mercer"


class Listener:
    """An HTTP server on the loopback interface (IPv4 and, when there is one, IPv6: Chromium
    may try either for ``localhost``) that records every request and answers 404."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        recorded = self.requests

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                recorded.append(self.path)
                self.send_response(404)
                self.end_headers()

            do_POST = do_HEAD = do_GET  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.port = free_port()
        self.servers = [http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)]
        try:

            class V6(http.server.ThreadingHTTPServer):
                address_family = socket.AF_INET6

            self.servers.append(V6(("::1", self.port), Handler))
        except OSError:
            pass  # no IPv6 loopback here
        for server in self.servers:
            threading.Thread(target=server.serve_forever, daemon=True).start()

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()


def payload(code: str, port: int, *, block: bool = False, short: bool = False) -> str:
    """Markdown, HTML and Streamlit syntax around marker words for field ``code``. The URLs
    name ``localhost`` (the redaction replaces IP addresses, and keeps this host). ``short``
    fits a title (under 200 characters); ``block`` adds a heading, a list and a quote."""
    url = f"http://localhost:{port}/{code}"
    inline = (
        f"**{MARK}bold{code}** ![{MARK}img{code}]({url}-img.png) "
        f'[{MARK}link{code}](javascript:alert(1)) <img src="{url}-html.png">'
    )
    if short:
        return inline
    inline += (
        f" _{MARK}em{code}_ `{MARK}code{code}` [{MARK}href{code}]({url}-link) {url}-bare "
        f":red[{MARK}red{code}] :material/warning: $${MARK}math{code}$$"
    )
    if not block:
        return inline
    return f"{inline}\n# {MARK}head{code}\n- {MARK}list{code}\n> {MARK}quote{code}\n"


def sentence(code: str, port: int, lead: str) -> str:
    """A sentence of a body text: ordinary words first, so the extractive assistant and the
    drafting pick it up, then the payload."""
    return f"{lead} {payload(code, port)}."


def documents(port: int) -> list[dict[str, Any]]:
    """One document of each kind, every field planted (codes: two letters per field)."""

    def p(code: str) -> str:
        return payload(code, port, short=True)

    def tags(code: str) -> list[str]:
        return [f"**{MARK}bold{code}**", f"![{MARK}img{code}](http://localhost:{port}/{code}.png)"]

    def ident(code: str) -> str:
        return f"![{MARK}img{code}](http://localhost:{port}/{code}-id.png) **{MARK}bold{code}**"

    def body(code: str, *lines: str) -> str:
        return "\n".join(sentence(f"{code}{n}", port, line) for n, line in enumerate(lines))

    return [
        {
            "id": ident("ji"),
            "author": "ada",
            "kind": "journal",
            "visibility": "shared",
            "created_at": "2025-01-02",
            "title": p("jt"),
            "tags": tags("jg"),
            "text": body(
                "jx",
                "The pricing decision waited for warehouse data",
                "Lesson: name the assumption before the pricing decision",
            )
            + f"\n{NAMED} pushed back on the warehouse pricing decision.",
        },
        {
            "id": ident("pi"),
            "author": "ada",
            "kind": "journal",
            "created_at": "2025-01-03",
            "title": p("pt"),
            "tags": tags("pg"),
            "text": body("px", "A private reflection about the warehouse pricing decision"),
        },
        {
            "id": ident("di"),
            "author": "ravi",
            "kind": "debrief",
            "visibility": "shared",
            "created_at": "2025-01-04",
            "title": p("dt"),
            "tags": tags("dg"),
            "function": f"Logistics **{MARK}boldfn** ![{MARK}imgfn](http://localhost:{port}/fn.png)",
            "market": f"Jakarta **{MARK}boldmk** ![{MARK}imgmk](http://localhost:{port}/mk.png)",
            "start_date": "2024-12-02",
            "end_date": "2024-12-20",
            "anchor_project": p("da"),
            "strategic_goal": p("dg"),
            "text": body(
                "dx",
                "What surprised me: the warehouse pricing decision took three weeks",
                "Decisions and trade-offs I saw: the warehouse kept two distributors",
                "Lessons: count the cost of exceptions in the warehouse",
                "Advice for the next person: walk the warehouse in week one",
            )
            + f"\nWho owns the warehouse pricing decision {payload('dq', port)}?",
        },
        {
            "id": ident("si"),
            "author": "ada",
            "kind": "session_note",
            "visibility": "shared",
            "created_at": "2025-01-05",
            "title": p("st"),
            "tags": tags("sg"),
            "text": body(
                "sx",
                "Mentor: a graduate from the warehouse team",
                "What I learned: the warehouse pricing decision needs field data",
            ),
        },
        {
            "id": ident("ci"),
            "author": "cora",
            "kind": "council_note",
            "visibility": "shared",
            "created_at": "2025-01-06",
            "title": p("ct"),
            "tags": tags("cg"),
            "text": body(
                "cx",
                "Charter topic: the warehouse pricing decision",
                "What we decided: a pilot in one warehouse first",
            ),
        },
        {
            "id": ident("ei"),
            "author": "cora",
            "kind": "entry",
            "visibility": "published",
            "created_at": "2025-01-07",
            "title": p("et"),
            "tags": tags("eg"),
            "text": body(
                "ex",
                "Decision: how to make the warehouse pricing decision",
                "Lesson: count the cost of exceptions in the warehouse",
            ),
        },
        {
            "id": ident("mi"),
            "author": "mallory",
            "kind": "journal",
            "created_at": "2025-01-08",
            "title": p("mt"),
            "text": body("mx", "Mallory's reflection on the warehouse pricing decision"),
        },
    ]


# Run in the app's environment after the import: curate and publish an entry whose every
# field is planted, ask to share two private journals, ask to keep a term, add a term for
# everyone and leave feedback. It prints what the store holds, for the walk to type in.
SETUP = r"""
import json, sys
from playbook.models import SECTIONS, EntryContent, Kind, Visibility
from playbook.settings import Settings
from playbook.wiring import Container

port = int(sys.argv[1]); payload = json.loads(sys.argv[2])
c = Container(Settings())
who = {u: c.records.principal(u) for u in ("ada", "ravi", "cora", "mallory")}
def doc(owner, day):
    for d in c.records.documents(owner_id=who[owner].user_id, limit=500):
        if f"{d.created_at:%Y-%m-%d}" == day:
            return d
    raise SystemExit(f"no document of {owner} on {day}")
debrief, council = doc("ravi", "2025-01-04"), doc("cora", "2025-01-06")
cora = who["cora"]
entry, _ = c.curation.promote(cora, [debrief.document_id, council.document_id])
content = EntryContent(
    title=payload["et2"],
    sections={s: "The warehouse pricing decision " + payload["e" + s[:2]] for s in SECTIONS},
    function=payload["ef"],
    market=debrief.debrief.market,
    competency=payload["ec"],
    tags=(f"**zqboldtg**", f"![zqimgtg](http://localhost:{port}/tg.png)"),
)
entry = c.curation.edit(cora, entry.entry_id, entry.version, content)
for action in ("submit", "publish"):
    entry = c.curation.act(cora, entry.entry_id, entry.version, action, payload["nt"])
c.curation.feedback(who["ravi"], entry.entry_id, "outdated", payload["fb"])
for owner, day in (("ada", "2025-01-03"), ("mallory", "2025-01-08")):
    c.reflection.request_share(who[owner], doc(owner, day).document_id)
c.privacy.add_term(who["ada"].user_id, "allow", f"**zqboldak** zqimgak")
c.privacy.add_term(None, "allow", f"**zqboldgl** zqimggl")
print(json.dumps({
    "function": debrief.debrief.function, "market": debrief.debrief.market,
    "entry_function": entry.content.function, "entry_title": entry.content.title,
}))
"""


@dataclass
class Planted:
    url: str
    listener: Listener
    stored: dict[str, Any]
    seen: dict[str, set[str]] = field(default_factory=dict)  # page -> literal markers
    bad: list[str] = field(default_factory=list)  # elements built from planted syntax
    broken: list[str] = field(default_factory=list)  # actions that did not complete
    named: list[str] = field(default_factory=list)  # pages of others holding NAMED
    own: list[str] = field(default_factory=list)  # ada's pages holding it (her original)


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Planted]:
    """The demo, then the planted documents through the CLI, then streamlit."""
    data = tmp_path_factory.mktemp("exfil-data")
    listener = Listener()
    port = listener.port
    env = {
        **os.environ,
        "PLAYBOOK_DATA_DIR": str(data),
        "PLAYBOOK_DEMO": "true",
        "HF_HUB_OFFLINE": "1",
        "PLAYBOOK_LLM": "",
        # The setup publishes as the coordinator who submitted (separation of duties is
        # tested in test_walk_curate_admin.py); this fixture outlives conftest's setting.
        "PLAYBOOK_CURATION_SEPARATE_DUTIES": "false",
    }

    def cli(*args: str) -> str:
        done = subprocess.run(
            [str(BIN / "playbook"), *args], env=env, cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done.stdout

    cli("init", "--demo")
    cli("users", "add", "mallory", "--role", "leader", "--name", payload("nm", port))
    jsonl = data / "planted.jsonl"
    jsonl.write_text("".join(json.dumps(d) + "\n" for d in documents(port)))
    report = cli("import", str(jsonl), "--as", "ada")
    assert "7 created" in report, report  # all seven stored
    texts = {c: payload(c, port) for c in ("ef", "ec", "nt", "fb")}
    texts["et2"] = payload("et2", port, short=True)
    texts |= {f"e{s[:2]}": payload(f"e{s[:2]}", port, block=True) for s in SECTIONS}
    done = subprocess.run(
        [str(BIN / "python"), "-c", SETUP, str(port), json.dumps(texts)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    stored = json.loads(done.stdout.strip().splitlines()[-1])
    try:
        with serve_app(env, data / "streamlit.log") as url:
            yield Planted(url, listener, stored)
    finally:
        listener.close()


# Elements Markdown would build from the planted syntax, and links or images to the listener.
# (A page may wrap user text in its own bold or list item: an element counts as built from
# the planted syntax when the marker word is all it holds.)
INSPECT = """([mark, port]) => {
  const bad = [];
  const planted = new RegExp(mark + '[a-z]+');
  const alone = new RegExp('^' + mark + '[a-z]+[0-9]?$');
  for (const a of document.querySelectorAll('a')) {
    const href = (a.getAttribute('href') || '').toLowerCase();
    if (href.includes(port) || href.startsWith('javascript') || planted.test(a.textContent))
      bad.push('a href=' + href + ' ' + a.textContent.slice(0, 60));
  }
  for (const el of document.querySelectorAll('img, image, source, video, iframe, object')) {
    const src = ['src', 'srcset', 'href', 'data'].map(a => el.getAttribute(a) || '').join(' ');
    if (src.includes(port) || planted.test(el.getAttribute('alt') || ''))
      bad.push(el.tagName + ' ' + src);
  }
  const built = 'strong, b, em, i, code, pre, del, s, h1, h2, h3, h4, h5, h6, li, blockquote, td';
  for (const el of document.querySelectorAll(built))
    if (alone.test(el.textContent.trim()) && !el.closest('[data-testid=stText]'))
      bad.push(el.tagName + ' ' + el.textContent.slice(0, 80));
  const styled = '.katex, .stMarkdownColoredText, .stMarkdownColoredBackground';
  for (const el of document.querySelectorAll(styled))
    if (planted.test(el.textContent)) bad.push(el.className + ' ' + el.textContent.slice(0, 80));
  for (const el of document.querySelectorAll('[data-testid=stIconMaterial]'))  // :material/x:
    if (el.textContent.trim() === 'warning') bad.push('icon ' + el.textContent);
  for (const el of document.querySelectorAll('[style*="' + port + '"]'))
    bad.push('style ' + el.getAttribute('style'));
  const shown = [...document.querySelectorAll(
    '[data-testid=stMarkdownContainer], [data-testid=stCaptionContainer]'
  )].map(e => e.innerText).join('\\n').replace(/\\u2060/g, '');
  return {bad, shown};
}"""


def literal_markers(shown: str, port: int) -> set[str]:
    """Field codes whose planted syntax is on the page as text, character for character."""
    found = set()
    for m in re.finditer(rf"\*\*{MARK}bold([a-z0-9]+)\*\*", shown):
        found.add(f"bold:{m.group(1)}")
    for m in re.finditer(rf"!\[{MARK}img([a-z0-9]+)\]\(http://localhost:{port}/[^)\s]*\)", shown):
        found.add(f"img:{m.group(1)}")
    for m in re.finditer(rf"\[{MARK}link([a-z0-9]+)\]\(javascript:alert\(1\)\)", shown):
        found.add(f"js:{m.group(1)}")
    for m in re.finditer(rf'<img src="http://localhost:{port}/([a-z0-9]+)-html\.png">', shown):
        found.add(f"html:{m.group(1)}")
    for m in re.finditer(rf"(?m)^# {MARK}head([a-z0-9]+)", shown):
        found.add(f"head:{m.group(1)}")
    return found


def open_expanders(page: Any) -> None:
    """Open every expander at once, as a reader clicking each would (one click each is slow)."""
    page.evaluate(
        "() => document.querySelectorAll('[data-testid=stExpander] details')"
        ".forEach(d => { d.open = true; })"
    )


def visit_tabs(page: Any, *tabs: str) -> None:
    """Click each tab in turn, so every one has rendered."""
    for tab in tabs:
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(500)


def check(page: Any, planted: Planted, where: str) -> None:
    """Open every expander, then record what the page built and what it shows as text."""
    page.wait_for_timeout(400)
    open_expanders(page)
    page.wait_for_timeout(600)
    result = page.evaluate(INSPECT, [MARK, str(planted.listener.port)])
    planted.bad += [f"{where}: {b}" for b in result["bad"]]
    planted.seen.setdefault(where, set()).update(
        literal_markers(result["shown"], planted.listener.port)
    )
    html = page.content().casefold()
    holding = [f"{where}: {w}" for w in NAMED.split() if w.casefold() in html]
    if where.startswith("ada-"):
        planted.own += holding
    else:
        planted.named += holding
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"exfil-{where}.png"), full_page=True)
    print(f"{time.strftime('%H:%M:%S')} {where}: {len(result['bad'])} built from planted text")


def go(page: Any, name: str) -> bool:
    """Open a page from the menu; False when the menu does not offer it to this person."""
    from playwright.sync_api import expect

    link = page.get_by_test_id("stSidebarNav").get_by_role("link", name=name, exact=True)
    if not link.count():
        return False
    link.click()
    expect(page.get_by_role("heading", level=1).first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(600)
    return True


def submit(page: Any, button: str, shown: str | re.Pattern[str], tries: int = 3) -> None:
    """Click a form's button until ``shown`` appears (a click landing while Streamlit is
    still re-running the page can be dropped), then wait for the run to finish."""
    from playwright.sync_api import expect

    target = page.get_by_text(shown, exact=True).first
    for attempt in range(tries):
        page.get_by_role("button", name=button, exact=True).first.click()
        try:
            expect(target).to_be_visible(timeout=30_000)
            break
        except AssertionError:
            if attempt == tries - 1:
                raise
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=60_000)
    page.wait_for_timeout(300)


@contextlib.contextmanager
def step(page: Any, planted: Planted, where: str) -> Iterator[None]:
    """One page's actions; one that fails is reported after what the listener received."""
    try:
        yield
    except Exception as exc:
        planted.broken.append(f"{where}: {str(exc).splitlines()[0]}")
        SHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SHOTS / f"exfil-{where}-failed.png"), full_page=True)


def walk(page: Any, planted: Planted, who: str) -> None:
    """Every page the menu offers ``who``, with what reveals text on each."""
    from playwright.sync_api import expect

    check(page, planted, f"{who}-home")
    with step(page, planted, f"{who}-search"):
        if go(page, "Search"):
            page.get_by_label("Search for").fill("warehouse pricing decision")
            page.get_by_label("Results").fill("20")
            submit(page, "Search", "Full passage")
            check(page, planted, f"{who}-search")
    with step(page, planted, f"{who}-ask"):
        if go(page, "Ask"):
            question = "How do we make the warehouse pricing decision?"
            page.get_by_label("Your question").fill(question)
            submit(page, "Ask", re.compile("^(Sources|Nearest items)$"))
            check(page, planted, f"{who}-ask")
    with step(page, planted, f"{who}-rotation"):
        if go(page, "Before my rotation"):
            page.get_by_label("Function").fill(planted.stored["function"])
            # Ravi's own debrief is listed as his; everyone else reads it under Debriefs.
            submit(page, "Show me", re.compile(r"^(Debriefs|Your own debriefs of this place)$"))
            check(page, planted, f"{who}-rotation")
    with step(page, planted, f"{who}-handoff"):
        if go(page, "Handoff pack"):
            page.get_by_label("Market").fill(planted.stored["market"])
            submit(page, "Build the pack", "Rotation debriefs")
            check(page, planted, f"{who}-handoff")
            if page.get_by_role("button", name="Build the showcase").count():
                submit(page, "Build the showcase", re.compile(r"entr(y|ies) published"))
                check(page, planted, f"{who}-showcase")
    with step(page, planted, f"{who}-reflect"):
        if go(page, "Reflect"):
            page.get_by_role("tab", name="My reflections").click()
            page.wait_for_timeout(800)
            if who == "ada":  # her history lists her originals: wait until it has rendered
                deadline = time.monotonic() + 45
                while time.monotonic() < deadline:
                    open_expanders(page)
                    if NAMED.split()[-1].casefold() in page.content().casefold():
                        break
                    page.wait_for_timeout(500)
            check(page, planted, f"{who}-reflect")
    with step(page, planted, f"{who}-moderation"):
        if go(page, "Moderation"):
            check(page, planted, f"{who}-moderation")
    with step(page, planted, f"{who}-curate"):
        if go(page, "Curate"):
            visit_tabs(page, "Review queue", "Entries", "Promote shared items")
            check(page, planted, f"{who}-curate")
            page.get_by_role("tab", name="Entries").click()
            opened = page.get_by_role("button", name="Open", exact=True)
            expect(opened.first).to_be_visible(timeout=30_000)
            for n in range(opened.count()):  # each entry's editor: "↳ from" captions, history
                page.get_by_role("tab", name="Entries").click()
                page.get_by_role("button", name="Open", exact=True).nth(n).click()
                back = page.get_by_role("button", name="← All entries")
                expect(back).to_be_visible(timeout=30_000)
                check(page, planted, f"{who}-curate-entry{n}")
                back.click()
                expect(page.get_by_role("tab", name="Entries")).to_be_visible(timeout=30_000)
    with step(page, planted, f"{who}-admin"):
        if go(page, "Administration"):
            visit_tabs(page, "Users and roles", "Roster and terms", "Audit log")
            check(page, planted, f"{who}-admin")


def test_planted_markdown_reaches_no_browser_and_shows_as_text(
    planted: Planted,
    browser: Any,  # noqa: F811 - the fixture imported above
) -> None:
    started = time.monotonic()
    port = planted.listener.port
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    # The channel works: this browser does reach the listener when a page asks it to.
    page.goto(planted.url)
    page.evaluate(f"new Image().src = 'http://localhost:{port}/control.png'")
    deadline = time.monotonic() + 10
    while "/control.png" not in planted.listener.requests and time.monotonic() < deadline:
        time.sleep(0.1)
    assert planted.listener.requests == ["/control.png"], planted.listener.requests
    planted.listener.requests.clear()

    people = {
        "ada": ("Ada (leader)", "Welcome, Ada"),
        "ravi": ("Ravi (rotation participant)", "Welcome, Ravi"),
        "cora": ("Cora (coordinator)", "Welcome, Cora"),
        "sam": ("Sam (admin)", "Welcome, Sam"),
    }
    for who, (label, welcome) in people.items():
        _sign_in(page, planted.url, label, welcome)
        walk(page, planted, who)
    page.wait_for_timeout(1_000)  # anything still loading lands now

    assert planted.listener.requests == [], planted.listener.requests
    assert planted.bad == [], "\n".join(planted.bad)
    assert planted.broken == [], "\n".join(planted.broken)
    assert planted.named == [], planted.named  # no name in the HTML another person gets
    assert planted.own, "the author's own history should show her original, name and all"
    pages = set(planted.seen)
    for needed in (
        "ada-search",
        "ada-ask",
        "ada-reflect",
        "ravi-rotation",
        "ravi-handoff",
        "cora-moderation",
        "cora-curate",
        "cora-curate-entry0",
        "sam-admin",
    ):
        assert needed in pages, sorted(pages)
    seen = set().union(*planted.seen.values())
    # Body text reaches Markdown elements unredacted and shows as literal text: search
    # snippets, answers, rotation advice, pack sections, "↳ from" captions, feedback titles.
    sections = {f"e{s[:2]}" for s in SECTIONS}  # the published entry's sections
    for form in ("bold", "img", "js", "html"):
        bodies = {m.split(":")[1] for m in seen if m.startswith(form + ":")}
        assert any(code[:2] in {"dx", "jx", "ex", "sx", "cx"} for code in bodies), (form, seen)
        assert bodies & sections, (form, sorted(seen))
    assert {m.split(":")[1] for m in seen if m.startswith("head:")} & sections, sorted(seen)
    report = {where: sorted(found) for where, found in sorted(planted.seen.items())}
    print(json.dumps(report, indent=1))
    print(f"walked {len(pages)} page views in {time.monotonic() - started:.0f} s")
