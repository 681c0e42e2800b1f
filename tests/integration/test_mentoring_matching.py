"""Matching with the real sentence-embedding model: a mentee's objective finds the mentor
whose expertise means the same thing even when they share no words, and the reasons quote
the objective it fits."""

from __future__ import annotations

from typing import Any

import pytest

from ingest.embed import SentenceTransformerEmbedder
from playbook.models import Role
from playbook.wiring import Container

pytestmark = pytest.mark.integration

PROFILES = (
    "username,role,expertise,capacity,seniority,objectives\n"
    "deal,mentor,commercial deal-making and pricing for supermarket chains,2,8,\n"
    "cloud,mentor,cloud infrastructure and running software engineering teams,2,8,\n"
    "care,mentor,employee wellbeing and HR policy,2,8,\n"
    "mia,mentee,,,4,Get better at negotiating prices with large retail customers\n"
    "noa,mentee,,,4,Modernise our data platform and move it off our own servers\n"
)


@pytest.fixture
def c(fake_container: Container, st_model: Any) -> Container:
    fake_container.override(embedder=SentenceTransformerEmbedder(st_model))
    fake_container.records.add_user("cora", roles=[Role.COORDINATOR])
    for name in ("deal", "cloud", "care", "mia", "noa"):
        fake_container.records.add_user(name, roles=[Role.LEADER])
    cora = fake_container.records.principal("cora")
    assert fake_container.mentoring.import_profiles(cora, "default", PROFILES.encode()).saved == 5
    return fake_container


@pytest.mark.parametrize(("mentee", "best"), [("mia", "deal"), ("noa", "cloud")])
def test_the_objective_finds_the_expertise_that_means_it(
    c: Container, mentee: str, best: str
) -> None:
    report = c.mentoring.suggest(c.records.principal("cora"), "default", mentee)
    ranked = [report.names[s.mentor_id] for s in report.suggestions]
    assert ranked[0] == best, [
        (report.names[s.mentor_id], s.similarity) for s in report.suggestions
    ]
    top, runner_up = report.suggestions[0], report.suggestions[1]
    # A clear margin, not a coin toss: the model separates meaning, not shared words.
    assert top.similarity - runner_up.similarity > 0.1
    assert top.reasons[0].startswith("expertise fits the objective “")
