"""The author's own history, with their original text, and the rhythm of their reflection
over time (last entry, weeks with one, the streak, entries per month and category)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from playbook.models import Kind, Principal, Visibility
from playbook.ports import Documents
from playbook.services.reflection.base import AuthorViews
from prompts import Library


@dataclass(frozen=True)
class HistoryItem:
    """One of the author's own documents, shown with their original text."""

    document_id: str
    kind: Kind
    title: str
    created_at: dt.datetime
    original: str
    visibility: Visibility
    share_status: str | None
    prompt_set: str | None
    redacted: str = ""  # what others would read once it is shared (the stored text)
    # A debrief's rotation, first and last day (listed by those, not by when it was saved).
    rotation: tuple[dt.date, dt.date] | None = None


@dataclass(frozen=True)
class Habits:
    """The rhythm of someone's reflection."""

    last_reflection: dt.datetime | None
    weeks_with_reflection: int  # of the last ``window_weeks``
    window_weeks: int
    streak_weeks: int
    by_month_and_category: tuple[tuple[str, str, int], ...]  # (YYYY-MM, category, count)


class History:
    """What the author wrote, as they wrote it, and how often."""

    def __init__(
        self, documents: Documents, privacy: AuthorViews, library: Callable[[], Library]
    ) -> None:
        self._documents = documents
        self._privacy = privacy
        self._library = library

    def history(self, principal: Principal, query: str = "", limit: int = 200) -> list[HistoryItem]:
        """The author's own documents, newest first, with their original text; ``query``
        keeps those whose original or title contains every word of it."""
        words = [w for w in query.casefold().split() if w]
        out: list[HistoryItem] = []
        for d in self._documents.documents(owner_id=principal.user_id, limit=limit):
            try:
                original = self._privacy.original(principal, d.document_id)
                title = self._privacy.reidentify(principal, d.document_id, d.title)
            except ValueError:
                original, title = d.redacted_text, d.title  # no original kept (an old import)
            blob = f"{title}\n{original}".casefold()
            if all(w in blob for w in words):
                out.append(
                    HistoryItem(
                        d.document_id,
                        d.kind,
                        title,
                        d.created_at,
                        original,
                        d.visibility,
                        d.share_status,
                        d.prompt_set,
                        d.redacted_text,
                        _rotation(d.debrief.start_date, d.debrief.end_date),
                    )
                )
        return out

    def habits(self, principal: Principal, window_weeks: int = 12) -> Habits:
        """Last reflection, weeks with one, the current streak, and entries per month and
        prompt category."""
        docs = self._documents.documents(owner_id=principal.user_id, limit=10_000)
        if not docs:
            return Habits(None, 0, window_weeks, 0, ())
        lib = self._library()
        today = dt.datetime.now(dt.UTC).date()

        def week(d: dt.date) -> int:
            return (today - d).days // 7

        weeks = {week(d.created_at.date()) for d in docs}
        streak = 0
        while streak in weeks:
            streak += 1
        counts: Counter[tuple[str, str]] = Counter()
        for d in docs:
            ps = lib.sets.get(d.prompt_set or "")
            category = ps.category if ps else "Free writing"
            counts[(d.created_at.strftime("%Y-%m"), category)] += 1
        return Habits(
            last_reflection=max(d.created_at for d in docs),
            weeks_with_reflection=sum(1 for w in weeks if 0 <= w < window_weeks),
            window_weeks=window_weeks,
            streak_weeks=streak,
            by_month_and_category=tuple(sorted((m, c, n) for (m, c), n in counts.items())),
        )


def _rotation(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date] | None:
    return (start, end) if start is not None and end is not None else None
