"""State that several processes of one installation must share lives in the store: two
containers on one SQLite file (each with its own engine and connections, as two replicas
have) share the language-model limit, the API's per-token limit, sign-in throttling,
sessions and tokens."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from playbook.models import Role
from playbook.services.accounts import MAX_FAILURES, SignInError
from playbook.settings import Settings
from playbook.wiring import Container
from tests.fakes import FakeEmbedder, FakeRedactor, InMemoryKeywordIndex, InMemoryVectorIndex

ROOT = Path(__file__).resolve().parents[2]


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


# Run by each process of its own: count N language-model requests for one user after all
# of them are ready (a file says "go"), and print how many passed.
_TAKE = """
import sys, time
from pathlib import Path
from playbook.settings import Settings
from tests.unit.test_shared_state import replica
data_dir, n, go = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
c = replica(Settings(data_dir=Path(data_dir), secret_key="test-secret", llm_requests_per_hour=25))
c.limiter  # built before the start, so the three take at once
while not go.exists():
    time.sleep(0.01)
print(sum(c.limiter.acquire("user-1") is None for _ in range(n)))
"""


def test_processes_taking_at_once_never_pass_more_than_the_limit(
    settings: Settings, tmp_path: Path
) -> None:
    replica(settings).records  # noqa: B018 - create and migrate the store first
    go = tmp_path / "go"
    # Plain subprocesses rather than a multiprocessing pool: a spawned pool re-imports the
    # parent's __main__, which other tests of a full run (Streamlit's AppTest) replace.
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _TAKE, str(settings.data_dir), "15", str(go)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    go.touch()
    passed = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        passed.append(int(out.strip().splitlines()[-1]))
    assert sum(passed) == 25
