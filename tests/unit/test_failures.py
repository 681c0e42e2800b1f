"""Operational failures are sentences naming the fix, never tracebacks or SQL."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError, OperationalError
from typer.testing import CliRunner

from playbook import cli
from playbook.failures import explain


def _db(message: str) -> OperationalError:
    return OperationalError(
        "INSERT INTO documents (text) VALUES (?)", {}, sqlite3.OperationalError(message)
    )


@pytest.mark.parametrize(
    ("message", "expected"),
    [
        ("database is locked", "the database is busy"),
        ("attempt to write a readonly database", "is read-only for this user"),
        ("database or disk is full", "is full. Free some space"),
        ("unable to open database file", "cannot be opened"),
        ("file is not a database", "is damaged. Restore it from a backup"),
        ("disk I/O error", "failed to read or write"),
    ],
)
def test_database_failures_name_the_fix(message: str, expected: str) -> None:
    sentence = explain(_db(message), "/srv/playbook")
    assert sentence is not None and expected in sentence
    assert "INSERT" not in sentence and "VALUES" not in sentence


def test_other_failures() -> None:
    full = OSError(errno.ENOSPC, "No space left on device", "/srv/playbook/x")
    assert explain(full) == (
        "the disk holding /srv/playbook/x is full. Free some space and run the command again "
        "(nothing committed was lost)"
    )
    denied = PermissionError(errno.EACCES, "Permission denied", "/srv/k")
    assert "permission denied for /srv/k" in (explain(denied) or "")
    race = IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))
    assert "same records at the same time" in (explain(race) or "")
    assert explain(ValueError("x")) is None


def test_a_read_only_store_is_a_sentence_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    runner = CliRunner()
    assert runner.invoke(cli.app, ["init"]).exit_code == 0
    db = Path(tmp_path / "data" / "playbook.sqlite3")
    monkeypatch.setenv("PLAYBOOK_DATABASE_URL", f"sqlite:///file:{db}?mode=ro&uri=true")
    result = runner.invoke(cli.app, ["users", "add", "zed", "--role", "leader"])
    assert result.exit_code == 1
    assert "read-only for this user" in result.output and "chmod" in result.output
    assert "Traceback" not in result.output and "INSERT" not in result.output


def test_an_unexpected_failure_is_still_one_sentence(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken() -> None:
        raise RuntimeError("SELECT secret FROM documents")

    monkeypatch.setattr(cli, "container", broken)
    result = CliRunner().invoke(cli.app, ["stats"])
    assert result.exit_code == 1
    assert "failed unexpectedly (RuntimeError); nothing committed was lost" in result.output
    assert "SELECT" not in result.output and "Traceback" not in result.output


def test_the_app_shows_a_failure_as_a_sentence_not_a_traceback(
    shown_failures: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    from playbook.ui import common

    def read_only() -> None:
        raise _db("attempt to write a readonly database")

    monkeypatch.setattr(common, "get_container", read_only)
    app = str(Path(__file__).resolve().parents[2] / "app.py")
    at = AppTest.from_file(app, default_timeout=30)
    at.session_state["username"] = "ada"
    at.run()
    assert not at.exception
    [error] = at.error
    assert "read\\-only for this user" in error.value and "INSERT" not in error.value


def test_an_unreachable_chroma_server_names_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.conftest import free_port

    monkeypatch.setenv("PLAYBOOK_CHROMA_URL", f"http://127.0.0.1:{free_port()}")
    runner = CliRunner()
    assert runner.invoke(cli.app, ["users", "add", "ada", "--role", "leader"]).exit_code == 0
    result = runner.invoke(cli.app, ["search", "pricing", "--as", "ada"])
    assert result.exit_code == 1
    assert "cannot be reached" in result.output, result.output
    assert "start it (`chroma run --path" in result.output, result.output
    assert "Traceback" not in result.output
