"""The document-versions port over SQLAlchemy: the ``document_versions`` table (migration
0013), one row per text an author's edit replaced."""

from __future__ import annotations

from sqlalchemy import delete, func, select

from playbook.ports.writing import DocumentVersion
from playbook.store.engine import SqlAdapter, aware
from playbook.store.writing_tables import DocumentVersionRow


class SqlDocumentVersions(SqlAdapter):
    """Document versions port: earlier texts of edited documents, numbered from 1."""

    def add(self, document_id: str, title: str, redacted_text: str, sealed: bytes | None) -> int:
        """Keep the text an edit is about to replace; returns its version number."""
        with self._session.begin() as s:
            last = s.scalar(
                select(func.max(DocumentVersionRow.number)).where(
                    DocumentVersionRow.document_id == document_id
                )
            )
            number = (last or 0) + 1
            s.add(
                DocumentVersionRow(
                    document_id=document_id,
                    number=number,
                    title=title,
                    redacted_text=redacted_text,
                    sealed=sealed,
                )
            )
        return number

    def versions(self, document_id: str) -> list[DocumentVersion]:
        """A document's earlier versions, newest first."""
        with self._session() as s:
            rows = s.scalars(
                select(DocumentVersionRow)
                .where(DocumentVersionRow.document_id == document_id)
                .order_by(DocumentVersionRow.number.desc())
            ).all()
        return [
            DocumentVersion(
                r.document_id, r.number, r.title, r.redacted_text, r.sealed, aware(r.replaced_at)
            )
            for r in rows
        ]

    def discard(self, document_id: str) -> None:
        """Forget every earlier version of a document (it was deleted)."""
        with self._session.begin() as s:
            s.execute(
                delete(DocumentVersionRow).where(DocumentVersionRow.document_id == document_id)
            )
