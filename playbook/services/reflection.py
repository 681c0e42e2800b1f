"""The reflection studio's use cases: drafts that autosave, journal entries, rotation
debriefs and session notes, follow-up questions, the author's own history, sharing through a
coordinator's moderation queue, and the rhythm of reflection over time.

Everything a user writes is private until they share it; a share becomes visible to their
programme only after a coordinator approves it, and the author can withdraw it at any time.
Drafts are not redacted yet, so they are stored encrypted and only ever shown to their author.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import uuid
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from ingest.pipeline import IngestPipeline
from playbook.crypto import Keyring
from playbook.models import (
    DebriefFields,
    DocumentInfo,
    Kind,
    NewDocument,
    Principal,
    Visibility,
)
from playbook.permissions import Action, Target, check, programmes
from playbook.ratelimit import gate
from playbook.services.privacy import PrivacyService
from playbook.store import SqlRecords
from playbook.store.tables import DraftRow, utcnow
from prompts import Library, PromptSet, template

log = logging.getLogger(__name__)

MAX_ENTRY_CHARS = 100_000
FORMS = ("journal", "debrief", "session_note", "council_note")
MENTORING_TOPICS = ("technology", "customer experience", "culture", "other")


class ReflectionError(ValueError):
    """Input the studio cannot take; ``field`` names the form field when there is one.
    Nothing is saved and the draft is kept."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class FormError(Exception):
    """Several field-level problems at once (a form is checked whole)."""

    errors: dict[str, str]

    def __str__(self) -> str:
        return "; ".join(f"{k}: {v}" for k, v in self.errors.items())


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


@dataclass(frozen=True)
class Habits:
    """The rhythm of someone's reflection."""

    last_reflection: dt.datetime | None
    weeks_with_reflection: int  # of the last ``window_weeks``
    window_weeks: int
    streak_weeks: int
    by_month_and_category: tuple[tuple[str, str, int], ...]  # (YYYY-MM, category, count)


def _check_length(text: str, field: str) -> str:
    if not text.strip():
        raise ReflectionError("write something first: the entry is empty", field)
    if len(text) > MAX_ENTRY_CHARS:
        raise ReflectionError(
            f"this is {len(text):,} characters; an entry holds up to {MAX_ENTRY_CHARS:,}. "
            "Split it into several entries (your draft is kept).",
            field,
        )
    return text


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text) if len(s.strip()) > 3]


