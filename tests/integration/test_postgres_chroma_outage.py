"""A Chroma server that goes down mid-run, on a PostgreSQL store: what is written while it
is down is stored (the store is the truth), the reader gets a clear sentence rather than a
traceback, and once the server is back the pending documents are indexed and found."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from playbook.models import Role
from playbook.services.documents import ImportOptions
from playbook.settings import Settings
from playbook.wiring import Container
from tests.conftest import free_port, stop, wait_until
from tests.fakes import FakeEmbedder, FakeRedactor

pytestmark = [pytest.mark.integration, pytest.mark.slow]


class ChromaProcess:
    """A ``chroma run`` server of this test's own, which the test stops and starts again on
    the same port and files."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        import chromadb

        exe = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
        log = self.root / "server.log"
        with log.open("ab") as out:
            self.proc = subprocess.Popen(
                [
                    exe,
                    "run",
                    "--path",
                    str(self.root / "db"),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.port),
                ],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_until(
            lambda: bool(chromadb.HttpClient(host="127.0.0.1", port=self.port).heartbeat()),
            self.proc,
            log,
            "chroma run",
        )

    def stop(self) -> None:
        if self.proc is not None:
            stop(self.proc)
            self.proc = None


@pytest.fixture
def chroma(tmp_path: Path) -> Iterator[ChromaProcess]:
    server = ChromaProcess(tmp_path / "chroma-own")
    server.root.mkdir()
    server.start()
    yield server
    server.stop()


def notes(path: Path, *rows: tuple[str, str]) -> Path:
    path.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in rows))
    return path


def container(data_dir: Path, url: str, chroma: ChromaProcess) -> Container:
    settings = Settings(
        data_dir=data_dir, secret_key="outage", database_url=url, chroma_url=chroma.url
    )
    return Container(settings, redactor=FakeRedactor(), embedder=FakeEmbedder())


def test_writes_while_chroma_is_down_are_kept_and_indexed_when_it_returns(
    data_dir: Path, tmp_path: Path, pg_database: str, chroma: ChromaProcess
) -> None:
    c = container(data_dir, pg_database, chroma)
    c.records.add_user("ada", roles=[Role.LEADER])
    first = c.service.import_paths(
        [notes(tmp_path / "a.jsonl", ("a1", "Pricing floor decided before the call."))],
        ImportOptions(as_user="ada"),
    )
    assert first.failed == 0
    assert c.service.search("ada", "pricing floor", k=5)

    chroma.stop()
    # A new process starting meanwhile (the app, or `playbook import`): repair on start
    # does not stop it, and writes are stored, flagged as not indexed.
    down = container(data_dir, pg_database, chroma)
    down.indexing.repair()
    report = down.service.import_paths(
        [notes(tmp_path / "b.jsonl", ("b1", "Mackerel supplier negotiation went well."))],
        ImportOptions(as_user="ada"),
    )
    assert report.failed == 0 and report.total("created") == 1
    assert len(report.index_errors) == 1
    assert "cannot be reached: start it" in report.index_errors[0]
    assert "kept and is indexed once it is back" in report.index_errors[0]
    # Reading says why it cannot, as a sentence; stats too (no raw connection error).
    for attempt in (
        lambda: down.service.search("ada", "mackerel supplier", k=5),
        down.indexing.stats,
    ):
        with pytest.raises(ValueError, match="Chroma server\\) cannot be reached"):
            attempt()
    assert down.records.stale_documents(limit=10)[0], "the new document is flagged pending"

    chroma.start()
    # Back: the next start indexes what is pending; nothing written was lost.
    again = container(data_dir, pg_database, chroma)
    again.indexing.repair()
    assert not again.records.stale_documents(limit=10)[0]
    assert again.service.search("ada", "mackerel supplier", k=5)
    assert again.service.search("ada", "pricing floor", k=5)
    # The process that saw the outage recovers too, without a restart.
    assert down.service.search("ada", "mackerel supplier", k=5)
