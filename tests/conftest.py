"""Shared fixtures: every test gets its own data directory; nothing reaches the network."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.chunk import Chunker
from ingest.keyword_index import Fts5KeywordIndex
from ingest.pipeline import IngestPipeline
from playbook.crypto import OriginalsCipher
from playbook.retrieval import Retriever
from playbook.service import PlaybookService
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
    return d


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return Settings(data_dir=data_dir, secret_key="test-secret")


@pytest.fixture
def records(settings: Settings) -> SqlRecords:
    settings.ensure_data_dir()
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    return SqlRecords(engine)


@pytest.fixture
def fake_container(settings: Settings, records: SqlRecords) -> Iterator[Container]:
    """A container whose models and indexes are fakes, with a real SQLite store."""
    c = Container(settings)
    redactor, embedder = FakeRedactor(), FakeEmbedder()
    vectors, keywords = InMemoryVectorIndex(), InMemoryKeywordIndex()
    pipeline = IngestPipeline(
        records, redactor, Chunker(40, 10), embedder, vectors, keywords, OriginalsCipher(b"k")
    )
    retriever = Retriever(embedder, vectors, keywords)
    for name, value in {
        "records": records,
        "redactor": redactor,
        "embedder": embedder,
        "vectors": vectors,
        "keywords": keywords,
        "pipeline": pipeline,
        "retriever": retriever,
        "service": PlaybookService(records, pipeline, retriever),
    }.items():
        c.__dict__[name] = value
    yield c


@pytest.fixture
def fts(tmp_path: Path) -> Iterator[Fts5KeywordIndex]:
    index = Fts5KeywordIndex(tmp_path / "kw.sqlite3")
    yield index
    index.close()
