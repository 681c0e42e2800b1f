"""The command line is one package: `python -m playbook.cli` is the `playbook` script, every
command is registered in `playbook/cli/__init__.py`, and its modules form no import cycle."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from playbook import cli

PACKAGE = Path(cli.__file__).parent
SCRIPT = Path(sys.executable).with_name("playbook")
# A row of Rich's command table: "│ name   help..."; a name starts a row after the border.
_ROW = re.compile(r"^│ ([a-z][a-z-]*)\s", re.M)


def _commands(help_text: str) -> set[str]:
    return set(_ROW.findall(help_text.split("Commands", 1)[-1]))


def _run(*argv: str) -> str:
    # The test's own environment (data directory and all), wide enough that no name wraps.
    env = {**os.environ, "COLUMNS": "120", "NO_COLOR": "1"}
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.skipif(not SCRIPT.exists(), reason="the playbook script is not installed here")
@pytest.mark.parametrize("group", [[], ["users"]])
def test_python_dash_m_lists_the_same_commands_as_the_script(group: list[str]) -> None:
    by_module = _run(sys.executable, "-m", "playbook.cli", *group, "--help")
    by_script = _run(str(SCRIPT), *group, "--help")
    assert _commands(by_module) == _commands(by_script)
    assert by_module == by_script  # the same program name and text, too
    in_process = CliRunner().invoke(cli.app, [*group, "--help"], terminal_width=120)
    assert _commands(in_process.output) == _commands(by_script)


def test_every_command_and_group_is_there() -> None:
    top = _commands(CliRunner().invoke(cli.app, ["--help"], terminal_width=120).output)
    assert top == {
        "import",
        "redact",
        "search",
        "ask",
        "reindex",
        "stats",
        "migrate-to",
        "export",
        "delete",
        "init",
        "handoff",
        "showcase",
        "users",
        "privacy",
        "roster",
        "keys",
        "entries",
        "audit",
        "serve",
        "tokens",
        "mentoring",
        "council",
        "rotations",
        "impact",
        "programme",
        "inclusion",
        "signals",
        "surveys",
        "coverage",
    }
    users = CliRunner().invoke(cli.app, ["users", "--help"], terminal_width=120).output
    assert {"passwd", "link-sso", "add", "deactivate"} <= _commands(users)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


def test_command_modules_import_only_common_from_the_package() -> None:
    for path in sorted(PACKAGE.glob("*.py")):
        if path.name in {"__init__.py", "__main__.py"}:
            continue
        mine = {m for m in _imports(path) if m == "playbook.cli" or m.startswith("playbook.cli.")}
        allowed = set() if path.name == "common.py" else {"playbook.cli.common"}
        # `from playbook.cli.common import x` shows as the module and as module.x
        assert {m for m in mine if not m.startswith("playbook.cli.common.")} <= allowed, path


def test_no_module_of_the_package_is_long() -> None:
    for path in PACKAGE.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) < 400, path
