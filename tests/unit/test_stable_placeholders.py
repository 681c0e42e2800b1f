"""Stable placeholders (issue 22): a roster upload, or a recognizer that finds more, never
changes the placeholder a person already has, so older documents keep matching name searches
without ``reindex --re-redact``."""

from __future__ import annotations

from pathlib import Path

import pytest

from playbook.models import Role
from playbook.pseudonyms import (
    TOKEN_PATTERN,
    Finding,
    Pseudonymizer,
    Roster,
    _merge,
    apply_findings,
)
from playbook.wiring import Container
from tests.fakes import FakeRedactor
from tests.unit.test_privacy import import_text

ROSTER = "name,email\nZora Okonkwo,zora.okonkwo@acme.example\n"


def tokens(text: str) -> list[str]:
    return TOKEN_PATTERN.findall(text)


def ner(text: str, *values: str) -> list[Finding]:
    """Findings as the engine gives them without a roster (no identity key)."""
    out = []
    for value in values:
        start = text.rindex(value)  # "Zora" after "Zora Okonkwo": the later mention
        label = "EMAIL" if "@" in value else "PERSON"
        out.append(Finding(start, start + len(value), label, 0.85, "SpacyRecognizer"))
    return _merge(out)


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("Zora Okonkwo said no; Zora agreed later.", ("Zora Okonkwo", "Zora")),
        ("Zora wants the Lagos role.", ("Zora",)),
        ("Okonkwo wants the Lagos role.", ("Okonkwo",)),
        ("Write to zora.okonkwo@acme.example today.", ("zora.okonkwo@acme.example",)),
        ("ZORA OKONKWO asked for the data.", ("ZORA OKONKWO",)),
    ],
)
def test_a_roster_keeps_the_placeholders_found_before_it(text: str, values: tuple[str]) -> None:
    pseudo = Pseudonymizer(b"k")
    before = apply_findings(pseudo, text, ner(text, *values)).text
    roster = Roster.from_csv(ROSTER)
    after = apply_findings(pseudo, text, _merge(ner(text, *values) + roster.matcher.find(text)))
    assert tokens(after.text) == tokens(before)


def test_a_roster_finds_a_missed_mention_with_the_full_names_placeholder() -> None:
    pseudo = Pseudonymizer(b"k")
    text = "Zora Okonkwo presented; okonkwo took the questions."
    before = apply_findings(pseudo, text, ner(text, "Zora Okonkwo")).text
    found = _merge(ner(text, "Zora Okonkwo") + Roster.from_csv(ROSTER).matcher.find(text))
    after = apply_findings(pseudo, text, found).text
    assert "okonkwo" not in after.casefold()
    assert set(tokens(after)) == set(tokens(before))  # one person, the placeholder she had


@pytest.fixture
def c(fake_container: Container) -> Container:
    fake_container.override(redactor=FakeRedactor(names=("Zora Okonkwo", "Tony")))
    r = fake_container.records
    r.add_user("ada", roles=[Role.LEADER])
    r.add_user("ravi", roles=[Role.PARTICIPANT])
    r.add_user("sam", roles=[Role.ADMIN])
    return fake_container


def test_a_roster_upload_keeps_old_placeholders_and_name_search(
    c: Container, tmp_path: Path
) -> None:
    doc = import_text(c, tmp_path, "ada", "Zora Okonkwo reviewed the Lagos plan.", "shared")
    before = c.records.document(doc)
    assert before is not None and "Zora" not in before.redacted_text
    c.privacy.set_roster(c.records.principal("sam"), ROSTER)
    assert c.pipeline.reredact(c.keyring.decrypt) == 0  # nothing to change: same placeholders
    after = c.records.document(doc)
    assert after is not None and after.redacted_text == before.redacted_text
    hits = c.service.search("ravi", "Zora Okonkwo Lagos plan")
    assert [h for h in hits if tokens(before.redacted_text)[0] in h.text]
    new = import_text(c, tmp_path, "ada", "Zora Okonkwo and Tony closed the Lagos deal.", "shared")
    stored = c.records.document(new)
    assert stored is not None and tokens(before.redacted_text)[0] in stored.redacted_text
