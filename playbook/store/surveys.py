"""The pulse-survey port over SQLAlchemy (migration 0017): series, rounds, used tokens and
anonymous ballots (tables in ``surveys_tables``).

A ballot and the token it used are written in one transaction but share nothing: no id, no
time, no order. SQLite stores both tables in key order (``WITHOUT ROWID``; the keys are
random or keyed hashes). PostgreSQL appends rows to its heap in arrival order, so there each
answer rewrites the round's ballots in a random order: a plain ``SELECT`` then returns them
shuffled. (Superseded row versions stay in PostgreSQL's files until VACUUM reclaims them;
an operator with raw file access and the secret key is outside what this guards.)
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterable, Mapping, Sequence

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from playbook.models import StoreError
from playbook.ports.surveys import (
    AlreadyAnsweredError,
    AnswerValue,
    Ballot,
    Question,
    QuestionKind,
    RoundState,
    Series,
    SurveyRound,
)
from playbook.store.engine import SqlAdapter, aware
from playbook.store.surveys_tables import (
    SurveyBallotRow,
    SurveyRoundRow,
    SurveySeriesRow,
    SurveyTokenRow,
)
from playbook.store.tables import new_id

# Ballot order on PostgreSQL is scrambled with the system's randomness, not a seeded one.
_SHUFFLE = random.SystemRandom()


def _series(row: SurveySeriesRow) -> Series:
    return Series(
        series_id=row.id,
        programme_id=row.programme_id,
        title=row.title,
        questions=tuple(
            Question(QuestionKind(q["kind"]), q["text"], q.get("low", ""), q.get("high", ""))
            for q in row.questions
        ),
        created_by=row.created_by,
        created_at=aware(row.created_at),
    )


def _round(row: SurveyRoundRow, respondents: int) -> SurveyRound:
    return SurveyRound(
        round_id=row.id,
        series_id=row.series_id,
        programme_id=row.programme_id,
        number=row.number,
        state=RoundState(row.state),
        opened_on=row.opened_on,
        closed_on=row.closed_on,
        invited=row.invited,
        group=row.group_size,
        respondents=respondents,
    )


def _counts(s: Session, round_ids: Sequence[str]) -> dict[str, int]:
    if not round_ids:
        return {}
    rows = s.execute(
        select(SurveyBallotRow.round_id, func.count())
        .where(SurveyBallotRow.round_id.in_(round_ids))
        .group_by(SurveyBallotRow.round_id)
    ).all()
    return {r: int(n) for r, n in rows}


def _rounds(s: Session, rows: Sequence[SurveyRoundRow]) -> list[SurveyRound]:
    counts = _counts(s, [r.id for r in rows])
    return [_round(r, counts.get(r.id, 0)) for r in rows]


def _locked_open(s: Session, round_id: str, closed: str) -> SurveyRoundRow:
    # Locked (PostgreSQL) for the rest of the transaction; ``closed`` is the refusal when
    # the round no longer takes answers.
    row = s.get(SurveyRoundRow, round_id, with_for_update=True)
    if row is None:
        raise StoreError("there is no such survey round")
    if row.state != RoundState.OPEN.value:
        raise StoreError(closed)
    return row


class SqlSurveys(SqlAdapter):
    """Surveys port: series, rounds, used tokens and unlinked ballots."""

    def create_series(
        self, programme_id: str, title: str, questions: Sequence[Question], by: str
    ) -> str:
        """Store a draft survey (texts already redacted); returns its series id."""
        row = SurveySeriesRow(
            id=new_id(),
            programme_id=programme_id,
            title=title,
            questions=[
                {"kind": q.kind.value, "text": q.text, "low": q.low, "high": q.high}
                for q in questions
            ],
            created_by=by,
        )
        with self._session.begin() as s:
            s.add(row)
        return row.id

    def series(self, series_id: str) -> Series | None:
        """One survey, or None."""
        with self._session() as s:
            row = s.get(SurveySeriesRow, series_id)
            return _series(row) if row is not None else None

    def series_for(self, programme_id: str) -> list[Series]:
        """The programme's surveys, newest first."""
        with self._session() as s:
            rows = s.scalars(
                select(SurveySeriesRow)
                .where(SurveySeriesRow.programme_id == programme_id)
                .order_by(SurveySeriesRow.created_at.desc(), SurveySeriesRow.id)
            ).all()
            return [_series(r) for r in rows]

    def delete_series(self, series_id: str) -> None:
        """Remove a survey that never opened a round (``StoreError`` once it has)."""
        with self._session.begin() as s:
            row = s.get(SurveySeriesRow, series_id)
            if row is None:
                raise StoreError("there is no such survey")
            ran = s.scalar(select(func.count()).where(SurveyRoundRow.series_id == series_id))
            if ran:
                raise StoreError("this survey has run; its rounds and answers are kept")
            s.delete(row)

    def open_round(
        self, series_id: str, opened_on: dt.date, invited: int, group: int
    ) -> SurveyRound:
        """Open the next round of a series (``StoreError`` while another is open)."""
        with self._session.begin() as s:
            series = s.get(SurveySeriesRow, series_id, with_for_update=True)
            if series is None:
                raise StoreError("there is no such survey")
            rows = s.scalars(
                select(SurveyRoundRow).where(SurveyRoundRow.series_id == series_id)
            ).all()
            if any(r.state == RoundState.OPEN.value for r in rows):
                raise StoreError("a round of this survey is open; close it before the next")
            row = SurveyRoundRow(
                id=new_id(),
                series_id=series_id,
                programme_id=series.programme_id,
                number=max((r.number for r in rows), default=0) + 1,
                state=RoundState.OPEN.value,
                opened_on=opened_on,
                closed_on=None,
                invited=invited,
                group_size=group,
            )
            s.add(row)
            s.flush()
            return _round(row, 0)

    def close_round(self, round_id: str, closed_on: dt.date) -> SurveyRound:
        """Close an open round (``StoreError`` when it is not open or unknown)."""
        with self._session.begin() as s:
            row = _locked_open(s, round_id, "this round is already closed")
            row.state = RoundState.CLOSED.value
            row.closed_on = closed_on
            s.flush()
            return _rounds(s, [row])[0]

    def round(self, round_id: str) -> SurveyRound | None:
        """One round, or None."""
        with self._session() as s:
            row = s.get(SurveyRoundRow, round_id)
            return _rounds(s, [row])[0] if row is not None else None

    def rounds(self, series_id: str) -> list[SurveyRound]:
        """A series' rounds, first round first."""
        with self._session() as s:
            rows = s.scalars(
                select(SurveyRoundRow)
                .where(SurveyRoundRow.series_id == series_id)
                .order_by(SurveyRoundRow.number)
            ).all()
            return _rounds(s, rows)

    def open_rounds(self, programme_ids: Iterable[str]) -> list[SurveyRound]:
        """Open rounds in these programmes, newest first."""
        wanted = list(programme_ids)
        if not wanted:
            return []
        with self._session() as s:
            rows = s.scalars(
                select(SurveyRoundRow)
                .where(
                    SurveyRoundRow.programme_id.in_(wanted),
                    SurveyRoundRow.state == RoundState.OPEN.value,
                )
                .order_by(SurveyRoundRow.opened_on.desc(), SurveyRoundRow.id)
            ).all()
            return _rounds(s, rows)

    def used(self, round_id: str, token: str) -> bool:
        """Whether this token has answered the round."""
        with self._session() as s:
            return s.get(SurveyTokenRow, (round_id, token)) is not None

    def add_ballot(self, round_id: str, token: str, answers: Mapping[int, AnswerValue]) -> None:
        """Mark the token used and store the ballot, in one transaction and unlinked. The
        ballot waits uncounted until the round's uncounted ballots make a group of
        ``group``; then the whole group is counted at once.

        Raises:
            AlreadyAnsweredError: The token is used (nothing stored).
            StoreError: The round is unknown or not open (nothing stored).
        """
        body = json.dumps({str(k): v for k, v in sorted(answers.items())})
        try:
            with self._session.begin() as s:
                # The round's row is locked (PostgreSQL) so answers arriving together fill
                # their group one after the other; SQLite serialises writers anyway.
                row = _locked_open(
                    s, round_id, "this survey round is closed; it takes no more answers"
                )
                s.add(SurveyTokenRow(round_id=round_id, token=token))
                s.flush()  # a used token fails here, before anything else is written
                s.add(SurveyBallotRow(id=new_id(), round_id=round_id, counted=False, answers=body))
                s.flush()
                waiting = SurveyBallotRow.round_id == round_id, SurveyBallotRow.counted.is_(False)
                if (s.scalar(select(func.count()).where(*waiting)) or 0) >= row.group_size:
                    # A complete group: counted together, so which of them came last is not
                    # kept anywhere once the group is full.
                    s.execute(update(SurveyBallotRow).where(*waiting).values(counted=True))
                if self.engine.dialect.name != "sqlite":
                    self._scramble(s, round_id)
        except IntegrityError:
            raise AlreadyAnsweredError(
                "you have already answered this round; each person answers once "
                "(nothing was changed)"
            ) from None

    @staticmethod
    def _scramble(s: Session, round_id: str) -> None:
        # A heap keeps arrival order: write the round's ballots again, shuffled, with new
        # random ids, so neither position nor id follows the order people answered in.
        rows = [
            (b.counted, b.answers)
            for b in s.scalars(select(SurveyBallotRow).where(SurveyBallotRow.round_id == round_id))
        ]
        _SHUFFLE.shuffle(rows)
        s.execute(delete(SurveyBallotRow).where(SurveyBallotRow.round_id == round_id))
        s.add_all(
            SurveyBallotRow(id=new_id(), round_id=round_id, counted=c, answers=a) for c, a in rows
        )

    def ballots(self, round_id: str, counted_only: bool = True) -> list[Ballot]:
        """The round's ballots (only the counted ones unless ``counted_only`` is False), in
        key order: random, unrelated to the order of answering."""
        query = select(SurveyBallotRow.counted, SurveyBallotRow.answers).where(
            SurveyBallotRow.round_id == round_id
        )
        if counted_only:
            query = query.where(SurveyBallotRow.counted.is_(True))
        with self._session() as s:
            rows = s.execute(query.order_by(SurveyBallotRow.id)).all()
        return [
            Ballot({int(k): v for k, v in json.loads(answers).items()}, counted)
            for counted, answers in rows
        ]
