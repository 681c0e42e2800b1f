"""Sample people and documents the storage contracts share.

``cast(directory)`` seats four people in two programmes through the ``Directory`` port, so a
suite that needs real user and programme ids (the stores check them) gets them the same way
on every backend; ``doc(...)`` builds a redacted, chunked document ready for ``Documents.save``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

import pytest

from playbook.models import Kind, NewDocument, PreparedDocument, Role, Span, Visibility
from playbook.ports import Directory, Documents

# A fixed day, so "newest first" follows from the documents' own dates, not the clock.
DAY = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Cast:
    """Ids of the sample people and programmes.

    ada (leader), ravi (participant) and cora (coordinator) are in ``north``; olga (leader)
    is alone in ``south``.
    """

    north: str
    south: str
    ada: str
    ravi: str
    cora: str
    olga: str


def cast(directory: Directory) -> Cast:
    """Create the sample people and programmes through ``directory``.

    Args:
        directory: An empty directory of the store under test.

    Returns:
        The ids they were given.
    """
    ids = {
        name: directory.add_user(name, roles=[role], programme=programme).user_id
        for name, role, programme in (
            ("ada", Role.LEADER, "north"),
            ("ravi", Role.PARTICIPANT, "north"),
            ("cora", Role.COORDINATOR, "north"),
            ("olga", Role.LEADER, "south"),
        )
    }
    return Cast(north=directory.programme_id("north"), south=directory.programme_id("south"), **ids)


def doc(
    owner: str,
    programme: str,
    source: str,
    text: str = "pricing under time pressure",
    visibility: Visibility = Visibility.PRIVATE,
    kind: Kind = Kind.JOURNAL,
    day: int = 0,
) -> PreparedDocument:
    """A document as the pipeline hands it to the store: one chunk, already redacted.

    Args:
        owner: The author's user id.
        programme: The programme id it belongs to.
        source: Its source id (unique per owner).
        text: Its (redacted) text; the content hash follows from it.
        visibility: Who may read it.
        kind: What sort of document it is.
        day: Days after ``DAY`` it was written (later is newer).

    Returns:
        The prepared document.
    """
    new = NewDocument(
        owner,
        programme,
        kind,
        visibility,
        f"title {source}",
        text,
        source,
        tags=("a",),
        created_at=DAY + dt.timedelta(days=day),
    )
    # Any stable hash of the content will do: the store compares it, never computes it.
    digest = hashlib.sha256(f"{text}|{visibility}|{kind}".encode()).hexdigest()
    return PreparedDocument(new, digest, text, (Span(text, 0, len(text)),))


class PeopledStore:
    """What the contracts of ports over a store with people share: the store's ``directory``
    (a subclass provides it, over the same store as ``subject``) and the sample people
    seated in it. Contracts that need them inherit from this class."""

    @pytest.fixture
    def directory(self) -> Directory:
        """The directory of the same store as ``subject``."""
        raise NotImplementedError("a subclass provides the Directory of the store under test")

    @pytest.fixture
    def people(self, directory: Directory) -> Cast:
        """The sample people, seated in the store under test."""
        return cast(directory)


class WithDocuments(PeopledStore):
    """``PeopledStore`` with the store's ``documents`` too (a subclass provides them)."""

    @pytest.fixture
    def documents(self) -> Documents:
        """The documents of the same store as ``subject``."""
        raise NotImplementedError("a subclass provides the Documents of the store under test")
