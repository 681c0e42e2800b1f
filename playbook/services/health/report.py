"""The programme health report (issue 21, item 5): every health source's section for one
programme and period, gathered for the page, the command line, the exports and the API.

The report adds nothing of its own but the programme's member count (a count of people,
which every member can see on the roster anyway); every other number comes from a source's
``Section``, already suppressed for small groups. A source that fails shows as a section
with a sentence, so one broken part never hides the others. Every view and every export is
a line in the audit log: who, which programme, which period, in what format.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from playbook.models import Principal
from playbook.permissions import Action, NotAllowedError, Target, check
from playbook.ports import Audit, Directory, Redactor
from playbook.ports.programme import quarter_days, quarter_of
from playbook.services.health.figures import Period, Section, SectionSource
from playbook.services.programme_base import Boundary, ProgrammeError

log = logging.getLogger(__name__)

VIEWED = "health viewed"  # audit actions
EXPORTED = "health exported"
REFUSED = "health refused"
# A period longer than this says little about a programme's health and makes every source
# scan years of metadata; a person asking for more is told the limit.
MAX_DAYS = 3 * 366


class PeriodChoice(StrEnum):
    """The named periods a person can pick (or they give a start and an end)."""

    THIS_QUARTER = "this-quarter"
    LAST_QUARTER = "last-quarter"
    LAST_90_DAYS = "last-90-days"


PERIOD_LABELS = {
    PeriodChoice.THIS_QUARTER: "This quarter (to today)",
    PeriodChoice.LAST_QUARTER: "Last quarter",
    PeriodChoice.LAST_90_DAYS: "The last 90 days",
}


class HealthError(ProgrammeError):
    """A health request that cannot be answered as asked (a bad period, an unknown
    programme); the message names the fix."""


def parse_day(text: str, what: str) -> dt.date:
    """A day as a person types it (YYYY-MM-DD).

    Raises:
        HealthError: It is not a date in that form.
    """
    value = (text or "").strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        shown = value[:40] + ("…" if len(value) > 40 else "")
        raise HealthError(
            f"{what} {shown!r} is not a date; write it as YYYY-MM-DD, e.g. 2026-09-30"
        ) from None


def choose_period(
    today: dt.date,
    choice: str | None = None,
    start: str | dt.date | None = None,
    end: str | dt.date | None = None,
) -> Period:
    """The period a person asked for: a named one, or explicit first and last days.

    Args:
        today: Today's date (periods end today at the latest).
        choice: One of ``PeriodChoice`` (default: this quarter when no dates are given).
        start: The first day (a date, or text YYYY-MM-DD); with no ``end`` it runs to today.
        end: The last day; needs a ``start``.

    Returns:
        The period, ending no later than today.

    Raises:
        HealthError: Both a name and dates were given, the name is unknown, a date is not a
            date, the end comes before the start, the period starts or ends after today, or
            it is longer than ``MAX_DAYS``.
    """
    # "this quarter", "This_Quarter" and "this-quarter" are the same choice.
    named = "-".join((choice or "").strip().lower().replace("_", " ").split())
    if named and (start or end):
        raise HealthError("give a named period or a start and end date, not both")
    if start or end:
        return _explicit(today, start, end)
    if not named or named == PeriodChoice.THIS_QUARTER:
        first, _ = quarter_days(quarter_of(today))
        return Period(first, today)
    if named == PeriodChoice.LAST_QUARTER:
        first, _ = quarter_days(quarter_of(today))
        return Period(*quarter_days(quarter_of(first - dt.timedelta(days=1))))
    if named == PeriodChoice.LAST_90_DAYS:
        return Period.last_days(today, 90)
    options = ", ".join(c.value for c in PeriodChoice)
    shown = named[:40] + ("…" if len(named) > 40 else "")
    raise HealthError(f"{shown!r} is not a period; choose one of {options}, or give dates")


def _explicit(today: dt.date, start: str | dt.date | None, end: str | dt.date | None) -> Period:
    if not start:
        raise HealthError("a period with an end needs a start date too (YYYY-MM-DD)")
    first = start if isinstance(start, dt.date) else parse_day(start, "the start date")
    last = today if not end else end if isinstance(end, dt.date) else parse_day(end, "the end date")
    if first > today:
        raise HealthError(f"the period starts on {first}, after today ({today}); pick a past day")
    if last > today:
        raise HealthError(
            f"the period ends on {last}, after today ({today}); health is only known up to today"
        )
    if last < first:
        raise HealthError(f"the period ends on {last}, before it starts ({first}); swap them")
    if (last - first).days + 1 > MAX_DAYS:
        raise HealthError(
            f"the period covers {(last - first).days + 1:,} days; keep it to {MAX_DAYS:,} "
            "(about three years)"
        )
    return Period(first, last)


@dataclass(frozen=True)
class HealthPart:
    """One source of the report: its key and title (for the section shown when it fails)
    and how to get it (built on first use, so a part that cannot even be built fails alone)."""

    key: str
    title: str
    source: Callable[[], SectionSource]


@dataclass(frozen=True)
class HealthReport:
    """A programme's health for one period, as one person may see it."""

    programme_id: str
    programme: str  # its display name
    period: Period
    generated_at: dt.datetime
    population: int  # members of the programme, in any role, when it was generated
    sections: tuple[Section, ...]

    @property
    def population_label(self) -> str:
        """The population in words: "12 members of the programme"."""
        noun = "member" if self.population == 1 else "members"
        return f"{self.population} {noun} of the programme"

    def as_dict(self) -> dict[str, object]:
        """The report as JSON-ready data (a withheld value is ``null`` with its note)."""
        return {
            "programme_id": self.programme_id,
            "programme": self.programme,
            "period": {
                "start": self.period.start.isoformat(),
                "end": self.period.end.isoformat(),
                "label": self.period.label,
            },
            "generated_at": self.generated_at.isoformat(),
            "population": self.population,
            "population_label": self.population_label,
            "sections": [s.as_dict() for s in self.sections],
        }


