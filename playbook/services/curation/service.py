"""Curation use cases: coordinators write, review, publish, verify and archive playbook entries.

Everything a coordinator types is redacted before it is stored, like any other text. A
published entry is also a document of kind "entry" (visibility published), so search and Ask
find it with its status and review date; archiving removes that document from the indexes.
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ingest.pipeline import IngestPipeline
from playbook import lifecycle
from playbook.lifecycle import content_of
from playbook.models import (
    MAX_TAG_CHARS,
    MAX_TAGS,
    DebriefFields,
    DocumentInfo,
    Entry,
    EntryConflictError,
    EntryContent,
    EntrySource,
    EntryStatus,
    EntryVersion,
    Kind,
    NewDocument,
    Principal,
    Visibility,
)
from playbook.permissions import (
    Action,
    NotAllowedError,
    Target,
    check,
    check_publisher,
    programmes,
)
from playbook.ports import ChatModel, Entries, Redactor
from playbook.ports.feedback import AnswerFeedback
from playbook.ratelimit import gate
from playbook.services import handoff
from playbook.services.curation import review
from playbook.services.curation.forms import EntryFormError, clean_content, diff_lines
from playbook.services.curation.review import MAX_REASON
from playbook.services.handoff import HandoffRecords, Pack
from playbook.services.promote import draft_entry, draft_metadata

FEEDBACK = ("helped", "outdated")


@dataclass
class CurationService:
    """Entries and their lifecycle, for coordinators; reading and feedback for members."""

    entries: Entries
    pipeline: IngestPipeline
    redactor: Redactor
    coordinated: Callable[[str], set[str]]  # user id -> programmes they coordinate
    documents: HandoffRecords  # the documents entries come from, and programme names
    llm: Callable[[], ChatModel | None] = lambda: None
    today: Callable[[], dt.date] = dt.date.today
    audit: Any | None = None  # an AuditLog: promotions, lifecycle moves, verifications
    limiter: Any | None = None  # a RateLimiter for model requests
    max_tags: int = MAX_TAGS
    max_tag_chars: int = MAX_TAG_CHARS
    answers: AnswerFeedback | None = None  # readers' verdicts on Ask answers
    separate_duties: bool = True  # the one who submits an entry may not publish it
    notices: Any | None = None  # a NotificationService: authors hear of promotions, feedback

    # -- writing -------------------------------------------------------------------------

    def create(
        self,
        who: Principal,
        programme_id: str,
        content: EntryContent,
        sources: Sequence[EntrySource] = (),
    ) -> Entry:
        """A new draft entry in a programme ``who`` coordinates."""
        self._require_coordinator(who, programme_id)
        self._check_verifier(content, programme_id)
        return self.entries.create(programme_id, who.user_id, self._clean(content), sources)

    def promote(self, who: Principal, document_ids: Sequence[str]) -> tuple[Entry, str]:
        """A draft entry from shared or published items of one programme ``who``
        coordinates, with a pointer from every sentence to its passage; and how it was
        drafted ("llm" or "extractive")."""
        ids = list(dict.fromkeys(document_ids))
        if not ids:
            raise EntryFormError({"sources": "choose at least one shared item to promote"})
        if len(ids) > 20:
            raise EntryFormError({"sources": "promote at most 20 items into one entry"})
        docs = []
        for doc_id in ids:
            doc = self.documents.document(doc_id)
            if doc is None or doc.visibility is Visibility.PRIVATE:
                raise NotAllowedError(
                    "only items shared with the programme (or published) can be promoted"
                )
            docs.append(doc)
        origins = {d.programme_id for d in docs}
        if len(origins) > 1:
            raise EntryFormError({"sources": "choose items from one programme"})
        programme_id = origins.pop()
        self._require_coordinator(who, programme_id)
        llm, _ = gate(self.limiter, self.llm(), who.user_id)  # at the limit: extractively
        content, sources, mode = draft_entry(docs, self.pipeline.embedder, llm)
        tags, function, market = draft_metadata(docs)
        content = replace(content, tags=tags, function=function, market=market)
        entry = self.entries.create(
            programme_id, who.user_id, self._clean(content), sources, note=f"promoted ({mode})"
        )
        self._record(who, "entry promoted", entry.entry_id, f"{len(docs)} sources, {mode}")
        if self.notices is not None:  # titles are the stored, redacted ones
            self.notices.promoted(docs, entry.entry_id)
        return entry, mode

    def edit(self, who: Principal, entry_id: str, version: int, content: EntryContent) -> Entry:
        """Save new content over ``version``; a newer save by someone else is a conflict.

        A published entry stays published while it is edited: readers keep the last
        published text until it is published again (``revise`` then ``publish``).
        """
        entry = self._coordinated(who, entry_id)
        if entry.status is EntryStatus.ARCHIVED:
            raise lifecycle.TransitionError("an archived entry cannot be edited; restore it first")
        self._check_verifier(content, entry.programme_id)
        return self.entries.update(
            entry_id, version, who.user_id, "edited", content=self._clean(content)
        )

    def act(
        self, who: Principal, entry_id: str, version: int, action: str, note: str = ""
    ) -> Entry:
        """Move an entry through its lifecycle (submit, return, publish, revise, archive,
        restore)."""
        entry = self._coordinated(who, entry_id)
        if entry.version != version:
            # Checked before the index is touched, not only at the final versioned write.
            raise EntryConflictError(entry)
        move = lifecycle.transition(entry.status, action)
        if move.action is lifecycle.Action.PUBLISH:
            check_publisher(who, self.submitted_by(entry_id), self.separate_duties)
        changes: dict[str, Any] = {"status": move.after}
        # A note is read by every coordinator in the history: redacted like any shared text.
        safe = self.redactor.redact_batch([note.strip()])[0].text if note.strip() else ""
        text = f"{move.action.value}: {safe}" if safe else move.action.value
        if move.action is lifecycle.Action.PUBLISH:
            if not entry.content.text():
                raise EntryFormError({"sections": "write at least one section before publishing"})
            changes["document_id"] = self._publish_document(entry)
            changes["review_due"] = lifecycle.next_review(
                self.today(), entry.content.review_interval_days
            )
            changes["last_verified_at"] = dt.datetime.now(dt.UTC)
        elif move.action is lifecycle.Action.ARCHIVE and entry.document_id:
            self.pipeline.delete(entry.document_id)
            changes["document_id"] = None
        updated = self.entries.update(entry_id, version, who.user_id, text, **changes)
        if move.action is lifecycle.Action.PUBLISH:
            self._refresh_index(updated)
        self._record(who, f"entry {move.action.value}", entry_id)
        return updated

    def decline(self, who: Principal, entry_id: str, version: int, reason: str) -> Entry:
        """Send an entry in review back to draft with a reason its author is shown (the
        reason is redacted and kept in the entry's history)."""
        reason = " ".join(reason.split())
        if not reason:
            raise EntryFormError({"reason": "say why, so the author knows what to change"})
        if len(reason) > MAX_REASON:
            raise EntryFormError({"reason": f"keep the reason under {MAX_REASON} characters"})
        submitter = self.submitted_by(entry_id)
        entry = self.act(who, entry_id, version, lifecycle.Action.RETURN.value, reason)
        if self.notices is not None and submitter and submitter != who.user_id:
            # Whoever put it into review learns the outcome and the (redacted) reason.
            self.notices.entry_declined(submitter, entry.entry_id, entry.content.title, reason)
        return entry

    def refusal(self, who: Principal, entry_id: str, action: str) -> str | None:
        """Why ``who`` may not take ``action`` ("verify" or a lifecycle action) on the entry
        as it stands, or None: asked before an editor saves typed changes for an action, so
        a refused action saves nothing either."""
        try:
            entry = self._coordinated(who, entry_id)
            if action == "verify":
                check(who, Action.VERIFY, Target.entry(entry))
            elif lifecycle.transition(entry.status, action).action is lifecycle.Action.PUBLISH:
                check_publisher(who, self.submitted_by(entry_id), self.separate_duties)
        except (NotAllowedError, lifecycle.TransitionError) as exc:
            return str(exc)
        return None

    def submitted_by(self, entry_id: str) -> str | None:
        """Who last put the entry into review (they may not publish it when duties are
        separated)."""
        return review.submitter(self.entries.versions(entry_id))

    def declined(self, who: Principal, entry_id: str) -> review.Declined | None:
        """The reviewer's decline an entry ``who`` may read is still under, with its reason."""
        self.readable(who, entry_id)
        return review.declined(self.entries.versions(entry_id))

    def verify(self, who: Principal, entry_id: str, version: int, note: str = "") -> Entry:
        """Confirm a published entry still holds: its review date moves one interval on."""
        entry = self.entries.get(entry_id)
        check(who, Action.VERIFY, Target.entry(entry))
        if entry.status is not EntryStatus.PUBLISHED:
            raise lifecycle.TransitionError("only a published entry can be verified")
        updated = self.entries.update(
            entry_id,
            version,
            who.user_id,
            f"verified: {note}".strip(": ") if note else "verified",
            review_due=lifecycle.next_review(self.today(), entry.content.review_interval_days),
            last_verified_at=dt.datetime.now(dt.UTC),
        )
        self._refresh_index(updated)
        self._record(who, "entry verified", entry_id)
        return updated

    def restore_version(self, who: Principal, entry_id: str, version: int, number: int) -> Entry:
        """Bring back the content of version ``number`` as a new version."""
        self._coordinated(who, entry_id)
        old = [v for v in self.entries.versions(entry_id) if v.number == number]
        if not old:
            raise EntryFormError({"version": f"there is no version {number} of this entry"})
        return self.entries.update(
            entry_id,
            version,
            who.user_id,
            f"restored version {number}",
            content=content_of(old[0].snapshot),
        )

    def feedback(self, who: Principal, entry_id: str, verdict: str, comment: str = "") -> None:
        """A member's word on a published entry (the comment is redacted)."""
        check(who, Action.FEEDBACK, Target.entry(self.entries.get(entry_id)))
        if verdict not in FEEDBACK:
            raise EntryFormError({"verdict": f"choose {' or '.join(FEEDBACK)}"})
        safe = (
            self.redactor.redact_batch([comment.strip()[:2000]])[0].text if comment.strip() else ""
        )
        self.entries.add_feedback(entry_id, who.user_id, verdict, safe)
        self._notify_feedback(who, entry_id, verdict, safe)

    def _notify_feedback(self, who: Principal, entry_id: str, verdict: str, safe: str) -> None:
        """Tell the entry's owner and the authors of the writing it draws on (not the reader
        who gave it); ``safe`` is the redacted comment."""
        if self.notices is None:
            return
        entry = self.entries.get(entry_id)
        owners = [entry.owner_id]
        for source in self.entries.sources(entry_id):
            doc = self.documents.document(source.document_id)
            if doc is not None:
                owners.append(doc.owner_id)
        told = [o for o in dict.fromkeys(owners) if o != who.user_id]
        self.notices.feedback(told, entry_id, entry.content.title, verdict, safe)

    # -- reading -------------------------------------------------------------------------

    def readable(self, who: Principal, entry_id: str) -> Entry:
        """An entry ``who`` may read: published ones for members, any for its coordinators."""
        entry = self.entries.get(entry_id)
        check(who, Action.READ, Target.entry(entry))
        return entry

    def listing(self, who: Principal, statuses: Sequence[EntryStatus] = ()) -> list[Entry]:
        """Entries of the programmes ``who`` coordinates, in these states (any when none);
        for anyone else, the published entries of their programmes."""
        mine = programmes(who, Action.CURATE)
        if not mine:
            return self.entries.listing(who.programme_ids, [EntryStatus.PUBLISHED])
        return self.entries.listing(mine, statuses)

    def current_version(self, entry_id: str) -> int:
        """An entry's newest version number, to act on whatever is newest (the action checks
        who may; ``StoreError`` when there is no such entry)."""
        return self.entries.get(entry_id).version

    def versions(self, who: Principal, entry_id: str) -> list[EntryVersion]:
        """Every saved state of an entry ``who`` may read, oldest first."""
        self.readable(who, entry_id)
        return self.entries.versions(entry_id)

    def sources(self, who: Principal, entry_id: str) -> list[EntrySource]:
        """Where an entry ``who`` may read came from, with its pointers."""
        self.readable(who, entry_id)
        return self.entries.sources(entry_id)

    def by_document(self, document_ids: Iterable[str]) -> dict[str, Entry]:
        """Entries by the id of their published document (to give feedback on a citation)."""
        return self.entries.by_document(document_ids)

    def promotable(self, who: Principal, limit: int = 500) -> list[DocumentInfo]:
        """What ``who`` could promote: shared or published items (not entries) they may read
        in the programmes they coordinate."""
        mine = programmes(who, Action.CURATE)
        return [
            d
            for d in self.documents.readable_documents(who, limit=limit)
            if d.programme_id in mine
            and d.visibility is not Visibility.PRIVATE
            and d.kind is not Kind.ENTRY
        ]

    def handoff_pack(
        self,
        who: Principal,
        function: str | None = None,
        market: str | None = None,
        tag: str | None = None,
    ) -> Pack:
        """A successor's pack from what ``who`` may read (``services.handoff``)."""
        return handoff.handoff_pack(self.entries, self.documents, who, function, market, tag)

    def showcase(self, who: Principal, start: dt.date, end: dt.date) -> Pack:
        """Entries published in a period in the programmes ``who`` coordinates."""
        return handoff.showcase(self.entries, self.documents, who, start, end)

    def diff(self, who: Principal, entry_id: str, a: int, b: int) -> str:
        """A readable line diff between two versions."""
        self.readable(who, entry_id)
        by_number = {v.number: v for v in self.entries.versions(entry_id)}
        missing = [n for n in (a, b) if n not in by_number]
        if missing:
            raise EntryFormError({"version": f"there is no version {missing[0]} of this entry"})
        return "\n".join(
            difflib.unified_diff(
                diff_lines(by_number[a].snapshot),
                diff_lines(by_number[b].snapshot),
                fromfile=f"version {a}",
                tofile=f"version {b}",
                lineterm="",
            )
        )

    def review_queue(self, who: Principal) -> dict[str, list[Any]]:
        """What needs a coordinator: entries in review, published entries due or overdue for
        verification (within 14 days), open reader feedback on entries and, under
        ``answers`` when there are any, readers' "this helped / this is wrong" on answers
        in those programmes (``AnswerVerdict`` items, newest first)."""
        mine = programmes(who, Action.CURATE)
        today = self.today()
        in_review = self.entries.listing(mine, [EntryStatus.IN_REVIEW])
        published = self.entries.listing(mine, [EntryStatus.PUBLISHED])
        titles = {e.entry_id: e.content.title for e in published}
        due = sorted(
            (e for e in published if lifecycle.review_state(e.review_due, today) != "current"),
            key=lambda e: e.review_due or dt.date.min,
        )
        queue: dict[str, list[Any]] = {
            "in_review": in_review,
            "due": due,
            "feedback": [
                {**fb, "title": titles[fb["entry_id"]]}
                for fb in self.entries.feedback(list(titles))
            ],
        }
        # Only when there are any: callers read it with .get("answers", []).
        answers = self.answers.open_for(mine) if self.answers is not None else []
        if answers:
            queue["answers"] = answers
        # Only when there are any, too: (entry, Declined) for drafts ``who`` submitted that
        # a reviewer sent back, so the author learns why.
        mine_declined = []
        for e in self.entries.listing(mine, [EntryStatus.DRAFT]):
            versions = self.entries.versions(e.entry_id)
            decision = review.declined(versions)
            if decision and review.submitter(versions) == who.user_id:
                mine_declined.append((e, decision))
        if mine_declined:
            queue["declined"] = mine_declined
        return queue

    def resolve_feedback(self, who: Principal, feedback_id: str | int) -> None:
        """A coordinator of the entry's programme marks a reader's feedback dealt with (it
        leaves the review queue)."""
        mine = programmes(who, Action.CURATE)
        published = self.entries.listing(mine, [EntryStatus.PUBLISHED])
        open_items = self.entries.feedback([e.entry_id for e in published])
        match = [fb["id"] for fb in open_items if str(fb["id"]) == str(feedback_id)]
        if not match:
            raise EntryFormError({"feedback": "this feedback is already resolved or not yours"})
        self.entries.resolve_feedback(match)
        self._record(who, "entry feedback resolved", str(feedback_id))

    def resolve_answer(self, who: Principal, feedback_id: str) -> None:
        """A coordinator of the programme marks a reader's verdict on an answer dealt with."""
        mine = programmes(who, Action.CURATE)
        answers = self.answers
        if answers is None or feedback_id not in {v.feedback_id for v in answers.open_for(mine)}:
            raise EntryFormError({"feedback": "this feedback is already resolved or not yours"})
        answers.resolve([feedback_id])
        self._record(who, "answer feedback resolved", feedback_id)

    # -- inside --------------------------------------------------------------------------

    def _clean(self, content: EntryContent) -> EntryContent:
        return clean_content(content, self.redactor, self.max_tags, self.max_tag_chars)

    def _publish_document(self, entry: Entry) -> str:
        c = entry.content
        doc = NewDocument(
            owner_id=entry.owner_id,
            programme_id=entry.programme_id,
            kind=Kind.ENTRY,
            visibility=Visibility.PUBLISHED,
            title=c.title,
            text=c.text(),
            source_id=f"entry:{entry.entry_id}",
            tags=tuple(dict.fromkeys([*c.tags, *(t for t in (c.competency,) if t)])),
            debrief=DebriefFields(function=c.function, market=c.market),
        )
        results, _ = self.pipeline.store([doc])
        # An unchanged text stores nothing: the live document keeps its id.
        return (
            results[0].document_id
            or self.documents.document_id(entry.owner_id, doc.source_id)
            or ""
        )

    def _refresh_index(self, entry: Entry) -> None:
        """Index the entry's document again (its status and review date ride in the index)."""
        if entry.document_id:
            self.pipeline.refresh([entry.document_id])

    def _record(self, who: Principal, action: str, subject: str, detail: str = "") -> None:
        if self.audit is not None:
            self.audit.record(who.username, action, subject, detail)

    def _check_verifier(self, content: EntryContent, programme_id: str) -> None:
        if content.verifier_id and programme_id not in self.coordinated(content.verifier_id):
            raise EntryFormError({"verifier": "choose a coordinator of this programme"})

    def _require_coordinator(self, who: Principal, programme_id: str) -> None:
        check(who, Action.CURATE, Target.programme(programme_id))

    def _coordinated(self, who: Principal, entry_id: str) -> Entry:
        entry = self.entries.get(entry_id)
        self._require_coordinator(who, entry.programme_id)
        return entry
