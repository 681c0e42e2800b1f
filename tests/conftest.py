"""Shared fixtures: every test gets its own data directory; nothing reaches the network."""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from ingest.keyword_index import Fts5KeywordIndex
from playbook.settings import Settings
from playbook.store import SqlRecords, make_engine, migrate
from playbook.wiring import Container
from tests.fakes import FakeEmbedder, FakeRedactor, InMemoryKeywordIndex, InMemoryVectorIndex

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpora" / "leader-action-plans.csv"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the data directory (and everything derived from it) at a temp path."""
    d = tmp_path / "data"
    monkeypatch.setenv("PLAYBOOK_DATA_DIR", str(d))
    for var in ("PLAYBOOK_DATABASE_URL", "PLAYBOOK_CHROMA_URL", "PLAYBOOK_USER", "PLAYBOOK_LLM"):
        monkeypatch.delenv(var, raising=False)
    # Most tests publish as the coordinator who submitted the entry; the separation-of-duties
    # tests (tests/unit/test_curation_review.py, the Curate walk) turn it back on.
    monkeypatch.setenv("PLAYBOOK_CURATION_SEPARATE_DUTIES", "false")
    # An import run in-process would lower the test process's own priority for good.
    monkeypatch.setenv("PLAYBOOK_BATCH_NICE", "0")
    return d


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return Settings(
        data_dir=data_dir, secret_key="test-secret", chunk_tokens=40, chunk_overlap_tokens=10
    )


@pytest.fixture
def records(settings: Settings) -> SqlRecords:
    settings.ensure_data_dir()
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    return SqlRecords(engine)


@pytest.fixture
def fake_container(settings: Settings, records: SqlRecords) -> Iterator[Container]:
    """A container whose models and indexes are fakes, with a real SQLite store."""
    # pipeline, retriever, service, privacy and the keyring are built by the real wiring
    yield Container(
        settings,
        records=records,
        redactor=FakeRedactor(),
        embedder=FakeEmbedder(),
        vectors=InMemoryVectorIndex(),
        keywords=InMemoryKeywordIndex(),
    )


@pytest.fixture
def members(fake_container: Container) -> Container:
    """The fake container with ada (leader), ravi (participant) and cora (coordinator) in
    the default programme."""
    from playbook.models import Role

    r = fake_container.records
    r.add_user("ada", roles=[Role.LEADER])
    r.add_user("ravi", roles=[Role.PARTICIPANT])
    r.add_user("cora", roles=[Role.COORDINATOR])
    return fake_container


@pytest.fixture
def demo(fake_container: Container, monkeypatch: pytest.MonkeyPatch) -> Container:
    """The fake container in demo mode with the demo users and content, behind the UI."""
    from playbook.demo import seed_demo
    from playbook.ui import common

    fake_container.settings = fake_container.settings.model_copy(update={"demo": True})
    seed_demo(fake_container)
    monkeypatch.setattr(common, "get_container", lambda: fake_container)
    return fake_container


@pytest.fixture
def fts(tmp_path: Path) -> Iterator[Fts5KeywordIndex]:
    index = Fts5KeywordIndex(tmp_path / "kw.sqlite3")
    yield index
    index.close()


def page_as(user: str, name: str) -> None:
    """A Streamlit script showing page ``playbook.ui.<name>`` to ``user`` (for
    ``AppTest.from_function(page_as, args=(user, name))``; it imports what it needs, as
    AppTest runs it on its own)."""
    import importlib

    import streamlit as st

    st.session_state["username"] = user
    importlib.import_module(f"playbook.ui.{name}").page()


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until(
    ready: Callable[[], bool], proc: subprocess.Popen[bytes], log: Path, what: str
) -> None:
    """Poll ``ready`` until it is true; fail with the server's log if it dies or takes > 90 s."""
    deadline = time.monotonic() + 90
    while True:
        try:
            if ready():
                return
        except Exception:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            raise RuntimeError(f"{what} did not start:\n{log.read_text()}")
        time.sleep(0.3)


def stop(proc: subprocess.Popen[bytes]) -> None:
    """Terminate a server process, killing it if it lingers."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


# The PostgreSQL server fixtures (tests/pg.py), defined once here so that every module that
# uses them shares one server per session (imported last: tests.pg uses the helpers above).
from tests.pg import pg_database, pg_engine, pg_server, pg_url  # noqa: E402

__all__ = ["pg_database", "pg_engine", "pg_server", "pg_url"]
