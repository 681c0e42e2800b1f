"""The ``Credentials`` contract: password hashes and sign-on identities of the directory's
users (the hashes are opaque strings here: hashing is the accounts use case's)."""

from __future__ import annotations

import pytest

from playbook.models import Role
from playbook.ports import Credential, Credentials, Directory
from tests.contracts.stores import PeopledStore


class CredentialsContract(PeopledStore):
    """Tests every ``Credentials`` adapter passes; a subclass provides ``subject`` and a
    ``directory`` over the same store (credentials belong to its users)."""

    @pytest.fixture
    def subject(self) -> Credentials:
        """The credentials of an empty store of the adapter under test."""
        raise NotImplementedError("a subclass provides the Credentials under test")

    def test_a_new_user_has_no_password_or_identity(
        self, subject: Credentials, directory: Directory
    ) -> None:
        directory.add_user("ada", is_demo=True)
        assert subject.credential("ada") == Credential("ada", None, True, True, None)
        assert subject.credential("ghost") is None

    def test_a_password_hash_round_trips(self, subject: Credentials, directory: Directory) -> None:
        directory.add_user("ada")
        assert subject.set_password_hash("ada", "$argon2id$first")
        assert subject.set_password_hash("ada", "$argon2id$second")
        credential = subject.credential("ada")
        assert credential is not None and credential.password_hash == "$argon2id$second"
        assert subject.set_password_hash("ghost", "$argon2id$x") is False

    def test_an_identity_links_and_unlinks(
        self, subject: Credentials, directory: Directory
    ) -> None:
        directory.add_user("ada")
        directory.add_user("ravi")
        assert subject.set_sso_identity("ada", "ada@example.org")
        found = subject.by_sso_identity("ada@example.org")
        assert found is not None and found.username == "ada"
        assert found.sso_identity == "ada@example.org"
        assert subject.by_sso_identity("ravi@example.org") is None
        assert subject.set_sso_identity("ada", None)
        assert subject.by_sso_identity("ada@example.org") is None
        assert subject.set_sso_identity("ghost", "g@example.org") is False

    def test_deactivation_shows_in_the_credential(
        self, subject: Credentials, directory: Directory
    ) -> None:
        directory.add_user("ada")
        directory.set_active("ada", False)
        credential = subject.credential("ada")
        assert credential is not None and credential.active is False

    def test_has_passwords_counts_active_users_only(
        self, subject: Credentials, directory: Directory
    ) -> None:
        directory.add_user("ada")
        assert subject.has_passwords() is False
        subject.set_password_hash("ada", "$argon2id$x")
        assert subject.has_passwords() is True
        directory.set_active("ada", False)
        assert subject.has_passwords() is False

    def test_admin_has_password_needs_an_admin_with_one(
        self, subject: Credentials, directory: Directory
    ) -> None:
        directory.add_user("ada", roles=[Role.LEADER])
        directory.add_user("root", roles=[Role.ADMIN])
        subject.set_password_hash("ada", "$argon2id$x")
        assert subject.admin_has_password() is False
        subject.set_password_hash("root", "$argon2id$y")
        assert subject.admin_has_password() is True

    def test_a_deactivated_admin_still_counts(
        self, subject: Credentials, directory: Directory
    ) -> None:
        # Deactivation is an admin's deliberate act: start-up must not answer it by creating
        # (or resetting the password of) another admin account.
        directory.add_user("root", roles=[Role.ADMIN])
        subject.set_password_hash("root", "$argon2id$y")
        directory.set_active("root", False)
        assert subject.admin_has_password() is True
