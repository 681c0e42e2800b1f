"""Planted-name leak tests over surveys and themes (issue 21, item 6b), on the demo: names the
redactor knows, planted in open survey answers, in a declared goal's name and description,
in a free attribute value and in a shared debrief that covers the goal; and a name it does
not know, planted in private journals. None of them reaches the health pages as their
readers see them (every element of the page, as AppTest holds it), the report's JSON, CSV
and PDF, or the API's answers."""

from __future__ import annotations

import dataclasses
import io
import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from streamlit.testing.v1 import AppTest

from playbook.api import create_app
from playbook.demo import PROGRAMME
from playbook.models import Kind, Visibility
from playbook.ports.inclusion import AttributeSpec
from playbook.ports.surveys import Question, QuestionKind
from playbook.services.health.export import as_dict, to_csv, to_pdf
from playbook.wiring import Container
from tests.conftest import page_as
from tests.contracts.stores import doc

# Names the fake redactor finds (as Presidio finds real ones): stored only as placeholders.
KNOWN = ("Priya", "Marcus", "Tony")
# A name and words no redactor knows, in private journals only: health never reads them.
PRIVATE = ("Zorbelline", "QUILLSECRET")
PAGES = ("health", "surveys", "coverage", "signals")


@pytest.fixture
def planted(demo: Container) -> Container:
    c = demo
    cora = c.records.principal("cora")
    pid = c.records.programme_id(PROGRAMME)
    c.coverage.declare(
        cora, pid, "goal", "Nordics growth with Priya", "Marcus leads the Nordics market entry"
    )
    series = c.surveys.create(
        cora,
        pid,
        "Check-in",
        (
            Question(QuestionKind.SCALE, "How was it?", "Bad", "Good"),
            Question(QuestionKind.OPEN, "What would you change?"),
        ),
    )
    opened = c.surveys.publish(cora, series.series_id)
    # A free-choice attribute beside the demo's, so a typed value can carry a name.
    asked = [*c.inclusion.attributes(cora, pid), AttributeSpec("hometown", "Home town")]
    c.inclusion.configure(cora, pid, asked)
    for i, name in enumerate(("ada", "ravi", "sam", "sofia", "cora", "maya")):
        who = c.records.principal(name)
        c.surveys.answer(who, opened.round_id, {1: i % 5 + 1, 2: f"Ask Tony and Marcus {i}"})
        c.inclusion.declare(who, pid, {"hometown": "Oslo" if i % 2 else "Priya's town"}, True)
    # A shared debrief that covers the goal, naming Priya and Marcus (stored redacted, as
    # the pipeline stores it); and private journals with a name nobody redacts.
    ravi = c.records.principal("ravi").user_id
    [told] = c.redactor.redact_batch(
        ["Priya and Marcus ran the Nordics growth pilot with our distributors."]
    )
    shared = doc(ravi, pid, "nordics", told.text, Visibility.SHARED, Kind.DEBRIEF)
    c.records.save([shared])
    for name in ("ada", "ravi", "maya"):
        owner = c.records.principal(name).user_id
        prepared = doc(owner, pid, f"secret-{name}", f"{PRIVATE[0]} said {PRIVATE[1]}")
        new = dataclasses.replace(prepared.doc, title=f"{PRIVATE[0]} diary")
        c.records.save([dataclasses.replace(prepared, doc=new)])
    return c


def _texts(node: Any) -> Iterator[str]:
    """Every piece of text an AppTest tree holds: each element's protobuf, all fields."""
    proto = getattr(node, "proto", None)
    if proto is not None:
        yield str(proto)
    children = getattr(node, "children", {})
    for child in children.values() if isinstance(children, dict) else children:
        yield from _texts(child)


def _assert_clean(where: str, text: str) -> None:
    for name in (*KNOWN, *PRIVATE):
        assert name not in text, (where, name)


@pytest.mark.parametrize("user", ["cora", "sofia"])
def test_no_planted_name_reaches_a_health_page(planted: Container, user: str) -> None:
    for name in PAGES:
        at = AppTest.from_function(page_as, args=(user, name), default_timeout=60).run()
        assert not at.exception, (name, at.exception)
        shown = "\n".join(_texts(at._tree))
        if name in ("health", "coverage"):  # the declared goal is there, redacted
            assert "Nordics growth with" in shown, name
        _assert_clean(f"{name} page as {user}", shown)


def test_the_surveys_page_shows_open_answers_redacted(planted: Container) -> None:
    cora = planted.records.principal("cora")
    [ours] = [
        ov.series.series_id
        for ov in planted.surveys.surveys_of(cora, planted.surveys.programme(cora))
        if ov.series.title == "Check-in"
    ]
    at = AppTest.from_function(page_as, args=("cora", "surveys"), default_timeout=60).run()
    at = at.button(key=f"show:{ours}").click().run()
    assert not at.exception
    shown = "\n".join(_texts(at._tree))
    # The open answers are there, their names as placeholders.
    assert len(re.findall(r"Ask \S*PERSON\S* and \S*PERSON", shown)) == 5
    _assert_clean("surveys page with results", shown)


def test_no_planted_name_reaches_an_export_or_the_api(planted: Container) -> None:
    c = planted
    for user in ("cora", "sofia"):
        who = c.records.principal(user)
        pid = c.health.programme(who)
        report = c.health.report(who, pid, c.health.period("last-90-days"), "test")
        goals = [s for s in report.sections if s.key == "coverage"]
        assert "Nordics growth with" in json.dumps(as_dict(report), ensure_ascii=False)
        assert goals and not any("could not" in n for s in goals for n in s.notes)
        _assert_clean("json", json.dumps(as_dict(report), ensure_ascii=False))
        _assert_clean("csv", to_csv(report))
        pdf = PdfReader(io.BytesIO(to_pdf(report)))
        _assert_clean("pdf", " ".join(p.extract_text() for p in pdf.pages))
    with TestClient(create_app(c)) as client:
        for user in ("cora", "sofia"):
            _, token = c.tokens.create(user, "leaks", ("read",))
            for fmt in ("json", "csv"):
                r = client.get(
                    f"/programmes/{PROGRAMME}/health",
                    params={"format": fmt},
                    headers={"Authorization": f"Bearer {token}"},
                )
                assert r.status_code == 200, r.text
                _assert_clean(f"api {fmt} {user}", r.text)
