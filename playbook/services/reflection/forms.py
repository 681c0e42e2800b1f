"""Saving what the studio's forms hold: journal entries, rotation debriefs, reverse-mentoring
session notes and advisor council notes. Each is checked whole, saved private in one of the
author's programmes, and its draft is then discarded."""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from playbook.models import DebriefFields, Kind, NewDocument, Principal, Visibility
from playbook.permissions import Action, Target, check, programmes
from playbook.services.reflection.base import (
    MAX_ENTRY_CHARS,
    MENTORING_TOPICS,
    DocumentPipeline,
    FormError,
    ReflectionError,
    check_length,
    sentences,
)
from playbook.services.reflection.drafts import DraftBook
from prompts import Library

# Days from a rotation's first to its last day beyond which a debrief is refused.
MAX_ROTATION_SPAN = 120


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _text(form: dict[str, Any], key: str) -> str:
    return (form.get(key) or "").strip()


def _missing(form: dict[str, Any], required: dict[str, str]) -> dict[str, str]:
    """The message of each required field left empty, by field."""
    return {key: message for key, message in required.items() if not _text(form, key)}


class FormWriter:
    """Turns a filled-in form into a private document through the pipeline."""

    def __init__(
        self, pipeline: DocumentPipeline, drafts: DraftBook, library: Callable[[], Library]
    ) -> None:
        self._pipeline = pipeline
        self._drafts = drafts
        self._library = library

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
        doc = NewDocument(
            owner_id=principal.user_id,
            programme_id=programme_id,
            kind=kind,
            visibility=Visibility.PRIVATE,
            title=title.strip()[:200] or "Untitled reflection",
            text=text,
            source_id=source_id or f"studio:{uuid.uuid4().hex}",
            tags=tuple(tags),
            created_at=_now(),
            debrief=debrief or DebriefFields(),
            prompt_set=prompt_set,
        )
        [result] = self._pipeline.ingest([doc])
        self._drafts.discard_draft(principal.user_id, form)
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
        check_length(text, "text")
        ps = self._library().sets.get(prompt_set) if prompt_set else None
        prompt = self._library().prompt(prompt_set, prompt_id) if prompt_set and prompt_id else None
        if prompt_set and ps is None:
            raise ReflectionError(f"unknown prompt set {prompt_set!r}", "prompt_set")
        first = sentences(text)
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
        where = _text(form, "function")
        market = _text(form, "market")
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
            elif (end - start).days > MAX_ROTATION_SPAN:
                errors["end_date"] = "rotations last weeks, not months: check the dates"
            elif start > dt.date.today() + dt.timedelta(days=365):
                errors["start_date"] = "the start date is more than a year away"
        required = {
            "anchor_project": "name the anchor project (a launch, an analysis...)",
            "surprised": "say what surprised you",
            "lessons": "write at least one lesson",
            "advice": "leave advice for the next person",
        }
        errors.update(_missing(form, required))
        sections = [
            ("What surprised me", "surprised"),
            ("Decisions and trade-offs I saw", "decisions"),
            ("Lessons", "lessons"),
            ("Advice for the next person", "advice"),
        ]
        text = "\n\n".join(f"{h}: {_text(form, k)}" for h, k in sections if _text(form, k))
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
            anchor_project=_text(form, "anchor_project") or None,
            strategic_goal=_text(form, "strategic_goal") or None,
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
        topic = _text(form, "topic").casefold()
        if topic not in MENTORING_TOPICS:
            errors["topic"] = f"choose one of: {', '.join(MENTORING_TOPICS)}"
        errors.update(
            _missing(
                form, {"learned": "say what you learned", "change": "say what you will change"}
            )
        )
        if errors:
            raise FormError(errors)
        mentor = _text(form, "mentor")
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
        check_length(text, "learned")
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
        errors = _missing(
            form,
            {
                "charter_topic": "name the charter topic",
                "decided": "say what was decided and who owns it",
            },
        )
        if errors:
            raise FormError(errors)
        text = "\n\n".join(
            f"{h}: {_text(form, k)}"
            for h, k in (
                ("Charter topic", "charter_topic"),
                ("Assumptions challenged", "assumptions"),
                ("Options raised", "options"),
                ("What we decided and who owns it", "decided"),
            )
            if _text(form, k)
        )
        check_length(text, "decided")
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
