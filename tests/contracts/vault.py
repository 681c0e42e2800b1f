"""The ``PrivacyVault`` contract: term lists, the roster and sealed originals, as ciphertext.

The vault never decrypts, so the "ciphertexts" here are plain marker bytes: what matters is
that each comes back where it was put, and that key rotation (``sealed_values`` then
``replace_sealed``) reaches every value and never overwrites one written meanwhile.
"""

from __future__ import annotations

import dataclasses

import pytest

from playbook.ports import Documents, PrivacyVault
from tests.contracts.stores import Cast, WithDocuments, doc


class PrivacyVaultContract(WithDocuments):
    """Tests every ``PrivacyVault`` adapter passes; a subclass provides ``subject`` and the
    ``directory`` and ``documents`` of the same store (the vault reads their rows)."""

    @pytest.fixture
    def subject(self) -> PrivacyVault:
        """The vault of an empty store of the adapter under test."""
        raise NotImplementedError("a subclass provides the PrivacyVault under test")

    @pytest.fixture
    def sealed_doc(self, documents: Documents, people: Cast) -> str:
        """Id of ada's document with an encrypted original and vault."""
        prepared = dataclasses.replace(
            doc(people.ada, people.north, "sealed"),
            original_ciphertext=b"original-v1",
            vault_ciphertext=b"vault-v1",
        )
        return documents.save([prepared])[0][0]

    def test_a_term_is_added_once_per_list(self, subject: PrivacyVault, people: Cast) -> None:
        first = subject.add_term(people.ada, "deny", "h1", b"acme-v1", True)
        again = subject.add_term(people.ada, "deny", "h1", b"acme-other", True)
        assert again == first and first.ciphertext == b"acme-v1"
        installation = subject.add_term(None, "deny", "h1", b"acme-v1", True)
        assert installation.id != first.id and installation.user_id is None
        assert (first.user_id, first.kind, first.approved) == (people.ada, "deny", True)
        assert subject.term(first.id) == first
        assert subject.term("no-such-id") is None

    def test_terms_oldest_first_per_list(self, subject: PrivacyVault, people: Cast) -> None:
        a = subject.add_term(people.ada, "deny", "h1", b"one", True)
        b = subject.add_term(people.ada, "allow", "h2", b"two", False)
        subject.add_term(people.ravi, "deny", "h3", b"ravi's", True)
        own = subject.add_term(None, "deny", "h4", b"installation", True)
        assert subject.terms(people.ada) == [a, b]
        assert subject.terms(None) == [own]

    def test_policy_terms_are_ones_own_and_the_installations(
        self, subject: PrivacyVault, people: Cast
    ) -> None:
        mine = subject.add_term(people.ada, "deny", "h1", b"ada's", True)
        subject.add_term(people.ravi, "deny", "h2", b"ravi's", True)
        shared = subject.add_term(None, "allow", "h3", b"installation", True)
        assert {t.id for t in subject.policy_terms(people.ada)} == {mine.id, shared.id}
        assert {t.id for t in subject.policy_terms(None)} == {shared.id}

    def test_remove_term_only_from_its_own_list(self, subject: PrivacyVault, people: Cast) -> None:
        term = subject.add_term(people.ada, "deny", "h1", b"ada's", True)
        assert subject.remove_term(people.ravi, term.id) is False
        assert subject.remove_term(None, term.id) is False
        assert subject.remove_term(people.ada, term.id) is True
        assert subject.remove_term(people.ada, term.id) is False
        assert subject.term(term.id) is None and subject.terms(people.ada) == []

    def test_pending_allow_terms_until_decided(self, subject: PrivacyVault, people: Cast) -> None:
        asked = subject.add_term(people.ada, "allow", "h1", b"ask", False)
        subject.add_term(people.ada, "allow", "h2", b"granted", True)
        subject.add_term(people.ada, "deny", "h3", b"deny", False)
        subject.add_term(people.olga, "allow", "h4", b"olga's", False)
        assert subject.pending_terms({people.ada, people.ravi}) == [asked]
        decided = subject.decide_term(asked.id, False, people.cora)
        assert decided is not None
        assert (decided.approved, decided.decided_by) == (False, people.cora)
        assert subject.term(asked.id) == decided
        assert subject.pending_terms({people.ada}) == []  # declined is decided too
        assert subject.decide_term("no-such-id", True, people.cora) is None

    def test_members_of_programmes(self, subject: PrivacyVault, people: Cast) -> None:
        assert subject.members_of({people.north}) == {people.ada, people.ravi, people.cora}
        assert subject.members_of({people.north, people.south}) == {
            people.ada,
            people.ravi,
            people.cora,
            people.olga,
        }
        assert subject.members_of(set()) == set()

    def test_the_roster_is_replaced_whole(self, subject: PrivacyVault, people: Cast) -> None:
        assert subject.roster() is None
        subject.save_roster(b"roster-1", 10, people.cora)
        subject.save_roster(b"roster-2", 12, people.cora)
        assert subject.roster() == b"roster-2"

    def test_a_sealed_document_of_live_documents_only(
        self, subject: PrivacyVault, documents: Documents, people: Cast, sealed_doc: str
    ) -> None:
        sealed = subject.sealed_document(sealed_doc)
        assert sealed is not None
        assert (sealed.owner_id, sealed.programme_id) == (people.ada, people.north)
        assert (sealed.original_ciphertext, sealed.vault_ciphertext) == (
            b"original-v1",
            b"vault-v1",
        )
        assert subject.sealed_document("no-such-id") is None
        documents.delete(sealed_doc)
        assert subject.sealed_document(sealed_doc) is None

    def test_sealed_values_reach_every_value_in_batches(
        self, subject: PrivacyVault, people: Cast, sealed_doc: str
    ) -> None:
        for i in range(3):
            subject.add_term(people.ada, "deny", f"h{i}", f"term-{i}-v1".encode(), True)
        subject.save_roster(b"roster-v1", 3, people.cora)
        batches = list(subject.sealed_values(2))
        assert all(1 <= len(b) <= 2 for b in batches)
        tokens = sorted(v.token for b in batches for v in b)
        assert tokens == sorted(
            [b"original-v1", b"vault-v1", b"roster-v1"]
            + [f"term-{i}-v1".encode() for i in range(3)]
        )
        assert subject.count_sealed(lambda t: t.endswith(b"-v1")) == 6
        assert subject.count_sealed(lambda t: t.startswith(b"term-")) == 3

    def test_replace_sealed_only_where_the_token_is_unchanged(
        self, subject: PrivacyVault, people: Cast, sealed_doc: str
    ) -> None:
        term = subject.add_term(people.ada, "deny", "h1", b"term-v1", True)
        subject.save_roster(b"roster-v1", 3, people.cora)
        values = [v for b in subject.sealed_values(100) for v in b]
        subject.save_roster(b"roster-new", 4, people.cora)  # written after the read
        done = subject.replace_sealed([(v, v.token.replace(b"-v1", b"-v2")) for v in values])
        assert done == len(values) - 1
        assert subject.roster() == b"roster-new"
        assert subject.terms(people.ada)[0].ciphertext == b"term-v2" != term.ciphertext
        sealed = subject.sealed_document(sealed_doc)
        assert sealed is not None and sealed.original_ciphertext == b"original-v2"
        assert subject.count_sealed(lambda t: t.endswith(b"-v1")) == 0
        assert subject.replace_sealed([]) == 0
