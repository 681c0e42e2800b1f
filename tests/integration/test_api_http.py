"""The HTTP API as deployed: `playbook serve` as real processes on loopback ports, driven
with httpx, on one store and one Chroma server.

One replica: a token made with `playbook tokens create`, a journal entry written, found,
asked about, shared and withdrawn; 401, 403 and 429 answered as JSON. Two replicas on the
same store (SQLite, then PostgreSQL): concurrent writes, share decisions, withdrawals and
reads through both, where every reader sees only what the store allows, each author finds
every one of their writes through either replica, and one token's request limit is counted
once across both.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port, stop, wait_until

pytestmark = pytest.mark.integration

LIMIT = 300  # API requests per token per minute in these servers (polling counts too)
TIMEOUT = httpx.Timeout(180.0)  # the first write loads the redaction and embedding models


@pytest.fixture
def env(data_dir: Path, chroma_server: str, request: pytest.FixtureRequest) -> dict[str, str]:
    """The servers' environment: one data directory, one Chroma server with a collection of
    this test's own, and the store: SQLite in the data directory (with the FTS5 keyword
    file), or, with the parameter "postgresql", a PostgreSQL database of the test's own
    (``tests/pg.py``; the keyword index is then its full-text tables)."""
    store = {}
    if getattr(request, "param", "sqlite") == "postgresql":
        store = {"PLAYBOOK_DATABASE_URL": request.getfixturevalue("pg_database")}
    return {
        **os.environ,
        **store,
        "PLAYBOOK_DATA_DIR": str(data_dir),
        "PLAYBOOK_SECRET_KEY": "api-integration-secret",
        "PLAYBOOK_CHROMA_URL": chroma_server,
        "PLAYBOOK_CHROMA_COLLECTION": f"api_{uuid.uuid4().hex[:12]}",
        "PLAYBOOK_API_REQUESTS_PER_MINUTE": str(LIMIT),
    }


def playbook(env: dict[str, str], *args: str) -> str:
    """Run a `playbook` command; its standard output."""
    done = subprocess.run(
        [sys.executable, "-m", "playbook.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def new_token(env: dict[str, str], user: str, *scopes: str) -> dict[str, str]:
    """The Authorization header of a token made with the command line."""
    options = [x for s in scopes or ("read",) for x in ("--scope", s)]
    name = f"it-{uuid.uuid4().hex[:8]}"
    secret = playbook(env, "tokens", "create", "--as", user, "--name", name, *options).strip()
    return {"Authorization": f"Bearer {secret.splitlines()[-1]}"}


@pytest.fixture
def people(env: dict[str, str]) -> dict[str, str]:
    """ada and ravi (leader, participant) and cora (coordinator), added before any server
    starts, so the store and the key file exist before two processes open them."""
    for user, role in (("ada", "leader"), ("ravi", "participant"), ("cora", "coordinator")):
        playbook(env, "users", "add", user, "--role", role)
    return env


@contextmanager
def serving(env: dict[str, str], replicas: int, tmp: Path) -> Iterator[list[httpx.Client]]:
    """``replicas`` `playbook serve` processes on one store; an httpx client for each."""
    procs: list[subprocess.Popen[bytes]] = []
    clients: list[httpx.Client] = []
    try:
        for i in range(replicas):
            port = free_port()
            log = tmp / f"serve-{i}.log"
            with log.open("w") as out:
                proc = subprocess.Popen(
                    [sys.executable, "-m", "playbook.cli", "serve", "--port", str(port)],
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            procs.append(proc)
            client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=TIMEOUT)
            clients.append(client)

            def healthy(c: httpx.Client = client) -> bool:
                return c.get("/health").status_code == 200

            wait_until(healthy, proc, log, "playbook serve")
        yield clients
    finally:
        for client in clients:
            client.close()
        for proc in procs:
            stop(proc)


def eventually(check: Callable[[], bool], what: str, seconds: float = 120) -> None:
    """Wait for ``check``: a save answers once the text is redacted and stored, and is
    indexed (searchable) on the server's background thread a moment later."""
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {seconds:.0f} s: {what}")
        time.sleep(0.25)


def ids(response: httpx.Response) -> set[str]:
    assert response.status_code == 200, response.text
    return {r["document_id"] for r in response.json()["results"]}


