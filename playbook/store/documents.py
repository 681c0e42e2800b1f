"""The documents port over SQLAlchemy: writes happen here first, in one transaction, with the
``index_hash`` each index is later checked against."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence

from sqlalchemy import (
    ColumnElement,
    func,
    or_,
    select,
)
from sqlalchemy.exc import IntegrityError

from playbook.models import (
    DebriefFields,
    DocumentInfo,
    Kind,
    PreparedDocument,
    Principal,
    StoreError,
    Visibility,
)
from playbook.store.engine import SqlAdapter, aware, scrub_files
from playbook.store.tables import (
    ChunkRow,
    DocumentRow,
    utcnow,
)


def index_hash(row: DocumentRow) -> str:
    """Hash of everything the indexes hold for a document: text, permissions and filters."""
    payload = [
        row.redacted_text,
        row.owner_id,
        row.programme_id,
        row.kind,
        row.visibility,
        row.title,
        list(row.tags or []),
        row.source_id,
        row.source_label or "",
        row.function,
        row.market,
        aware(row.created_at).isoformat() if row.created_at else None,
    ]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


class SqlDocuments(SqlAdapter):
    """Documents port: redacted documents with their chunks, sharing state and keyed source ids."""

    def content_hashes(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
        """Current content hashes of live documents, by (owner_id, source_id)."""
        keys = list(keys)
        found: dict[tuple[str, str], str] = {}
        for i in range(0, len(keys), 500):
            part = keys[i : i + 500]
            owners = {k[0] for k in part}
            sources = {k[1] for k in part}
            with self._session() as s:
                rows = s.execute(
                    select(DocumentRow.owner_id, DocumentRow.source_id, DocumentRow.content_hash)
                    .where(DocumentRow.owner_id.in_(owners), DocumentRow.source_id.in_(sources))
                    .where(DocumentRow.deleted_at.is_(None))
                )
                wanted = set(part)
                for owner, source, chash in rows:
                    if (owner, source) in wanted:
                        found[(owner, source)] = chash
        return found

    def save(
        self, prepared: Sequence[PreparedDocument], force: bool = False
    ) -> list[tuple[str, str]]:
        """Insert or replace documents and their chunks in one transaction.

        Returns (document_id, status) per document, status being created, updated or unchanged.
        ``force`` replaces documents whose content hash is unchanged (re-redaction). When
        another process stored one of the same documents at the same moment, the batch is
        written again over what it stored (the later write wins, as in one process).
        """
        try:
            return self._save(prepared, force)
        except IntegrityError:
            return self._save(prepared, force)

    def _save(self, prepared: Sequence[PreparedDocument], force: bool) -> list[tuple[str, str]]:
        results: list[tuple[str, str]] = []
        with self._session.begin() as s:
            for p in prepared:
                d = p.doc
                row = s.scalar(
                    select(DocumentRow).where(
                        DocumentRow.owner_id == d.owner_id, DocumentRow.source_id == d.source_id
                    )
                )
                if (
                    not force
                    and row is not None
                    and row.deleted_at is None
                    and row.content_hash == p.content_hash
                ):
                    results.append((row.id, "unchanged"))
                    continue
                status = "updated" if row is not None and row.deleted_at is None else "created"
                if row is not None:
                    # Reviving a tombstone keeps its id, so indexing replaces its old chunks.
                    row.deleted_at = None
                else:
                    row = DocumentRow(owner_id=d.owner_id, source_id=d.source_id, index_hash="")
                    s.add(row)
                row.programme_id = d.programme_id
                row.kind = d.kind.value
                row.visibility = d.visibility.value
                row.title = d.title
                row.tags = list(d.tags)
                row.source_label = d.source_label or ""
                row.content_hash = p.content_hash
                row.redacted_text = p.redacted_text
                row.original_ciphertext = p.original_ciphertext
                row.vault_ciphertext = p.vault_ciphertext
                row.prompt_set = d.prompt_set
                row.created_at = d.created_at or row.created_at or utcnow()
                row.updated_at = utcnow()
                deb = d.debrief
                row.function, row.market = deb.function, deb.market
                row.start_date, row.end_date = deb.start_date, deb.end_date
                row.anchor_project, row.strategic_goal = deb.anchor_project, deb.strategic_goal
                s.flush()
                row.chunks = [
                    ChunkRow(
                        id=f"{row.id}-{i}",
                        ordinal=i,
                        text=c.text,
                        start_char=c.start,
                        end_char=c.end,
                    )
                    for i, c in enumerate(p.chunks)
                ]
                row.index_hash = index_hash(row)
                row.indexed_hash = None
                results.append((row.id, status))
        return results

    def delete(self, document_id: str) -> None:
        """Delete a document: a tombstone now; the row goes once the indexes have dropped it."""
        with self._session.begin() as s:
            row = s.get(DocumentRow, document_id)
            if row is None or row.deleted_at is not None:
                raise StoreError(f"no document with id {document_id!r}")
            row.deleted_at = utcnow()

    def set_visibility(self, document_id: str, visibility: Visibility) -> None:
        """Change who may read a document; its chunks are re-indexed with the new scope."""
        with self._session.begin() as s:
            row = s.get(DocumentRow, document_id)
            if row is None or row.deleted_at is not None:
                raise StoreError(f"no document with id {document_id!r}")
            row.visibility = visibility.value
            row.index_hash = index_hash(row)

    def set_share_status(self, document_id: str, status: str | None) -> None:
        """Record where a share request stands (pending, approved, declined, or none)."""
        with self._session.begin() as s:
            row = s.get(DocumentRow, document_id)
            if row is None or row.deleted_at is not None:
                raise StoreError(f"no document with id {document_id!r}")
            row.share_status = status
            row.share_requested_at = utcnow() if status == "pending" else row.share_requested_at

    def pending_shares(self, programme_ids: Iterable[str]) -> list[DocumentInfo]:
        """Documents awaiting a coordinator's approval in these programmes, oldest first."""
        q = (
            select(DocumentRow)
            .where(
                DocumentRow.deleted_at.is_(None),
                DocumentRow.share_status == "pending",
                DocumentRow.programme_id.in_(list(programme_ids)),
            )
            .order_by(DocumentRow.share_requested_at, DocumentRow.id)
        )
        with self._session() as s:
            return [document_info(r) for r in s.scalars(q)]

    def document(self, document_id: str) -> DocumentInfo | None:
        """A live document by id."""
        with self._session() as s:
            row = s.get(DocumentRow, document_id)
            if row is None or row.deleted_at is not None:
                return None
            return document_info(row)

    def documents_by_id(self, document_ids: Iterable[str]) -> dict[str, DocumentInfo]:
        """Many live documents by id in one session (a query per 500 ids, and one more for
        their chunks), for folding search hits into documents.

        Args:
            document_ids: The documents wanted (repeats are looked up once).

        Returns:
            Each live document by its id; deleted and unknown ids are absent.
        """
        ids = list(dict.fromkeys(document_ids))
        found: dict[str, DocumentInfo] = {}
        if not ids:
            return found
        with self._session() as s:
            for i in range(0, len(ids), 500):
                q = select(DocumentRow).where(
                    DocumentRow.id.in_(ids[i : i + 500]), DocumentRow.deleted_at.is_(None)
                )
                found.update((r.id, document_info(r)) for r in s.scalars(q))
        return found

    def documents(self, owner_id: str | None = None, limit: int = 1000) -> list[DocumentInfo]:
        """Live documents, newest first; optionally one owner's only."""
        q = select(DocumentRow).where(DocumentRow.deleted_at.is_(None))
        if owner_id is not None:
            q = q.where(DocumentRow.owner_id == owner_id)
        q = q.order_by(DocumentRow.created_at.desc(), DocumentRow.id).limit(limit)
        with self._session() as s:
            return [document_info(r) for r in s.scalars(q)]

    def document_page(
        self, after_id: str | None, limit: int, ids: Sequence[str] | None = None
    ) -> list[tuple[DocumentInfo, str, bytes | None, bytes | None]]:
        """Live documents in id order after ``after_id`` (optionally only ``ids``), with their
        content hash and the encrypted original and vault (for re-redaction; never shown)."""
        q = select(DocumentRow).where(DocumentRow.deleted_at.is_(None))
        if ids is not None:
            q = q.where(DocumentRow.id.in_(list(ids)))
        if after_id is not None:
            q = q.where(DocumentRow.id > after_id)
        q = q.order_by(DocumentRow.id).limit(limit)
        with self._session() as s:
            return [
                (document_info(r), r.content_hash, r.original_ciphertext, r.vault_ciphertext)
                for r in s.scalars(q)
            ]

    def readable_documents(self, principal: Principal, limit: int = 100_000) -> list[DocumentInfo]:
        """Live documents ``principal`` may read (the permission rule applied in SQL)."""
        q = (
            select(DocumentRow)
            .where(DocumentRow.deleted_at.is_(None), readable_by(principal))
            .order_by(DocumentRow.created_at, DocumentRow.id)
            .limit(limit)
        )
        with self._session() as s:
            return [document_info(r) for r in s.scalars(q)]

    def readable_counts(self, principal: Principal) -> dict[tuple[bool, str], int]:
        """How many live documents ``principal`` may read, by (their own?, kind), counted in
        SQL under the same rule as ``readable_documents``."""
        own = DocumentRow.owner_id == principal.user_id
        q = (
            select(own, DocumentRow.kind, func.count())
            .where(DocumentRow.deleted_at.is_(None), readable_by(principal))
            .group_by(own, DocumentRow.kind)
        )
        with self._session() as s:
            return {(bool(mine), kind): n for mine, kind, n in s.execute(q).all()}

    def document_id(self, owner_id: str, source_id: str) -> str | None:
        """The id of a live document by its owner and source id."""
        with self._session() as s:
            return s.scalar(
                select(DocumentRow.id).where(
                    DocumentRow.owner_id == owner_id,
                    DocumentRow.source_id == source_id,
                    DocumentRow.deleted_at.is_(None),
                )
            )

    def clear_source_ids(self, limit: int = 256) -> list[tuple[str, str]]:
        """Documents whose source id an earlier version stored in the clear: (id, source id)."""
        keyed = or_(*(DocumentRow.source_id.like(f"{p}:%") for p in ("sid", "studio", "entry")))
        with self._session() as s:
            rows = s.execute(
                select(DocumentRow.id, DocumentRow.source_id)
                .where(~keyed)
                .order_by(DocumentRow.id)
                .limit(limit)
            )
            return [(doc_id, sid) for doc_id, sid in rows]

    def rekey_sources(self, changes: Sequence[tuple[str, str, str | None]]) -> None:
        """Give documents their keyed source id and redacted label: (id, source id, label;
        None keeps the label).

        A document already imported again under the keyed id supersedes the old row, which
        becomes a tombstone (the indexes then drop it)."""
        with self._session.begin() as s:
            for doc_id, source_id, label in changes:
                row = s.get(DocumentRow, doc_id)
                if row is None:
                    continue
                twin = s.scalar(
                    select(DocumentRow.id).where(
                        DocumentRow.owner_id == row.owner_id,
                        DocumentRow.source_id == source_id,
                        DocumentRow.id != doc_id,
                    )
                )
                if twin is not None:
                    row.source_id = f"sid:{row.id}"  # unique and keyed-looking: never clear
                    row.deleted_at = row.deleted_at or utcnow()
                else:
                    row.source_id = source_id
                if label is not None:
                    row.source_label = label
                row.index_hash = index_hash(row)

    def scrub(self) -> None:
        """Leave no superseded text in the store's files (see ``scrub_files``)."""
        scrub_files(self.engine)


def readable_by(principal: Principal) -> ColumnElement[bool]:
    """The read rule (``permissions``, ``Action.READ``) as a SQL condition on documents."""
    own = DocumentRow.owner_id == principal.user_id
    if not principal.programme_ids:
        return own
    return or_(
        own,
        (DocumentRow.visibility != Visibility.PRIVATE.value)
        & DocumentRow.programme_id.in_(principal.programme_ids),
    )


def document_info(row: DocumentRow) -> DocumentInfo:
    return DocumentInfo(
        document_id=row.id,
        owner_id=row.owner_id,
        programme_id=row.programme_id,
        kind=Kind(row.kind),
        visibility=Visibility(row.visibility),
        title=row.title,
        source_id=row.source_id,
        tags=tuple(row.tags or ()),
        created_at=aware(row.created_at),
        redacted_text=row.redacted_text,
        chunk_count=len(row.chunks),
        debrief=DebriefFields(
            function=row.function,
            market=row.market,
            start_date=row.start_date,
            end_date=row.end_date,
            anchor_project=row.anchor_project,
            strategic_goal=row.strategic_goal,
        ),
        prompt_set=row.prompt_set,
        share_status=row.share_status,
        source_label=row.source_label or "",
    )
