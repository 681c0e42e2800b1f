"""Limits before work: a record over a limit fails alone, with a sentence naming the limit,
and everything else in the import is stored and searchable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from playbook.curation import EntryFormError
from playbook.models import EntryContent, Role
from playbook.service import ImportOptions
from playbook.settings import Settings
from playbook.wiring import Container


@pytest.fixture
def c(fake_container: Container) -> Container:
    fake_container.records.add_user("ada", roles=[Role.LEADER])
    fake_container.records.add_user("cora", roles=[Role.COORDINATOR])
    return fake_container


def test_a_record_with_eleven_thousand_tags_fails_alone(c: Container, tmp_path: Path) -> None:
    f = tmp_path / "tags.jsonl"
    rows = [
        {"id": "ok", "text": "Pricing lesson one", "tags": ["pricing"]},
        {"id": "many", "text": "Pricing lesson two", "tags": [f"t{i}" for i in range(11_000)]},
        {"id": "long", "text": "Pricing lesson three", "tags": ["x" * 65]},
        {"id": "last", "text": "Pricing lesson four"},
    ]
    f.write_text("".join(json.dumps(r) + "\n" for r in rows))
    report = c.service.import_paths([f], ImportOptions(as_user="ada", load=c.load_options))
    assert report.total("created") == 2
    messages = [p.message for fr in report.files.values() for p in fr.problems]
    assert messages == [
        "11,000 tags is too many; keep at most 50 (the ones people filter by)",
        "the tag 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…' has 65 characters; "
        "a tag has at most 64",
    ]
    assert {h.source_label for h in c.service.search("ada", "pricing lesson")} == {"ok", "last"}


def test_the_tag_limits_are_settings(fake_container: Container, tmp_path: Path) -> None:
    c = fake_container
    c.settings = Settings(data_dir=c.settings.data_dir, secret_key="x", max_tags=2)
    c.__dict__.pop("load_options", None)
    c.records.add_user("ada", roles=[Role.LEADER])
    f = tmp_path / "t.jsonl"
    f.write_text(json.dumps({"text": "x", "tags": ["a", "b", "c"]}) + "\n")
    report = c.service.import_paths([f], ImportOptions(as_user="ada", load=c.load_options))
    [problem] = [p.message for fr in report.files.values() for p in fr.problems]
    assert problem.startswith("3 tags is too many; keep at most 2")


def test_an_entry_with_too_many_tags_is_refused_on_its_field(c: Container) -> None:
    cora = c.records.principal("cora")
    programme = next(iter(cora.programme_ids))
    with pytest.raises(EntryFormError) as refused:
        c.curation.create(
            cora,
            programme,
            EntryContent(
                title="T", sections={"lesson": "x"}, tags=tuple(f"t{i}" for i in range(51))
            ),
        )
    assert refused.value.errors == {
        "tags": "51 tags is too many; keep at most 50 (the ones people filter by)"
    }
    assert c.curation.entries.listing([programme]) == []  # nothing was stored
