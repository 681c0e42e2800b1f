"""The answer-feedback port over SQLAlchemy: the ``answer_feedback`` table (migration 0010),
one row per verdict on an answer, redacted text only."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence

from sqlalchemy import DateTime, ForeignKey, String, Text, select, update
from sqlalchemy.orm import Mapped, mapped_column

from playbook.ports.feedback import AnswerVerdict
from playbook.store.engine import SqlAdapter, aware
from playbook.store.tables import Base, new_id, utcnow


class AnswerFeedbackRow(Base):
    """A reader's verdict on an answer (migration 0010)."""

    __tablename__ = "answer_feedback"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    user_id: Mapped[str] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    programme_id: Mapped[str] = mapped_column(String(32), index=True)
    verdict: Mapped[str] = mapped_column(String(12))
    question: Mapped[str] = mapped_column(Text, default="")
    answer: Mapped[str] = mapped_column(Text, default="")
    comment: Mapped[str] = mapped_column(Text, default="")
    # A JSON list: the cited documents may be deleted later, and the verdict outlives them.
    document_ids: Mapped[str] = mapped_column(Text, default="[]")
    resolved: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SqlAnswerFeedback(SqlAdapter):
    """Answer feedback port: verdicts per programme until resolved."""

    def add(
        self,
        user_id: str,
        programme_id: str,
        verdict: str,
        question: str,
        answer: str,
        comment: str,
        document_ids: Sequence[str],
    ) -> str:
        """Store a verdict (all texts already redacted); returns its id."""
        row = AnswerFeedbackRow(
            id=new_id(),
            user_id=user_id,
            programme_id=programme_id,
            verdict=verdict,
            question=question,
            answer=answer,
            comment=comment,
            document_ids=json.dumps(list(document_ids)),
        )
        with self._session.begin() as s:
            s.add(row)
        return row.id

    def open_for(self, programme_ids: Iterable[str], limit: int = 200) -> list[AnswerVerdict]:
        """Unresolved verdicts in these programmes, newest first."""
        wanted = list(programme_ids)
        if not wanted:
            return []
        with self._session() as s:
            rows = s.scalars(
                select(AnswerFeedbackRow)
                .where(
                    AnswerFeedbackRow.programme_id.in_(wanted),
                    AnswerFeedbackRow.resolved.is_(False),
                )
                .order_by(AnswerFeedbackRow.created_at.desc(), AnswerFeedbackRow.id)
                .limit(limit)
            ).all()
        return [
            AnswerVerdict(
                feedback_id=r.id,
                user_id=r.user_id,
                programme_id=r.programme_id,
                verdict=r.verdict,
                question=r.question,
                answer=r.answer,
                comment=r.comment,
                document_ids=tuple(json.loads(r.document_ids or "[]")),
                created_at=aware(r.created_at),
                resolved=r.resolved,
            )
            for r in rows
        ]

    def resolve(self, feedback_ids: Iterable[str]) -> None:
        """Mark verdicts as dealt with (unknown ids are ignored)."""
        ids = list(feedback_ids)
        if ids:
            with self._session.begin() as s:
                s.execute(
                    update(AnswerFeedbackRow)
                    .where(AnswerFeedbackRow.id.in_(ids))
                    .values(resolved=True)
                )
