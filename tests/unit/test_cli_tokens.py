"""`playbook tokens create/list/revoke` and `playbook serve` on the fake container; the
command line imports neither FastAPI nor uvicorn until `serve` runs."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner, Result

from playbook import cli
from playbook.models import Role
from playbook.services.tokens import PREFIX
from playbook.wiring import Container

runner = CliRunner()


@pytest.fixture
def c(fake_container: Container, monkeypatch: pytest.MonkeyPatch) -> Container:
    monkeypatch.setattr(cli, "container", lambda: fake_container)
    fake_container.records.add_user("ada", roles=[Role.LEADER])
    return fake_container


def run(*args: str) -> Result:
    return runner.invoke(cli.app, list(args))


def test_create_prints_the_secret_once_and_list_never_does(c: Container) -> None:
    made = run("tokens", "create", "--as", "ada", "--name", "slack bot", "--scope", "read")
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[-1]
    assert secret.startswith(PREFIX) and len(secret) > 40
    listed = run("tokens", "list", "--as", "ada", "--json")
    assert listed.exit_code == 0
    [row] = json.loads(listed.stdout)
    assert (row["name"], row["scopes"], row["revoked_at"]) == ("slack bot", ["read"], None)
    assert secret not in listed.output and secret not in run("tokens", "list", "--as", "ada").output
    # The store holds a hash, not the token.
    [stored] = c.tokens.listing("ada")
    assert secret not in repr(stored) and len(stored.token_hash) == 64
    assert c.tokens.authenticate(secret, "read").username == "ada"


def test_revoke_by_name_then_the_token_is_refused(c: Container) -> None:
    secret = run("tokens", "create", "--as", "ada", "--name", "bot").stdout.strip().splitlines()[-1]
    done = run("tokens", "revoke", "--as", "ada", "bot")
    assert done.exit_code == 0 and "Revoked" in done.output
    again = run("tokens", "revoke", "--as", "ada", "bot")
    assert again.exit_code == 1 and "no token" in again.output
    from playbook.services.tokens import TokenError

    with pytest.raises(TokenError):
        c.tokens.authenticate(secret, "read")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--name", "x", "--scope", "admin"], "unknown scope 'admin'"),
        (["--name", "   "], "give the token a name"),
        (["--name", "x", "--expires-days", "0"], "expires after 1 to"),
        (["--name", "x" * 81], "up to 80 characters"),
    ],
)
def test_bad_input_is_one_clear_line(c: Container, args: list[str], message: str) -> None:
    r = run("tokens", "create", "--as", "ada", *args)
    assert r.exit_code == 1 and message in r.output and "Traceback" not in r.output
    assert c.tokens.listing("ada") == []


def test_a_live_name_is_not_given_twice(c: Container) -> None:
    assert run("tokens", "create", "--as", "ada", "--name", "bot").exit_code == 0
    r = run("tokens", "create", "--as", "ada", "--name", "bot")
    assert r.exit_code == 1 and "already has a token named 'bot'" in r.output


def test_creation_and_revocation_are_audited_without_the_secret(c: Container) -> None:
    secret = run("tokens", "create", "--as", "ada", "--name", "bot").stdout.strip().splitlines()[-1]
    run("tokens", "revoke", "--as", "ada", "bot")
    events = [(e.actor, e.action, e.subject) for e in c.audit.events()]
    assert ("cli", "api token created", "ada") in events
    assert ("cli", "api token revoked", "ada") in events
    assert secret not in str(c.audit.events())


def test_the_command_line_does_not_import_the_api_stack() -> None:
    code = (
        "import sys, playbook.cli;"
        "mods = ('fastapi', 'uvicorn', 'starlette', 'playbook.api');"
        "print([m for m in mods if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]", out
    helped = subprocess.run(
        [sys.executable, "-m", "playbook.cli", "serve", "--help"], capture_output=True, text=True
    )
    assert helped.returncode == 0 and "--port" in helped.stdout


def test_a_token_whose_account_is_gone_is_refused(c: Container) -> None:
    from playbook.models import StoreError
    from playbook.services.tokens import TokenError, Tokens

    _, secret = c.tokens.create("ada", "bot", ["read"])

    class Gone:
        def principal(self, username: str) -> None:
            raise StoreError(f"no user named {username!r}")

    gone = Tokens(c.tokens._store, Gone(), c.audit)  # type: ignore[arg-type]
    with pytest.raises(TokenError, match="unknown, revoked or expired"):
        gone.authenticate(secret, "read")
    assert ("api token refused", "ada", "no such account") in [
        (e.action, e.subject, e.detail) for e in c.audit.events()
    ]
