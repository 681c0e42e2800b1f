"""Commitments and cadence, as pure logic: calendar quarters, sessions held against a
pairing's commitment ("2 of 3 this quarter"), and an iCalendar (RFC 5545) export of planned
touchpoints, written by hand with the text escaped and long lines folded."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from playbook.ports.mentoring import Cycle, MentoringSession, Touchpoint
from playbook.ports.programme import quarter_days, quarter_of

CYCLE_LABELS = {
    Cycle.PRODUCT_LAUNCH: "Product launch",
    Cycle.MARKET_REVIEW: "Market review",
    Cycle.TALENT_REVIEW: "Talent review",
    Cycle.OTHER: "Touchpoint",
}


def quarter(day: dt.date) -> tuple[dt.date, dt.date]:
    """The calendar quarter ``day`` falls in, as its first and last day.

    Args:
        day: Any day.

    Returns:
        (first day, last day) of its quarter.
    """
    return quarter_days(quarter_of(day))


def quarter_label(day: dt.date) -> str:
    """ "2026 Q1" for a day in January to March 2026."""
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


@dataclass(frozen=True)
class Progress:
    """Sessions held in a quarter against the pairing's commitment."""

    held: int
    required: int
    quarter: str

    @property
    def met(self) -> bool:
        """Whether the commitment is met for the quarter."""
        return self.held >= self.required

    @property
    def label(self) -> str:
        """ "2 of 3 this quarter"."""
        return f"{self.held} of {self.required} this quarter"


def progress(sessions: Sequence[MentoringSession], required: int, today: dt.date) -> Progress:
    """Sessions held in ``today``'s quarter against ``required``.

    Args:
        sessions: The pairing's sessions.
        required: Its minimum sessions per quarter.
        today: The day that decides the quarter.

    Returns:
        The count, the commitment and the quarter's label.
    """
    start, end = quarter(today)
    held = sum(1 for s in sessions if start <= s.held_on <= end)
    return Progress(held, required, quarter_label(today))


@dataclass(frozen=True)
class CalendarEvent:
    """One all-day event of the export (its texts already redacted)."""

    uid: str
    day: dt.date
    summary: str
    description: str = ""


def touchpoint_events(touchpoints: Iterable[Touchpoint], between: str) -> list[CalendarEvent]:
    """Calendar events for planned touchpoints.

    Args:
        touchpoints: The touchpoints to export.
        between: Who the pairing is ("ada and ravi"), for the summary.

    Returns:
        One event per touchpoint, by day.
    """
    return [
        CalendarEvent(
            uid=f"{t.touchpoint_id}@living-playbook",
            day=t.day,
            summary=f"{CYCLE_LABELS[t.cycle]}: {t.title}" if t.title else CYCLE_LABELS[t.cycle],
            description=f"Mentoring touchpoint ({between})",
        )
        for t in sorted(touchpoints, key=lambda t: (t.day, t.touchpoint_id))
    ]


def escape_text(value: str) -> str:
    """A TEXT value as RFC 5545 §3.3.11 wants it: backslash, semicolon, comma and newline
    escaped; other control characters dropped (they are not allowed in a content line)."""
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    value = "".join(c for c in value if c == "\n" or c == "\t" or (ord(c) >= 32 and c != "\x7f"))
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Fold a content line at 75 octets (RFC 5545 §3.1), never inside a UTF-8 character."""
    out: list[str] = []
    current = ""
    limit = 75
    for char in line:
        if len((current + char).encode("utf-8")) > limit:
            out.append(current)
            current = char
            limit = 74  # continuation lines start with one space
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


def ics(events: Sequence[CalendarEvent], stamp: dt.datetime, name: str = "Mentoring") -> str:
    """A VCALENDAR of all-day events, CRLF line ends.

    Args:
        events: The events.
        stamp: DTSTAMP for every event (when the export was made).
        name: The calendar's name.

    Returns:
        The ``.ics`` text.
    """
    stamp_text = stamp.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Living Playbook//Mentoring//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape_text(name)}",
    ]
    for e in events:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{escape_text(e.uid)}",
            f"DTSTAMP:{stamp_text}",
            f"DTSTART;VALUE=DATE:{e.day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{e.day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{escape_text(e.summary)}",
        ]
        if e.description:
            lines.append(f"DESCRIPTION:{escape_text(e.description)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
