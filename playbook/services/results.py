"""Search results per document: the passages a search returns, folded to one row per
document (its best passage and the sentence that matched), with what a reader needs to
judge it: kind, author ("you" or their placeholder, never a name), date, programme, and for
playbook entries their status and whether a coordinator has verified them."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from playbook.lifecycle import review_state
from playbook.models import EntryStatus, Principal, SearchHit
from playbook.ports import Directory, Documents, Entries
from playbook.pseudonyms import Pseudonymizer

_WORD = re.compile(r"\w+")
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
SOMEONE = "a member"  # an author whose placeholder cannot be made


@dataclass(frozen=True)
class DocumentResult:
    """One document found by a search, as a result row shows it (redacted text only)."""

    hit: SearchHit  # its best passage
    sentence: str  # the sentence of that passage that matched best ("" if none stands out)
    passages: int  # how many of its passages matched
    author: str  # "you", the author's placeholder, or "a member"
    programme: str
    written: dt.date | None
    entry_status: EntryStatus | None = None
    verified: bool = False

    @property
    def title(self) -> str:
        """The document's title."""
        return self.hit.title

    @property
    def kind(self) -> str:
        """The document's kind (a ``Kind`` value)."""
        return self.hit.kind

    def excerpt(self, width: int = 360) -> tuple[str, str, str]:
        """The passage around the matched sentence as (before, sentence, after), trimmed
        to about ``width`` characters, so a page can highlight the middle part."""
        text = " ".join(self.hit.text.split())
        sentence = " ".join(self.sentence.split())
        at = text.find(sentence) if sentence else -1
        if at < 0:
            return "", "", _cut(self.hit.snippet or text, width)
        room = max(0, width - len(sentence)) // 2
        before = text[max(0, at - room) : at]
        after = text[at + len(sentence) : at + len(sentence) + room]
        if at - room > 0:
            before = "…" + before.split(" ", 1)[-1] if " " in before else "…" + before
        if at + len(sentence) + room < len(text):
            after = after.rsplit(" ", 1)[0] + "…" if " " in after else after + "…"
        return before, sentence, after

    def as_json(self) -> dict[str, Any]:
        """The fields a result adds to a search hit in ``playbook search --json``."""
        return {
            "sentence": self.sentence,
            "passages": self.passages,
            "author": self.author,
            "programme": self.programme,
            "written": self.written.isoformat() if self.written else None,
            "entry_status": self.entry_status.value if self.entry_status else None,
            "verified": self.verified,
        }


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[:width].rsplit(" ", 1)[0] + "…"


def matched_sentence(text: str, query: str) -> str:
    """The sentence of ``text`` sharing most words with ``query`` (the first on a tie),
    or "" when none shares any (a semantic match: nothing to point at)."""
    words = {w.casefold() for w in _WORD.findall(query) if len(w) > 2}
    best, best_n = "", 0
    for part in _SENTENCE.split(text):
        s = part.strip()
        n = len(words & {w.casefold() for w in _WORD.findall(s)})
        if n > best_n:
            best, best_n = s, n
    return best


def per_document(
    hits: Sequence[SearchHit],
    query: str,
    k: int,
    *,
    principal: Principal,
    documents: Documents,
    directory: Directory,
    entries: Entries | None = None,
    pseudonyms: Pseudonymizer | None = None,
    today: dt.date | None = None,
) -> list[DocumentResult]:
    """Fold ranked passages to the first ``k`` documents, each with its best passage.

    Args:
        hits: passages in rank order (already within the reader's scope).
        query: what was searched, to find the matched sentence.
        k: how many documents.
        principal: the reader ("you" for their own documents).
        documents: to read the documents' authors, programmes and dates (one lookup).
        directory: programme and author names (one lookup each).
        entries: playbook entries' status and verification, if available.
        pseudonyms: makes an author's placeholder; without it authors are "a member".
        today: for whether a verification still holds.

    Returns:
        One result per document, best first.
    """
    best: dict[str, SearchHit] = {}
    counts: dict[str, int] = {}
    for h in hits:
        counts[h.document_id] = counts.get(h.document_id, 0) + 1
        if h.document_id not in best and len(best) < k:
            best[h.document_id] = h
    found = documents.documents_by_id(list(best))  # deleted ones are absent
    owners = {i.owner_id for i in found.values()} - {principal.user_id}
    authors = _authors(directory, owners, pseudonyms)
    programmes = directory.programme_names({i.programme_id for i in found.values()})
    curated = entries.by_document(list(best)) if entries is not None else {}
    day = today or dt.date.today()
    out = []
    for doc_id, hit in best.items():
        info = found.get(doc_id)
        if info is None:  # deleted since it was indexed: the ledger heals it
            continue
        entry = curated.get(doc_id)
        verified = bool(
            entry is not None
            and entry.status is EntryStatus.PUBLISHED
            and entry.last_verified_at is not None
            and review_state(entry.review_due, day) != "overdue"
        )
        out.append(
            DocumentResult(
                hit=hit,
                sentence=matched_sentence(hit.text, query),
                passages=counts[doc_id],
                author="you" if info.owner_id == principal.user_id else authors[info.owner_id],
                programme=programmes[info.programme_id],
                written=info.created_at.date(),
                entry_status=entry.status if entry is not None else None,
                verified=verified,
            )
        )
    return out


def _authors(
    directory: Directory, owner_ids: set[str], pseudonyms: Pseudonymizer | None
) -> dict[str, str]:
    """Each author as the placeholder their display name gets in redacted text ("a member"
    for an id the directory does not know), from one lookup of every author's name."""
    if pseudonyms is None:
        return dict.fromkeys(owner_ids, SOMEONE)
    shown = directory.display_names(owner_ids)
    return {
        uid: pseudonyms.placeholder("PERSON", shown[uid]) if uid in shown else SOMEONE
        for uid in owner_ids
    }
