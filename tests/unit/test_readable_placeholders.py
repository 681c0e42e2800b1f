"""Readable placeholders (issue 22): stored tokens such as ``[PERSON-TX1X5HP8]`` read as short,
stable labels in exports, and "keep this word" never offers e-mails or numbers."""

from __future__ import annotations

import io

import pypdfium2 as pdfium
import pytest

from playbook.pseudonyms import Pseudonymizer, readable_labels, render_readable
from playbook.services.handoff import to_markdown, to_pdf
from playbook.services.privacy import PrivacyError
from playbook.wiring import Container
from tests.unit.test_handoff import _pack
from tests.unit.test_handoff import c as c  # the handoff fixture: entries and a debrief


def test_a_placeholder_reads_as_a_short_stable_label() -> None:
    p = Pseudonymizer(b"k")
    tony, mail = p.placeholder("PERSON", "Tony"), p.placeholder("EMAIL", "t@acme.example")
    text = f"{tony} wrote to {mail}; {tony} agreed."
    out = render_readable(text)
    label = f"Colleague {tony[8:12]}"
    assert out == f"{label} wrote to E-mail {mail[7:11]}; {label} agreed."
    assert render_readable(f"Later: {tony}.") == f"Later: {label}."  # same in every text


def test_labels_that_would_collide_grow_until_they_differ() -> None:
    a, b = "[PERSON-7F3A9QK2]", "[PERSON-7F3AX0B1]"
    labels = readable_labels([a, b, a])
    assert labels == {a: "Colleague 7F3A9Q", b: "Colleague 7F3AX0"}
    assert readable_labels([a]) == {a: "Colleague 7F3A"}


def test_text_without_placeholders_is_unchanged() -> None:
    assert render_readable("Price is only one lever [PERSON-x].") == (
        "Price is only one lever [PERSON-x]."
    )


def test_keep_this_word_offers_names_only(c: Container) -> None:
    ada = c.records.principal("ada").user_id
    draft = "Tony called +44 20 7946 0958 and wrote to priya@example.com; Tony agreed."
    preview = c.privacy.preview(ada, draft)
    offered = [draft[s.start : s.end] for s in c.privacy.keep_candidates(preview, draft)]
    assert offered == ["Tony"]
    for term in ("priya@example.com", "+44 20 7946 0958", "EMP-004521"):
        with pytest.raises(PrivacyError, match="always redacted"):
            c.privacy.restore(ada, term, draft)
    assert c.privacy.terms(ada) == []


def test_handoff_exports_read_labels_and_keep_the_stored_tokens(c: Container) -> None:
    pack = _pack(c, market="singapore")
    md = to_markdown(pack)
    body, _, legend = md.partition("## Placeholders")
    assert "Colleague " in body and "[PERSON-" not in body
    assert "[PERSON-" in legend and "Tony" not in md
    doc = pdfium.PdfDocument(io.BytesIO(to_pdf(pack)))
    text = "".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    assert "Colleague " in text
