"""`playbook entries`, `handoff` and `showcase` from the shell."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from typer.testing import CliRunner

from playbook import cli
from playbook.demo import seed_demo
from playbook.wiring import Container

runner = CliRunner()


@pytest.fixture
def c(fake_container: Container, monkeypatch: pytest.MonkeyPatch) -> Container:
    monkeypatch.setattr(cli, "container", lambda: fake_container)
    seed_demo(fake_container)
    return fake_container


def run(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(cli.app, list(args))


def test_promote_review_publish_verify_and_history(c: Container) -> None:
    ravi = c.records.principal("ravi").user_id
    debrief = c.pipeline.document_id(ravi, "demo-d1")
    assert debrief
    promoted = run("entries", "promote", debrief, "--as", "cora")
    assert promoted.exit_code == 0, promoted.output
    entry_id = promoted.output.split()[1]
    assert "(extractive)" in promoted.output
    early = run("entries", "act", entry_id, "publish", "--as", "cora")
    assert early.exit_code == 1 and "a draft entry cannot be published" in early.output
    assert run("entries", "act", entry_id, "submit", "--as", "cora").exit_code == 0
    published = run("entries", "act", entry_id, "publish", "--as", "cora")
    assert "is now published" in published.output and "review by" in published.output
    assert run("entries", "verify", entry_id, "--as", "cora").exit_code == 0
    history = run("entries", "history", entry_id, "--as", "cora")
    assert [line.split()[-1] for line in history.output.splitlines()] == [
        "(extractive)",
        "submit",
        "publish",
        "verified",
    ]
    diff = run("entries", "history", entry_id, "--diff", "1", "3", "--as", "cora")
    assert "-Status: draft" in diff.output and "+Status: published" in diff.output
    listed = run("entries", "list", "--json", "--as", "ravi")  # a member sees published ones
    assert [json.loads(x)["id"] for x in listed.output.splitlines()] == [entry_id]
    denied = run("entries", "act", entry_id, "archive", "--as", "ravi")
    assert denied.exit_code == 1 and "needs the coordinator role" in denied.output


def test_handoff_and_showcase_exports(c: Container, tmp_path: Path) -> None:
    md = run("handoff", "--market", "Singapore", "--as", "ravi")
    assert md.exit_code == 0 and md.output.startswith("# Handoff pack: Singapore")
    assert "Rotation debrief: Supply chain, Singapore" in md.output
    pdf = tmp_path / "pack.pdf"
    made = run(
        "handoff", "--market", "Singapore", "--format", "pdf", "--out", str(pdf), "--as", "ravi"
    )
    assert made.exit_code == 0, made.output
    assert len(pdfium.PdfDocument(str(pdf))) >= 1
    nothing = run("handoff", "--as", "ravi")
    assert nothing.exit_code == 1 and "name a function, a market or a track" in nothing.output
    no_out = run("handoff", "--market", "x", "--format", "pdf", "--as", "ravi")
    assert no_out.exit_code == 1 and "--out" in no_out.output
    today = dt.date.today().isoformat()
    shown = run("showcase", "--from", "2026-01-01", "--to", today, "--as", "cora")
    assert shown.exit_code == 0 and shown.output.startswith("# Playbook showcase")
    backwards = run("showcase", "--from", today, "--to", "2026-01-01", "--as", "cora")
    assert backwards.exit_code == 1 and "before it starts" in backwards.output
    exports = [(e.actor, e.detail) for e in reversed(c.audit.events(action="export"))]
    assert exports == [("ravi", "md"), ("ravi", "pdf"), ("cora", "md")]


def test_passwords_and_the_audit_export(c: Container, tmp_path: Path) -> None:
    weak = runner.invoke(cli.app, ["users", "passwd", "ada", "--password-stdin"], input="short\n")
    assert weak.exit_code == 1 and "at least 12 characters" in weak.output
    ok = runner.invoke(
        cli.app, ["users", "passwd", "ada", "--password-stdin"], input="correct horse battery\n"
    )
    assert ok.exit_code == 0, ok.output
    assert c.accounts.sign_in("ada", "correct horse battery") == "ada"
    denied = run("audit", "export", "--out", str(tmp_path / "a.csv"), "--as", "ada")
    assert denied.exit_code == 1 and "needs the admin role" in denied.output
    done = run("audit", "export", "--out", str(tmp_path / "a.csv"), "--as", "sam")
    assert done.exit_code == 0, done.output
    rows = (tmp_path / "a.csv").read_text().splitlines()
    assert rows[0] == "at,actor,action,subject,detail"
    assert any(",cli,password set,ada," in r for r in rows) and any(
        ",ada,sign-in,ada," in r for r in rows
    )
