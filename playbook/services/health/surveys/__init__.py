"""Anonymous pulse surveys (issue 21, item 2): a coordinator drafts a short survey, opens it
as numbered rounds (re-running it opens the next round, so trends across rounds show) and
closes each; members answer once per round; results show only for enough respondents.

Answers never carry who gave them. A person's one-time token for a round is a keyed hash of
the round and their id; the store keeps that the token was used, apart from the ballot
(``playbook.ports.surveys``). Open answers are redacted before they are stored. Answering is
not written to the audit log: its time would say who answered when. Every view of results
is audited.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from playbook.models import Principal, StoreError
from playbook.permissions import Action, Target, check, programmes
from playbook.ports import Audit, Directory, Redactor
from playbook.ports.surveys import (
    AlreadyAnsweredError,
    Question,
    QuestionKind,
    RoundState,
    Series,
    SurveyRound,
    Surveys,
)
from playbook.services.health.figures import Period, Section
from playbook.services.health.surveys.checks import (
    SurveyError,
    ballot,
    checked_answers,
    checked_questions,
    checked_title,
    token_for,
)
from playbook.services.health.surveys.report import survey_section
from playbook.services.health.surveys.tally import (
    RoundResults,
    period_of,
    tally,
)
from playbook.services.programme_base import Boundary, PolicyFor

__all__ = [
    "AlreadyAnsweredError",
    "OpenSurvey",
    "SurveyError",
    "SurveyOverview",
    "SurveyService",
    "TrendPoint",
]


@dataclass(frozen=True)
class OpenSurvey:
    """An open round a member may answer, and whether they have."""

    series: Series
    round: SurveyRound
    answered: bool


@dataclass(frozen=True)
class SurveyOverview:
    """A survey and its rounds, as its coordinators manage it."""

    series: Series
    rounds: tuple[SurveyRound, ...]

    @property
    def open_round(self) -> SurveyRound | None:
        """The round taking answers, if any."""
        return next((r for r in self.rounds if r.state is RoundState.OPEN), None)


@dataclass(frozen=True)
class TrendPoint:
    """One scale question's mean in one round (``None``: too few answers to show)."""

    round_number: int
    period: str
    position: int
    question: str
    mean: float | None
    counted: int


