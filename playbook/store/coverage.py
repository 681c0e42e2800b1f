"""The coverage ports over SQLAlchemy: declared goals and domains (``coverage_declarations``,
migration 0018), and what coverage may read of the documents table.

``private_marks`` selects the owner, date, prompt set and tags of private documents and no
text column: private writing cannot reach coverage through this adapter.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select

from playbook.models import Kind, Visibility
from playbook.ports.coverage import (
    Declaration,
    DeclarationDraft,
    DeclarationKind,
    PrivateMark,
    SharedText,
)
from playbook.store.coverage_tables import CoverageDeclarationRow
from playbook.store.engine import SqlAdapter, aware
from playbook.store.tables import DocumentRow, new_id, utcnow

_KIND_ORDER = {k: i for i, k in enumerate(DeclarationKind)}
_OTHERS = (Visibility.SHARED.value, Visibility.PUBLISHED.value)


def name_key(name: str) -> str:
    """The name as declarations are told apart: case and spacing ignored."""
    return " ".join(name.casefold().split())


def _declaration(r: CoverageDeclarationRow) -> Declaration:
    return Declaration(
        declaration_id=r.id,
        programme_id=r.programme_id,
        kind=DeclarationKind(r.kind),
        name=r.name,
        description=r.description,
        keywords=tuple(r.keywords or ()),
        updated_at=aware(r.updated_at),
    )


class SqlCoverage(SqlAdapter):
    """Declarations and coverage sources over one store."""

    def declarations(self, programme_id: str) -> list[Declaration]:
        """Every declaration of the programme, goals first, then by kind and name."""
        with self._session() as s:
            rows = s.scalars(
                select(CoverageDeclarationRow).where(
                    CoverageDeclarationRow.programme_id == programme_id
                )
            ).all()
        found = [_declaration(r) for r in rows]
        return sorted(found, key=lambda d: (_KIND_ORDER[d.kind], name_key(d.name)))

    def save(self, programme_id: str, drafts: Sequence[DeclarationDraft]) -> list[str]:
        """Add or replace declarations in one transaction (all or none); one with the same
        kind and name (case-insensitive) as a stored one replaces it. Returns their ids."""
        ids: list[str] = []
        now = utcnow()
        with self._session.begin() as s:
            for d in drafts:
                key = name_key(d.name)
                row = s.scalars(
                    select(CoverageDeclarationRow).where(
                        CoverageDeclarationRow.programme_id == programme_id,
                        CoverageDeclarationRow.kind == d.kind.value,
                        CoverageDeclarationRow.name_key == key,
                    )
                ).first()
                if row is None:
                    row = CoverageDeclarationRow(
                        id=new_id(), programme_id=programme_id, kind=d.kind.value, name_key=key
                    )
                    s.add(row)
                row.name = d.name
                row.description = d.description
                row.keywords = list(d.keywords)
                row.updated_at = now
                # Flushed one by one: two drafts of the same name in one batch end as one row.
                s.flush()
                ids.append(row.id)
        return ids

    def remove(self, programme_id: str, declaration_id: str) -> bool:
        """Forget one declaration; False when the programme has none with this id."""
        with self._session.begin() as s:
            gone = s.execute(
                delete(CoverageDeclarationRow).where(
                    CoverageDeclarationRow.programme_id == programme_id,
                    CoverageDeclarationRow.id == declaration_id,
                )
            )
        return bool(getattr(gone, "rowcount", 0))

    def shared_texts(self, programme_id: str) -> list[SharedText]:
        """Live shared and published documents of the programme, oldest first."""
        with self._session() as s:
            rows = s.scalars(
                select(DocumentRow)
                .where(
                    DocumentRow.programme_id == programme_id,
                    DocumentRow.visibility.in_(_OTHERS),
                    DocumentRow.deleted_at.is_(None),
                )
                .order_by(DocumentRow.created_at, DocumentRow.id)
            ).all()
            return [
                SharedText(
                    document_id=r.id,
                    owner_id=r.owner_id,
                    kind=Kind(r.kind),
                    visibility=Visibility(r.visibility),
                    title=r.title,
                    text=r.redacted_text,
                    tags=tuple(r.tags or ()),
                    created_at=aware(r.created_at),
                    function=r.function,
                    market=r.market,
                    strategic_goal=r.strategic_goal,
                )
                for r in rows
            ]

    def private_marks(self, programme_id: str) -> list[PrivateMark]:
        """Owner, date, prompt set and tags of each live private document (no text)."""
        # Only these four columns are selected: no title, no text, no debrief field.
        query = (
            select(
                DocumentRow.owner_id,
                DocumentRow.created_at,
                DocumentRow.prompt_set,
                DocumentRow.tags,
            )
            .where(
                DocumentRow.programme_id == programme_id,
                DocumentRow.visibility == Visibility.PRIVATE.value,
                DocumentRow.deleted_at.is_(None),
            )
            .order_by(DocumentRow.created_at, DocumentRow.id)
        )
        with self._session() as s:
            rows = s.execute(query).all()
        return [
            PrivateMark(owner, aware(created), prompt_set, tuple(tags or ()))
            for owner, created, prompt_set, tags in rows
        ]
