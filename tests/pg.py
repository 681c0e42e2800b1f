"""A real PostgreSQL 15 server for the tests: started once per session, stopped at the end.

``initdb`` writes a fresh cluster into a temp directory; the server listens on 127.0.0.1 on a
free port, with its unix socket in that directory (never the system's). PostgreSQL refuses
to run as root, so when the tests run as root (here, and in many CI containers) the cluster
belongs to ``nobody`` and the server runs as that user (``runuser``, or ``setpriv`` where
``runuser`` is missing).

A template database is migrated once; each test that asks for ``pg_engine`` gets a database
of its own copied from it (``CREATE DATABASE ... TEMPLATE``, a file copy: far quicker than
running every migration again), so no test sees another's rows.

If the binaries are missing or the server does not start, the fixtures FAIL with the reason
(``make test`` installs Debian's ``postgresql``): a PostgreSQL run is never skipped silently.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from playbook.store import make_engine, migrate

PG_BIN = Path(os.environ.get("PLAYBOOK_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "playbook"
TEMPLATE = "playbook_template"
_names = itertools.count(1)


def _as_server_user(argv: list[str], user: str | None) -> list[str]:
    """``argv`` run as ``user`` (None: as ourselves)."""
    if user is None:
        return argv
    if shutil.which("runuser"):
        return ["runuser", "-u", user, "--", *argv]
    entry = pwd.getpwnam(user)
    return [
        "setpriv",
        f"--reuid={entry.pw_uid}",
        f"--regid={entry.pw_gid}",
        "--clear-groups",
        *argv,
    ]


def _server_user() -> str | None:
    # PostgreSQL will not start as root ("root execution of the PostgreSQL server is not
    # permitted"), so a root test run hands the cluster to an unprivileged account.
    return "nobody" if os.geteuid() == 0 else None


class PgServer:
    """A running test server: its URL (as the superuser ``playbook``) and a way to make
    databases copied from the migrated template."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.url = f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{port}/postgres"

    def database_url(self, name: str) -> str:
        """The URL of database ``name`` on this server."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{name}"

    def create_database(self, template: str | None = TEMPLATE) -> str:
        """A new database (copied from the migrated template, or empty when ``template`` is
        None); returns its URL."""
        name = f"t{os.getpid()}_{next(_names)}"
        admin = make_engine(self.url).execution_options(isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                tail = f" TEMPLATE {template}" if template else ""
                conn.exec_driver_sql(f'CREATE DATABASE "{name}"{tail}')
        finally:
            admin.dispose()
        return self.database_url(name)

    def drop_database(self, url: str) -> None:
        """Drop the database at ``url`` (closing whatever connections are left)."""
        name = url.rsplit("/", 1)[1]
        admin = make_engine(self.url).execution_options(isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            admin.dispose()


def database_files(engine: Engine) -> list[Path]:
    """The files holding ``engine``'s database on the server (relations under
    ``base/<oid>``), after a CHECKPOINT so that what is in memory is on disk too; for tests
    that read every byte of a store (the session's server runs on this machine)."""
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("CHECKPOINT")
        data = conn.exec_driver_sql("SHOW data_directory").scalar_one()
        oid = conn.exec_driver_sql(
            "SELECT oid FROM pg_database WHERE datname = current_database()"
        ).scalar_one()
    return sorted(p for p in (Path(data) / "base" / str(oid)).iterdir() if p.is_file())


class PgUnavailableError(RuntimeError):
    """PostgreSQL cannot run here: its binaries are missing or the server did not start."""


def start_server(root: Path) -> tuple[subprocess.Popen[bytes], PgServer, Path]:
    """A throwaway cluster in ``root`` (empty, not migrated), listening on a free loopback
    port: the server process, the server and its log. Plain (no pytest), so that scripts
    such as ``eval/bench_api.py`` start the same server as the fixtures.

    Raises:
        PgUnavailableError: the binaries are missing, ``initdb`` failed or the server did not
            start; the message says why.
    """
    # Imported here: tests/conftest.py imports this module's fixtures at its end.
    from tests.conftest import free_port, wait_until

    initdb, postgres = PG_BIN / "initdb", PG_BIN / "postgres"
    if not initdb.exists() or not postgres.exists():
        raise PgUnavailableError(
            f"PostgreSQL 15 is not installed ({initdb} is missing): the PostgreSQL tests "
            "need it. Run `make install-test` (it installs Debian's postgresql) or "
            "`apt-get install postgresql-15`, or set PLAYBOOK_TEST_PG_BIN to its bin folder."
        )
    user = _server_user()
    data, sockets, log = root / "data", root / "sockets", root / "server.log"
    sockets.mkdir()
    log.touch()
    if user is not None:
        entry = pwd.getpwnam(user)
        for path in (root, sockets, log):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    # trust on loopback only: the server accepts nothing but this machine, for the tests.
    result = subprocess.run(
        _as_server_user(
            [
                str(initdb),
                "-D",
                str(data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ],
            user,
        ),
        capture_output=True,
        check=False,
    )
    if result.returncode != 0:
        raise PgUnavailableError(
            "initdb failed, so the PostgreSQL tests cannot run:\n"
            + result.stdout.decode(errors="replace")
            + result.stderr.decode(errors="replace")
        )
    port = free_port()
    argv = [
        str(postgres),
        "-D",
        str(data),
        "-p",
        str(port),
        "-h",
        "127.0.0.1",
        "-k",
        str(sockets),
        # A test cluster: durability is not worth the fsyncs.
        "-c",
        "fsync=off",
        "-c",
        "synchronous_commit=off",
        "-c",
        "full_page_writes=off",
        "-c",
        "max_connections=200",
    ]
    with log.open("ab") as out:
        proc = subprocess.Popen(_as_server_user(argv, user), stdout=out, stderr=subprocess.STDOUT)
    server = PgServer(port)

    def ready() -> bool:
        engine = make_engine(server.url)
        try:
            with engine.connect() as conn:
                conn.exec_driver_sql("SELECT 1")
            return True
        finally:
            engine.dispose()

    try:
        wait_until(ready, proc, log, "PostgreSQL")
    except RuntimeError as exc:
        raise PgUnavailableError(str(exc)) from None
    return proc, server, log


def _start(root: Path) -> tuple[subprocess.Popen[bytes], PgServer, Path]:
    # The fixtures fail (never skip) with the reason when PostgreSQL cannot run.
    try:
        return start_server(root)
    except PgUnavailableError as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """A PostgreSQL 15 server for the session, with a migrated template database."""
    from tests.conftest import stop

    root = Path(tempfile.mkdtemp(prefix="playbook-pg-"))
    proc, server, _log = _start(root)
    try:
        url = server.create_database(template=None)
        engine = make_engine(url)
        try:
            migrate(engine)
        finally:
            engine.dispose()
        name = url.rsplit("/", 1)[1]
        admin = make_engine(server.url).execution_options(isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as conn:
                conn.exec_driver_sql(f'ALTER DATABASE "{name}" RENAME TO {TEMPLATE}')
                conn.exec_driver_sql(f"ALTER DATABASE {TEMPLATE} IS_TEMPLATE true")
        finally:
            admin.dispose()
        yield server
    finally:
        stop(proc)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_url(pg_server: PgServer) -> str:
    """The session server's URL (the ``postgres`` maintenance database, as superuser)."""
    return pg_server.url


@pytest.fixture
def pg_database(pg_server: PgServer) -> Iterator[str]:
    """The URL of a migrated database of this test's own, dropped afterwards."""
    url = pg_server.create_database()
    yield url
    pg_server.drop_database(url)


@pytest.fixture
def pg_engine(pg_database: str) -> Iterator[Engine]:
    """An engine on this test's own migrated database."""
    engine = make_engine(pg_database)
    yield engine
    engine.dispose()


class OnPostgres:
    """Mix into a storage contract's SQL subclass (before it) to run it on PostgreSQL: the
    suite's ``store_engine`` becomes this test's own migrated database."""

    @pytest.fixture
    def store_engine(self, pg_engine: Engine) -> Iterator[Engine]:
        """The migrated PostgreSQL database of this test."""
        yield pg_engine
