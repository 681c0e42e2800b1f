"""``AnswerFeedbackContract`` against the SQLAlchemy feedback store (on SQLite; a PostgreSQL
subclass overrides ``store_engine``)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from playbook.ports.feedback import AnswerFeedback
from playbook.store.answer_feedback import SqlAnswerFeedback
from tests.contracts.answer_feedback import AnswerFeedbackContract
from tests.contracts.sql import SqlStore


class TestSqlAnswerFeedback(SqlStore, AnswerFeedbackContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> AnswerFeedback:
        return SqlAnswerFeedback(store_engine)
