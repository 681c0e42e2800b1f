"""What an answer is made of: the answer itself, and the quotations of an extractive one,
each saying whose words it is (the kind of document, its title, its date; the asker's own
writing as theirs) with a caution on a passage that asks for a password or a sign-in."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from playbook.models import Kind, SearchHit

KIND_NAMES = {
    Kind.JOURNAL: "a journal entry",
    Kind.DEBRIEF: "a rotation debrief",
    Kind.SESSION_NOTE: "a reverse-mentoring note",
    Kind.COUNCIL_NOTE: "an advisor council note",
    Kind.ENTRY: "the playbook entry",
}
# What the lead counts: each kind of source as one and as many.
KIND_NOUNS = {
    Kind.JOURNAL: ("journal entry", "journal entries"),
    Kind.DEBRIEF: ("rotation debrief", "rotation debriefs"),
    Kind.SESSION_NOTE: ("reverse-mentoring note", "reverse-mentoring notes"),
    Kind.COUNCIL_NOTE: ("advisor council note", "advisor council notes"),
    Kind.ENTRY: ("playbook entry", "playbook entries"),
}
# A passage asking the reader for credentials is never what the playbook says: phishing
# planted in a shared note must not read as the answer.
_CREDENTIALS = re.compile(
    r"\b(?:passwords?|passcodes?|credentials?|one[- ]time (?:code|password)|"
    r"(?:2fa|mfa|verification|security) codes?|sign[- ]?in again|log[- ]?in again|"
    r"verify your (?:account|identity))\b",
    re.IGNORECASE,
)
_REQUEST = re.compile(
    r"https?://|www\.|\b(?:enter|type|provide|send|share|confirm|submit|reply|click|visit|go to|"
    r"sign[- ]?in|log[- ]?in|reset)\b",
    re.IGNORECASE,
)
CAUTION = (
    "This passage asks for a password or a sign-in. The playbook never does: do not follow it, "
    "and tell your programme coordinator."
)


@dataclass(frozen=True)
class Quote:
    """A sentence of a stored passage, quoted as its author wrote it (redacted), with whose
    words it is: the kind of document, its title and date, and its citation number."""

    text: str
    n: int
    kind: str
    title: str
    written: dt.date | None = None
    caution: str = ""
    # The sentences ``text`` joins (one point per source may hold two), for highlighting.
    sentences: tuple[str, ...] = ()
    own: bool = False  # the asker wrote it
    private: bool = False  # ... and has not shared it
    document_id: str = ""

    @property
    def label(self) -> tuple[str, str]:
        """What the lead counts this source as: (one, many), the asker's own as theirs."""
        try:
            one, many = KIND_NOUNS[Kind(self.kind)]
        except ValueError:
            one, many = "note", "notes"
        if not self.own:
            return one, many
        if self.private and self.kind == Kind.JOURNAL.value:
            return "your private journal", "your private journal entries"
        mine = "private" if self.private else "own"
        return f"your {mine} {one}", f"your {mine} {many}"

    @property
    def attribution(self) -> str:
        """Whose words these are, e.g. 'a rotation debrief, “Pricing in Jakarta”, 3 Mar 2026';
        the asker's own writing says so ('your private journal, …')."""
        if self.own:
            what = self.label[0]
        else:
            try:
                what = KIND_NAMES[Kind(self.kind)]
            except ValueError:
                what = "a note"
        when = f", {self.written.day} {self.written:%b %Y}" if self.written else ""
        return f"{what}, “{self.title}”{when}"

    def as_text(self) -> str:
        """The quotation as one line of plain text (for the terminal and exports)."""
        warn = f" ({self.caution})" if self.caution else ""
        return f"“{self.text}” — {self.attribution} [{self.n}]{warn}"


@dataclass(frozen=True)
class Answer:
    """An answer (plain text: never rendered as HTML) and the passages it cites, numbered
    from 1; ``grounded`` is False when nothing relevant was found (``passages`` then holds
    the nearest items, not sources). An extractive answer is made of ``quotes``: its text
    says so, then quotes them one per line."""

    text: str
    passages: tuple[SearchHit, ...]
    grounded: bool
    mode: str  # "llm", "extractive" or "none"
    note: str = ""
    quotes: tuple[Quote, ...] = ()
    lead: str = ""  # an extractive answer's first line: what speaks to the question
    question: str = ""  # the question as searched, redacted (a follow-up's context)


def quote(
    hit: SearchHit,
    n: int,
    sentence: str | Sequence[str],
    own: bool = False,
    private: bool = False,
) -> Quote:
    """One point of an answer (a sentence, or a source's few sentences) as a quotation
    attributed to its document; a caution when one of them asks for a sign-in."""
    sentences = (sentence,) if isinstance(sentence, str) else tuple(sentence)
    risky = any(_CREDENTIALS.search(s) and _REQUEST.search(s) for s in sentences)
    return Quote(
        text=" ".join(sentences),
        n=n,
        kind=hit.kind,
        title=hit.title,
        written=hit.created_at.date() if hit.created_at else None,
        caution=CAUTION if risky else "",
        sentences=sentences,
        own=own,
        private=private,
        document_id=hit.document_id,
    )
