"""Faults and hostile input never cost data or availability, and `reindex` always recovers.

Real SQLite store, real embedded Chroma (and a real `chroma run` server), real FTS5; the
embedder and redactor are the fakes (the point is the index, and it keeps each case fast),
except where the real CLI runs `playbook reindex` / `playbook stats` in a subprocess. Each
case checks afterwards that nothing committed is lost, that nobody finds text the store does
not let them read (a withdrawn document above all), and that search works again after at
most one `playbook reindex` (mostly with none: the start-up repair heals).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from playbook.failures import explain
from playbook.models import Kind, NewDocument, Role, Visibility
from playbook.permissions import read_scope
from playbook.settings import Settings
from playbook.wiring import Container
from tests.conftest import ROOT
from tests.fakes import FakeEmbedder, FakeRedactor

pytestmark = pytest.mark.integration

SECRET = "zebracorn"  # the word only the withdrawn document holds
COMMON = "negotiation"  # a word every shared document holds
SHARED = 12


def make(data_dir: Path, chroma_url: str | None = None, collection: str = "faults") -> Container:
    """A container on ``data_dir`` with the fake models and every index real (guarded)."""
    settings = Settings(
        data_dir=data_dir,
        secret_key="faults-secret",
        chroma_url=chroma_url,
        chroma_collection=collection,
        chroma_owner_buckets=4,
    )
    c = Container(settings)
    c.override(redactor=FakeRedactor(), embedder=FakeEmbedder())
    return c


def seed(c: Container, n: int = SHARED) -> str:
    """ada's shared notes (one holds SECRET), ravi as a reader; returns the secret's id."""
    r = c.records
    ada = r.add_user("ada", roles=[Role.LEADER]).user_id
    r.add_user("ravi", roles=[Role.PARTICIPANT])
    pid = r.programme_id("default")
    docs = [
        NewDocument(
            owner_id=ada,
            programme_id=pid,
            kind=Kind.JOURNAL,
            visibility=Visibility.SHARED,
            title=f"note {i}",
            text=f"{COMMON} lesson number {i} about pricing and hiring"
            + (f" and the {SECRET} project" if i == 0 else ""),
            source_id=f"note-{i}",
        )
        for i in range(n)
    ]
    c.pipeline.ingest(docs)
    return str(c.pipeline.document_id(ada, "note-0"))


def found(c: Container, user: str, word: str) -> set[str]:
    scope = read_scope(c.records.principal(user))
    return {h.document_id for h in c.retriever.search(word, scope, k=1000)}


def close(c: Container) -> None:
    for index in (c.__dict__.get("vectors"), c.__dict__.get("keywords")):
        if index is not None:
            index.close()


def check_consistent(c: Container, secret_id: str, withdrawn: bool, docs: int = SHARED) -> None:
    """Nothing lost, nothing leaked, search works."""
    assert c.records.stats()["documents"] == docs
    ravi_sees = found(c, "ravi", SECRET)
    if withdrawn:
        assert secret_id not in ravi_sees
        assert secret_id not in found(c, "ravi", COMMON)
        assert secret_id in found(c, "ada", SECRET)  # the author still finds her own
    else:
        assert secret_id in ravi_sees
    expected = docs - 1 if withdrawn else docs
    assert len(found(c, "ravi", COMMON)) == expected


def indexes_agree(c: Container) -> None:
    s = c.records.stats()
    assert s["pending_index"] == 0
    assert c.vectors.count() == c.keywords.count() == s["chunks"]
    assert c.indexing.problems() == {}


# -- child processes -----------------------------------------------------------------------


CHILD = """
import os, sys, time
sys.path.insert(0, {root!r})
from tests.integration.test_faults import child
child(sys.argv[1:])
"""


def child(argv: list[str]) -> None:
    """Run in a subprocess: ``<action> <signal file> [arg]``. The signal file is written when
    the action reaches the point to be killed at (then it sleeps, waiting for SIGKILL)."""
    action, mark = argv[0], Path(argv[1])
    c = make(
        Path(os.environ["PLAYBOOK_DATA_DIR"]),
        os.environ.get("FAULT_CHROMA_URL"),
        os.environ.get("FAULT_COLLECTION", "faults"),
    )
    point = os.environ.get("FAULT_AT", "")

    def pause_at(index: Any, method: str) -> None:
        real = getattr(index, method)

        def wrapped(*args: Any) -> Any:
            if point == method or point == f"after-{method}":
                if point == f"after-{method}":
                    real(*args)
                mark.write_text("here")
                time.sleep(60)
            return real(*args)

        setattr(index, method, wrapped)

    for name in ("upsert", "delete_documents", "reset"):
        pause_at(c.vectors, name)
    pause_at(c.keywords, "reset")
    if action == "import":
        ada = c.records.principal("ada").user_id
        pid = c.records.programme_id("default")
        c.pipeline.ingest(
            [
                NewDocument(
                    ada,
                    pid,
                    Kind.JOURNAL,
                    Visibility.SHARED,
                    f"late {i}",
                    f"{COMMON} late lesson {i}",
                    f"late-{i}",
                )
                for i in range(5)
            ]
        )
    elif action == "reindex":
        c.pipeline.reindex()
    elif action == "withdraw":
        c.reflection.withdraw(c.records.principal("ada"), argv[2])
    mark.write_text("done")


def run_child(
    data_dir: Path,
    action: str,
    *args: str,
    kill_at: str | None = None,
    url: str | None = None,
    collection: str = "faults",
) -> str:
    """Run ``child`` to completion, or kill it with SIGKILL at ``kill_at``; returns how it
    ended ("killed" or "done")."""
    mark = data_dir.parent / f"mark-{action}-{time.monotonic_ns()}"
    env = dict(
        os.environ,
        PLAYBOOK_DATA_DIR=str(data_dir),
        FAULT_AT=kill_at or "",
        FAULT_COLLECTION=collection,
    )
    if url:
        env["FAULT_CHROMA_URL"] = url
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(root=str(ROOT)), action, str(mark), *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if mark.exists() and mark.read_text() == "here":
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return "killed"
        if proc.poll() is not None:
            output = proc.stdout.read().decode() if proc.stdout else ""
            assert proc.returncode == 0, output
            assert mark.read_text() == "done"
            return "done"
        time.sleep(0.05)
    proc.kill()
    raise AssertionError(f"{action} did not reach {kill_at}")


# -- kill -9 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("action", "point"),
    [
        ("import", "upsert"),  # stored, not indexed
        ("import", "after-upsert"),  # dense index written, keyword index not
        ("reindex", "reset"),  # before the dense index was dropped
        ("reindex", "upsert"),  # both dropped, rebuild under way
        ("withdraw", "delete_documents"),  # private in the store, shared in the indexes
        ("withdraw", "upsert"),  # old chunks dropped, the private ones not yet written
    ],
)
def test_kill_9_loses_nothing_and_leaks_nothing(data_dir: Path, action: str, point: str) -> None:
    c = make(data_dir)
    secret = seed(c)
    close(c)
    extra = ["withdraw"] if action == "withdraw" else []
    assert run_child(data_dir, action, *([secret] if extra else []), kill_at=point) == "killed"
    docs = SHARED + (5 if action == "import" else 0)
    withdrawn = action == "withdraw"

    after = make(data_dir)
    if withdrawn:
        # Even before any repair: the store says private, so nobody else sees it.
        assert secret not in found(after, "ravi", SECRET)
    after.indexing.repair()  # what every start does
    if action == "import":
        assert after.records.stats()["documents"] in (SHARED, docs)  # the batch or nothing
        docs = after.records.stats()["documents"]
    check_consistent(after, secret, withdrawn, docs)
    indexes_agree(after)


# -- a rebuild in another process while this one keeps running --------------------------------


@pytest.mark.parametrize("server", [False, True], ids=["embedded", "server"])
def test_reindex_elsewhere_then_withdraw_here(
    data_dir: Path, chroma_server: str, server: bool
) -> None:
    url = chroma_server if server else None
    collection = f"stale{time.monotonic_ns()}"
    app = make(data_dir, url, collection)  # the long-lived app process
    secret = seed(app)
    assert secret in found(app, "ravi", SECRET)  # handles cached

    assert run_child(data_dir, "reindex", url=url, collection=collection) == "done"

    app.reflection.withdraw(app.records.principal("ada"), secret)  # no NotFoundError
    assert secret not in found(app, "ravi", SECRET)
    check_consistent(app, secret, withdrawn=True)
    indexes_agree(app)
    # Later writes in this process are indexed too.
    ada = app.records.principal("ada").user_id
    pid = app.records.programme_id("default")
    app.pipeline.ingest(
        [NewDocument(ada, pid, Kind.JOURNAL, Visibility.SHARED, "new", f"{COMMON} fresh", "n")]
    )
    assert len(found(app, "ravi", COMMON)) == SHARED
    indexes_agree(app)


def test_concurrent_reindex_while_another_process_withdraws(data_dir: Path) -> None:
    c = make(data_dir)
    secret = seed(c, n=40)
    close(c)
    mark = data_dir.parent / "reindexing"
    env = dict(os.environ, PLAYBOOK_DATA_DIR=str(data_dir))
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(root=str(ROOT)), "reindex", str(mark)],
        env=env,
        cwd=ROOT,
    )
    app = make(data_dir)
    app.reflection.withdraw(app.records.principal("ada"), secret)
    assert proc.wait(timeout=90) == 0
    assert secret not in found(app, "ravi", SECRET)
    app.indexing.repair()
    check_consistent(app, secret, withdrawn=True, docs=40)
    indexes_agree(app)


# -- damaged files -----------------------------------------------------------------------------


def _garbage(path: Path, at: int = 0, size: int = 4096) -> None:
    with path.open("r+b") as fh:
        fh.seek(at)
        fh.write(os.urandom(size))


def _hnsw_header(data_dir: Path) -> None:
    headers = list((data_dir / "chroma").glob("*/header.bin"))
    assert headers, "no HNSW segment on disk"
    for h in headers:
        _garbage(h, size=64)


def _replace_by_file(path: Path) -> None:
    import shutil

    shutil.rmtree(path)
    path.write_bytes(os.urandom(1000))


def _replace_by_dir(path: Path) -> None:
    path.unlink()
    for s in ("-wal", "-shm"):
        path.with_name(path.name + s).unlink(missing_ok=True)
    path.mkdir()
    (path / "junk").write_text("x")


def _delete_tree(path: Path) -> None:
    import shutil

    shutil.rmtree(path)


DAMAGE = {
    "garbage in chroma.sqlite3": lambda d: _garbage(d / "chroma" / "chroma.sqlite3", size=8192),
    "garbage in the keyword file": lambda d: _garbage(d / "keyword.sqlite3", size=8192),
    "garbage in an HNSW segment": _hnsw_header,
    "chroma/ deleted": lambda d: _delete_tree(d / "chroma"),
    "chroma/ replaced by a file": lambda d: _replace_by_file(d / "chroma"),
    "keyword file deleted": lambda d: (d / "keyword.sqlite3").unlink(),
    "keyword file replaced by a folder": lambda d: _replace_by_dir(d / "keyword.sqlite3"),
}


def _build_damaged(data_dir: Path, damage: str) -> str:
    c = make(data_dir)
    secret = seed(c, n=SHARED * 25)  # enough that Chroma writes HNSW segments to disk
    c.reflection.withdraw(c.records.principal("ada"), secret)
    close(c)
    DAMAGE[damage](data_dir)
    return secret


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_damaged_index_heals_on_start(data_dir: Path, damage: str) -> None:
    secret = _build_damaged(data_dir, damage)
    app = make(data_dir)
    t = time.perf_counter()
    app.indexing.repair()  # start-up: detect, move aside, rebuild
    healed_in = time.perf_counter() - t
    check_consistent(app, secret, withdrawn=True, docs=SHARED * 25)
    indexes_agree(app)
    assert not list(data_dir.glob("*.corrupt-*")), "moved-aside files stay after the rebuild"
    print(f"{damage}: healed on start in {healed_in:.2f}s")


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_reindex_recovers_from_any_state(data_dir: Path, damage: str) -> None:
    secret = _build_damaged(data_dir, damage)
    c = make(data_dir)
    c.pipeline.reindex()  # no repair first: straight into the damaged files
    check_consistent(c, secret, withdrawn=True, docs=SHARED * 25)
    indexes_agree(c)
    assert not list(data_dir.glob("*.corrupt-*"))


def test_damage_found_while_running_heals_in_the_background(data_dir: Path) -> None:
    app = make(data_dir)
    secret = seed(app, n=SHARED * 25)
    assert secret in found(app, "ravi", SECRET)
    # The HNSW files go bad under the running process; a new segment reader meets them.
    close(app)
    app.vectors._seen = -1  # force a re-open, as after a rebuild elsewhere
    _hnsw_header(data_dir)
    hits = found(app, "ravi", COMMON)  # no traceback: the keyword side answers meanwhile
    assert hits
    app.indexing.wait_for_heal()
    check_consistent(app, secret, withdrawn=False, docs=SHARED * 25)
    indexes_agree(app)


def test_cli_stats_and_reindex_on_a_deleted_and_a_corrupt_index(data_dir: Path) -> None:
    c = make(data_dir)
    seed(c)
    close(c)
    (data_dir / "keyword.sqlite3").unlink()
    env = dict(os.environ, PLAYBOOK_DATA_DIR=str(data_dir), PLAYBOOK_SECRET_KEY="faults-secret")
    env.update(PLAYBOOK_CHROMA_COLLECTION="faults", PLAYBOOK_CHROMA_OWNER_BUCKETS="4")
    exe = str(Path(sys.executable).parent / "playbook")
    stats = subprocess.run([exe, "stats", "--json"], env=env, capture_output=True, text=True)
    assert stats.returncode == 0, stats.stderr
    s = json.loads(stats.stdout)
    assert s["pending_index"] == s["documents"] == SHARED  # not "nothing pending"
    assert "keyword" in s["index_problems"]
    _garbage(data_dir / "chroma" / "chroma.sqlite3", size=8192)
    done = subprocess.run([exe, "reindex"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stdout + done.stderr
    assert "moved aside" in done.stdout
    stats = subprocess.run([exe, "stats", "--json"], env=env, capture_output=True, text=True)
    s = json.loads(stats.stdout)
    assert s["pending_index"] == 0 and "index_problems" not in s
    assert s["vector_index_chunks"] == s["keyword_index_chunks"] == s["chunks"]


# -- hostile input ------------------------------------------------------------------------------


def test_a_record_with_thousands_of_tags_does_not_break_search(data_dir: Path) -> None:
    c = make(data_dir)
    secret = seed(c)
    ada = c.records.principal("ada").user_id
    pid = c.records.programme_id("default")
    tags = tuple(f"tag{i}" for i in range(11_000))
    # Straight into the pipeline, past the import limits, as an older store might hold it.
    c.pipeline.ingest(
        [NewDocument(ada, pid, Kind.JOURNAL, Visibility.SHARED, "t", f"{COMMON} tags", "t", tags)]
    )
    assert len(found(c, "ravi", COMMON)) == SHARED + 1
    c.pipeline.reindex()
    assert secret in found(c, "ravi", SECRET)
    assert len(found(c, "ravi", COMMON)) == SHARED + 1
    indexes_agree(c)


# -- a full disk ----------------------------------------------------------------------------------


def _mount_tmpfs(where: Path, size: str) -> bool:
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
        capture_output=True,
        text=True,
    )
    return done.returncode == 0


def test_a_full_disk_costs_no_committed_data(tmp_path: Path) -> None:
    disk = tmp_path / "small"
    if not _mount_tmpfs(disk, "6m"):
        pytest.skip(
            "cannot mount a tmpfs here (needs CAP_SYS_ADMIN); the full-disk case is untested"
        )
    try:
        data_dir = disk / "data"
        c = make(data_dir)
        secret = seed(c)
        ada = c.records.principal("ada").user_id
        pid = c.records.programme_id("default")
        stored = SHARED
        failed = False
        for batch in range(200):
            docs = [
                NewDocument(
                    ada,
                    pid,
                    Kind.JOURNAL,
                    Visibility.SHARED,
                    f"f{batch}-{i}",
                    f"{COMMON} filler {os.urandom(3000).hex()}",
                    f"f{batch}-{i}",
                )
                for i in range(10)
            ]
            try:
                c.pipeline.ingest(docs)
            except Exception as exc:  # the disk is full: a clear error, the store intact
                shown = str(exc) if isinstance(exc, ValueError) else explain(exc)
                assert shown and "Traceback" not in shown, shown
                assert any(w in shown.lower() for w in ("full", "space")), shown
                failed = True
                break
            stored += 10
        assert failed, "the tmpfs never filled"
        assert c.records.stats()["documents"] >= stored
        assert secret in found(c, "ravi", SECRET)
        close(c)
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)
