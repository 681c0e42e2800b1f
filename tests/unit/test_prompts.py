"""The prompt library: every shipped set is valid; a broken file gets a clear message."""

from __future__ import annotations

from pathlib import Path

import pytest

from prompts import SETS, PromptFileError, load_library, load_set, template

REQUIRED_THEMES = {
    "decision-quality",
    "bias-assumptions",
    "values-alignment",
    "dissent-discomfort",
    "stakeholder-relationships",
    "reverse-mentoring",
    "advisor-council",
    "rotation-before",
    "rotation-during",
    "rotation-after",
    "quarterly-impact",
}


def test_the_shipped_library_loads_whole() -> None:
    lib = load_library()
    assert lib.errors == ()
    assert set(lib.sets) == REQUIRED_THEMES
    for ps in lib.sets.values():
        for p in ps.prompts:
            assert p.why and p.follow_ups, (ps.id, p.id)
            assert all(f.cues for f in p.follow_ups), (ps.id, p.id)


def test_templates_load() -> None:
    assert "{entry}" in template("followups").user and template("ask").version >= 1


GOOD = (SETS / "values-alignment.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda s: s.replace("why:", "whyy:", 1), "prompts.0.whyy: Extra inputs are not permitted"),
        (lambda s: s.replace("kind: journal", "kind: diary"), "kind: Input should be"),
        (lambda s: s.replace("version: 1", "version: one"), "version:"),
        (lambda s: s.replace("  - id: explain", "  - id: match"), "repeated: match"),
        (lambda s: s.replace("id: values-alignment", "id: other"), "must match the file name"),
        (lambda s: s.replace("prompts:", "prompts: [", 1), "not valid YAML at line"),
        (lambda s: "just a line", "expected a mapping"),
    ],
)
def test_a_broken_file_is_named_with_its_problem_and_the_rest_still_load(
    tmp_path: Path, mutate, message: str
) -> None:
    (tmp_path / "values-alignment.yaml").write_text(mutate(GOOD), encoding="utf-8")
    (tmp_path / "dissent-discomfort.yaml").write_text(
        (SETS / "dissent-discomfort.yaml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    lib = load_library(tmp_path)
    assert list(lib.sets) == ["dissent-discomfort"]
    [error] = lib.errors
    assert error.startswith("values-alignment.yaml: ") and message in error, error
    with pytest.raises(PromptFileError):
        load_set(tmp_path / "values-alignment.yaml")


def test_an_empty_folder_says_so(tmp_path: Path) -> None:
    assert "no prompt sets found" in load_library(tmp_path).errors[0]
