"""Accountability in the programme: each mentor's quarterly impact report (the quarterly
impact prompt set, answered once per quarter: behaviour shifts, decision speed,
stakeholder relationships), mentees' recounts of their learning objectives (how what they
learnt informed what they did), and the validation of a recount by the observer the mentee
named. The quarterly showcase gains what their authors shared.

Reports and recounts are stored redacted; each is kept to its author unless they share it
with the programme. The named observer reads the recount they are asked to validate.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from playbook.models import Principal, Visibility
from playbook.permissions import Action, Target, allows, check, programmes
from playbook.ports import Audit, Directory, Redactor
from playbook.ports.mentoring import GIVING_ROLES, Pairings, PairingState, Profiles
from playbook.ports.programme import (
    Impact,
    ImpactReport,
    Recount,
    parse_quarter,
    quarter_days,
    quarter_of,
)
from playbook.services.handoff import Pack
from playbook.services.programme_base import Boundary, PolicyFor, ProgrammeError, clean

if TYPE_CHECKING:
    from prompts import Library

REPORT_SET = "quarterly-impact"
MAX_ANSWER = 4000
MAX_RECOUNT = 4000
MAX_STATEMENT = 1000
# A pairing counts towards a mentor's report once both have accepted it (ended ones too:
# the quarter may have been its last).
REPORTED_STATES = frozenset({PairingState.ACTIVE, PairingState.ENDED})


@dataclass(frozen=True)
class ReportPrompt:
    """One question of the report, and why it is asked."""

    prompt_id: str
    text: str
    why: str


@dataclass(frozen=True)
class Showcased:
    """What a quarter's showcase adds: shared reports, and shared recounts with their
    validations, in the programmes the reader coordinates (redacted text only)."""

    reports: tuple[ImpactReport, ...]
    recounts: tuple[Recount, ...]
    names: dict[str, str]


def _visibility(shared: bool) -> Visibility:
    return Visibility.SHARED if shared else Visibility.PRIVATE


class ImpactService:
    """Use cases of impact reports, objective recounts and validations."""

    def __init__(
        self,
        impact: Impact,
        profiles: Profiles,
        pairings: Pairings,
        directory: Directory,
        redactor: Redactor,
        library: Callable[[], Library],
        audit: Audit | None = None,
        policy_for: PolicyFor | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.impact = impact
        self.profiles = profiles  # the mentoring ports, read here (written by mentoring)
        self.pairings = pairings
        self._library = library
        self._audit = audit
        self._today = today
        self._at = Boundary(directory, redactor, policy_for)

    def programme(self, who: Principal, slug_or_id: str = "") -> str:
        """The programme id ``who`` means (by slug or id; their only one when empty)."""
        return self._at.programme(slug_or_id, who.programme_ids)

    def current_quarter(self) -> str:
        """Today's quarter ("2026-Q4")."""
        return quarter_of(self._today())

    def names(self, user_ids: list[str | None]) -> dict[str, str]:
        """Usernames of these ids."""
        return self._at.names(user_ids)

    # -- the mentor's report -----------------------------------------------------------

    def prompts(self) -> list[ReportPrompt]:
        """The questions of the quarterly impact report, from the prompt library."""
        ps = self._library().sets.get(REPORT_SET)
        if ps is None:
            raise ProgrammeError(
                f"the prompt set {REPORT_SET!r} is missing from the prompt library; "
                "restore prompts/sets/quarterly-impact.yaml"
            )
        return [ReportPrompt(p.id, p.text, p.why) for p in ps.prompts]

    def mentees(self, who: Principal, programme_id: str) -> list[str]:
        """Usernames of the mentees ``who`` mentored in the programme (pairings under way
        or ended): whom the report is about."""
        ids = [
            p.mentee_id
            for p in self.pairings.pairings(programme_id, who.user_id, REPORTED_STATES)
            if p.mentor_id == who.user_id and p.role in GIVING_ROLES
        ]
        names = self._at.names(ids)
        return sorted({names.get(i, "?") for i in ids})

    def report(self, who: Principal, programme_id: str, quarter: str) -> ImpactReport | None:
        """``who``'s own report for the quarter, or None."""
        return self.impact.report(programme_id, who.user_id, parse_quarter(quarter))

    def save_report(
        self,
        who: Principal,
        programme_id: str,
        quarter: str,
        answers: Mapping[str, str],
        shared: bool = False,
    ) -> ImpactReport:
        """Write (or rewrite) ``who``'s report for a quarter, one answer per prompt of the
        quarterly impact set (at least one answered). Only a mentor of a pairing under way
        or ended in the programme reports; a future quarter cannot be reported yet."""
        check(who, Action.REPORT_IMPACT, Target.programme(programme_id))
        q = parse_quarter(quarter)
        if quarter_days(q)[0] > self._today():
            raise ProgrammeError(f"{q} has not started yet; report on this quarter or a past one")
        if not self.mentees(who, programme_id):
            raise ProgrammeError(
                "an impact report is a mentor's account of their pairings, and you have no "
                "pairing under way in this programme"
            )
        known = {p.prompt_id for p in self.prompts()}
        unknown = sorted(set(answers) - known)
        if unknown:
            raise ProgrammeError(
                f"not questions of the report: {', '.join(unknown)}; "
                f"answer {', '.join(sorted(known))}"
            )
        texts = {k: clean(v, f"the answer to {k!r}", MAX_ANSWER, False) for k, v in answers.items()}
        texts = {k: v for k, v in texts.items() if v}
        if not texts:
            raise ProgrammeError("the report is empty; answer at least one question")
        keys = sorted(texts)
        redacted = dict(
            zip(keys, self._at.redact(who.user_id, [texts[k] for k in keys]), strict=True)
        )
        saved = self.impact.save_report(programme_id, who.user_id, q, redacted, shared)
        self._record(who, "impact report saved", q, "shared" if shared else "private")
        return saved

    def readable_reports(self, who: Principal, quarter: str | None = None) -> list[ImpactReport]:
        """Reports ``who`` may read: their own, and the shared ones of their programmes."""
        q = parse_quarter(quarter) if quarter else None
        return [
            r
            for r in self.impact.reports(sorted(who.programme_ids), q)
            if allows(
                who,
                Action.READ,
                Target(r.programme_id, owner_id=r.mentor_id, visibility=_visibility(r.shared)),
            )
        ]

    # -- the mentee's recount and the observer's validation -----------------------------

    def objectives(self, who: Principal) -> list[tuple[str, str, str]]:
        """``who``'s current learning objectives: (objective id, programme id, text)."""
        return [
            (o.objective_id, o.programme_id, o.text)
            for p in sorted(who.programme_ids)
            for o in self.profiles.objectives(p, who.user_id)
            if not o.retired
        ]

    def recount(
        self,
        who: Principal,
        objective_id: str,
        text: str,
        observer: str,
        shared: bool = False,
        quarter: str | None = None,
    ) -> Recount:
        """``who`` recounts one of their learning objectives (how new knowledge informed
        their actions) and names an observer in the programme who saw the outcome."""
        objective = self.profiles.objective((objective_id or "").strip())
        if objective is None or objective.programme_id not in who.programme_ids:
            raise ProgrammeError(f"there is no learning objective {objective_id!r} of yours")
        check(
            who,
            Action.RECOUNT,
            Target(programme_id=objective.programme_id, owner_id=objective.user_id),
        )
        if objective.retired:
            raise ProgrammeError(
                "that objective was retired from your profile; recount a current one"
            )
        body = clean(text, "the recount", MAX_RECOUNT)
        observer_id = self._at.member(objective.programme_id, observer, "the observer")
        if observer_id == who.user_id:
            raise ProgrammeError("name someone else as the observer: a peer who saw the outcome")
        q = parse_quarter(quarter) if quarter else self.current_quarter()
        body_r, objective_r = self._at.redact(who.user_id, [body, objective.text])
        recount_id = self.impact.add_recount(
            objective.programme_id,
            who.user_id,
            objective.objective_id,
            objective_r,
            q,
            body_r,
            observer_id,
            shared,
        )
        self._record(who, "objective recounted", recount_id, observer.strip())
        found = self.impact.recount(recount_id)
        assert found is not None  # just written
        return found

    def my_recounts(self, who: Principal) -> list[Recount]:
        """``who``'s own recounts, newest first."""
        return self.impact.recounts(sorted(who.programme_ids), mentee_id=who.user_id)

    def to_validate(self, who: Principal) -> list[Recount]:
        """Recounts naming ``who`` as observer, not yet validated, newest first."""
        return [
            r
            for r in self.impact.recounts(sorted(who.programme_ids), observer_id=who.user_id)
            if r.validated_at is None
        ]

    def validate(self, who: Principal, recount_id: str, statement: str) -> Recount:
        """The named observer confirms the mentee's progress with a short statement (once;
        audited). Nobody else may, the mentee included."""
        found = self.impact.recount((recount_id or "").strip())
        if found is None or found.programme_id not in who.programme_ids:
            raise ProgrammeError("there is no such recount in your programmes")
        check(
            who,
            Action.VALIDATE,
            Target(programme_id=found.programme_id, verifier_id=found.observer_id),
        )
        if found.validated_at is not None:
            raise ProgrammeError("this recount was already validated; a validation is given once")
        body = clean(statement, "the statement", MAX_STATEMENT)
        done = self.impact.validate(found.recount_id, self._at.redact(who.user_id, [body])[0])
        self._record(who, "progress validated", found.recount_id, found.objective_id)
        return done

    # -- the showcase --------------------------------------------------------------------

    def showcase(self, who: Principal, start: dt.date, end: dt.date) -> Showcased:
        """Shared reports of the quarters overlapping ``start``..``end``, and shared recounts
        written in it, in the programmes ``who`` coordinates (never a private one)."""
        check(who, Action.SHOWCASE)
        if end < start:
            raise ProgrammeError(f"the period ends ({end}) before it starts ({start})")
        wanted = sorted(programmes(who, Action.SHOWCASE))
        reports = tuple(
            r
            for r in self.impact.reports(wanted)
            if r.shared
            and quarter_days(r.quarter)[0] <= end
            and start <= quarter_days(r.quarter)[1]
        )
        recounts = tuple(
            r
            for r in self.impact.recounts(wanted)
            if r.shared and start <= r.created_at.date() <= end
        )
        ids: list[str | None] = [r.mentor_id for r in reports]
        ids += [x for r in recounts for x in (r.mentee_id, r.observer_id)]
        return Showcased(reports, recounts, self._at.names(ids))

    def add_to_showcase(self, who: Principal, pack: Pack, start: dt.date, end: dt.date) -> Pack:
        """The showcase with the period's shared impact reports and recounts (and their
        validations) added as sections and counted in its numbers."""
        shown = self.showcase(who, start, end)
        questions = {p.prompt_id: p.text for p in self.prompts()}
        sections = list(pack.sections)
        if shown.reports:
            lines = []
            for r in shown.reports:
                lines.append(f"{shown.names.get(r.mentor_id, '?')}, {r.quarter}:")
                lines += [f"{questions.get(k, k)} {v}" for k, v in sorted(r.answers.items())]
            sections.append(("Mentors' impact reports", tuple(lines)))
        if shown.recounts:
            lines = []
            for c in shown.recounts:
                mentee = shown.names.get(c.mentee_id, "?")
                lines.append(f"{mentee} on “{c.objective}” ({c.quarter}): {c.text}")
                observer = shown.names.get(c.observer_id, "?")
                lines.append(
                    f"Validated by {observer}: {c.validation}"
                    if c.validation is not None
                    else f"Awaiting validation by {observer}."
                )
            sections.append(("Learning objectives recounted", tuple(lines)))
        counts = dict(pack.counts)
        counts["impact reports shared"] = len(shown.reports)
        counts["objectives recounted"] = len(shown.recounts)
        counts["recounts validated"] = sum(c.validation is not None for c in shown.recounts)
        return replace(pack, sections=tuple(sections), counts=counts)

    def _record(self, who: Principal, action: str, subject: str, detail: str = "") -> None:
        if self._audit is not None:
            self._audit.record(who.username, action, subject, detail)
