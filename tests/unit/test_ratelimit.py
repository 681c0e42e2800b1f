"""Language-model requests are limited per user; at the limit each action says so and falls
back to its model-free way (extractive answer, library questions, extractive draft)."""

from __future__ import annotations

import datetime as dt

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from playbook.models import Role
from playbook.ratelimit import RateLimiter
from playbook.wiring import Container
from tests.conftest import page_as


class Clock:
    def __init__(self) -> None:
        self.t = dt.datetime(2026, 11, 22, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.t


def test_a_sliding_window_per_user() -> None:
    clock = Clock()
    limiter = RateLimiter(2, dt.timedelta(hours=1), now=clock)
    assert limiter.acquire("a") is None and limiter.acquire("a") is None
    assert limiter.acquire("b") is None  # each user has their own allowance
    clock.t += dt.timedelta(minutes=20)
    wait = limiter.acquire("a")
    assert wait == dt.timedelta(minutes=40)
    assert limiter.message(wait) == (
        "you have used your 2 language-model requests for this hour; "
        "the next is available in 40 minutes"
    )
    clock.t += dt.timedelta(minutes=40)
    assert limiter.acquire("a") is None
    with pytest.raises(ValueError, match="at least one"):
        RateLimiter(0)


@pytest.fixture
def c(fake_container: Container) -> Container:
    from playbook.demo import seed_demo

    seed_demo(fake_container)
    fake_container.override(
        limiter=RateLimiter(1),
        chat_model=FakeListChatModel(responses=["From the model [1]."] * 5),
    )
    for name in ("assistant", "reflection", "curation"):
        fake_container.__dict__.pop(name, None)
    return fake_container


def test_ask_answers_extractively_with_a_note_at_the_limit(c: Container) -> None:
    ravi = c.records.principal("ravi")
    first = c.assistant.ask(ravi, "cost of exceptions distributors")
    assert first.mode == "llm" and not first.note
    second = c.assistant.ask(ravi, "cost of exceptions distributors")
    assert second.mode == "extractive" and second.grounded
    assert second.note and "used your 1 language-model requests" in second.note
    # Another user still has their own allowance.
    assert c.assistant.ask(c.records.principal("ada"), "cost of exceptions").mode == "llm"


def test_promote_drafts_extractively_at_the_limit(c: Container) -> None:
    cora = c.records.principal("cora")
    c.records.add_user("cody", roles=[Role.COORDINATOR])
    debrief = c.pipeline.document_id(c.records.principal("ravi").user_id, "demo-d1")
    assert debrief
    c.limiter.acquire(cora.user_id)  # cora's one request this hour is spent
    _entry, mode = c.curation.promote(cora, [debrief])
    assert mode == "extractive"


def test_followups_use_the_library_at_the_limit(c: Container) -> None:
    calls: list[int] = []

    class Counting(FakeListChatModel):
        def _call(self, *args: object, **kwargs: object) -> str:
            calls.append(1)
            return "What would you ask first next time?"

    c.override(chat_model=Counting(responses=["unused"]))
    c.__dict__.pop("reflection", None)
    ada = c.records.principal("ada")
    doc = c.reflection.save_journal(ada, "I decided on the price change with three days of data.")
    assert c.reflection.followups(ada, doc) == ["What would you ask first next time?"]
    assert calls == [1]
    library = c.reflection.followups(ada, doc)  # the hour's one request is spent
    assert calls == [1] and library and all(q.endswith("?") for q in library)


def test_wait_for_looks_without_counting() -> None:
    clock = Clock()
    limiter = RateLimiter(1, dt.timedelta(hours=1), now=clock)
    assert limiter.wait_for("a") is None and limiter.wait_for("a") is None
    assert limiter.acquire("a") is None  # the peeks above used nothing
    clock.t += dt.timedelta(minutes=45)
    assert limiter.wait_for("a") == dt.timedelta(minutes=15)


def test_the_shell_says_why_a_draft_is_extractive(
    c: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    from typer.testing import CliRunner

    from playbook import cli

    monkeypatch.setattr(cli, "container", lambda: c)
    debrief = c.pipeline.document_id(c.records.principal("ravi").user_id, "demo-d1")
    assert debrief
    c.limiter.acquire(c.records.principal("cora").user_id)
    result = CliRunner().invoke(cli.app, ["entries", "promote", debrief, "--as", "cora"])
    assert result.exit_code == 0 and "(extractive)" in result.output
    assert "You have used your 1 language-model requests for this hour" in result.output


def test_the_reflect_page_says_why_questions_come_from_the_library(
    c: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    from playbook.ui import common

    monkeypatch.setattr(common, "get_container", lambda: c)
    c.limiter.acquire(c.records.principal("ada").user_id)
    at = AppTest.from_function(page_as, args=("ada", "reflect"), default_timeout=30).run()
    at.text_area(key="journal:text").input("I chose the distributor with three days of data.")
    [save] = [b for b in at.button if b.label == "Save entry"]
    save.click().run()
    assert not at.exception
    captions = [cap.value for cap in at.caption]
    assert any("these come from the prompt library" in cap for cap in captions), captions
