"""Successor handoff packs and the quarterly showcase: assembled from published entries and
approved debriefs the reader may read, exported as Markdown and as a printable PDF.

Everything here is already redacted text; nothing is fetched from an author's originals.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from playbook.lifecycle import review_state
from playbook.models import (
    SECTION_LABELS,
    SECTIONS,
    DocumentInfo,
    Entry,
    EntryStatus,
    Kind,
    Principal,
    Visibility,
)
from playbook.permissions import Action, check, programmes
from playbook.ports import Directory, Documents, Entries
from playbook.pseudonyms import TOKEN_PATTERN, readable_labels, render_readable

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
_QUESTION = re.compile(r"[^.!?\n]*\?")


class HandoffRecords(Documents, Directory, Protocol):
    """What packs read besides entries: the reader's documents and programme names."""


@dataclass(frozen=True)
class Pack:
    """A document to hand over: grouped entries and debriefs, with open questions."""

    title: str
    subtitle: str
    generated: dt.date
    groups: tuple[tuple[str, tuple[Entry, ...]], ...]  # (theme, entries)
    debriefs: tuple[DocumentInfo, ...] = ()
    open_questions: tuple[tuple[str, str], ...] = ()  # (question, where it was asked)
    counts: dict[str, int] = field(default_factory=dict)  # shown as "In numbers" when set
    # Further sections from the programme (who rotates there next; shared impact reports,
    # recounts and validations): (heading, paragraphs), all redacted text.
    sections: tuple[tuple[str, tuple[str, ...]], ...] = ()


def _matches(value: str | None, wanted: str | None) -> bool:
    # An entry drafted from several places names each ("Supply chain; Marketing").
    places = {v.strip().casefold() for v in (value or "").split(";")}
    return not wanted or wanted.strip().casefold() in places


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def handoff_pack(
    entries: Entries,
    records: HandoffRecords,
    who: Principal,
    function: str | None = None,
    market: str | None = None,
    tag: str | None = None,
    today: dt.date | None = None,
) -> Pack:
    """What a successor in a function, market or track (a tag) should inherit, from what
    ``who`` may read: published entries grouped by competency, approved debriefs newest
    first, and the questions left open."""
    check(who, Action.HANDOFF)
    if not (function or market or tag):
        raise ValueError("name a function, a market or a track (tag) for the handoff pack")
    today = today or dt.date.today()
    published = [
        e
        for e in entries.listing(who.programme_ids, [EntryStatus.PUBLISHED])
        if _matches(e.content.function, function)
        and _matches(e.content.market, market)
        and (not tag or tag.casefold() in {t.casefold() for t in e.content.tags})
    ]
    groups: dict[str, list[Entry]] = {}
    for e in sorted(published, key=lambda e: e.content.title.casefold()):
        groups.setdefault(e.content.competency or "General", []).append(e)
    debriefs = sorted(
        (
            d
            for d in records.readable_documents(who)
            if d.kind is Kind.DEBRIEF
            and d.visibility is not Visibility.PRIVATE
            and _matches(d.debrief.function, function)
            and _matches(d.debrief.market, market)
            and (not tag or tag.casefold() in {t.casefold() for t in d.tags})
        ),
        key=lambda d: d.created_at,
        reverse=True,
    )
    questions: dict[str, str] = {}
    for e in published:
        for text in e.content.sections.values():
            for q in _QUESTION.findall(text):
                questions.setdefault(q.strip(), e.content.title)
    for d in debriefs:
        for q in _QUESTION.findall(d.redacted_text):
            if len(q.strip()) > 15:
                questions.setdefault(q.strip(), d.title)
    scope = ", ".join(x for x in (function, market, f"track {tag}" if tag else None) if x)
    stale = sum(review_state(e.review_due, today) == "overdue" for e in published)
    return Pack(
        title=f"Handoff pack: {scope}",
        subtitle=f"{_count(len(published), 'playbook entry', 'playbook entries')}, "
        f"{_count(len(debriefs), 'rotation debrief', 'rotation debriefs')}"
        + (f"; {_count(stale, 'entry', 'entries')} past their review date" if stale else ""),
        generated=today,
        groups=tuple((k, tuple(v)) for k, v in sorted(groups.items())),
        debriefs=tuple(debriefs),
        open_questions=tuple(questions.items()),
    )


def showcase(
    entries: Entries,
    records: HandoffRecords,
    who: Principal,
    start: dt.date,
    end: dt.date,
) -> Pack:
    """Entries published between ``start`` and ``end`` (inclusive, by their last
    publication or verification) in the programmes ``who`` coordinates, grouped by theme,
    with counts per theme and per programme."""
    check(who, Action.SHOWCASE)
    if end < start:
        raise ValueError(f"the period ends ({end}) before it starts ({start})")
    chosen = []
    for e in entries.listing(programmes(who, Action.SHOWCASE), [EntryStatus.PUBLISHED]):
        when = (e.last_verified_at or e.updated_at).date()
        if start <= when <= end:
            chosen.append(e)
    groups: dict[str, list[Entry]] = {}
    for e in sorted(chosen, key=lambda e: e.content.title.casefold()):
        theme = e.content.competency or (e.content.tags[0] if e.content.tags else "General")
        groups.setdefault(theme, []).append(e)
    names = {p: records.programme_name(p) for p in {e.programme_id for e in chosen}}
    per_programme: dict[str, int] = {}
    for e in chosen:
        per_programme[names[e.programme_id]] = per_programme.get(names[e.programme_id], 0) + 1
    counts = {f"theme: {k}": len(v) for k, v in sorted(groups.items())}
    counts.update({f"programme: {k}": v for k, v in sorted(per_programme.items())})
    return Pack(
        title=f"Playbook showcase {start:%d %b %Y} – {end:%d %b %Y}",
        subtitle=f"{_count(len(chosen), 'entry', 'entries')} published, in "
        f"{_count(len(groups), 'theme', 'themes')}",
        generated=dt.date.today(),
        groups=tuple((k, tuple(v)) for k, v in sorted(groups.items())),
        counts=counts,
    )


