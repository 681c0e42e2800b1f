"""Front ends call services, never stores: no page, command or ``app.py`` reaches into the
container's records, audit log or entries (``playbook.services`` has a use case for each)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FRONT_ENDS = [
    *sorted((ROOT / "playbook" / "ui").glob("*.py")),
    *sorted((ROOT / "playbook" / "cli").glob("*.py")),
    *sorted((ROOT / "playbook" / "api").glob("*.py")),
    ROOT / "app.py",
]
STORES = {"records", "audit", "entries"}
# The names a front end gives the container, or the calls that return it.
CONTAINER_NAMES = {"c", "container"}
CONTAINER_CALLS = {"container", "get_container", "build_container"}
ALLOWED = {
    # Opening the store migrates it: startup does that before the first page or command,
    # with nothing read or written (a bare attribute, no call on it).
    ("playbook/ui/common.py", "c.records"),
    ("playbook/cli/data.py", "c.records"),
}


def _root(node: ast.expr) -> ast.expr:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node


def _is_container(node: ast.expr) -> bool:
    if isinstance(node, ast.Name):
        return node.id in CONTAINER_NAMES
    if isinstance(node, ast.Call):
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        return name in CONTAINER_CALLS
    return False


def store_access(rel: str, source: str) -> list[tuple[str, int, str]]:
    """(file, line, expression) of every attribute path from the container that passes
    through ``records``, ``audit`` or ``entries``: ``c.records.x``, ``c.curation.entries``,
    ``get_container().audit``..."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr in STORES and _is_container(_root(node)):
            text = ast.unparse(node)
            if (rel, text) not in ALLOWED:
                found.append((rel, node.lineno, text))
    return found


def test_front_ends_reach_no_store() -> None:
    assert len(FRONT_ENDS) > 15  # the globs found the pages and the commands
    found = [
        hit
        for path in FRONT_ENDS
        for hit in store_access(path.relative_to(ROOT).as_posix(), path.read_text("utf-8"))
    ]
    assert found == [], found


def test_the_check_finds_what_it_looks_for() -> None:
    sample = (
        "c = get_container()\n"
        "c.records.users()\n"
        "c.curation.entries.listing([])\n"
        "common.get_container().audit.record('x', 'y')\n"
        "view.entries\n"  # not the container: fine
    )
    hits = [text for _, _, text in store_access("playbook/ui/sample.py", sample)]
    assert hits == ["c.records", "c.curation.entries", "common.get_container().audit"]
