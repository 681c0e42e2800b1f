"""Handoff packs and the showcase: the right entries and debriefs, grouped; Markdown and a
printable PDF (its pages rendered to PNG and read back); only redacted text."""

from __future__ import annotations

import datetime as dt
import io

import pypdfium2 as pdfium
import pytest

from playbook.demo import seed_demo
from playbook.models import EntryContent
from playbook.permissions import NotAllowedError
from playbook.services.handoff import handoff_pack, showcase, to_markdown, to_pdf
from playbook.wiring import Container


@pytest.fixture
def c(fake_container: Container) -> Container:
    seed_demo(fake_container)
    cora = fake_container.records.principal("cora")
    programme = next(iter(cora.programme_ids))
    cur = fake_container.curation
    cur.today = lambda: dt.date(2026, 10, 1)
    for title, market, competency, context in [
        (
            "Ask for the cost of exceptions",
            "Singapore",
            "Commercial judgement",
            "Tony ranked distributors by volume. What would profit after returns show?",
        ),
        (
            "Count hospital relationships before cutting",
            "Singapore",
            "Stakeholders",
            "Two small distributors anchor hospital buyers.",
        ),
        (
            "Launch with fewer variants for carnival",
            "Brazil",
            "Commercial judgement",
            "The retail calendar set the date.",
        ),
    ]:
        e = cur.create(
            cora,
            programme,
            EntryContent(
                title=title,
                sections={"context": context, "lesson": f"Lesson: {title.lower()}."},
                market=market,
                competency=competency,
            ),
        )
        e = cur.act(cora, e.entry_id, e.version, "submit")
        cur.act(cora, e.entry_id, e.version, "publish")
    return fake_container


def _pack(c: Container, **kw: str):  # type: ignore[no-untyped-def]
    return handoff_pack(
        c.curation.entries, c.records, c.records.principal("ravi"), today=dt.date(2026, 10, 2), **kw
    )


def test_a_market_pack_groups_entries_and_adds_debriefs_and_questions(c: Container) -> None:
    pack = _pack(c, market="singapore")
    assert [theme for theme, _ in pack.groups] == ["Commercial judgement", "Stakeholders"]
    titles = [e.content.title for _, items in pack.groups for e in items]
    assert titles == [
        "Ask for the cost of exceptions",
        "Count hospital relationships before cutting",
    ]
    assert [d.title for d in pack.debriefs] == ["Rotation debrief: Supply chain, Singapore"]
    assert any(q.startswith("What would profit after returns show") for q, _ in pack.open_questions)
    md = to_markdown(pack)
    assert md.startswith("# Handoff pack: singapore")
    assert "## Rotation debriefs" in md and "## Open questions" in md
    assert "Launch with fewer variants" not in md
    assert "Tony" not in md and "[PERSON-" in md


def test_the_pdf_renders_and_holds_the_pack(c: Container) -> None:
    pack = _pack(c, market="Singapore")
    data = to_pdf(pack)
    doc = pdfium.PdfDocument(io.BytesIO(data))
    assert len(doc) >= 1
    text = ""
    for i in range(len(doc)):
        page = doc[i]
        image = page.render(scale=1.5).to_pil()
        png = io.BytesIO()
        image.save(png, format="PNG")
        assert png.getvalue()[:8] == b"\x89PNG\r\n\x1a\n"
        grey = image.convert("L")
        dark = sum(grey.histogram()[:128])
        assert dark > 0.002 * grey.width * grey.height  # ink on the page, not a blank sheet
        text += page.get_textpage().get_text_range()
    flat = " ".join(text.split())
    for expected in (
        "Handoff pack: Singapore",
        "Ask for the cost of exceptions",
        "Rotation debriefs",
        "Open questions",
    ):
        assert expected in flat
    assert "Tony" not in flat


def test_a_pack_needs_a_place_or_track(c: Container) -> None:
    with pytest.raises(ValueError, match="name a function, a market or a track"):
        _pack(c)


def test_showcase_counts_a_period(c: Container) -> None:
    cora = c.records.principal("cora")
    today = dt.date.today()
    pack = showcase(c.curation.entries, c.records, cora, today - dt.timedelta(days=1), today)
    assert pack.counts["theme: Commercial judgement"] == 2
    assert sum(v for k, v in pack.counts.items() if k.startswith("programme: ")) == 3
    md = to_markdown(pack)
    assert "## In numbers" in md and "Launch with fewer variants for carnival" in md
    assert len(pdfium.PdfDocument(io.BytesIO(to_pdf(pack)))) >= 1
    empty = showcase(c.curation.entries, c.records, cora, dt.date(2020, 1, 1), dt.date(2020, 3, 31))
    assert empty.groups == () and "0 entries" in empty.subtitle
    with pytest.raises(ValueError, match="ends"):
        showcase(c.curation.entries, c.records, cora, today, today - dt.timedelta(days=1))
    with pytest.raises(NotAllowedError, match="coordinator role"):
        showcase(c.curation.entries, c.records, c.records.principal("ravi"), today, today)


def _handoff_as(user: str) -> None:
    import streamlit as st

    from playbook.ui import handoff

    st.session_state["username"] = user
    handoff.page()


def test_the_handoff_page_builds_and_offers_downloads(
    c: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    from playbook.ui import common

    monkeypatch.setattr(common, "get_container", lambda: c)
    at = AppTest.from_function(_handoff_as, args=("ravi",), default_timeout=30).run()
    assert not at.exception and not at.date_input  # no showcase for a participant
    at.button(key="FormSubmitter:handoff-Build the pack").click().run()
    assert "Name a function, a market or a track" in at.warning[0].value
    at.text_input[1].input("Singapore")
    at.button(key="FormSubmitter:handoff-Build the pack").click().run()
    assert not at.exception
    assert [e.label for e in at.expander][:2] == [
        "Ask for the cost of exceptions",
        "Count hospital relationships before cutting",
    ]
    assert len(at.get("download_button")) == 2
    cora = AppTest.from_function(_handoff_as, args=("cora",), default_timeout=30).run()
    cora.button(key="FormSubmitter:showcase-Build the showcase").click().run()
    assert not cora.exception
    assert "entries published" in " ".join(x.value for x in cora.caption)