# -- exports -------------------------------------------------------------------------------


def _placeholder_legend(labels: dict[str, str]) -> list[str]:
    """Lines that tie each readable label to the stored placeholder (for a name search)."""
    return [f"{label}: {token}" for token, label in sorted(labels.items(), key=lambda x: x[1])]


def to_markdown(pack: Pack) -> str:
    """The pack as Markdown (redacted text only). Placeholders read as short labels
    ("Colleague 7F3A"); a closing list ties each label to its stored placeholder."""
    text = _markdown(pack)
    labels = readable_labels(TOKEN_PATTERN.findall(text))
    if not labels:
        return text
    legend = ["", "## Placeholders", "", *(f"- {x}" for x in _placeholder_legend(labels))]
    return render_readable(text, labels).rstrip() + "\n" + "\n".join(legend) + "\n"


def _markdown(pack: Pack) -> str:
    out = [f"# {pack.title}", "", f"_{pack.subtitle}. Generated {pack.generated}._", ""]
    if pack.counts:
        out += ["## In numbers", ""]
        out += [f"- {k}: {v}" for k, v in pack.counts.items()]
        out.append("")
    for theme, items in pack.groups:
        out += [f"## {theme}", ""]
        for e in items:
            out += [f"### {e.content.title}", ""]
            due = f"Review by {e.review_due}" if e.review_due else "No review date"
            out += [f"_{due}._", ""]
            for name in SECTIONS:
                text = e.content.sections.get(name, "").strip()
                if text:
                    out += [f"**{SECTION_LABELS[name]}.** {text}", ""]
    if pack.debriefs:
        out += ["## Rotation debriefs", ""]
        for d in pack.debriefs:
            place = ", ".join(x for x in (d.debrief.function, d.debrief.market) if x)
            out += [
                f"### {d.title}",
                "",
                f"_{place} · {d.created_at:%Y-%m-%d}_",
                "",
                d.redacted_text,
                "",
            ]
    for heading, paragraphs in pack.sections:
        out += [f"## {heading}", ""]
        for text in paragraphs:
            out += [text, ""]
    if pack.open_questions:
        out += ["## Open questions", ""]
        out += [f"- {q} _(from {src})_" for q, src in pack.open_questions]
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def to_pdf(pack: Pack) -> bytes:
    """The pack as a printable A4 PDF."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=18)
    pdf.set_margins(18, 18, 18)
    family, fold = _font(pdf)
    labels = readable_labels(TOKEN_PATTERN.findall(_markdown(pack)))

    def clean(text: str) -> str:
        return fold(render_readable(text, labels))

    pdf.set_title(clean(pack.title))
    pdf.add_page()

    def para(text: str, size: float = 10.5, style: str = "", gap: float = 2.0) -> None:
        pdf.set_font(family, style, size)
        pdf.multi_cell(0, size * 0.5, clean(text), new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    para(pack.title, 18, "B", 1)
    para(f"{pack.subtitle}. Generated {pack.generated}.", 9.5, "", 6)
    if pack.counts:
        para("In numbers", 13, "B")
        for k, v in pack.counts.items():
            para(f"{k}: {v}", 10, "", 0.5)
        pdf.ln(4)
    for theme, items in pack.groups:
        para(theme, 14, "B", 2)
        for e in items:
            para(e.content.title, 12, "B", 0.5)
            due = f"Review by {e.review_due}" if e.review_due else "No review date"
            para(due, 8.5, "", 1.5)
            for name in SECTIONS:
                text = e.content.sections.get(name, "").strip()
                if text:
                    para(f"{SECTION_LABELS[name]}: {text}", 10.5, "", 1.5)
            pdf.ln(2)
    if pack.debriefs:
        para("Rotation debriefs", 14, "B", 2)
        for d in pack.debriefs:
            para(d.title, 12, "B", 0.5)
            place = ", ".join(x for x in (d.debrief.function, d.debrief.market) if x)
            para(f"{place} · {d.created_at:%Y-%m-%d}", 8.5, "", 1.5)
            para(d.redacted_text, 10.5, "", 3)
    for heading, paragraphs in pack.sections:
        para(heading, 14, "B", 2)
        for text in paragraphs:
            para(text, 10.5, "", 2)
    if pack.open_questions:
        para("Open questions", 14, "B", 2)
        for q, src in pack.open_questions:
            para(f"• {q} (from {src})", 10.5, "", 1)
    if labels:
        para("Placeholders", 14, "B", 2)
        for line in _placeholder_legend(labels):
            pdf.set_font(family, "", 9)  # the stored token as is: not through the labels
            pdf.multi_cell(0, 4.5, fold(line), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _font(pdf: Any) -> tuple[str, Callable[[str], str]]:
    """DejaVu Sans when installed (any script); else Helvetica with text folded to Latin-1."""
    for folder in FONT_DIRS:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.exists() and bold.exists():
            pdf.add_font("DejaVu", "", str(regular))
            pdf.add_font("DejaVu", "B", str(bold))
            return "DejaVu", lambda s: s
    table = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "–": "-", "—": "-", "•": "-"})

    def latin1(text: str) -> str:
        return (
            text.translate(table).replace("…", "...").encode("latin-1", "replace").decode("latin-1")
        )

    return "Helvetica", latin1
