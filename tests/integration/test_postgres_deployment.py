"""The deployment of issue 19 end to end: ``playbook`` on a PostgreSQL store
(``PLAYBOOK_DATABASE_URL=postgresql://…``, no driver named) and a Chroma server
(``PLAYBOOK_CHROMA_URL``), as separate processes: init (every migration on an empty
database), users, import, search, Ask, reindex and stats work, the reader's scope holds, and
no SQLite file (store, FTS5 keyword index, sentence vectors) appears in the data directory.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from playbook.store import make_engine
from tests.pg import PgServer

pytestmark = [pytest.mark.integration, pytest.mark.slow]

BIN = Path(sys.executable).parent
NOTES = [
    {"id": "n1", "text": "Pricing lesson: decide the discount floor before the client call."},
    {"id": "n2", "text": "Hiring in Lagos took longer than planned; start sourcing early."},
    {"id": "n3", "text": "Supplier negotiations went better once we shared the forecast."},
]


@pytest.fixture
def empty_database(pg_server: PgServer) -> Iterator[str]:
    """An EMPTY database (not the migrated template): ``playbook init`` migrates it. Its URL
    as operators write it, ``postgresql://`` without a driver."""
    url = pg_server.create_database(template=None)
    yield url.replace("postgresql+psycopg://", "postgresql://")
    pg_server.drop_database(url)


def sqlite_like_files(folder: Path) -> list[str]:
    """Every file under ``folder`` that is, or belongs to, a SQLite database (by name or by
    its first bytes) or looks like a keyword/sentence index."""
    found = []
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        name = path.name.lower()
        with path.open("rb") as f:
            magic = f.read(16)
        if (
            magic.startswith(b"SQLite format 3")
            or any(part in name for part in (".sqlite", ".db", "fts", "sentence", "keyword"))
            or name.endswith(("-wal", "-shm", "-journal"))
        ):
            found.append(str(path.relative_to(folder)))
    return sorted(found)


def test_cli_on_postgres_and_a_chroma_server_leaves_no_sqlite_file(
    tmp_path: Path, empty_database: str, chroma_server: str
) -> None:
    data = tmp_path / "data"
    env = {
        **os.environ,
        "PLAYBOOK_DATA_DIR": str(data),
        "PLAYBOOK_SECRET_KEY": "pg-deployment",
        "PLAYBOOK_DATABASE_URL": empty_database,
        "PLAYBOOK_CHROMA_URL": chroma_server,
        # a collection name of its own: the session's Chroma server is shared by tests
        "PLAYBOOK_CHROMA_COLLECTION": f"pgdeploy{os.getpid()}",
    }

    def playbook(*args: str) -> str:
        done = subprocess.run(
            [str(BIN / "playbook"), *args], env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, f"playbook {' '.join(args)}:\n{done.stdout}{done.stderr}"
        assert "Traceback" not in done.stdout + done.stderr
        return done.stdout

    playbook("init")
    playbook("users", "add", "ada", "--role", "leader")
    playbook("users", "add", "ravi", "--role", "participant")
    notes = tmp_path / "notes.jsonl"
    notes.write_text("".join(json.dumps(n) + "\n" for n in NOTES))
    playbook("import", str(notes), "--as", "ada")

    found = json.loads(playbook("search", "discount floor pricing", "--as", "ada", "--json"))
    assert found, "ada finds her own note"
    assert "discount floor" in json.dumps(found)
    # ravi may not read ada's private journal: neither index shows it to him.
    assert json.loads(playbook("search", "discount floor pricing", "--as", "ravi", "--json")) == []
    answer = json.loads(
        playbook("ask", "What should I decide before a client call?", "--as", "ada", "--json")
    )
    assert "discount" in json.dumps(answer).lower()

    playbook("reindex")
    stats = json.loads(playbook("stats", "--json"))
    assert stats["documents"] == 3 and stats["pending_index"] == 0, stats
    assert stats["keyword_index_chunks"] == stats["chunks"] == 3, stats
    again = json.loads(playbook("search", "Lagos hiring", "--as", "ada", "--json"))
    assert again and "Lagos" in json.dumps(again)

    # The keyword index and the sentence vectors are PostgreSQL tables, filled.
    engine = make_engine(empty_database)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM keyword_chunks")).scalar_one() == 3
            assert conn.execute(text("SELECT count(*) FROM sentence_vectors")).scalar_one() == 3
    finally:
        engine.dispose()
    assert sqlite_like_files(data) == [], sorted(str(p.relative_to(data)) for p in data.rglob("*"))


def test_the_scan_finds_what_an_embedded_installation_writes(tmp_path: Path) -> None:
    import sqlite3

    sqlite3.connect(tmp_path / "anything.bin").execute("CREATE TABLE t (x)").connection.commit()
    (tmp_path / "chroma").mkdir()
    (tmp_path / "chroma" / "sentence_vectors.sqlite3").write_bytes(b"")
    (tmp_path / "encryption.keys").write_text("k")
    assert sqlite_like_files(tmp_path) == ["anything.bin", "chroma/sentence_vectors.sqlite3"]