def test_one_replica_end_to_end(people: dict[str, str], tmp_path: Path) -> None:
    env = people
    ada = new_token(env, "ada", "read", "write")
    with serving(env, 1, tmp_path) as [api]:
        text = "Pelican budget review: Priya Raman argued the pelican forecast was optimistic."
        written = api.post("/journal", json={"text": text}, headers=ada)
        assert written.status_code == 201, written.text
        doc = written.json()["document_id"]

        def search() -> httpx.Response:
            return api.get("/search", params={"q": "pelican forecast"}, headers=ada)

        eventually(lambda: doc in ids(search()), "the entry is searchable")
        found = search()
        assert "Priya Raman" not in found.text  # only redacted text comes back

        answer = api.post(
            "/ask", json={"question": "what about the pelican forecast?"}, headers=ada
        )
        assert answer.status_code == 200, answer.text
        assert doc in [s["document_id"] for s in answer.json()["sources"]]
        assert "Priya Raman" not in answer.text

        assert api.post(f"/documents/{doc}/share", headers=ada).status_code == 200
        withdrawn = api.post(f"/documents/{doc}/withdraw", headers=ada)
        assert withdrawn.status_code == 200 and withdrawn.json()["visibility"] == "private"

        # 401: no token, an unknown one; 403: a read token writing, another's document.
        for headers in ({}, {"Authorization": "Bearer plb_not-a-real-token"}):
            refused = api.get("/search", params={"q": "pelican"}, headers=headers)
            assert refused.status_code == 401 and "error" in refused.json()
        reader = new_token(env, "ravi", "read")
        assert api.post("/journal", json={"text": "hello"}, headers=reader).status_code == 403
        ravi_writer = new_token(env, "ravi", "write")
        theirs = api.post(f"/documents/{doc}/withdraw", headers=ravi_writer)
        assert theirs.status_code == 403 and theirs.json()["error"]
        # ravi never finds ada's private entry.
        assert doc not in ids(api.get("/search", params={"q": "pelican forecast"}, headers=reader))
        assert api.get("/nowhere").json() == {"error": "There is no such route or item"}

        # 429 with Retry-After once the token has made its requests for the minute.
        limited = new_token(env, "ravi", "read")
        codes = [api.get("/entries", headers=limited).status_code for _ in range(LIMIT + 1)]
        assert codes == [200] * LIMIT + [429]
        last = api.get("/entries", headers=limited)
        assert last.status_code == 429 and 1 <= int(last.headers["retry-after"]) <= 60


@pytest.mark.parametrize("env", ["sqlite", "postgresql"], indirect=True)
def test_two_replicas_share_the_store_the_index_and_the_limits(
    people: dict[str, str], tmp_path: Path
) -> None:
    env = people
    tokens = {u: new_token(env, u, "read", "write") for u in ("ada", "ravi", "cora")}
    with serving(env, 2, tmp_path) as replicas:
        # Concurrent writes through both replicas: every write gets its own document.
        jobs = [(u, i) for u in ("ada", "ravi") for i in range(6)]

        def write(job: tuple[str, int]) -> tuple[str, int, str]:
            user, i = job
            api = replicas[i % 2]
            marker = f"{user}marker{i}qz"
            r = api.post(
                "/journal",
                json={"text": f"Reflection {marker}: what the {marker} review taught me."},
                headers=tokens[user],
            )
            assert r.status_code == 201, r.text
            return user, i, r.json()["document_id"]

        with ThreadPoolExecutor(6) as pool:
            written = list(pool.map(write, jobs))
        docs = {(u, i): d for u, i, d in written}
        assert len(set(docs.values())) == len(jobs)  # no write lost or merged

        def search(api: httpx.Client, user: str, q: str) -> set[str]:
            return ids(api.get("/search", params={"q": q, "k": 50}, headers=tokens[user]))

        # Each author finds every one of their writes through either replica; the other
        # author finds none of them (private).
        for (user, i), doc in docs.items():
            other = "ravi" if user == "ada" else "ada"
            eventually(
                lambda: doc in search(replicas[0], user, f"{user}marker{i}qz"),  # noqa: B023
                f"{user}'s entry {i} is searchable",
            )
            for api in replicas:
                assert doc in search(api, user, f"{user}marker{i}qz")
                assert doc not in search(api, other, f"{user}marker{i}qz")

        # ada asks to share three; cora approves through one replica, ravi then finds them.
        shared = [docs[("ada", i)] for i in range(3)]
        for n, doc in enumerate(shared):
            assert (
                replicas[n % 2].post(f"/documents/{doc}/share", headers=tokens["ada"]).status_code
                == 200
            )
        for doc in shared:
            r = replicas[0].post(
                f"/moderation/{doc}", json={"approve": True}, headers=tokens["cora"]
            )
            assert r.status_code == 200, r.text
        for api in replicas:
            for i, doc in enumerate(shared):
                assert doc in search(api, "ravi", f"adamarker{i}qz")

        # Withdrawals through replica 1 while ravi reads through both: a read never shows
        # anything that was not shared, and after the withdrawals only the third remains.
        allowed_ever = set(shared) | {docs[("ravi", i)] for i in range(6)}
        private_ada = {docs[("ada", i)] for i in range(3, 6)}

        def withdraw(doc: str) -> int:
            return replicas[1].post(f"/documents/{doc}/withdraw", headers=tokens["ada"]).status_code

        def read(n: int) -> set[str]:
            return search(replicas[n % 2], "ravi", "adamarker0qz adamarker1qz adamarker2qz review")

        with ThreadPoolExecutor(4) as pool:
            withdrawals = pool.map(withdraw, shared[:2])
            seen = list(pool.map(read, range(8)))
            assert list(withdrawals) == [200, 200]
        for got in seen:
            assert not got & private_ada
            assert got & {d for d in docs.values()} <= allowed_ever
        for api in replicas:
            assert not search(api, "ravi", "adamarker0qz") & set(shared[:2])
            assert not search(api, "ravi", "adamarker1qz") & set(shared[:2])
            assert shared[2] in search(api, "ravi", "adamarker2qz")
            for doc in shared[:2]:  # the author still has them, private
                assert doc in search(api, "ada", "adamarker0qz adamarker1qz")

        # One token's limit is counted across both replicas: LIMIT requests split over
        # them pass, the next one is refused by either.
        limited = new_token(env, "ravi", "read")
        codes = [replicas[n % 2].get("/entries", headers=limited).status_code for n in range(LIMIT)]
        assert codes == [200] * LIMIT
        for api in replicas:
            refused = api.get("/entries", headers=limited)
            assert refused.status_code == 429 and refused.headers["retry-after"]