class HealthService:
    """The health report over its sources, for those who may view the programme's health."""

    def __init__(
        self,
        parts: Sequence[HealthPart],
        directory: Directory,
        redactor: Redactor,
        audit: Audit | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> None:
        self.parts = tuple(parts)
        self._directory = directory
        # The report stores no text; the boundary is used for programme lookups only.
        self._at = Boundary(directory, redactor)
        self._audit = audit
        self._today = today
        self._now = now

    def today(self) -> dt.date:
        """Today, as the report counts it."""
        return self._today()

    def programme(self, who: Principal, slug_or_id: str = "") -> str:
        """The programme id ``who`` means (by slug or id; their only one when empty).

        Raises:
            ProgrammeError: It is not one of theirs, or several are and none was named.
        """
        return self._at.programme(slug_or_id, who.programme_ids)

    def period(
        self,
        choice: str | None = None,
        start: str | dt.date | None = None,
        end: str | dt.date | None = None,
    ) -> Period:
        """The period asked for, up to today (see ``choose_period``)."""
        return choose_period(self._today(), choice, start, end)

    def report(
        self, who: Principal, programme_id: str, period: Period, fmt: str = "page"
    ) -> HealthReport:
        """The programme's health for ``period``, as ``who`` may see it; audited as a view in
        ``fmt`` ("page", "json", "api csv", ...).

        Raises:
            NotAllowedError: ``who`` may not view this programme's health (audited too).
        """
        try:
            check(who, Action.VIEW_HEALTH, Target.programme(programme_id))
        except NotAllowedError:
            self._record(who, REFUSED, programme_id, period, fmt)
            raise
        sections = tuple(self._section(part, who, programme_id, period) for part in self.parts)
        made = HealthReport(
            programme_id=programme_id,
            programme=self._directory.programme_name(programme_id),
            period=period,
            generated_at=self._now(),
            population=len(self._directory.member_ids(programme_id)),
            sections=sections,
        )
        self._record(who, VIEWED, programme_id, period, fmt)
        return made

    def exported(self, who: Principal, report: HealthReport, fmt: str) -> None:
        """Record that ``who`` took ``report`` away as ``fmt`` (a download or a file)."""
        self._record(who, EXPORTED, report.programme_id, report.period, fmt)

    def _section(
        self, part: HealthPart, who: Principal, programme_id: str, period: Period
    ) -> Section:
        try:
            return part.source().section(who, programme_id, period)
        except NotAllowedError as exc:
            reason = str(exc) or "you may not see this part"
            return Section(part.key, part.title, notes=(_sentence(reason),))
        except Exception as exc:  # one part failing must not take the report down
            # The type only: a message could quote stored data.
            log.warning("health section %s failed: %s", part.key, type(exc).__name__)
            return Section(
                part.key,
                part.title,
                notes=(
                    f"This part could not be put together just now ({type(exc).__name__}); "
                    "the rest of the report stands. Try again, and tell your administrator "
                    "if it keeps happening.",
                ),
            )

    def _record(
        self, who: Principal, action: str, programme_id: str, period: Period, fmt: str
    ) -> None:
        if self._audit is not None:
            self._audit.record(
                who.username, action, programme_id, f"period {period.label}; format {fmt}"
            )


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")
