"""The ``Drafts`` contract: one autosaved draft per user and form, kept as the bytes given."""

from __future__ import annotations

import pytest

from playbook.ports import Drafts
from tests.contracts.stores import Cast, PeopledStore


class DraftsContract(PeopledStore):
    """Tests every ``Drafts`` adapter passes; a subclass provides ``subject`` and a
    ``directory`` over the same store (drafts belong to real users)."""

    @pytest.fixture
    def subject(self) -> Drafts:
        """An empty draft store of the adapter under test."""
        raise NotImplementedError("a subclass provides the Drafts under test")

    def test_a_saved_draft_comes_back_byte_for_byte(self, subject: Drafts, people: Cast) -> None:
        sealed = bytes(range(256))  # ciphertext: any bytes, including NUL
        subject.save(people.ada, "journal", sealed)
        assert subject.get(people.ada, "journal") == sealed

    def test_no_draft_is_none(self, subject: Drafts, people: Cast) -> None:
        assert subject.get(people.ada, "journal") is None

    def test_saving_again_replaces_the_draft(self, subject: Drafts, people: Cast) -> None:
        subject.save(people.ada, "journal", b"first")
        subject.save(people.ada, "journal", b"second")
        assert subject.get(people.ada, "journal") == b"second"

    def test_drafts_are_kept_per_user_and_form(self, subject: Drafts, people: Cast) -> None:
        subject.save(people.ada, "journal", b"ada journal")
        subject.save(people.ada, "debrief", b"ada debrief")
        subject.save(people.ravi, "journal", b"ravi journal")
        assert subject.get(people.ada, "journal") == b"ada journal"
        assert subject.get(people.ada, "debrief") == b"ada debrief"
        assert subject.get(people.ravi, "journal") == b"ravi journal"
        assert subject.get(people.ravi, "debrief") is None

    def test_discard_forgets_one_draft_and_is_safe_twice(
        self, subject: Drafts, people: Cast
    ) -> None:
        subject.save(people.ada, "journal", b"ada journal")
        subject.save(people.ada, "debrief", b"ada debrief")
        subject.save(people.ravi, "journal", b"ravi journal")
        subject.discard(people.ada, "journal")
        subject.discard(people.ada, "journal")
        subject.discard(people.olga, "never-saved")
        assert subject.get(people.ada, "journal") is None
        assert subject.get(people.ada, "debrief") == b"ada debrief"
        assert subject.get(people.ravi, "journal") == b"ravi journal"
        subject.save(people.ada, "journal", b"again")
        assert subject.get(people.ada, "journal") == b"again"
