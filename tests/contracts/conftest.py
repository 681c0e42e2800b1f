"""Fixtures the contract suites share: the real parts their integration subclasses run on.

The Chroma server and the spaCy and sentence-transformers models are the integration suite's
own fixtures (``tests/integration/conftest.py``), taken from there rather than written twice;
the models are cached per process by ``playbook.wiring``, so both directories share one load.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from playbook.store import make_engine, migrate, scrub_files
from tests.integration.conftest import chroma_server, nlp, st_model

__all__ = ["chroma_server", "nlp", "st_model", "store_engine"]


@pytest.fixture(scope="session")
def _migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite store at the newest schema, migrated once per run (each storage contract
    test copies it rather than running every migration again)."""
    path = tmp_path_factory.mktemp("store-template") / "store.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    scrub_files(engine)  # fold the write-ahead log into the file, so one file is the store
    engine.dispose()
    return path


@pytest.fixture
def store_engine(_migrated_sqlite: Path, tmp_path: Path) -> Iterator[Engine]:
    """An empty, migrated SQLite store of its own for one test: what the storage contracts'
    SQL subclasses build their adapters on. A PostgreSQL subclass overrides this fixture."""
    path = tmp_path / "store.sqlite3"
    shutil.copyfile(_migrated_sqlite, path)
    engine = make_engine(f"sqlite:///{path}")
    yield engine
    engine.dispose()
