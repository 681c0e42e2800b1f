"""`playbook redact --as USER` checks the account like every other command: an unknown or
deactivated account is refused, and its private lists are never applied."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from playbook import cli
from playbook.models import Role
from playbook.wiring import Container

runner = CliRunner()


@pytest.fixture
def c(fake_container: Container, monkeypatch: pytest.MonkeyPatch) -> Container:
    monkeypatch.setattr(cli, "container", lambda: fake_container)
    for name in ("ada", "ravi"):
        user = fake_container.records.add_user(name, roles=[Role.LEADER])
        fake_container.privacy.add_term(user.user_id, "deny", "Obadiah")
    return fake_container


def test_redact_as_an_active_user_applies_their_deny_list(c: Container) -> None:
    result = runner.invoke(cli.app, ["redact", "--as", "ada"], input="Obadiah sat in.")
    assert result.exit_code == 0, result.output
    assert "Obadiah" not in result.stdout and "sat in." in result.stdout


def test_redact_as_a_deactivated_user_is_refused(c: Container) -> None:
    c.records.set_active("ravi", False)
    before = len(c.redactor.policies)
    result = runner.invoke(cli.app, ["redact", "--as", "ravi"], input="Obadiah sat in.")
    assert result.exit_code == 1
    assert "deactivated" in result.output and "Obadiah" not in result.output
    assert len(c.redactor.policies) == before  # nothing was redacted under their lists


def test_redact_as_an_unknown_user_is_refused(c: Container) -> None:
    result = runner.invoke(cli.app, ["redact", "--as", "nobody"], input="Obadiah sat in.")
    assert result.exit_code == 1 and "Obadiah" not in result.output
    assert "nobody" in result.output


def test_redact_without_as_uses_the_engine_alone(c: Container) -> None:
    result = runner.invoke(cli.app, ["redact"], input="Obadiah sat in with Tony.")
    assert result.exit_code == 0 and "Obadiah" in result.stdout and "Tony" not in result.stdout
