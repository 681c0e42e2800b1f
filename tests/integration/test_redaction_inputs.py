"""Bad and unusual input to the real engine: each gets a defined result, never a silent pass."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ingest.redact import PresidioRedactor
from playbook.models import Role
from playbook.pseudonyms import Pseudonymizer, RedactionError
from playbook.services.documents import ImportOptions
from playbook.settings import Settings
from playbook.wiring import Container

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def engine(nlp: Any) -> PresidioRedactor:
    return PresidioRedactor(nlp, Pseudonymizer(b"inputs"))


@pytest.mark.parametrize("text", ["", " ", "\n\n\t", "🙂🙂🙂", "----", "\x00\x01"])
def test_text_without_words_comes_back_unchanged(engine: PresidioRedactor, text: str) -> None:
    assert engine.redact_batch([text])[0].text == text


def test_huge_text_is_redacted_all_the_way_through(engine: PresidioRedactor) -> None:
    filler = "We reviewed the Q3 pricing plan for the Singapore market and agreed next steps. "
    text = filler * 1500 + "Call Tony Mercer on +44 20 7946 0958." + filler * 500
    assert len(text) > 150_000
    out = engine.redact_batch([text])[0].text
    assert "Mercer" not in out and "7946" not in out and out.count("Singapore") == 2000


@pytest.mark.parametrize(
    ("text", "gone"),
    [
        (
            "Ayer hablé con María José sobre el presupuesto: maria.jose@empresa.es",
            ["María", "maria.jose@empresa.es"],
        ),
        (
            "Gestern habe ich mit Jürgen Müller telefoniert, +49 30 901820.",
            ["Jürgen", "+49 30 901820"],
        ),
        (
            "J'ai parlé avec Amélie hier; son numéro est +33 1 42 68 53 00.",
            ["Amélie", "+33 1 42 68 53 00"],
        ),
    ],
)
def test_other_languages_still_lose_names_and_contact_data(
    engine: PresidioRedactor, text: str, gone: list[str]
) -> None:
    out = engine.redact_batch([text])[0].text
    for value in gone:
        assert value not in out


def test_an_engine_failure_stores_nothing_and_says_so(
    data_dir: Path, nlp: Any, st_model: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = Container(Settings(data_dir=data_dir, secret_key="s"))
    c.records.add_user("ada", roles=[Role.LEADER])

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise MemoryError("spaCy ran out of memory")

    monkeypatch.setattr(c.redactor._batch, "analyze_iterator", broken)
    src = tmp_path / "n.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Tony Mercer said no."}) + "\n")
    report = c.service.import_paths([src], ImportOptions(as_user="ada"))
    assert report.failed == 1
    [problem] = next(iter(report.files.values())).problems
    assert "redaction failed" in str(problem)
    assert c.records.documents() == []
    with pytest.raises(RedactionError, match="redaction failed"):
        c.redactor.redact_batch(["Tony Mercer said no."])


def test_a_possessive_stays_outside_the_placeholder(engine: PresidioRedactor) -> None:
    out = engine.redact_batch(["I waited for Tony Mercer's numbers."])[0].text
    assert out.endswith("'s numbers.") and "Mercer" not in out
