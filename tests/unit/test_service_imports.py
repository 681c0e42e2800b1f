"""Services own no I/O: no module under ``playbook/services/`` imports a database, a model, an
index engine or one of the adapters over them, at module level or inside a function. They see
``playbook.ports`` and ``playbook.models``; only ``playbook.wiring`` builds adapters.

Checked on the source with ``ast`` (nothing is imported), so a lazy import inside a function
counts as much as one at the top.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ROOT / "playbook" / "services"

# Engines and the SQLAlchemy adapters: a service that needs one takes a port instead.
FORBIDDEN = (
    "sqlalchemy",
    "presidio_analyzer",
    "presidio_anonymizer",
    "presidio",
    "chromadb",
    "sentence_transformers",
    "langchain",
    "langchain_core",
    "langchain_community",
    "playbook.store",
)
# ``ingest`` is the adapters' package: every module in it is one, except these, which hold
# no engine (the pipeline is written against the ports; chunking and the lexicon are pure).
INGEST_ALLOWED = (
    "ingest.pipeline",
    "ingest.chunk",
    "ingest.lexicon",
    "ingest.importers.base",  # records, options and problems: plain data
)

# (service module, what it imports) that still break the rule, to be emptied as their owners
# move them onto ports. Anything not listed fails; an entry that no longer applies is reported
# as a skip (``-ra``) naming it, so it is removed rather than left to cover a new import.
KNOWN_EXCEPTIONS: set[tuple[str, str]] = set()


def _module_name(path: Path, root: Path = ROOT) -> str:
    parts = path.relative_to(root).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, root: Path = ROOT) -> Iterator[str]:
    """Every module ``path`` imports, wherever the import stands (relative ones resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _module_name(path, root).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package[: len(package) - node.level + 1]
                yield ".".join([*base, node.module] if node.module else base)
            elif node.module:
                yield node.module
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value  # importlib.import_module("...")


def _forbidden(name: str) -> bool:
    def under(prefix: str) -> bool:
        return name == prefix or name.startswith(prefix + ".")

    if any(under(p) for p in FORBIDDEN) or name.startswith(("presidio", "langchain")):
        return True
    return under("ingest") and not any(under(p) for p in INGEST_ALLOWED)


def _violations() -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    for path in sorted(SERVICES.rglob("*.py")):
        found |= {(_module_name(path), name) for name in _imports(path) if _forbidden(name)}
    return found


def test_no_service_imports_an_engine_or_an_adapter() -> None:
    found = _violations()
    new = sorted(found - KNOWN_EXCEPTIONS)
    assert not new, (
        "services must take ports (playbook.ports), not import engines or adapters; "
        f"move these behind a port built in playbook.wiring: {new}"
    )


def test_every_known_exception_is_still_needed() -> None:
    fixed = sorted(KNOWN_EXCEPTIONS - _violations())
    if fixed:
        pytest.skip(f"no longer imported, remove from KNOWN_EXCEPTIONS: {fixed}")


def test_the_check_sees_lazy_relative_and_dynamic_imports(tmp_path: Path) -> None:
    """The checker itself: an import inside a function, a relative import of the store and
    an ``import_module`` call are all found; allowed modules are not reported."""
    pkg = tmp_path / "playbook" / "services"
    pkg.mkdir(parents=True)
    probe = pkg / "probe.py"
    probe.write_text(
        "import importlib\n"
        "from ingest.pipeline import IngestPipeline\n"
        "from playbook.ports import Drafts\n"
        "def f():\n"
        "    import sqlalchemy.orm\n"
        "    from ..store import SqlVault\n"
        "    importlib.import_module('ingest.embed')\n",
        encoding="utf-8",
    )
    names = set(_imports(probe, root=tmp_path))
    assert {n for n in names if _forbidden(n)} == {
        "sqlalchemy.orm",
        "playbook.store",
        "ingest.embed",
    }
    assert not _forbidden("ingest.pipeline") and not _forbidden("playbook.ports")
