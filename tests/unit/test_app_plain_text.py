"""The pages show planted Markdown as plain text: titles, tags, function and market, record
ids, entry sections and feedback reach every label, caption and body escaped (AppTest over
the fake container; tests/e2e/test_exfiltration.py checks the same in a real browser)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from ingest.loaders import LoadOptions
from playbook.models import SECTIONS, EntryContent, Kind
from playbook.services.documents import ImportOptions
from playbook.ui.common import plain
from playbook.wiring import Container
from tests.conftest import page_as

LEAK = "http://127.0.0.1:9"


def payload(code: str) -> str:
    return (
        f"**zqbold{code}** ![zqimg{code}]({LEAK}/{code}.png) [zqlink{code}](javascript:alert(1)) "
        f'<img src="{LEAK}/{code}-h.png"> {LEAK}/{code}-bare :red[zqred{code}] $zqmath{code}$'
    )


# Planted syntax that is not escaped: a "![", "](", "<img", "**zq", ":red[" or "$zq" with no
# backslash before it, or a bare URL without the word joiner that breaks its autolink.
RAW = re.compile(r"(?<!\\)(?:!\[|\]\(|<img|\*\*zq|:red\[|\$zq)|https?:/")


@pytest.fixture
def planted(demo: Container, tmp_path: Path) -> dict[str, Any]:
    """A shared debrief, journal and published entry document, every field planted, imported
    as the CLI imports; a published curated entry made from them; a pending share."""
    lines = [
        {
            "id": payload("di"),
            "author": "ravi",
            "kind": "debrief",
            "visibility": "shared",
            "title": payload("dt"),
            "tags": ["**zqbolddg**", f"![zqimgdg]({LEAK}/dg.png)"],
            "function": "Logistics **zqboldfn**",
            "market": f"Jakarta ![zqimgmk]({LEAK}/mk.png)",
            "anchor_project": payload("da"),
            "strategic_goal": payload("dg"),
            "text": "Lessons: count the warehouse exceptions "
            + payload("dx")
            + ".\nAdvice for the next person: walk the warehouse "
            + payload("dv")
            + ".",
        },
        {
            "id": payload("ji"),
            "author": "ada",
            "kind": "journal",
            "title": payload("jt"),
            "tags": ["**zqboldjg**"],
            "text": "The warehouse pricing decision " + payload("jx") + ".",
        },
        {
            "id": payload("ei"),
            "author": "cora",
            "kind": "entry",
            "visibility": "published",
            "title": payload("et"),
            "text": "Decision: the warehouse pricing decision " + payload("ex") + ".",
        },
    ]
    path = tmp_path / "planted.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    report = demo.service.import_paths(
        [path], ImportOptions(programme="default", load=LoadOptions())
    )
    assert not report.failed
    ada, cora = demo.records.principal("ada"), demo.records.principal("cora")
    docs = {d.kind: d for d in demo.records.readable_documents(cora, limit=500)}
    mine = demo.records.documents(owner_id=ada.user_id, limit=50)
    journal = next(d for d in mine if "zqboldjt" in d.title)
    debrief = next(
        d
        for d in demo.records.readable_documents(cora, limit=500)
        if d.kind is Kind.DEBRIEF and "zqbolddt" in d.title
    )
    demo.reflection.request_share(ada, journal.document_id)
    entry, _ = demo.curation.promote(cora, [debrief.document_id])
    entry = demo.curation.edit(
        cora,
        entry.entry_id,
        entry.version,
        EntryContent(
            title=payload("en")[:190],
            sections={s: "The warehouse lesson " + payload("s" + s[:2]) for s in SECTIONS},
            function=debrief.debrief.function,
            market=debrief.debrief.market,
            competency=payload("ec"),
            tags=("**zqboldtg**",),
        ),
    )
    for action in ("submit", "publish"):
        entry = demo.curation.act(cora, entry.entry_id, entry.version, action)
    demo.curation.feedback(demo.records.principal("ravi"), entry.entry_id, "outdated", "meh")
    assert docs  # the programme has shared items
    return {"debrief": debrief, "journal": journal, "entry": entry}


def shown(at: AppTest) -> list[str]:
    """Every string the page hands Streamlit's Markdown: bodies, labels, options of radios."""
    out: list[str] = []
    for kind in ("markdown", "caption", "title", "header", "subheader", "info", "warning"):
        out += [e.value for e in getattr(at, kind)]
    for kind in ("error", "success", "toast", "metric"):
        out += [str(e.value) for e in at.get(kind)]
    for kind in ("expander", "checkbox", "button", "tabs", "metric", "text_input", "radio"):
        out += [e.label for e in at.get(kind)]
    out += [o for r in at.radio for o in r.options]
    return out


