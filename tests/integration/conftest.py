"""Real parts: Presidio with the installed spaCy model, the real embedding model, Chroma
embedded and as a `chroma run` server on a loopback port."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from playbook.settings import Settings
from playbook.wiring import Container, sentence_model, spacy_pipeline


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Chroma server on a free loopback port, stopped after the session."""
    exe = shutil.which("chroma") or str(Path(__import__("sys").executable).parent / "chroma")
    port = _free_port()
    path = tmp_path_factory.mktemp("chroma-server")
    log = (path / "server.log").open("w")
    proc = subprocess.Popen(
        [exe, "run", "--path", str(path / "db"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    import chromadb

    while True:
        try:
            chromadb.HttpClient(host="127.0.0.1", port=port).heartbeat()
            break
        except Exception:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(
                    f"chroma run did not start: {(path / 'server.log').read_text()}"
                ) from None
            time.sleep(0.3)
    yield url
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


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
