"""Coverage with the real sentence-embedding model: a shared note covers the goal it is
about even when it uses none of the goal's words, an unrelated note covers nothing, and the
gaps name the goals nothing covers. The threshold is ``matching.MEANING_THRESHOLD``, tuned
by ``eval/coverage.py``."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from ingest.embed import SentenceTransformerEmbedder
from playbook.models import Kind, NewDocument, Visibility
from playbook.services.health.figures import Period
from playbook.store.coverage import SqlCoverage
from playbook.wiring import Container

pytestmark = pytest.mark.integration

WHEN = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
PERIOD = Period(dt.date(2026, 9, 1), dt.date(2026, 11, 30))
NOTES = {
    "ai": (
        "Reverse mentoring with the graduates",
        "Junior colleagues already draft customer replies with generative assistants and "
        "spend their time checking tone and facts. Our policy treats the tools as a risk.",
    ),
    "office": (
        "The new office",
        "The move went smoothly; people like the light and the larger meeting rooms, "
        "though parking is scarce.",
    ),
}


@pytest.fixture
def c(members: Container, st_model: Any) -> Container:
    members.override(embedder=SentenceTransformerEmbedder(st_model))
    ada = members.records.principal("ada")
    pid = next(iter(ada.programme_ids))
    docs = [
        NewDocument(
            ada.user_id,
            pid,
            Kind.SESSION_NOTE,
            Visibility.SHARED,
            title,
            text,
            f"note-{key}",
            created_at=WHEN,
        )
        for key, (title, text) in NOTES.items()
    ]
    members.pipeline.store(docs)
    return members


def test_a_note_covers_the_goal_it_means_without_its_words(c: Container) -> None:
    cora = c.records.principal("cora")
    pid = c.coverage.programme(cora)
    c.coverage.declare(
        cora,
        pid,
        "goal",
        "Build an AI-ready workforce",
        "Help employees adopt AI tools safely and productively",
    )
    c.coverage.declare(
        cora,
        pid,
        "goal",
        "Net zero operations by 2030",
        "Cut carbon emissions from factories, the vehicle fleet and offices",
    )
    report = c.coverage.report(cora, pid, PERIOD)
    rows = {r.declaration.name: r for r in report.rows}
    assert rows["Build an AI-ready workforce"].notes == 1
    assert rows["Net zero operations by 2030"].notes == 0
    assert "Nothing shared or published in the period covers “Net zero operations by 2030”." in (
        report.gaps
    )
    # The note shares no word of the goal: the match is the model's, not a keyword's.
    texts = SqlCoverage(c.records.engine).shared_texts(pid)
    found = c.coverage.matcher.matches([r.declaration for r in report.rows], texts)
    assert [m.reason for m in found] == ["meaning"]


def test_the_demo_shows_the_gaps_it_promises(fake_container: Container, st_model: Any) -> None:
    from playbook.demo import seed_demo

    fake_container.override(embedder=SentenceTransformerEmbedder(st_model))
    fake_container.settings = fake_container.settings.model_copy(update={"demo": True})
    seed_demo(fake_container)
    cora = fake_container.records.principal("cora")
    pid = fake_container.coverage.programme(cora)
    report = fake_container.coverage.report(
        cora, pid, Period(dt.date(2026, 8, 1), dt.date(2026, 11, 30))
    )
    assert "No debrief covers the Nordics market, and no note or playbook entry either." in (
        report.gaps
    )
    assert (
        "Two strategic goals have no playbook entry: “Enter Indonesia profitably” and "
        "“Grow share in Latin America”." in report.gaps
    )
    rows = {r.declaration.name: r for r in report.rows}
    assert rows["Supply chain"].debriefs == 1 and rows["Brazil market"].debriefs == 1