class SurveyService:
    """Use cases of pulse surveys: draft, publish, re-run, close, answer, results, trends."""

    def __init__(
        self,
        surveys: Surveys,
        directory: Directory,
        redactor: Redactor,
        key: Callable[[], bytes],
        *,
        min_group: int,
        audit: Audit | None = None,
        policy_for: PolicyFor | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        rng: random.Random | None = None,
    ) -> None:
        self.surveys = surveys
        self._key = key
        self._min_group = min_group
        self._audit = audit
        self._today = today
        # Open answers are shuffled with the system's randomness unless a test seeds one.
        self._rng = rng or random.SystemRandom()
        self._at = Boundary(directory, redactor, policy_for)

    @property
    def min_group(self) -> int:
        """The fewest counted answers a round's results are shown for."""
        return self._min_group

    def programme(self, who: Principal, slug_or_id: str = "") -> str:
        """The programme id ``who`` means (by slug or id; their only one when empty)."""
        return self._at.programme(slug_or_id, who.programme_ids)

    def running(self, who: Principal) -> frozenset[str]:
        """The programmes in which ``who`` may run surveys."""
        return programmes(who, Action.RUN_SURVEY)

    # -- the coordinator's side ----------------------------------------------------------

    def create(
        self, who: Principal, programme_id: str, title: str, questions: Sequence[Question]
    ) -> Series:
        """Draft a survey: a title and 1 to 10 questions, redacted before they are stored.

        Raises:
            NotAllowedError: ``who`` does not run surveys in the programme.
            SurveyError: A bad title or question (nothing stored).
        """
        check(who, Action.RUN_SURVEY, Target.programme(programme_id))
        name = checked_title(title)
        qs = checked_questions(questions)
        texts = [name] + [t for q in qs for t in (q.text, q.low, q.high)]
        done = iter(self._at.redact(who.user_id, texts))
        name = next(done)
        qs = [Question(q.kind, next(done), next(done), next(done)) for q in qs]
        series_id = self.surveys.create_series(programme_id, name, qs, who.user_id)
        self._record(who, "survey.create", series_id)
        found = self.surveys.series(series_id)
        assert found is not None  # just written
        return found

    def delete_draft(self, who: Principal, series_id: str) -> None:
        """Remove a survey that has not been published (``SurveyError`` once it has)."""
        series = self._series(who, series_id, Action.RUN_SURVEY)
        try:
            self.surveys.delete_series(series.series_id)
        except StoreError as exc:
            raise SurveyError(str(exc)) from None
        self._record(who, "survey.delete", series_id)

    def publish(self, who: Principal, series_id: str) -> SurveyRound:
        """Open the survey's next round (its first, or a re-run of the same questions) for
        every member of the programme.

        Raises:
            SurveyError: A round of it is open already.
        """
        series = self._series(who, series_id, Action.RUN_SURVEY)
        invited = len(self._at.directory.member_ids(series.programme_id))
        try:
            opened = self.surveys.open_round(
                series.series_id, self._today(), invited, self._min_group
            )
        except StoreError as exc:
            raise SurveyError(str(exc)) from None
        self._record(who, "survey.publish", opened.round_id, f"round {opened.number}")
        return opened

    def close(self, who: Principal, series_id: str) -> SurveyRound:
        """Close the survey's open round (``SurveyError`` when none is open)."""
        series = self._series(who, series_id, Action.RUN_SURVEY)
        current = self._overview(series).open_round
        if current is None:
            raise SurveyError("no round of this survey is open; publish it to open one")
        closed = self.surveys.close_round(current.round_id, self._today())
        self._record(who, "survey.close", closed.round_id, f"round {closed.number}")
        return closed

    def surveys_of(self, who: Principal, programme_id: str) -> list[SurveyOverview]:
        """The programme's surveys with their rounds, newest survey first."""
        check(who, Action.RUN_SURVEY, Target.programme(programme_id))
        return [self._overview(s) for s in self.surveys.series_for(programme_id)]

    def results(self, who: Principal, series_id: str, number: int | None = None) -> RoundResults:
        """A round's results (the latest when ``number`` is None), counted in complete
        groups and shown only for at least the minimum group size. Audited.

        Raises:
            SurveyError: The survey has not run, or has no such round.
        """
        series = self._series(who, series_id, Action.RUN_SURVEY)
        rounds = self.surveys.rounds(series.series_id)
        if not rounds:
            raise SurveyError("this survey has not been published yet; it has no results")
        if number is None:
            chosen = rounds[-1]
        else:
            picked = [r for r in rounds if r.number == number]
            if not picked:
                raise SurveyError(
                    f"this survey has rounds 1 to {len(rounds)}; there is no round {number}"
                )
            chosen = picked[0]
        self._record(who, "survey.results", chosen.round_id, f"round {chosen.number}")
        return self._tally(series, chosen)

    def trends(self, who: Principal, series_id: str) -> list[TrendPoint]:
        """Each scale question's mean per round across the series (withheld rounds ``None``).
        Audited."""
        series = self._series(who, series_id, Action.RUN_SURVEY)
        self._record(who, "survey.trends", series.series_id)
        points = []
        for r in self.surveys.rounds(series.series_id):
            res = self._tally(series, r)
            means = {q.position: q.mean for q in res.questions}
            for n, q in enumerate(series.questions, start=1):
                if q.kind is QuestionKind.SCALE:
                    points.append(
                        TrendPoint(
                            r.number,
                            res.period.label,
                            n,
                            q.text,
                            means.get(n) if res.shown else None,
                            res.counted,
                        )
                    )
        return points

    def section(self, principal: Principal, programme_id: str, period: Period) -> Section:
        """The surveys' part of the health report: the rounds open during ``period`` with
        their counts per scale point and means, each withheld below the minimum group size.
        No open answer is in it. Audited."""
        check(principal, Action.VIEW_HEALTH, Target.programme(programme_id))
        self._record(principal, "health.surveys", programme_id, period.label)
        results = []
        for series in self.surveys.series_for(programme_id):
            for r in self.surveys.rounds(series.series_id):
                res = self._tally(series, r)
                if res.period.start <= period.end and res.period.end >= period.start:
                    results.append(res)
        return survey_section(results, period, self._min_group)

    # -- the member's side ---------------------------------------------------------------

    def open_for(self, who: Principal) -> list[OpenSurvey]:
        """Open rounds in ``who``'s programmes, newest first, each with whether they have
        answered it."""
        out = []
        for r in self.surveys.open_rounds(programmes(who, Action.ANSWER_SURVEY)):
            series = self.surveys.series(r.series_id)
            if series is not None:
                used = self.surveys.used(r.round_id, self._token(r.round_id, who.user_id))
                out.append(OpenSurvey(series, r, used))
        return out

    def answer(self, who: Principal, round_id: str, answers: Mapping[int, object]) -> None:
        """Answer an open round once, anonymously: scale answers checked, open answers
        redacted (the raw text is never stored). Not audited (see the module's note).

        Raises:
            NotAllowedError: ``who`` is not a member of the survey's programme.
            AlreadyAnsweredError: They have answered this round (nothing changed).
            SurveyError: The round is closed or unknown, or an answer is bad (nothing stored).
        """
        r = self.surveys.round(round_id)
        if r is None:
            raise SurveyError("there is no such survey round; it may have been removed")
        check(who, Action.ANSWER_SURVEY, Target.programme(r.programme_id))
        if r.state is not RoundState.OPEN:
            raise SurveyError("this survey round is closed; it takes no more answers")
        token = self._token(r.round_id, who.user_id)
        if self.surveys.used(r.round_id, token):
            raise AlreadyAnsweredError(
                "you have already answered this round; each person answers once "
                "(nothing was changed)"
            )
        series = self.surveys.series(r.series_id)
        assert series is not None  # a round's series is removed with it
        scale, open_ = checked_answers(series.questions, answers)
        positions = sorted(open_)
        texts = self._at.redact(who.user_id, [open_[p] for p in positions])
        redacted = dict(zip(positions, texts, strict=True))
        try:
            self.surveys.add_ballot(r.round_id, token, ballot(scale, redacted))
        except AlreadyAnsweredError:
            raise
        except StoreError as exc:
            raise SurveyError(str(exc)) from None

    def current_round(self, who: Principal, series_id: str) -> SurveyRound:
        """The open round of a survey ``who`` may answer (``SurveyError`` when none is)."""
        series = self._series(who, series_id, Action.ANSWER_SURVEY)
        current = self._overview(series).open_round
        if current is None:
            raise SurveyError("this survey is not open for answers now")
        return current

    # -- shared ----------------------------------------------------------------------------

    def _series(self, who: Principal, series_id: str, action: Action) -> Series:
        series = self.surveys.series((series_id or "").strip())
        if series is None:
            raise SurveyError(
                f"there is no survey {series_id!r}; `playbook surveys list` shows them"
            )
        check(who, action, Target.programme(series.programme_id))
        return series

    def _overview(self, series: Series) -> SurveyOverview:
        return SurveyOverview(series, tuple(self.surveys.rounds(series.series_id)))

    def _tally(self, series: Series, r: SurveyRound) -> RoundResults:
        ballots = self.surveys.ballots(r.round_id, counted_only=True)
        period = period_of(r, self._today())
        return tally(series.title, series.questions, r, ballots, self._min_group, self._rng, period)

    def _token(self, round_id: str, user_id: str) -> str:
        return token_for(self._key(), round_id, user_id)

    def _record(self, who: Principal, action: str, subject: str, detail: str = "") -> None:
        if self._audit is not None:
            self._audit.record(who.username, action, subject, detail)
