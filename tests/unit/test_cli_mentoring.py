"""`playbook mentoring`: import profiles (a bad file imports nothing and exits 1 with its
rows named), explained suggestions, propose → approve → both accept, sessions against the
commitment, a private rematch reason, and the calendar file."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from typer.testing import CliRunner

from playbook import cli
from playbook.models import Role
from playbook.wiring import Container
from tests.unit.test_mentoring import PROFILES

runner = CliRunner()


@pytest.fixture
def c(fake_container: Container, monkeypatch: pytest.MonkeyPatch) -> Container:
    monkeypatch.setattr(cli, "container", lambda: fake_container)
    r = fake_container.records
    r.add_user("cora", roles=[Role.COORDINATOR])
    for name in ("maya", "omar", "lena", "boss", "zoe", "ravi"):
        r.add_user(name, roles=[Role.LEADER])
    return fake_container


def run(*args: str):
    return runner.invoke(cli.app, ["mentoring", *args])


def test_the_whole_flow(c: Container, tmp_path: Path) -> None:
    csv = tmp_path / "profiles.csv"
    csv.write_text(PROFILES, encoding="utf-8")
    result = run("import-profiles", str(csv), "--as", "cora")
    assert result.exit_code == 0, result.output
    assert "Imported 6 profiles." in result.output
    result = run("suggest", "ravi", "--as", "cora")
    assert result.exit_code == 0, result.output
    assert "1. " in result.output and "expertise fits the objective" in result.output
    assert "not suggested: boss: in the mentee's reporting line" in result.output
    result = run("propose", "maya", "ravi", "--sessions", "3", "--as", "cora")
    assert result.exit_code == 0, result.output
    pid = result.output.split("Proposed pairing ")[1].split(":")[0]
    assert "is approved" in run("approve", pid, "--as", "cora").output
    assert "is approved" in run("accept", pid, "--as", "ravi").output
    assert "is active" in run("accept", pid, "--as", "maya").output
    assert run("log-session", pid, "--as", "ravi").exit_code == 0
    listing = run("pairings", "--as", "ravi").output
    assert "maya → ravi (mentor)  active  sessions: 1 of 3 this quarter" in listing
    ahead = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    assert (
        run(
            "touchpoint", pid, ahead, "market_review", "--title", "Q3, EMEA", "--as", "maya"
        ).exit_code
        == 0
    )
    ics = tmp_path / "m.ics"
    result = run("calendar", "-o", str(ics), "--as", "ravi")
    assert "Wrote 1 touchpoints" in result.output
    assert "SUMMARY:Market review: Q3\\, EMEA" in ics.read_text(encoding="utf-8")
    assert "is ended" in run("end", pid, "--reason", "no chemistry", "--as", "ravi").output
    assert "no chemistry" in run("reasons", pid, "--as", "cora").output
    assert "No reason you may read." in run("reasons", pid, "--as", "maya").output
    assert "2 suggestions over 5 givers in 90 days: spread" in run("balance", "--as", "cora").output


def test_a_bad_file_imports_nothing_and_says_which_rows(c: Container, tmp_path: Path) -> None:
    csv = tmp_path / "bad.csv"
    csv.write_text("username,role,capacity\nmaya,mentor,many\nghost,mentor,1\n", encoding="utf-8")
    result = run("import-profiles", str(csv), "--as", "cora")
    assert result.exit_code == 1
    assert "row 2: capacity must be a whole number" in result.output
    assert "row 3: no user called 'ghost'" in result.output
    assert "Nothing was imported" in result.output
    assert "No pairings yet." in run("pairings", "--as", "cora").output


def test_refusals_are_one_clear_line(c: Container, tmp_path: Path) -> None:
    result = run("suggest", "ravi", "--as", "ravi")
    assert result.exit_code == 1 and "matching needs the coordinator or steward" in result.output
    result = run("approve", "nope", "--as", "cora")
    assert result.exit_code == 1 and "no pairing 'nope'" in result.output
    result = run("log-session", "nope", "--on", "31/12/2026", "--as", "cora")
    assert result.exit_code == 1 and "must be a date like" in result.output
    result = run("suggest", "ravi", "--role", "guru", "--as", "cora")
    assert result.exit_code == 1 and "unknown role 'guru'" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "command",
    [[], ["import-profiles"], ["suggest"], ["propose"], ["approve"], ["calendar"]],
)
def test_every_mentoring_command_has_help(command: list[str]) -> None:
    result = runner.invoke(cli.app, ["mentoring", *command, "--help"])
    assert result.exit_code == 0 and "Usage" in result.output
