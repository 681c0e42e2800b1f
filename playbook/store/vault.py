"""The privacy vault port over SQLAlchemy: deny and allow terms, the roster, the encrypted
originals authors may read, and every encrypted column for key rotation.

Values arrive and leave as ciphertext (and terms with their keyed hash): the privacy service
does the crypto, so nothing here can read what it stores.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Engine, delete, select, update

from playbook.ports import SealedDocument, SealedValue, StoredTerm
from playbook.store.engine import SqlAdapter
from playbook.store.tables import (
    DocumentRow,
    DraftRow,
    MembershipRow,
    PrivacyTermRow,
    RosterRow,
    utcnow,
)
from playbook.store.writing_tables import DocumentVersionRow

# Every encrypted column at rest, by the name a ``SealedValue`` carries. A new encrypted
# column must be listed here, or key rotation leaves it under the old key.
_ENCRYPTED: dict[str, tuple[Any, Any]] = {
    "documents.original": (DocumentRow, DocumentRow.original_ciphertext),
    "documents.vault": (DocumentRow, DocumentRow.vault_ciphertext),
    "privacy_terms.term": (PrivacyTermRow, PrivacyTermRow.term_ciphertext),
    "roster.ciphertext": (RosterRow, RosterRow.ciphertext),
    "drafts.data": (DraftRow, DraftRow.data_ciphertext),
    "document_versions.sealed": (DocumentVersionRow, DocumentVersionRow.sealed),
}


def _stored(row: PrivacyTermRow) -> StoredTerm:
    return StoredTerm(
        row.id, row.user_id, row.kind, row.term_ciphertext, row.approved, row.decided_by
    )


def _on_list(user_id: str | None) -> ColumnElement[bool]:
    # The installation's own list is the rows without a user.
    if user_id is None:
        return PrivacyTermRow.user_id.is_(None)
    return PrivacyTermRow.user_id == user_id


class SqlVault(SqlAdapter):
    """Privacy vault port: ``privacy_terms``, ``roster`` and the documents' sealed columns."""

    def __init__(self, engine: Engine) -> None:
        super().__init__(engine)
        # One writer at a time in this process, so adding a term twice at once stores it once.
        self._lock = threading.Lock()

    # -- terms ------------------------------------------------------------------------------

    def add_term(
        self, user_id: str | None, kind: str, term_hash: str, ciphertext: bytes, approved: bool
    ) -> StoredTerm:
        """The term with this hash on this list, added when missing."""
        with self._lock, self._session.begin() as s:
            row = s.scalars(
                select(PrivacyTermRow).where(
                    _on_list(user_id),
                    PrivacyTermRow.kind == kind,
                    PrivacyTermRow.term_hash == term_hash,
                )
            ).first()
            if row is None:
                row = PrivacyTermRow(
                    user_id=user_id,
                    kind=kind,
                    term_hash=term_hash,
                    term_ciphertext=ciphertext,
                    approved=approved,
                )
                s.add(row)
                s.flush()
            return _stored(row)

    def terms(self, user_id: str | None) -> list[StoredTerm]:
        """A user's list (``None``: the installation's), oldest first."""
        q = (
            select(PrivacyTermRow)
            .where(_on_list(user_id))
            .order_by(PrivacyTermRow.created_at, PrivacyTermRow.id)
        )
        with self._session() as s:
            return [_stored(r) for r in s.scalars(q)]

    def policy_terms(self, user_id: str | None) -> list[StoredTerm]:
        """The terms that apply to a user's content: theirs and the installation's."""
        mine = _on_list(user_id)
        where = mine if user_id is None else mine | PrivacyTermRow.user_id.is_(None)
        with self._session() as s:
            return [_stored(r) for r in s.scalars(select(PrivacyTermRow).where(where))]

    def remove_term(self, user_id: str | None, term_id: str) -> bool:
        """Delete a term from this list; False when it holds no such term."""
        with self._session.begin() as s:
            done = s.execute(
                delete(PrivacyTermRow).where(PrivacyTermRow.id == term_id, _on_list(user_id))
            )
            return bool(getattr(done, "rowcount", 0))

    def term(self, term_id: str) -> StoredTerm | None:
        """A term by id, on whichever list."""
        with self._session() as s:
            row = s.get(PrivacyTermRow, term_id)
            return _stored(row) if row is not None else None

    def pending_terms(self, user_ids: Collection[str]) -> list[StoredTerm]:
        """These users' allow terms that nobody decided on yet."""
        q = select(PrivacyTermRow).where(
            PrivacyTermRow.kind == "allow",
            PrivacyTermRow.approved.is_(False),
            PrivacyTermRow.decided_by.is_(None),
            PrivacyTermRow.user_id.in_(list(user_ids)),
        )
        with self._session() as s:
            return [_stored(r) for r in s.scalars(q)]

    def decide_term(self, term_id: str, approved: bool, decided_by: str) -> StoredTerm | None:
        """Record a coordinator's decision on a term; None when there is no such term."""
        with self._session.begin() as s:
            row = s.get(PrivacyTermRow, term_id)
            if row is None:
                return None
            row.approved = approved
            row.decided_by = decided_by
            return _stored(row)

    def members_of(self, programme_ids: Collection[str]) -> set[str]:
        """Ids of the users who hold any role in these programmes."""
        if not programme_ids:
            return set()
        q = select(MembershipRow.user_id).where(MembershipRow.programme_id.in_(programme_ids))
        with self._session() as s:
            return set(s.scalars(q))

    # -- roster and originals -------------------------------------------------------------

    def save_roster(self, ciphertext: bytes, people: int, updated_by: str) -> None:
        """Replace the stored roster (there is one, with id 1)."""
        with self._session.begin() as s:
            row = s.get(RosterRow, 1) or RosterRow(id=1)
            row.ciphertext = ciphertext
            row.people = people
            row.updated_by = updated_by
            row.updated_at = utcnow()
            s.add(row)

    def roster(self) -> bytes | None:
        """The stored roster, if one was uploaded."""
        with self._session() as s:
            row = s.get(RosterRow, 1)
            return row.ciphertext if row is not None else None

    def sealed_document(self, document_id: str) -> SealedDocument | None:
        """A live document's owner, programme, encrypted original and vault."""
        with self._session() as s:
            row = s.get(DocumentRow, document_id)
            if row is None or row.deleted_at is not None:
                return None
            return SealedDocument(
                row.owner_id, row.programme_id, row.original_ciphertext, row.vault_ciphertext
            )

    # -- key rotation ---------------------------------------------------------------------

    def sealed_values(self, batch: int) -> Iterator[list[SealedValue]]:
        """Every encrypted value at rest, ``batch`` at a time, each batch in its own read
        (keyset pages by row id, so values re-encrypted meanwhile are not read twice)."""
        for name, (table, column) in _ENCRYPTED.items():
            last: Any = None
            while True:
                query = select(table.id, column).where(column.is_not(None))
                if last is not None:
                    query = query.where(table.id > last)
                with self._session() as s:
                    rows = s.execute(query.order_by(table.id).limit(batch)).all()
                if not rows:
                    break
                yield [SealedValue(name, key, token) for key, token in rows]
                last = rows[-1][0]

    def replace_sealed(self, changes: Sequence[tuple[SealedValue, bytes]]) -> int:
        """Put new tokens in place of values that still hold the token read (a value
        written meanwhile is newer, and stays); how many were replaced."""
        done = 0
        with self._session.begin() as s:
            for value, token in changes:
                table, column = _ENCRYPTED[value.column]
                result = s.execute(
                    update(table)
                    .where(table.id == value.row_id, column == value.token)
                    .values({column.key: token})
                )
                done += int(getattr(result, "rowcount", 0) or 0)
        return done

    def count_sealed(self, where: Callable[[bytes], bool]) -> int:
        """How many encrypted values at rest ``where`` holds true for."""
        n = 0
        with self._session() as s:
            for _, column in _ENCRYPTED.values():
                for (token,) in s.execute(select(column).where(column.is_not(None))):
                    if where(token):
                        n += 1
        return n
