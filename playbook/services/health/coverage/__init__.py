"""Themes and knowledge coverage (issue 21, item 3): what the programme writes about against
the strategic goals and knowledge domains its coordinators declare, so gaps show.

Coverage is read from shared and published text only (which every member may read anyway).
Private writing contributes the counts of the prompt categories it answered, and nothing of
its text: the port it comes through carries no text. Every view is audited.

Documents are counted over the period asked for. Everything that counts people (distinct
writers of a goal's texts, writers per prompt category) or is drawn from private writing
(its entries per category, and which categories may be named) is counted over one whole
calendar quarter that has ended (``figures.ended_quarter``, the inclusion audit's rule):
over arbitrary days, two periods a day apart could show 6 writers, then 5, and so that one
person wrote that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from playbook.models import Principal
from playbook.permissions import Action, Target, check
from playbook.ports import Audit, Directory, Embedder, Redactor
from playbook.ports.coverage import CoverageSources, Declaration, DeclarationDraft, Declarations
from playbook.services.health.coverage.declare import MAX_NAME, ImportReport, draft, parse_csv
from playbook.services.health.coverage.matching import MEANING_THRESHOLD, Matcher, VectorCache
from playbook.services.health.coverage.report import (
    FREE_WRITING,
    OTHER_CATEGORIES,
    CoverageReport,
    category_rows,
    coverage_rows,
    gap_sentences,
)
from playbook.services.health.figures import Period, Section, ended_quarter, quarter_period
from playbook.services.programme_base import Boundary, PolicyFor, ProgrammeError
from playbook.services.rotation import Aliases, aliases

if TYPE_CHECKING:
    from prompts import Library

__all__ = ["CoverageReport", "CoverageService", "ImportReport", "ProgrammeError"]
MAX_DECLARATIONS = 500


def _key(name: str) -> str:
    # As the store tells declarations apart: case and spacing ignored.
    return " ".join(name.casefold().split())


class CoverageService:
    """Declaring goals and domains, and the coverage report (a ``SectionSource``)."""

    def __init__(
        self,
        declarations: Declarations,
        sources: CoverageSources,
        directory: Directory,
        redactor: Redactor,
        embedder: Callable[[], Embedder] | None,
        library: Callable[[], Library],
        min_group: int,
        audit: Audit | None = None,
        policy_for: PolicyFor | None = None,
        threshold: float = MEANING_THRESHOLD,
        table: Aliases | None = None,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.store = declarations
        self._today = today
        self._sources = sources
        self._library = library
        self._audit = audit
        self.min_group = min_group
        self._at = Boundary(directory, redactor, policy_for)
        self.matcher = Matcher(
            VectorCache(embedder) if embedder is not None else None,
            table if table is not None else aliases(),
            threshold,
        )

    def programme(self, who: Principal, slug_or_id: str = "") -> str:
        """The programme id ``who`` means (by slug or id; their only one when empty)."""
        return self._at.programme(slug_or_id, who.programme_ids)

    # -- declaring ---------------------------------------------------------------------

    def declarations(self, who: Principal, programme_id: str) -> list[Declaration]:
        """The programme's declared goals and domains (anyone who views its health)."""
        check(who, Action.VIEW_HEALTH, Target.programme(programme_id))
        return self.store.declarations(programme_id)

    def declare(
        self,
        who: Principal,
        programme_id: str,
        kind: str,
        name: str,
        description: str = "",
        keywords: str | Sequence[str] = (),
    ) -> Declaration:
        """Declare (or replace, by kind and name) one goal or domain, redacted first.

        Raises:
            NotAllowedError: ``who`` may not configure the programme's health.
            ProgrammeError: A field is missing, too long or not one of the choices.
        """
        check(who, Action.CONFIGURE_HEALTH, Target.programme(programme_id))
        [ident] = self._save(who, programme_id, [draft(kind, name, description, keywords)])
        self._record(who, "coverage declared", programme_id, "1")
        return next(d for d in self.store.declarations(programme_id) if d.declaration_id == ident)

    def import_csv(self, who: Principal, programme_id: str, data: bytes) -> ImportReport:
        """Declare goals and domains from CSV (``kind,name,description,keywords``): every
        row stored, or none when any row is wrong (each bad row named)."""
        check(who, Action.CONFIGURE_HEALTH, Target.programme(programme_id))
        drafts, problems = parse_csv(data)
        if problems:
            return ImportReport(0, tuple(problems))
        try:
            saved = len(self._save(who, programme_id, drafts))
        except ProgrammeError as exc:
            return ImportReport(0, (str(exc),))
        self._record(who, "coverage imported", programme_id, str(saved))
        return ImportReport(saved)

    def remove(self, who: Principal, programme_id: str, declaration_id: str) -> None:
        """Forget one declared goal or domain.

        Raises:
            ProgrammeError: The programme has no declaration with this id.
        """
        check(who, Action.CONFIGURE_HEALTH, Target.programme(programme_id))
        if not self.store.remove(programme_id, declaration_id):
            raise ProgrammeError("this programme has no such goal or domain; reload the list")
        self._record(who, "coverage declaration removed", programme_id, declaration_id)

    def _save(self, who: Principal, programme_id: str, drafts: list[DeclarationDraft]) -> list[str]:
        """Redact and store ``drafts`` (the last of two with one kind and name wins); returns
        the ids of the declarations they are."""
        drafts = list({(d.kind, _key(d.name)): d for d in drafts}.values())
        known = {(d.kind, _key(d.name)) for d in self.store.declarations(programme_id)}
        new = {(d.kind, _key(d.name)) for d in drafts} - known
        if len(known) + len(new) > MAX_DECLARATIONS:
            raise ProgrammeError(
                f"a programme declares at most {MAX_DECLARATIONS} goals and domains; "
                "remove some first (nothing was saved)"
            )
        # Coordinators' words are read by sponsors and members: redacted like shared writing.
        texts: list[str] = []
        for d in drafts:
            texts += [d.name, d.description, *d.keywords]
        done = iter(self._at.redact(who.user_id, texts))
        redacted = []
        for d in drafts:
            name, description = next(done), next(done)
            words = tuple(next(done) for _ in d.keywords)
            if len(name) > MAX_NAME:
                # Placeholders can be longer than the names they replace.
                raise ProgrammeError(
                    f"the name “{name[:40]}…” is over {MAX_NAME} characters once the names "
                    "in it are replaced; shorten it (nothing was saved)"
                )
            redacted.append(DeclarationDraft(d.kind, name, description, words))
        return self.store.save(programme_id, redacted)

    # -- the report --------------------------------------------------------------------

    def report(self, who: Principal, programme_id: str, period: Period) -> CoverageReport:
        """Coverage of the declared goals and domains by what was written in ``period``,
        with small groups withheld and the gaps in words (audited). Documents count over
        ``period``; people and private writing over the whole quarter ``ended_quarter``
        gives for it, so overlapping periods cannot be told apart by one person.

        Raises:
            NotAllowedError: ``who`` may not view the programme's health.
        """
        check(who, Action.VIEW_HEALTH, Target.programme(programme_id))
        declared = self.store.declarations(programme_id)
        quarter = ended_quarter(period, self._today())
        days = quarter_period(quarter)
        shared = self._sources.shared_texts(programme_id)
        texts = [t for t in shared if period.holds(t.created_at)]
        in_quarter = [t for t in shared if days.holds(t.created_at)]
        marks = [m for m in self._sources.private_marks(programme_id) if days.holds(m.created_at)]
        sets = self._library().sets
        categories = {set_id: ps.category for set_id, ps in sets.items()}
        cats = category_rows(marks, categories, self.min_group)
        # A category says something about a goal only when enough people wrote in it.
        described: dict[str, str] = {}
        for ps in sets.values():
            described[ps.category] = f"{described.get(ps.category, '')} {ps.title} {ps.description}"
        shown_categories = {
            c.category: described.get(c.category, "")
            for c in cats
            if c.writers and c.category not in (FREE_WRITING, OTHER_CATEGORIES)
        }
        # One matching over the texts of the period and of the quarter (a text's matches
        # do not depend on the other texts): documents from the one, writers from the other.
        either = list({t.document_id: t for t in (*texts, *in_quarter)}.values())
        matches = self.matcher.matches(declared, either)
        rows = coverage_rows(
            declared, texts, matches, shown_categories, self.min_group, writers_of=in_quarter
        )
        report = CoverageReport(
            programme_name=self._at.directory.programme_name(programme_id),
            period=period,
            rows=rows,
            categories=cats,
            gaps=gap_sentences(rows, quarter),
            min_group=self.min_group,
            quarter=quarter,
        )
        self._record(who, "coverage viewed", programme_id, f"{period.label}; people {quarter}")
        return report

    def section(self, principal: Principal, programme_id: str, period: Period) -> Section:
        """The coverage part of the health report (counts, small groups withheld)."""
        return self.report(principal, programme_id, period).section()

    def _record(self, who: Principal, action: str, subject: str, detail: str) -> None:
        if self._audit is not None:
            self._audit.record(who.username, action, subject, detail)
