"""State that several processes of one installation must share lives in the store: two
containers on one SQLite file (each with its own engine and connections, as two replicas
have) share the language-model limit, the API's per-token limit, sign-in throttling,
sessions and tokens."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from playbook.models import Role
from playbook.services.accounts import MAX_FAILURES, SignInError
from playbook.settings import Settings
from playbook.wiring import Container
from tests.fakes import FakeEmbedder, FakeRedactor, InMemoryKeywordIndex, InMemoryVectorIndex


def replica(settings: Settings) -> Container:
    """A container of its own over the settings' store (its own engine)."""
    return Container(
        settings,
        redactor=FakeRedactor(),
        embedder=FakeEmbedder(),
        vectors=InMemoryVectorIndex(),
        keywords=InMemoryKeywordIndex(),
    )


@pytest.fixture
def pair(settings: Settings) -> tuple[Container, Container]:
    settings = settings.model_copy(update={"llm_requests_per_hour": 3})
    a = replica(settings)
    a.records.add_user("ada", roles=[Role.LEADER])
    return a, replica(settings)


def test_the_language_model_limit_is_counted_once(pair: tuple[Container, Container]) -> None:
    a, b = pair
    ada = a.administration.principal("ada").user_id
    assert a.limiter.acquire(ada) is None and b.limiter.acquire(ada) is None
    assert a.limiter.acquire(ada) is None
    assert b.limiter.acquire(ada) is not None and a.limiter.wait_for(ada) is not None
    assert b.limiter.acquire("someone-else") is None


def test_sign_in_throttling_is_counted_once(pair: tuple[Container, Container]) -> None:
    a, b = pair
    a.accounts.set_password("ada", "a long enough passphrase")
    for n in range(MAX_FAILURES):
        with pytest.raises(SignInError):
            (a if n % 2 else b).accounts.sign_in("ada", "wrong password!!")
    # The right password is refused by either process now: the failures are shared.
    for c in (a, b):
        with pytest.raises(SignInError, match="too many failed attempts"):
            c.accounts.sign_in("ada", "a long enough passphrase")


def test_sessions_and_tokens_end_everywhere(pair: tuple[Container, Container]) -> None:
    a, b = pair
    session = a.sessions.start("ada")
    assert b.sessions.user(session) == "ada"
    b.sessions.end(session)
    assert a.sessions.user(session) is None
    _, secret = a.tokens.create("ada", "bot", ["read"])
    assert b.tokens.authenticate(secret, "read").username == "ada"
    b.tokens.revoke("ada", "bot")
    from playbook.services.tokens import TokenError

    with pytest.raises(TokenError):
        a.tokens.authenticate(secret, "read")


def _take(args: tuple[str, int]) -> int:
    """In a process of its own: count ``n`` LLM requests for one user; how many passed."""
    data_dir, n = args
    c = replica(
        Settings(data_dir=Path(data_dir), secret_key="test-secret", llm_requests_per_hour=25)
    )
    return sum(c.limiter.acquire("user-1") is None for _ in range(n))


def test_processes_taking_at_once_never_pass_more_than_the_limit(settings: Settings) -> None:
    replica(settings).records  # noqa: B018 - create and migrate the store first
    with multiprocessing.get_context("spawn").Pool(3) as pool:
        passed = pool.map(_take, [(str(settings.data_dir), 15)] * 3)
    assert sum(passed) == 25
