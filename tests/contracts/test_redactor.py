"""``RedactorContract`` against the fake (a fixed list of names) and Presidio with spaCy."""

from __future__ import annotations

from typing import Any

import pytest

from ingest.redact import PresidioRedactor
from playbook.ports import RedactionEngine
from playbook.pseudonyms import Pseudonymizer
from tests.contracts.redactor import RedactorContract
from tests.fakes import FakeRedactor


class TestFakeRedactor(RedactorContract):
    @pytest.fixture
    def subject(self) -> RedactionEngine:
        return FakeRedactor(names=("Tony",))


class TestPresidioRedactor(RedactorContract):
    pytestmark = pytest.mark.integration

    @pytest.fixture
    def subject(self, nlp: Any) -> RedactionEngine:
        return PresidioRedactor(nlp, Pseudonymizer(b"k"))
