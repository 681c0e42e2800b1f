"""The ``Redactor`` contract: what every redaction engine (fake or Presidio) must do.

It holds engines to ``RedactionEngine`` (a ``Redactor`` that also reports its findings and takes
a new roster), since the product's engines are all of that kind.
"""

from __future__ import annotations

import pytest

from playbook.models import RedactionPolicy
from playbook.ports import RedactionEngine
from playbook.pseudonyms import Roster


class RedactorContract:
    """Tests every redaction engine passes; a subclass provides ``subject``, an engine that
    recognises "Tony" as a person."""

    @pytest.fixture
    def subject(self) -> RedactionEngine:
        """The engine under test."""
        raise NotImplementedError("a subclass provides the RedactionEngine under test")

    def test_keeps_order_and_offsets_point_at_placeholders(self, subject: RedactionEngine) -> None:
        texts = ["Tony missed the meeting.", "", "Nothing personal in Q3 revenue.", "  "]
        out = subject.redact_batch(texts)
        assert len(out) == 4
        assert "Tony" not in out[0].text and out[0].entities
        for e in out[0].entities:
            assert out[0].text[e.start : e.end].startswith("[") and out[0].text[e.end - 1] == "]"
        assert (
            out[1].text == ""
            and out[2].text == "Nothing personal in Q3 revenue."
            and out[3].text == "  "
        )

    def test_is_consistent_across_calls(self, subject: RedactionEngine) -> None:
        a = subject.redact_batch(["Tony called."])[0].text
        b = subject.redact_batch(["We asked Tony."])[0].text
        assert a.split()[0] == b.split()[-1].rstrip(".")

    def test_applies_a_policy(self, subject: RedactionEngine) -> None:
        policy = RedactionPolicy(deny=("Obadiah",), allow=("Tony",))
        out = subject.redact_batch(["Obadiah met Tony."], policy)[0].text
        assert "Obadiah" not in out and "Tony" in out

    def test_findings_point_into_the_original(self, subject: RedactionEngine) -> None:
        text = "Ask Tony about the Q3 plan."
        [found] = subject.analyze_batch([text])
        assert [text[f.start : f.end] for f in found] == ["Tony"]

    def test_uses_a_new_roster_at_once(self, subject: RedactionEngine) -> None:
        # Lowercase and in no slot, so only the roster makes it a name ("zebedee agreed" is
        # caught without one: a person's verb follows).
        text = "the plan came from zebedee."
        assert "zebedee" in subject.redact_batch([text])[0].text
        subject.set_roster(Roster.from_csv("name,email\nZebedee Quartermaine,z@acme.example\n"))
        assert "zebedee" not in subject.redact_batch([text])[0].text
