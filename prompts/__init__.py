"""Reflection prompt sets and LLM templates, kept as versioned data files (YAML) beside this
module and validated when loaded."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent


class PromptFileError(ValueError):
    """A prompt file is missing or malformed; the message names the file and the problem."""


@dataclass(frozen=True)
class Template:
    """An LLM template: a system message and a user message with ``{placeholders}``."""

    name: str
    version: int
    system: str
    user: str


@cache
def template(name: str) -> Template:
    """Load and check ``prompts/<name>.yaml``."""
    path = HERE / f"{name}.yaml"
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PromptFileError(f"{path.name}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        raise PromptFileError(f"{path.name}: not valid YAML ({exc})") from None
    if not isinstance(data, dict):
        raise PromptFileError(f"{path.name}: expected a mapping at the top")
    missing = [k for k in ("name", "version", "system", "user") if k not in data]
    if missing:
        raise PromptFileError(f"{path.name}: missing {', '.join(missing)}")
    if not isinstance(data["version"], int):
        raise PromptFileError(f"{path.name}: version must be a whole number")
    return Template(str(data["name"]), data["version"], str(data["system"]), str(data["user"]))