def assert_plain(at: AppTest, *expected: str) -> str:
    """No planted syntax unescaped on the page, and each of ``expected`` (user text) shown
    through ``plain``. Returns everything shown, for more checks."""
    assert not at.exception, at.exception
    texts = shown(at)
    raw = [t for t in texts if RAW.search(t)]
    assert not raw, raw
    everything = "\n".join(texts)
    for text in expected:
        assert plain(text) in everything, (plain(text), texts)
    return everything


def test_search_shows_titles_ids_and_snippets_as_text(planted: dict[str, Any]) -> None:
    at = AppTest.from_function(page_as, args=("ravi", "search"), default_timeout=30).run()
    at.text_input[0].input("warehouse exceptions")  # highlighted words are bold on purpose
    at.button[0].click().run()
    debrief = planted["debrief"]
    # where it came from (the record's own id, redacted) as text; no internal id is shown
    everything = assert_plain(at, debrief.title, debrief.source_label)
    assert "zqbolddx" in everything  # the snippet, escaped
    assert plain(debrief.source_id) not in everything and debrief.document_id not in everything


def test_curate_promote_list_editor_and_history_are_text(planted: dict[str, Any]) -> None:
    at = AppTest.from_function(page_as, args=("cora", "curate"), default_timeout=30).run()
    debrief = planted["debrief"]
    assert_plain(at, debrief.title, planted["entry"].content.title)
    labels = [cb.label for cb in at.checkbox]
    assert any(label.startswith(plain(debrief.title)) for label in labels), labels
    at.button(key=f"open:list:{planted['entry'].entry_id}").click().run()
    everything = assert_plain(at, planted["entry"].content.title)
    assert "↳ from “" + plain(debrief.title) + "”" in everything  # where each sentence came from


def test_rotation_and_handoff_show_places_titles_and_sections_as_text(
    planted: dict[str, Any],
) -> None:
    debrief, entry = planted["debrief"], planted["entry"]
    # Read by someone else: ravi's own debrief is never "advice from the people before you".
    at = AppTest.from_function(page_as, args=("ada", "rotation"), default_timeout=30).run()
    at.text_input[0].input(debrief.debrief.function)
    at.button[0].click().run()
    everything = assert_plain(at, debrief.title)
    assert "zqbolddv" in everything  # the advice, escaped
    at = AppTest.from_function(page_as, args=("ravi", "handoff"), default_timeout=30).run()
    at.text_input[1].input(debrief.debrief.market)
    at.button(key="FormSubmitter:handoff-Build the pack").click().run()
    everything = assert_plain(at, entry.content.title, debrief.title, debrief.debrief.market)
    for section in SECTIONS:
        assert plain(entry.content.sections[section], lines=True) in everything


def test_reflect_history_moderation_home_and_ask_show_titles_as_text(
    planted: dict[str, Any],
) -> None:
    journal, debrief = planted["journal"], planted["debrief"]
    at = AppTest.from_function(page_as, args=("ada", "reflect"), default_timeout=30).run()
    assert_plain(at, journal.title)
    at = AppTest.from_function(page_as, args=("ada", "home"), default_timeout=30).run()
    assert_plain(at, journal.title)
    at = AppTest.from_function(page_as, args=("cora", "moderate"), default_timeout=30).run()
    assert_plain(at, journal.title)
    at = AppTest.from_function(page_as, args=("ravi", "ask"), default_timeout=30).run()
    at.text_input[0].input("Lessons: count the warehouse exceptions")
    at.button[0].click().run()
    everything = assert_plain(at)
    assert plain(debrief.title) in everything or plain(planted["entry"].content.title) in (
        everything
    )


def test_the_sweep_of_labels_would_see_a_raw_title(planted: dict[str, Any]) -> None:
    # The checks above look where the payload is: a page that showed a title raw fails them.
    assert RAW.search(planted["debrief"].title)
    assert not RAW.search(plain(planted["debrief"].title))
