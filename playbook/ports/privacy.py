"""Privacy seams: the redaction engine, the keyring and the privacy vault.

Adapters store bytes and strings only: encryption and keyed hashes stay in the services, so
a fake or another database needs no crypto."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass
from typing import Protocol

from playbook.models import (
    Redaction,
    RedactionPolicy,
)
from playbook.pseudonyms import Finding, Pseudonymizer, Roster


class Redactor(Protocol):
    """Replaces personal data with placeholders."""

    def redact_batch(
        self, texts: Sequence[str], policy: RedactionPolicy | None = None
    ) -> list[Redaction]:
        """Redact many texts at once; the result has one item per text, in order. The policy
        adds an author's deny-list and the allow-list terms that apply."""
        ...


class Keys(Protocol):
    """The installation's encryption keys as they are now (they change when keys rotate)."""

    def encrypt(self, text: str) -> bytes:
        """Encrypt text with the newest key."""
        ...

    def decrypt(self, token: bytes) -> str:
        """Decrypt a token made with any key still held."""
        ...

    def rotate(self, token: bytes) -> bytes:
        """The same plaintext under the newest key."""
        ...

    def is_current(self, token: bytes) -> bool:
        """Whether the newest key protects this token."""
        ...


class RedactionEngine(Redactor, Protocol):
    """A redactor that also shows its work (for the preview) and takes a new roster."""

    @property
    def pseudonymizer(self) -> Pseudonymizer:
        """Makes the placeholders that findings are replaced with."""
        ...

    def analyze_batch(
        self, texts: Sequence[str], policy: RedactionPolicy | None = None
    ) -> list[list[Finding]]:
        """Findings in original-text coordinates, one list per text, non-overlapping."""
        ...

    def set_roster(self, roster: Roster) -> None:
        """Use a new people directory from the next call on."""
        ...


@dataclass(frozen=True)
class StoredTerm:
    """A deny or allow term as stored: encrypted, with the keyed hash that finds it again."""

    id: str
    user_id: str | None  # None: the installation's own list
    kind: str
    ciphertext: bytes
    approved: bool
    decided_by: str | None


@dataclass(frozen=True)
class SealedDocument:
    """What only a document's author may read, with what the permission check needs."""

    owner_id: str
    programme_id: str
    original_ciphertext: bytes | None
    vault_ciphertext: bytes | None


@dataclass(frozen=True)
class SealedValue:
    """One encrypted value at rest; ``column`` and ``row_id`` mean something only to the
    adapter that yielded it."""

    column: str
    row_id: str | int
    token: bytes


class PrivacyVault(Protocol):
    """Term lists, the roster and the encrypted originals, as ciphertext."""

    def add_term(
        self, user_id: str | None, kind: str, term_hash: str, ciphertext: bytes, approved: bool
    ) -> StoredTerm:
        """The term with this hash on this list, added when missing (once, even when two
        callers add it at the same moment)."""
        ...

    def terms(self, user_id: str | None) -> list[StoredTerm]:
        """A user's list (``None``: the installation's), oldest first."""
        ...

    def policy_terms(self, user_id: str | None) -> list[StoredTerm]:
        """The terms that apply to a user's content: theirs and the installation's."""
        ...

    def remove_term(self, user_id: str | None, term_id: str) -> bool:
        """Delete a term from this list; False when it holds no such term."""
        ...

    def term(self, term_id: str) -> StoredTerm | None:
        """A term by id, on whichever list."""
        ...

    def pending_terms(self, user_ids: Collection[str]) -> list[StoredTerm]:
        """These users' allow terms that nobody decided on yet."""
        ...

    def decide_term(self, term_id: str, approved: bool, decided_by: str) -> StoredTerm | None:
        """Record a coordinator's decision on a term; None when there is no such term."""
        ...

    def members_of(self, programme_ids: Collection[str]) -> set[str]:
        """Ids of the users who hold any role in these programmes."""
        ...

    def save_roster(self, ciphertext: bytes, people: int, updated_by: str) -> None:
        """Replace the stored roster."""
        ...

    def roster(self) -> bytes | None:
        """The stored roster, if one was uploaded."""
        ...

    def sealed_document(self, document_id: str) -> SealedDocument | None:
        """A live document's owner, programme, encrypted original and vault."""
        ...

    def sealed_values(self, batch: int) -> Iterator[list[SealedValue]]:
        """Every encrypted value at rest, ``batch`` at a time, each batch read on its own
        (the store stays usable between batches)."""
        ...

    def replace_sealed(self, changes: Sequence[tuple[SealedValue, bytes]]) -> int:
        """Put new tokens in place of values that still hold the token read; how many."""
        ...

    def count_sealed(self, where: Callable[[bytes], bool]) -> int:
        """How many encrypted values at rest ``where`` holds true for."""
        ...
