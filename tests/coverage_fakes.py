"""In-memory implementations of the coverage ports, for unit tests of the service; the
contract suite (``tests/contracts/coverage.py``) runs them beside the SQL adapter."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence

from playbook.models import DocumentInfo, Visibility
from playbook.ports import Documents
from playbook.ports.coverage import (
    Declaration,
    DeclarationDraft,
    DeclarationKind,
    PrivateMark,
    SharedText,
)

_ORDER = {k: i for i, k in enumerate(DeclarationKind)}


def _key(name: str) -> str:
    return " ".join(name.casefold().split())


class InMemoryDeclarations:
    """Declarations in a dict, keyed by programme, kind and folded name."""

    def __init__(self) -> None:
        self.rows: dict[tuple[str, DeclarationKind, str], Declaration] = {}

    def declarations(self, programme_id: str) -> list[Declaration]:
        found = [d for (p, _, _), d in self.rows.items() if p == programme_id]
        return sorted(found, key=lambda d: (_ORDER[d.kind], _key(d.name)))

    def save(self, programme_id: str, drafts: Sequence[DeclarationDraft]) -> list[str]:
        ids = []
        for d in drafts:
            key = (programme_id, d.kind, _key(d.name))
            old = self.rows.get(key)
            ident = old.declaration_id if old else uuid.uuid4().hex
            self.rows[key] = Declaration(
                ident,
                programme_id,
                d.kind,
                d.name,
                d.description,
                tuple(d.keywords),
                dt.datetime.now(dt.UTC),
            )
            ids.append(ident)
        return ids

    def remove(self, programme_id: str, declaration_id: str) -> bool:
        for key, d in list(self.rows.items()):
            if key[0] == programme_id and d.declaration_id == declaration_id:
                del self.rows[key]
                return True
        return False


class DocumentsCoverage:
    """Coverage sources over any ``Documents`` port (private ones lose their text here)."""

    def __init__(self, documents: Documents) -> None:
        self._documents = documents

    def _live(self, programme_id: str) -> list[DocumentInfo]:
        docs = [
            d for d in self._documents.documents(limit=100_000) if d.programme_id == programme_id
        ]
        return sorted(docs, key=lambda d: (d.created_at, d.document_id))

    def shared_texts(self, programme_id: str) -> list[SharedText]:
        return [
            SharedText(
                d.document_id,
                d.owner_id,
                d.kind,
                d.visibility,
                d.title,
                d.redacted_text,
                d.tags,
                d.created_at,
                d.debrief.function,
                d.debrief.market,
                d.debrief.strategic_goal,
            )
            for d in self._live(programme_id)
            if d.visibility is not Visibility.PRIVATE
        ]

    def private_marks(self, programme_id: str) -> list[PrivateMark]:
        return [
            PrivateMark(d.owner_id, d.created_at, d.prompt_set, d.tags)
            for d in self._live(programme_id)
            if d.visibility is Visibility.PRIVATE
        ]
