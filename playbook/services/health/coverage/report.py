"""Coverage counted and put in words: the table of goals and domains, the private writing's
prompt categories (counts only), and the gaps, with every small group withheld.

Counts of documents are about documents, not people, and cover the period asked for; the
number of distinct writers behind a row is shown only when it reaches the minimum group
size, so a goal covered by one person's writing never points at them, and is counted over a
whole ended quarter, as is everything drawn from private writing, so that two overlapping
periods cannot be differenced into one person. Authors are never named.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from playbook.models import Kind, Visibility
from playbook.ports.coverage import Declaration, DeclarationKind, PrivateMark, SharedText
from playbook.services.health.coverage.matching import Match, bare_name, has_words, terms
from playbook.services.health.figures import (
    TOO_FEW,
    Figure,
    Period,
    Section,
    Table,
    quarter_period,
    shown,
)
from playbook.services.rotation import fold

FREE_WRITING = "Free writing"
OTHER_CATEGORIES = "Other prompt categories (each fewer writers than the minimum)"
NOTE_KINDS = frozenset({Kind.SESSION_NOTE, Kind.COUNCIL_NOTE})
KIND_LABELS = {
    DeclarationKind.GOAL: "strategic goal",
    DeclarationKind.DOMAIN: "knowledge domain",
    DeclarationKind.MARKET: "market",
    DeclarationKind.FUNCTION: "function",
}
_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def counted(n: int, one: str, many: str) -> str:
    """ "two strategic goals", "one market", "12 domains"."""
    word = _WORDS[n] if n < len(_WORDS) else f"{n:,}"
    return f"{word} {one if n == 1 else many}"


def quoted(names: Iterable[str]) -> str:
    """Declared names in quotes, joined: “A”, “B” and “C”."""
    items = [f"“{n}”" for n in names]
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


@dataclass(frozen=True)
class CoverageRow:
    """One declared goal or domain and what covers it in the period."""

    declaration: Declaration
    debriefs: int
    notes: int
    entries: int
    writers: int | None  # distinct writers in the quarter; None: fewer than the minimum group
    private_categories: tuple[str, ...] = ()  # shown prompt categories that touch it

    @property
    def covered(self) -> bool:
        """Whether any shared or published text covers it."""
        return self.debriefs + self.notes + self.entries > 0


@dataclass(frozen=True)
class CategoryRow:
    """Private entries answering one prompt category; both withheld below the group size."""

    category: str
    entries: int | None
    writers: int | None


@dataclass(frozen=True)
class CoverageReport:
    """The programme's coverage in a period, as anyone with a view of its health sees it:
    documents over ``period``, people and private writing over ``quarter``."""

    programme_name: str
    period: Period
    rows: tuple[CoverageRow, ...]
    categories: tuple[CategoryRow, ...]
    gaps: tuple[str, ...]
    min_group: int
    quarter: str  # the whole ended quarter people are counted over ("2026-Q3")

    @property
    def quarter_label(self) -> str:
        """Which quarter people are counted over, and why that one: "2026-Q3 (2026-07-01
        to 2026-09-30), the last whole quarter in the period asked"."""
        days = quarter_period(self.quarter)
        # ended_quarter never picks a quarter ending after the period's end: it lies in the
        # period whenever it starts in it.
        if self.period.start <= days.start:
            why = "the last whole quarter in the period asked"
        else:
            why = (
                f"the last whole quarter ended by {self.period.end.isoformat()} (the period "
                "asked holds no whole quarter that has ended)"
            )
        return f"{self.quarter} ({days.label}), {why}"

    @property
    def population(self) -> str:
        """What the figures count."""
        return (
            f"shared debriefs, session and council notes and published playbook entries of "
            f"{self.programme_name}; private writing by prompt category only"
        )

    def table(self) -> Table:
        """The coverage table: one row per declared goal or domain."""
        rows = tuple(
            (
                r.declaration.name,
                KIND_LABELS[r.declaration.kind],
                r.debriefs,
                r.notes,
                r.entries,
                r.writers,
                "covered" if r.covered else "not covered",
            )
            for r in self.rows
        )
        return Table(
            title="Coverage of declared goals and domains",
            columns=("Goal or domain", "Kind", "Debriefs", "Notes", "Entries", "Writers", "Status"),
            rows=rows,
            period=f"{self.period.label}; writers: {self.quarter_label}",
            population=self.population,
            note=f"Documents are counted over {self.period.label}; writers over "
            f"{self.quarter}, a whole quarter, so that no two periods asked for differ by one "
            f"person's writing. Writers are withheld when fewer than {self.min_group} wrote; "
            "authors are never named.",
        )

    def category_table(self) -> Table:
        """Private entries by the prompt category they answered (counts, never text)."""
        return Table(
            title="Private writing by prompt category",
            columns=("Prompt category", "Entries", "Writers"),
            rows=tuple((c.category, c.entries, c.writers) for c in self.categories),
            period=self.quarter_label,
            population="private journals and other private writing of "
            f"{self.programme_name}, counted by prompt category only",
            note=f"Counted over {self.quarter} only, whatever period is asked, so that no "
            f"two views differ by one person's writing. Withheld ({TOO_FEW}) when fewer "
            f"than {self.min_group} people wrote in a category.",
        )

    def section(self) -> Section:
        """The report as the health report gathers it."""
        covered = sum(1 for r in self.rows if r.covered)
        figures = (
            Figure(
                "Declared goals and domains", len(self.rows), self.period.label, self.population
            ),
            Figure(
                "Covered by shared or published text", covered, self.period.label, self.population
            ),
            Figure("Not covered", len(self.rows) - covered, self.period.label, self.population),
        )
        return Section(
            key="coverage",
            title="Themes and knowledge coverage",
            figures=figures,
            tables=(self.table(), self.category_table()),
            notes=(*self.gaps, self.quarter_note()),
        )

    def quarter_note(self) -> str:
        """The sentence saying what is counted over which days."""
        return (
            f"Documents are counted over {self.period.label}; writers and private writing "
            f"over {self.quarter_label}."
        )


