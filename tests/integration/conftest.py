"""Real parts: Presidio with the installed spaCy model, the real embedding model, Chroma
embedded and as a `chroma run` server on a loopback port."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from playbook.settings import Settings
from playbook.wiring import Container, sentence_model, spacy_pipeline
from tests.conftest import free_port, stop, wait_until


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Chroma server on a free loopback port, stopped after the session."""
    import chromadb

    exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log_path = path / "server.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [exe, "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        wait_until(
            lambda: bool(chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()),
            proc,
            log_path,
            "chroma run",
        )
        yield f"http://127.0.0.1:{port}"
        stop(proc)


@pytest.fixture(scope="session")
def nlp() -> Any:
    return spacy_pipeline(Settings().spacy_model)


@pytest.fixture(scope="session")
def st_model() -> Any:
    return sentence_model(Settings().embedding_model)


@pytest.fixture
def real_container(data_dir: Path, nlp: Any, st_model: Any) -> Container:
    """Everything real, on embedded Chroma and SQLite in the test's data directory."""
    return Container(Settings(data_dir=data_dir, secret_key="integration-secret"))
