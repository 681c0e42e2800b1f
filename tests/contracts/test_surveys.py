"""``SurveysContract`` against the SQLAlchemy survey store, on SQLite and on a real
PostgreSQL server; and, on both, that no stored ballot can be tied to its respondent by
reading the tables themselves."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import Engine, inspect, text

from playbook.ports.surveys import Surveys
from playbook.store.surveys import SqlSurveys
from tests.contracts.sql import SqlStore
from tests.contracts.stores import Cast
from tests.contracts.surveys import DAY, QUESTIONS, SurveysContract
from tests.pg import OnPostgres

ANSWERS = 10  # 10! orders: stored in answer order by chance about once in 3.6 million runs


class TestSqlSurveys(SqlStore, SurveysContract):
    @pytest.fixture
    def subject(self, store_engine: Engine) -> Surveys:
        return SqlSurveys(store_engine)

    def test_tables_hold_no_identity_and_no_time(self, store_engine: Engine) -> None:
        cols = inspect(store_engine)
        ballots = {c["name"]: c["type"] for c in cols.get_columns("survey_ballots")}
        tokens = {c["name"]: c["type"] for c in cols.get_columns("survey_tokens")}
        assert set(ballots) == {"id", "round_id", "counted", "answers"}
        assert set(tokens) == {"round_id", "token"}
        assert not any(
            "DATE" in str(t).upper() or "TIME" in str(t).upper()
            for t in [*ballots.values(), *tokens.values()]
        )

    def test_stored_order_is_not_the_order_of_answering(
        self, subject: Surveys, store_engine: Engine, people: Cast
    ) -> None:
        sid = subject.create_series(people.north, "Pulse", QUESTIONS, people.cora)
        r = subject.open_round(sid, DAY, ANSWERS, 2)
        # The i-th person answers i (1..5) and "answer i"; their token is a keyed-hash
        # look-alike, as the service makes them.
        order = [f"answer {i}" for i in range(ANSWERS)]
        tokens = [hashlib.sha256(f"person {i}".encode()).hexdigest() for i in range(ANSWERS)]
        for i, token in enumerate(tokens):
            subject.add_ballot(r.round_id, token, {1: i % 5 + 1, 2: order[i]})
        with store_engine.connect() as conn:
            raw = [row.answers for row in conn.execute(text("SELECT * FROM survey_ballots"))]
            raw_tokens = [row.token for row in conn.execute(text("SELECT * FROM survey_tokens"))]
        stored = [next(o for o in order if f'"{o}"' in body) for body in raw]
        assert sorted(stored) == sorted(order)
        # Neither a plain read of the ballots nor a pairing with the tokens' stored order
        # gives back who answered what.
        assert stored != order
        assert list(zip(raw_tokens, stored, strict=True)) != list(zip(tokens, order, strict=True))


@pytest.mark.integration
class TestPgSurveys(OnPostgres, TestSqlSurveys):
    pass


def test_the_day_is_the_finest_time_a_round_keeps() -> None:
    # A round keeps when it opened and closed as days: the columns are dates.
    from playbook.store.surveys_tables import SurveyRoundRow

    for name in ("opened_on", "closed_on"):
        assert SurveyRoundRow.__table__.c[name].type.python_type is dt.date


def test_sqlite_keeps_no_rowid(store_engine: Engine) -> None:
    # A hidden rowid would number the ballots in the order they came.
    for table in ("survey_ballots", "survey_tokens"):
        with store_engine.connect() as conn, pytest.raises(Exception, match="rowid"):
            conn.execute(text(f"SELECT rowid FROM {table}"))