def category_of(mark: PrivateMark, categories: Mapping[str, str]) -> str:
    """The prompt category a private document answered: its prompt set's, else a tag that
    is a prompt set's id or category, else free writing. Only library names come out."""
    if mark.prompt_set and mark.prompt_set in categories:
        return categories[mark.prompt_set]
    names = {fold(k): v for k, v in categories.items()} | {fold(v): v for v in categories.values()}
    return next((names[fold(t)] for t in mark.tags if fold(t) in names), FREE_WRITING)


def category_rows(
    marks: Sequence[PrivateMark], categories: Mapping[str, str], min_group: int
) -> tuple[CategoryRow, ...]:
    """Entries and distinct writers per category with at least ``min_group`` writers; the
    smaller categories together as one row, unnamed (that a few people wrote in one is
    itself something about them), its counts withheld unless they reach ``min_group``."""
    entries: dict[str, int] = defaultdict(int)
    writers: dict[str, set[str]] = defaultdict(set)
    for m in marks:
        c = category_of(m, categories)
        entries[c] += 1
        writers[c].add(m.owner_id)
    out = []
    small_entries, small_writers = 0, set()
    for c in sorted(entries, key=lambda c: (c == FREE_WRITING, c)):
        if shown(len(writers[c]), min_group) is None:
            small_entries += entries[c]
            small_writers |= writers[c]
            continue
        out.append(CategoryRow(c, entries[c], len(writers[c])))
    if small_entries:
        people = shown(len(small_writers), min_group)
        out.append(
            CategoryRow(OTHER_CATEGORIES, small_entries if people is not None else None, people)
        )
    return tuple(out)