class ReflectionService:
    """Use cases of the reflection studio."""

    def __init__(
        self,
        engine: Engine,
        records: SqlRecords,
        pipeline: IngestPipeline,
        privacy: PrivacyService,
        keyring: Callable[[], Keyring],
        library: Callable[[], Library],
        embedder: Callable[[], Any],
        llm: Callable[[], Any | None] = lambda: None,
        audit: Any | None = None,
        limiter: Any | None = None,
    ) -> None:
        self._audit = audit
        self._limiter = limiter
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self.records = records
        self.pipeline = pipeline
        self.privacy = privacy
        self._keyring = keyring
        self._library = library
        self._embedder = embedder
        self._llm = llm

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._sessions.begin() as s:
            yield s

    # -- drafts -----------------------------------------------------------------------------

    def save_draft(self, user_id: str, form: str, data: dict[str, Any]) -> None:
        """Autosave a form's content (encrypted: drafts are not redacted yet)."""
        if form not in FORMS:
            raise ReflectionError(f"unknown form {form!r}")
        sealed = self._keyring().encrypt(json.dumps(data, default=str))
        with self._session() as s:
            row = s.scalar(
                select(DraftRow).where(DraftRow.user_id == user_id, DraftRow.form == form)
            )
            if row is None:
                s.add(DraftRow(user_id=user_id, form=form, data_ciphertext=sealed))
            else:
                row.data_ciphertext = sealed
                row.updated_at = utcnow()

    def draft(self, user_id: str, form: str) -> dict[str, Any] | None:
        """The autosaved content of a form, if any."""
        with self._session() as s:
            row = s.scalar(
                select(DraftRow).where(DraftRow.user_id == user_id, DraftRow.form == form)
            )
            return json.loads(self._keyring().decrypt(row.data_ciphertext)) if row else None

    def discard_draft(self, user_id: str, form: str) -> None:
        """Forget a form's draft (after saving, or when the author starts over)."""
        with self._session() as s:
            s.execute(delete(DraftRow).where(DraftRow.user_id == user_id, DraftRow.form == form))

    # -- saving -----------------------------------------------------------------------------

    def _save(
        self,
        principal: Principal,
        form: str,
        kind: Kind,
        title: str,
        text: str,
        prompt_set: str | None = None,
        debrief: DebriefFields | None = None,
        tags: Sequence[str] = (),
        source_id: str | None = None,
        programme_id: str | None = None,
    ) -> str:
        if not principal.programme_ids:
            raise ReflectionError("you belong to no programme yet; ask an admin to add you")
        mine = programmes(principal, Action.WRITE)
        if programme_id is None and len(mine) == 1:
            programme_id = next(iter(mine))
        if programme_id not in principal.programme_ids:
            raise ReflectionError("choose one of your programmes for this entry", "programme")
        check(principal, Action.WRITE, Target.programme(programme_id))
        programme = programme_id
        doc = NewDocument(
            owner_id=principal.user_id,
            programme_id=programme,
            kind=kind,
            visibility=Visibility.PRIVATE,
            title=title.strip()[:200] or "Untitled reflection",
            text=text,
            source_id=source_id or f"studio:{uuid.uuid4().hex}",
            tags=tuple(tags),
            created_at=utcnow(),
            debrief=debrief or DebriefFields(),
            prompt_set=prompt_set,
        )
        [result] = self.pipeline.ingest([doc])
        self.discard_draft(principal.user_id, form)
        return result.document_id

    def save_journal(
        self,
        principal: Principal,
        text: str,
        title: str = "",
        prompt_set: str | None = None,
        prompt_id: str | None = None,
        programme_id: str | None = None,
    ) -> str:
        """Save a journal entry (private) in one of the author's programmes (needed only when
        they belong to several). Returns its document id."""
        _check_length(text, "text")
        ps = self._library().sets.get(prompt_set) if prompt_set else None
        prompt = self._library().prompt(prompt_set, prompt_id) if prompt_set and prompt_id else None
        if prompt_set and ps is None:
            raise ReflectionError(f"unknown prompt set {prompt_set!r}", "prompt_set")
        first = _sentences(text)
        heading = title or (prompt.text if prompt else first[0] if first else text)[:120]
        body = f"{prompt.text}\n\n{text}" if prompt else text
        kind = Kind(ps.kind) if ps and ps.kind != "debrief" else Kind.JOURNAL
        tags = (ps.category,) if ps else ()
        return self._save(
            principal,
            "journal",
            kind,
            heading,
            body,
            prompt_set,
            tags=tags,
            programme_id=programme_id,
        )

    def save_debrief(self, principal: Principal, form: dict[str, Any]) -> str:
        """Validate and save a rotation debrief. Raises FormError with every problem."""
        errors: dict[str, str] = {}
        where = (form.get("function") or "").strip()
        market = (form.get("market") or "").strip()
        if not where and not market:
            errors["function"] = "name the function or the market you rotated into"
        start, end = form.get("start_date"), form.get("end_date")
        if not isinstance(start, dt.date):
            errors["start_date"] = "give the first day of the rotation"
        if not isinstance(end, dt.date):
            errors["end_date"] = "give the last day of the rotation"
        if isinstance(start, dt.date) and isinstance(end, dt.date):
            if end < start:
                errors["end_date"] = "the end date is before the start date"
            elif (end - start).days > 120:
                errors["end_date"] = "rotations last weeks, not months: check the dates"
            elif start > dt.date.today() + dt.timedelta(days=365):
                errors["start_date"] = "the start date is more than a year away"
        required = {
            "anchor_project": "name the anchor project (a launch, an analysis...)",
            "surprised": "say what surprised you",
            "lessons": "write at least one lesson",
            "advice": "leave advice for the next person",
        }
        for key, message in required.items():
            if not (form.get(key) or "").strip():
                errors[key] = message
        sections = [
            ("What surprised me", form.get("surprised")),
            ("Decisions and trade-offs I saw", form.get("decisions")),
            ("Lessons", form.get("lessons")),
            ("Advice for the next person", form.get("advice")),
        ]
        text = "\n\n".join(f"{h}: {(v or '').strip()}" for h, v in sections if (v or "").strip())
        if len(text) > MAX_ENTRY_CHARS:
            errors["lessons"] = f"the debrief holds up to {MAX_ENTRY_CHARS:,} characters"
        if errors:
            raise FormError(errors)
        place = ", ".join(x for x in (where, market) if x)
        debrief = DebriefFields(
            function=where or None,
            market=market or None,
            start_date=start,
            end_date=end,
            anchor_project=(form.get("anchor_project") or "").strip() or None,
            strategic_goal=(form.get("strategic_goal") or "").strip() or None,
        )
        return self._save(
            principal,
            "debrief",
            Kind.DEBRIEF,
            f"Rotation debrief: {place}",
            text,
            "rotation-after",
            debrief=debrief,
            tags=("Rotation",),
            programme_id=form.get("programme_id"),
        )

    def save_session_note(self, principal: Principal, form: dict[str, Any]) -> str:
        """A reverse-mentoring note (mentor, topic, what I learned, what I will change)."""
        errors: dict[str, str] = {}
        topic = (form.get("topic") or "").strip().casefold()
        if topic not in MENTORING_TOPICS:
            errors["topic"] = f"choose one of: {', '.join(MENTORING_TOPICS)}"
        for key, message in {
            "learned": "say what you learned",
            "change": "say what you will change",
        }.items():
            if not (form.get(key) or "").strip():
                errors[key] = message
        if errors:
            raise FormError(errors)
        mentor = (form.get("mentor") or "").strip()
        text = "\n\n".join(
            x
            for x in (
                f"Mentor: {mentor}" if mentor else "",
                f"Topic: {topic}",
                f"What I learned: {form['learned'].strip()}",
                f"What I will change: {form['change'].strip()}",
            )
            if x
        )
        _check_length(text, "learned")
        return self._save(
            principal,
            "session_note",
            Kind.SESSION_NOTE,
            f"Reverse mentoring: {topic}",
            text,
            "reverse-mentoring",
            tags=("Learning",),
            programme_id=form.get("programme_id"),
        )

    def save_council_note(self, principal: Principal, form: dict[str, Any]) -> str:
        """An advisor council note (charter topic, assumptions, options, decisions and owners)."""
        errors: dict[str, str] = {}
        for key, message in {
            "charter_topic": "name the charter topic",
            "decided": "say what was decided and who owns it",
        }.items():
            if not (form.get(key) or "").strip():
                errors[key] = message
        if errors:
            raise FormError(errors)
        text = "\n\n".join(
            f"{h}: {(form.get(k) or '').strip()}"
            for h, k in (
                ("Charter topic", "charter_topic"),
                ("Assumptions challenged", "assumptions"),
                ("Options raised", "options"),
                ("What we decided and who owns it", "decided"),
            )
            if (form.get(k) or "").strip()
        )
        _check_length(text, "decided")
        return self._save(
            principal,
            "council_note",
            Kind.COUNCIL_NOTE,
            f"Advisor council: {form['charter_topic'].strip()[:120]}",
            text,
            "advisor-council",
            tags=("Strategy",),
            programme_id=form.get("programme_id"),
        )

    # -- follow-ups -------------------------------------------------------------------------

    def followups(self, principal: Principal, document_id: str, n: int = 3) -> list[str]:
        """One to three follow-up questions grounded in what the author wrote. With an LLM,
        generated from the redacted entry; without one, chosen from the prompt library by its
        cues and by similarity, never one the entry already answers."""
        original = self.privacy.original(principal, document_id)  # authors only
        info = self.records.document(document_id)
        assert info is not None
        llm, _ = gate(self._limiter, self._llm(), principal.user_id)  # at the limit: library
        if llm is not None:
            try:
                generated = self._generated(llm, info, n)
            except Exception as exc:  # an unreachable or misconfigured model: use the library
                log.warning(
                    "follow-up model failed (%s); using the prompt library", type(exc).__name__
                )
            else:
                if generated:
                    return generated
        return self._chosen(original, info.prompt_set, n)

    def _generated(self, llm: Any, info: DocumentInfo, n: int) -> list[str]:
        t = template("followups")
        prompt = info.title
        reply = llm.invoke(
            [
                ("system", t.system),
                ("human", t.user.format(prompt=prompt, entry=info.redacted_text)),
            ]
        )
        lines = [
            re.sub(r"^\s*(?:[-*•]|\d+[.)])\s*", "", line).strip()
            for line in str(getattr(reply, "content", reply)).splitlines()
        ]
        return [q for q in lines if q.endswith("?")][:n]

    def _chosen(self, text: str, prompt_set: str | None, n: int) -> list[str]:
        lib = self._library()
        sets: list[PromptSet] = (
            [lib.sets[prompt_set]] if prompt_set in lib.sets else list(lib.sets.values())
        )
        words = set(re.findall(r"[a-z'-]+", text.casefold()))
        low = text.casefold()
        candidates: list[tuple[int, str]] = []
        for ps in sets:
            for p in ps.prompts:
                for f in p.follow_ups:
                    hits = sum(1 for c in f.cues if (c in words if " " not in c else c in low))
                    candidates.append((hits, f.text))
        if not candidates:
            return []
        sentences = _sentences(text) or [text]
        emb = self._embedder()
        vectors = emb.embed([q for _, q in candidates] + [text] + sentences)
        qv = vectors[: len(candidates)]
        entry = vectors[len(candidates)]
        sent = vectors[len(candidates) + 1 :]

        def dot(a: Sequence[float], b: Sequence[float]) -> float:
            return float(sum(x * y for x, y in zip(a, b, strict=True)))

        ranked = []
        for (hits, q), v in zip(candidates, qv, strict=True):
            answered = max(dot(v, s) for s in sent) >= 0.8  # the entry already says this
            if answered:
                continue
            ranked.append((hits > 0, hits + dot(v, entry), q))
        ranked.sort(key=lambda r: (not r[0], -r[1]))
        chosen = [q for cued, _, q in ranked if cued][:n]
        if not chosen:  # nothing cued: the single closest question
            chosen = [q for _, _, q in ranked[:1]]
        return chosen

    def answer_followup(
        self, principal: Principal, document_id: str, question: str, answer: str
    ) -> None:
        """Add a follow-up and its answer to the entry (redacted and re-indexed with it)."""
        _check_length(answer, "answer")
        original = self.privacy.original(principal, document_id)
        info = self.records.document(document_id)
        assert info is not None
        text = f"{original}\n\n{question.strip()}\n{answer.strip()}"
        _check_length(text, "answer")
        title = self.privacy.reidentify(principal, document_id, info.title)
        self.pipeline.ingest([info.as_new(text, title)])

    # -- history ----------------------------------------------------------------------------

    def history(self, principal: Principal, query: str = "", limit: int = 200) -> list[HistoryItem]:
        """The author's own documents, newest first, with their original text; ``query``
        keeps those whose original or title contains every word of it."""
        words = [w for w in query.casefold().split() if w]
        out: list[HistoryItem] = []
        for d in self.records.documents(owner_id=principal.user_id, limit=limit):
            try:
                original = self.privacy.original(principal, d.document_id)
                title = self.privacy.reidentify(principal, d.document_id, d.title)
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
                    )
                )
        return out

    # -- sharing and moderation -------------------------------------------------------------

    def _own(self, principal: Principal, document_id: str) -> DocumentInfo:
        info = self.records.document(document_id)
        if info is None:
            raise ReflectionError("no such document")
        check(principal, Action.SHARE, Target.document(info))
        return info

    def request_share(self, principal: Principal, document_id: str) -> None:
        """Ask to share a private item with the programme; a coordinator decides."""
        info = self._own(principal, document_id)
        if info.visibility != Visibility.PRIVATE:
            raise ReflectionError("this is already shared")
        if info.share_status == "pending":
            return
        self.records.set_share_status(document_id, "pending")
        self._record(principal, "share requested", document_id)

    def withdraw(self, principal: Principal, document_id: str) -> None:
        """Make a shared (or pending) item private again: nobody else finds it anywhere."""
        info = self._own(principal, document_id)
        self.records.set_share_status(document_id, None)
        if info.visibility != Visibility.PRIVATE:
            self.records.set_visibility(document_id, Visibility.PRIVATE)
            self._apply(document_id)
            self.pipeline.scrub()  # the shared copies leave nothing in the files
        self._record(principal, "share withdrawn", document_id)

    def moderation_queue(self, principal: Principal) -> list[DocumentInfo]:
        """Share requests awaiting this coordinator (redacted text only)."""
        check(principal, Action.MODERATE)
        return self.records.pending_shares(set(programmes(principal, Action.MODERATE)))

    def decide_share(self, principal: Principal, document_id: str, approve: bool) -> None:
        """Approve a share (programme members can then find it) or decline it (it stays
        private)."""
        info = self.records.document(document_id)
        if info is None or info.share_status != "pending":
            raise ReflectionError("this item is not awaiting a decision")
        check(principal, Action.MODERATE, Target.programme(info.programme_id))
        if not approve:
            self.records.set_share_status(document_id, "declined")
            self._record(principal, "share declined", document_id)
            return
        self.records.set_visibility(document_id, Visibility.SHARED)
        self.records.set_share_status(document_id, "approved")
        self._apply(document_id)
        self._record(principal, "share approved", document_id)

    def _record(self, principal: Principal, action: str, document_id: str) -> None:
        if self._audit is not None:
            self._audit.record(principal.username, action, document_id)

    def _apply(self, document_id: str) -> None:
        """Redact again under the new visibility's policy (only approved allow terms apply to
        shared content), then bring the indexes up to date."""
        self.pipeline.reredact(self._keyring().decrypt, only=[document_id])
        self.pipeline.sync(only=[document_id])

    # -- habits -----------------------------------------------------------------------------

    def habits(self, principal: Principal, window_weeks: int = 12) -> Habits:
        """Last reflection, weeks with one, the current streak, and entries per month and
        prompt category."""
        docs = self.records.documents(owner_id=principal.user_id, limit=10_000)
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
