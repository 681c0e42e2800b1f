"""The drafts port over SQLAlchemy: one autosaved draft per user and form, kept as the
ciphertext the reflection service sealed (drafts are not redacted yet)."""

from __future__ import annotations

from sqlalchemy import delete, select

from playbook.store.engine import SqlAdapter
from playbook.store.tables import DraftRow, utcnow


class SqlDrafts(SqlAdapter):
    """Drafts port: form drafts by (user, form)."""

    def save(self, user_id: str, form: str, ciphertext: bytes) -> None:
        """Store (or replace) the draft of ``form``."""
        with self._session.begin() as s:
            row = s.scalar(
                select(DraftRow).where(DraftRow.user_id == user_id, DraftRow.form == form)
            )
            if row is None:
                s.add(DraftRow(user_id=user_id, form=form, data_ciphertext=ciphertext))
            else:
                row.data_ciphertext = ciphertext
                row.updated_at = utcnow()

    def get(self, user_id: str, form: str) -> bytes | None:
        """The stored draft of ``form``, if any."""
        with self._session() as s:
            return s.scalar(
                select(DraftRow.data_ciphertext).where(
                    DraftRow.user_id == user_id, DraftRow.form == form
                )
            )

    def discard(self, user_id: str, form: str) -> None:
        """Forget the draft of ``form`` (nothing happens when there is none)."""
        with self._session.begin() as s:
            s.execute(delete(DraftRow).where(DraftRow.user_id == user_id, DraftRow.form == form))
