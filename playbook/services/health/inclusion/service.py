"""The inclusion audit's use cases: a coordinator configures the attributes the programme
asks for; each person declares their own values with consent, sees them and withdraws them;
people with the view-health role see the audit, aggregates only, one attribute at a time (or
a cross-tab of two), for whole calendar quarters that have ended.

Nobody's values leave this service except to that person (``mine``): the audit reads
counts from the port's ``tally`` and withholds every cell ``audit.quarter_cells`` says to.
A new or changed value counts only once ``k`` people wait with one of that attribute, all
together (so comparing the audit before and after one person declares shows nothing);
withdrawal deletes at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from playbook.models import Principal
from playbook.permissions import Action, Target, check
from playbook.ports import Audit, Directory, Redactor
from playbook.ports.inclusion import (
    AttributeSpec,
    Declaration,
    InclusionActivity,
    InclusionAttributes,
)
from playbook.ports.mentoring import Pairings, PairingState
from playbook.ports.programme import parse_quarter, quarter_days
from playbook.services.health.figures import (
    Period,
    Section,
    Table,
    ended_quarter,
    latest_ended_quarter,
)
from playbook.services.health.inclusion import audit as calc
from playbook.services.health.inclusion import config
from playbook.services.health.inclusion.tables import attribute_tables, crosstab_table
from playbook.services.programme_base import Boundary, PolicyFor, ProgrammeError

# A pairing counts for the quarters it was under way: approved, active, or since ended.
PAIRED_STATES = frozenset({PairingState.APPROVED, PairingState.ACTIVE, PairingState.ENDED})


@dataclass(frozen=True)
class AuditView:
    """The audit of one programme and quarter: a table per attribute, and a note for
    anything withheld as a whole."""

    quarter: str
    period: Period
    members: int
    tables: tuple[Table, ...]
    notes: tuple[str, ...]


class InclusionService:
    """Configure, declare, withdraw, and the audit."""

    def __init__(
        self,
        attributes: InclusionAttributes,
        activity: InclusionActivity,
        pairings: Pairings,
        directory: Directory,
        redactor: Redactor,
        min_group: int,
        audit: Audit | None = None,
        policy_for: PolicyFor | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self._store = attributes
        self._activity = activity
        self._pairings = pairings
        self._at = Boundary(directory, redactor, policy_for)
        self._redactor = redactor
        self._policy_for = policy_for
        self.k = max(2, min_group)  # a group of one is never safe, whatever the setting
        self._audit = audit
        self._today = today
        self._now = now

    def programme(self, who: Principal, slug_or_id: str = "") -> str:
        """The programme id ``who`` means (by slug or id; their only one when empty)."""
        return self._at.programme(slug_or_id, who.programme_ids)

    def consent_text(self) -> str:
        """The sentence a person agrees to when they declare."""
        return config.consent_text(self.k)

    # -- configuration -------------------------------------------------------------------

    def attributes(self, who: Principal, programme_id: str) -> list[AttributeSpec]:
        """What the programme asks for (the defaults until a coordinator configures it)."""
        self._member(who, programme_id)
        found = self._store.attributes(programme_id)
        return list(config.DEFAULTS) if found is None else found

    def configure(
        self, who: Principal, programme_id: str, specs: Sequence[AttributeSpec]
    ) -> tuple[list[AttributeSpec], int]:
        """Replace what the programme asks for; declarations of attributes no longer asked,
        and of values no longer listed, are deleted. Returns the attributes as stored and
        how many declarations were deleted."""
        check(who, Action.CONFIGURE_HEALTH, Target.programme(programme_id))
        wanted = config.checked(specs)
        self._no_one_named(who, wanted)
        before = {s.name: s for s in self.attributes(who, programme_id)}
        self._store.set_attributes(programme_id, wanted)
        dropped = 0
        after = {s.name: s for s in wanted}
        for name, old in before.items():
            new = after.get(name)
            if new is None:
                dropped += self._store.drop_attribute_values(programme_id, name)
            elif new.values and set(new.values) != set(old.values):
                dropped += self._drop_unlisted(programme_id, new)
        self._record(who, "inclusion attributes configured", programme_id, ",".join(after))
        return wanted, dropped

    def _no_one_named(self, who: Principal, specs: Sequence[AttributeSpec]) -> None:
        # Labels and listed values are the programme's categories, shown to everyone who
        # views health: they pass the redactor, and one that names a person or a contact
        # detail is refused (a place, a group or an organisation is a fair category; kept
        # as typed, since a placeholder would make it useless).
        texts = [t for s in specs for t in (s.label, *s.values)]
        if not texts:
            return
        policy = self._policy_for(who.user_id) if self._policy_for else None
        for text, found in zip(texts, self._redactor.redact_batch(texts, policy), strict=True):
            kinds = sorted({e.type for e in found.entities} - config.CATEGORY_ENTITIES)
            if kinds:
                raise ProgrammeError(
                    f"{text!r} looks like it names someone or a contact detail "
                    f"({', '.join(kinds).lower()}); labels and values are categories that "
                    "everyone viewing health reads, so name no one (nothing was saved)"
                )

    def _drop_unlisted(self, programme_id: str, spec: AttributeSpec) -> int:
        # Values the list no longer offers are deleted, everyone's (never read per person).
        return self._store.drop_attribute_values(programme_id, spec.name, spec.values)

    # -- one's own declarations ----------------------------------------------------------

    def declare(
        self, who: Principal, programme_id: str, values: Mapping[str, str], consent: bool
    ) -> list[Declaration]:
        """``who`` declares values about themself (only the attributes given; others stay as
        they were), having agreed to ``consent_text()``. Returns all their declarations.

        Raises:
            ProgrammeError: No consent, an attribute the programme does not ask for, an
                empty or too long value, or a value not in the attribute's list.
        """
        self._own(who, programme_id)
        if not consent:
            raise ProgrammeError(
                "declaring needs your consent: read the consent text and agree to it "
                "(nothing was saved)"
            )
        if not values:
            raise ProgrammeError("give at least one value (nothing was saved)")
        specs = {s.name: s for s in self.attributes(who, programme_id)}
        tidy: dict[str, str] = {}
        free: list[str] = []
        for name, value in values.items():
            spec = specs.get((name or "").strip().lower())
            if spec is None:
                raise ProgrammeError(
                    f"this programme does not ask for {name!r}; it asks for "
                    f"{', '.join(specs) or 'nothing'}"
                )
            text = " ".join((value or "").split())
            if not text:
                raise ProgrammeError(f"{spec.label} is empty; to remove it, withdraw it")
            if len(text) > config.MAX_VALUE:
                raise ProgrammeError(f"{spec.label} is too long; keep it to {config.MAX_VALUE}")
            if spec.values:
                match = [v for v in spec.values if v.casefold() == text.casefold()]
                if not match:
                    raise ProgrammeError(
                        f"{text!r} is not one of the values of {spec.label}: "
                        f"{', '.join(spec.values)}"
                    )
                tidy[spec.name] = match[0]
            else:
                tidy[spec.name] = text
                free.append(spec.name)
        # A typed value is free text others may read (as a group's name): redacted first.
        if free:
            done = self._at.redact(who.user_id, [tidy[n] for n in free])
            tidy.update(zip(free, done, strict=True))
            # Placeholders can be longer than the names they replace; the column holds 120.
            if any(len(tidy[n]) > config.MAX_STORED for n in free):
                raise ProgrammeError(
                    "a value is too long once names in it are replaced; shorten it "
                    "(nothing was saved)"
                )
        # New or changed values wait until k people wait on the attribute, then count
        # together: one more declaration never moves a count by fewer than k people.
        self._store.declare(
            programme_id, who.user_id, tidy, self.consent_text(), self._now(), batch_of=self.k
        )
        self._record(who, "inclusion attributes declared", programme_id, ",".join(sorted(tidy)))
        return self._store.declared(programme_id, who.user_id)

    def mine(self, who: Principal, programme_id: str) -> list[Declaration]:
        """``who``'s own declarations (the only way anyone's values are read)."""
        self._own(who, programme_id)
        return self._store.declared(programme_id, who.user_id)

    def still_needed(self, who: Principal, programme_id: str) -> dict[str, int]:
        """For each of ``who``'s own declarations still waiting: how many more people must
        declare that attribute before it counts (with theirs) in the audit.

        Only the person sees this: a count of people waiting tells nothing of anyone's
        values, and it is shown for their own waiting declarations only.
        """
        held = [d.attribute for d in self.mine(who, programme_id) if not d.counted]
        if not held:
            return {}
        waiting = self._store.waiting(programme_id)
        # At least one: a batch that filled in a race stays waiting until the next one.
        return {a: max(1, self.k - waiting.get(a, 0)) for a in held}

    def withdraw(
        self, who: Principal, programme_id: str, attributes: Iterable[str] | None = None
    ) -> int:
        """Delete ``who``'s declarations (these attributes, or all); how many were deleted."""
        self._own(who, programme_id)
        names = None if attributes is None else [a.strip().lower() for a in attributes]
        gone = self._store.withdraw(programme_id, who.user_id, names)
        self._record(who, "inclusion attributes withdrawn", programme_id, str(gone))
        return gone

    # -- the audit ------------------------------------------------------------------------

    def latest_quarter(self) -> str:
        """The last calendar quarter that has ended."""
        return latest_ended_quarter(self._today())

    def quarter(self, text: str | None) -> str:
        """A quarter the audit may cover (whole, ended), as typed; the latest when empty.

        Raises:
            ProgrammeError: It is not a quarter, or it has not ended yet.
        """
        if not (text or "").strip():
            return self.latest_quarter()
        try:
            q = parse_quarter(text or "")
            days = quarter_days(q)
        except ValueError as e:  # not a quarter, or one of year 0
            raise ProgrammeError(
                f"{(text or '').strip()!r} is not a quarter; write it like 2026-Q3"
            ) from e
        if days[1] >= self._today():
            raise ProgrammeError(
                f"{q} has not ended; the audit covers whole quarters that have ended "
                f"(the latest is {self.latest_quarter()})"
            )
        return q

    def audit_view(
        self, who: Principal, programme_id: str, quarter: str | None = None
    ) -> AuditView:
        """The audit for one whole, ended quarter: per attribute, members against writers,
        people in a pairing and showcased authors, every small cell withheld (audited)."""
        check(who, Action.VIEW_HEALTH, Target.programme(programme_id))
        q = self.quarter(quarter)
        view = self._view(programme_id, q)
        self._record(who, "inclusion audit viewed", programme_id, q)
        return view

    def crosstab(self, who: Principal, programme_id: str, first: str, second: str) -> Table:
        """Members by two attributes at once, offered only when no cell needs withholding
        (every cell nobody or at least k, every group of both attributes shown).

        Raises:
            ProgrammeError: Not two attributes of the programme, or the cross-tab would
                need a withheld cell (the sentence says so).
        """
        check(who, Action.VIEW_HEALTH, Target.programme(programme_id))
        specs = {s.name: s for s in self.attributes(who, programme_id)}
        a, b = (first or "").strip().lower(), (second or "").strip().lower()
        if a not in specs or b not in specs or a == b:
            raise ProgrammeError(
                f"name two different attributes of the programme: {', '.join(specs)}"
            )
        members = self._at.directory.member_ids(programme_id)
        if len(members) < self.k:
            raise ProgrammeError(self._too_few(len(members)))
        ordered = list(specs.values())
        base = calc.standing(ordered, members, self._tally(programme_id), self.k)
        if [n for n in specs if n in (a, b)] != [a, b]:
            a, b = b, a  # the standing keeps the configured order of pairs
        if (a, b) not in base.pairs:
            raise ProgrammeError(
                f"no cross-tab of {specs[a].label.lower()} and {specs[b].label.lower()}: some "
                f"combination holds fewer than {self.k} members, or a group of one of them "
                "is withheld, and a cross-tab with withheld cells could be worked back from "
                "the one-attribute tables; see each attribute on its own"
            )
        self._record(who, "inclusion cross-tab viewed", programme_id, f"{a}x{b}")
        return crosstab_table(base, specs[a], specs[b], self._name(programme_id), self.k)

    def section(self, principal: Principal, programme_id: str, period: Period) -> Section:
        """The audit tables for the health report: the whole quarter that ended last on or
        before the period's end (the audit never covers arbitrary days)."""
        check(principal, Action.VIEW_HEALTH, Target.programme(programme_id))
        q = ended_quarter(period, self._today())
        view = self._view(programme_id, q)
        self._record(principal, "inclusion audit viewed", programme_id, q)
        note = (
            f"The inclusion audit covers whole calendar quarters only: {q} "
            f"({view.period.label}), the last one ended by {period.end.isoformat()}."
        )
        return Section("inclusion", "Inclusion audit", (), view.tables, (note, *view.notes))

    def _view(self, programme_id: str, q: str) -> AuditView:
        start, end = quarter_days(q)
        period = Period(start, end)
        members = self._at.directory.member_ids(programme_id)
        if len(members) < self.k:
            return AuditView(q, period, len(members), (), (self._too_few(len(members)),))
        specs = self._store.attributes(programme_id)
        specs = list(config.DEFAULTS) if specs is None else specs
        tally = self._tally(programme_id)
        base = calc.standing(specs, members, tally, self.k)
        activity = {
            "wrote": self._activity.writers(programme_id, start, end),
            "paired": self._paired(programme_id, start, end),
            "showcased": self._activity.showcased_authors(programme_id, start, end),
        }
        cells = calc.quarter_cells(base, activity, members, tally, self.k)
        if not cells.safe:
            return AuditView(q, period, len(members), (), (self._withheld_all(),))
        tables = attribute_tables(base, cells, q, period, self._name(programme_id), self.k)
        return AuditView(q, period, len(members), tuple(tables), ())

    def _paired(self, programme_id: str, start: dt.date, end: dt.date) -> set[str]:
        people: set[str] = set()
        for p in self._pairings.pairings(programme_id, states=PAIRED_STATES):
            ended = p.ended_at.date() if p.ended_at else None
            if p.created_at.date() <= end and (ended is None or ended >= start):
                people |= {p.mentor_id, p.mentee_id}
        return people

    def _tally(self, programme_id: str) -> calc.Tally:
        return lambda names, among: self._store.tally(programme_id, names, among)

    def _name(self, programme_id: str) -> str:
        return self._at.directory.programme_name(programme_id)

    def _too_few(self, n: int) -> str:
        return (
            f"The programme has {n} member{'s' if n != 1 else ''}; the audit needs at least "
            f"{self.k}, so nothing is shown."
        )

    def _withheld_all(self) -> str:
        return (
            "Every figure is withheld this quarter: the groups are so small that any figure "
            f"shown would let a group of fewer than {self.k} people be worked out."
        )

    def _member(self, who: Principal, programme_id: str) -> None:
        if programme_id not in who.programme_ids:
            raise ProgrammeError("that is not one of your programmes")

    def _own(self, who: Principal, programme_id: str) -> None:
        self._member(who, programme_id)
        check(who, Action.DECLARE_ATTRIBUTES, Target(programme_id, owner_id=who.user_id))

    def _record(self, who: Principal, action: str, subject: str, detail: str = "") -> None:
        # Names of attributes and quarters only: never a declared value.
        if self._audit is not None:
            self._audit.record(who.username, action, subject, detail)
