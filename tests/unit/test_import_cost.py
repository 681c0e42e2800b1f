"""Importing the command line (and the services behind it) loads no model, engine or LLM
library: `playbook --help` and every command that needs none start at once."""

from __future__ import annotations

import subprocess
import sys

HEAVY = (
    "torch",
    "sentence_transformers",
    "spacy",
    "presidio_analyzer",
    "chromadb",
    "langchain",
    "langchain_core",
    "streamlit",
)


def test_importing_the_cli_loads_no_model_engine_or_llm_library() -> None:
    code = (
        "import sys, playbook.cli, playbook.services.documents, playbook.services.privacy;"
        "import playbook.pseudonyms;"
        f"print([m for m in {HEAVY!r} if m in sys.modules])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]", out


def test_the_cli_alone_builds_nothing_until_a_command_runs() -> None:
    """`playbook --help` and a mistyped command need no settings, store or services: the
    container and what it builds are imported by the first command that uses them."""
    later = (
        "playbook.wiring",
        "playbook.settings",
        "playbook.store",
        "playbook.services.documents",
        "sqlalchemy.orm",
        "pydantic_settings",
    )
    code = f"import sys, playbook.cli; print([m for m in {later!r} if m in sys.modules])"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]", out