def touches(d: Declaration, category: str, described: str) -> bool:
    """Whether a prompt category (and its sets' titles, ``described``) is about ``d``: by
    words of the library and of the declaration only, never of anyone's writing."""
    about = fold(f"{category} {described}")
    mine = fold(" ".join((d.name, d.description, *d.keywords)))
    return any(has_words(t, about) for t in terms(d)) or has_words(category, mine)


def coverage_rows(
    declarations: Sequence[Declaration],
    texts: Sequence[SharedText],
    matches: Sequence[Match],
    shown_categories: Mapping[str, str],
    min_group: int,
    writers_of: Sequence[SharedText] | None = None,
) -> tuple[CoverageRow, ...]:
    """Counts per declaration from its matches: documents among ``texts`` (already cut to
    the period), distinct writers among ``writers_of`` (cut to the quarter; ``texts`` when
    not given)."""
    by_id = {t.document_id: t for t in texts}
    owners = {t.document_id: t.owner_id for t in (texts if writers_of is None else writers_of)}
    hits: dict[str, set[str]] = defaultdict(set)
    people: dict[str, set[str]] = defaultdict(set)
    for m in matches:
        if m.document_id in by_id:
            hits[m.declaration_id].add(m.document_id)
        if m.document_id in owners:
            people[m.declaration_id].add(owners[m.document_id])
    rows = []
    for d in declarations:
        docs = [by_id[i] for i in sorted(hits[d.declaration_id])]
        rows.append(
            CoverageRow(
                declaration=d,
                debriefs=sum(1 for t in docs if t.kind is Kind.DEBRIEF),
                notes=sum(1 for t in docs if t.kind in NOTE_KINDS),
                entries=sum(
                    1 for t in docs if t.kind is Kind.ENTRY and t.visibility is Visibility.PUBLISHED
                ),
                writers=shown(len(people[d.declaration_id]), min_group),
                private_categories=tuple(
                    c for c, about in shown_categories.items() if touches(d, c, about)
                ),
            )
        )
    return tuple(rows)


def gap_sentences(rows: Sequence[CoverageRow], quarter: str = "") -> tuple[str, ...]:
    """The gaps in words, naming the declared goals and domains (never a writer); private
    writing's categories are those of ``quarter`` when given."""
    if not rows:
        return (
            "No strategic goals or knowledge domains are declared yet; a coordinator declares "
            "them on the Coverage page or with `playbook coverage declare`.",
        )
    out: list[str] = []
    for r in rows:
        d = r.declaration
        if d.kind in (DeclarationKind.MARKET, DeclarationKind.FUNCTION) and r.debriefs == 0:
            rest = "" if r.covered else ", and no note or playbook entry either"
            out.append(f"No debrief covers the {bare_name(d)} {d.kind.value}{rest}.")
    goals = [r for r in rows if r.declaration.kind is DeclarationKind.GOAL]
    bare = [r.declaration.name for r in goals if r.entries == 0]
    if bare:
        out.append(
            f"{counted(len(bare), 'strategic goal has', 'strategic goals have').capitalize()} "
            f"no playbook entry: {quoted(bare)}."
        )
    # Markets and functions covered by nothing were named above, with their debriefs.
    nothing = [
        r
        for r in rows
        if not r.covered
        and not r.private_categories
        and r.declaration.kind not in (DeclarationKind.MARKET, DeclarationKind.FUNCTION)
    ]
    if nothing:
        names = quoted(r.declaration.name for r in nothing)
        out.append(f"Nothing shared or published in the period covers {names}.")
    for r in rows:
        if not r.covered and r.private_categories:
            which = quoted(r.private_categories)
            kind = "category" if len(r.private_categories) == 1 else "categories"
            when = f", in {quarter}" if quarter else ""
            out.append(
                f"“{r.declaration.name}” is written about only in private writing (the "
                f"{which} prompt {kind}{when}); no shared or published text in the period "
                "covers it."
            )
    if not out:
        out.append("Every declared goal and domain is covered in the period.")
    return tuple(out)
