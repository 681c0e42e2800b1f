"""Reflection prompt sets and LLM templates, kept as versioned data files (YAML) beside this
module and validated when loaded."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

HERE = Path(__file__).resolve().parent
SETS = HERE / "sets"


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


# -- reflection prompt sets ------------------------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FollowUp(_Strict):
    """A follow-up question and the words in an entry that make it apply."""

    text: str = Field(min_length=5)
    cues: tuple[str, ...] = ()

    @field_validator("cues")
    @classmethod
    def _lower(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(c.strip().casefold() for c in value if c.strip())


class Prompt(_Strict):
    """One guided prompt: the question, why it matters, and its follow-ups."""

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    text: str = Field(min_length=5)
    why: str = Field(min_length=5)
    follow_ups: tuple[FollowUp, ...] = ()


class PromptSet(_Strict):
    """A versioned set of prompts for one kind of reflection."""

    id: str = Field(pattern=r"^[a-z0-9-]+$")
    version: int = Field(ge=1)
    title: str = Field(min_length=3)
    category: str = Field(min_length=2)
    kind: Literal["journal", "debrief", "session_note", "council_note"]
    description: str = ""
    prompts: tuple[Prompt, ...] = Field(min_length=1)

    @field_validator("prompts")
    @classmethod
    def _unique_ids(cls, value: tuple[Prompt, ...]) -> tuple[Prompt, ...]:
        ids = [p.id for p in value]
        dupes = sorted({i for i in ids if ids.count(i) > 1})
        if dupes:
            raise ValueError(f"prompt ids must be unique; repeated: {', '.join(dupes)}")
        return value


@dataclass(frozen=True)
class Library:
    """The prompt sets that loaded, and a clear message for each file that did not."""

    sets: dict[str, PromptSet]
    errors: tuple[str, ...] = field(default=())

    def prompt(self, set_id: str, prompt_id: str) -> Prompt | None:
        """A prompt by its set and id."""
        ps = self.sets.get(set_id)
        return next((p for p in ps.prompts if p.id == prompt_id), None) if ps else None


def _describe(path: Path, exc: ValidationError) -> str:
    parts = []
    for err in exc.errors():
        where = ".".join(str(x) for x in err["loc"]) or "(top)"
        parts.append(f"{where}: {err['msg']}")
    return f"{path.name}: " + "; ".join(parts)


def load_set(path: Path) -> PromptSet:
    """Read and check one prompt-set file; PromptFileError names the file and the field."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PromptFileError(f"{path.name}: cannot read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise PromptFileError(f"{path.name}: not valid YAML{where}") from None
    if not isinstance(data, dict):
        raise PromptFileError(f"{path.name}: expected a mapping with id, title, prompts...")
    try:
        ps = PromptSet.model_validate(data)
    except ValidationError as exc:
        raise PromptFileError(_describe(path, exc)) from None
    if ps.id != path.stem:
        raise PromptFileError(f"{path.name}: id {ps.id!r} must match the file name")
    return ps


def load_library(folder: Path = SETS) -> Library:
    """Every prompt set in ``folder``; a broken file is reported, the others still load."""
    sets: dict[str, PromptSet] = {}
    errors: list[str] = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            ps = load_set(path)
        except PromptFileError as exc:
            errors.append(str(exc))
            continue
        sets[ps.id] = ps
    if not sets and not errors:
        errors.append(f"no prompt sets found in {folder}")
    return Library(sets, tuple(errors))
