"""Stand-ins that reach the container's current part on each call: the redaction engine
loads only when something is redacted, and the keyring is re-read after key rotation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from playbook.models import Redaction, RedactionPolicy
from playbook.pseudonyms import Finding, Pseudonymizer, Roster

if TYPE_CHECKING:
    from playbook.wiring.container import Container


class LazyRedactor:
    """Loads the redaction engine on first use: searching or re-importing unchanged content
    never needs it, and loading spaCy costs seconds."""

    def __init__(self, container: Container) -> None:
        self._container = container

    def redact_batch(
        self, texts: Sequence[str], policy: RedactionPolicy | None = None
    ) -> list[Redaction]:
        result: list[Redaction] = self._container.redactor.redact_batch(texts, policy)
        return result

    @property
    def pseudonymizer(self) -> Pseudonymizer:
        result: Pseudonymizer = self._container.redactor.pseudonymizer
        return result

    def analyze_batch(
        self, texts: Sequence[str], policy: RedactionPolicy | None = None
    ) -> list[list[Finding]]:
        result: list[list[Finding]] = self._container.redactor.analyze_batch(texts, policy)
        return result

    def set_roster(self, roster: Roster) -> None:
        self._container.redactor.set_roster(roster)


class CurrentKeyring:
    """The container's keyring as it is now (it changes when keys rotate)."""

    def __init__(self, container: Container) -> None:
        self._container = container

    def encrypt(self, text: str) -> bytes:
        return self._container.keyring.encrypt(text)

    def decrypt(self, token: bytes) -> str:
        return self._container.keyring.decrypt(token)

    def rotate(self, token: bytes) -> bytes:
        return self._container.keyring.rotate(token)

    def is_current(self, token: bytes) -> bool:
        return self._container.keyring.is_current(token)
