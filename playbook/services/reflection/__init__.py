"""The reflection studio's use cases: drafts that autosave, journal entries, rotation
debriefs and session notes, follow-up questions, the author's own history, sharing through a
coordinator's moderation queue, and the rhythm of reflection over time.

Everything a user writes is private until they share it; a share becomes visible to their
programme only after a coordinator approves it, and the author can withdraw it at any time.
Drafts are not redacted yet, so they are stored encrypted and only ever shown to their author.

One module per concept (``drafts``, ``forms``, ``followups``, ``sharing``, ``history``);
``ReflectionService`` puts them together behind the names the front ends call.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from playbook.models import DocumentInfo, Principal
from playbook.ports import Audit, ChatModel, Documents, Drafts, Embedder, Keys
from playbook.ports.writing import DocumentVersions
from playbook.services.reflection.base import (
    FORMS,
    MAX_ENTRY_CHARS,
    MENTORING_TOPICS,
    AuthorViews,
    DocumentPipeline,
    FormError,
    ReflectionError,
)
from playbook.services.reflection.drafts import DraftBook
from playbook.services.reflection.editing import EarlierVersion, Editing, EditOutcome
from playbook.services.reflection.followups import Followups
from playbook.services.reflection.forms import FormWriter
from playbook.services.reflection.history import Habits, History, HistoryItem
from playbook.services.reflection.sharing import ShareNotices, Sharing
from prompts import Library

__all__ = [
    "FORMS",
    "MAX_ENTRY_CHARS",
    "MENTORING_TOPICS",
    "EarlierVersion",
    "EditOutcome",
    "FormError",
    "Habits",
    "HistoryItem",
    "ReflectionError",
    "ReflectionService",
]


class ReflectionService:
    """Use cases of the reflection studio, over the storage ports, the pipeline and the
    privacy service's author-only views.

    ``library``, ``embedder`` and ``llm`` are asked for on use: the embedding model is
    loaded only when a follow-up is chosen, and the chat model may not be configured.
    """

    def __init__(
        self,
        drafts: Drafts,
        documents: Documents,
        pipeline: DocumentPipeline,
        privacy: AuthorViews,
        keys: Keys,
        library: Callable[[], Library],
        embedder: Callable[[], Embedder],
        llm: Callable[[], ChatModel | None] = lambda: None,
        audit: Audit | None = None,
        limiter: Any | None = None,
        versions: DocumentVersions | None = None,
        notices: ShareNotices | None = None,
    ) -> None:
        self._drafts = DraftBook(drafts, keys)
        self._forms = FormWriter(pipeline, self._drafts, library)
        self._followups = Followups(
            documents, pipeline, privacy, library, embedder, llm, limiter=limiter
        )
        self._sharing = Sharing(documents, pipeline, keys, audit, notices)
        self._editing = (
            Editing(documents, pipeline, privacy, keys, versions, audit) if versions else None
        )
        self._history = History(documents, privacy, library)

    # -- drafts -----------------------------------------------------------------------------

    def save_draft(self, user_id: str, form: str, data: dict[str, Any]) -> None:
        """Autosave a form's content (encrypted: drafts are not redacted yet)."""
        self._drafts.save_draft(user_id, form, data)

    def draft(self, user_id: str, form: str) -> dict[str, Any] | None:
        """The autosaved content of a form, if any."""
        return self._drafts.draft(user_id, form)

    def discard_draft(self, user_id: str, form: str) -> None:
        """Forget a form's draft (after saving, or when the author starts over)."""
        self._drafts.discard_draft(user_id, form)

    # -- forms ------------------------------------------------------------------------------

    def save_journal(
        self,
        principal: Principal,
        text: str,
        title: str = "",
        prompt_set: str | None = None,
        prompt_id: str | None = None,
        programme_id: str | None = None,
    ) -> str:
        """Save a journal entry (private); see ``FormWriter.save_journal``."""
        return self._forms.save_journal(principal, text, title, prompt_set, prompt_id, programme_id)

    def save_debrief(self, principal: Principal, form: dict[str, Any]) -> str:
        """Validate and save a rotation debrief. Raises FormError with every problem."""
        return self._forms.save_debrief(principal, form)

    def save_session_note(self, principal: Principal, form: dict[str, Any]) -> str:
        """A reverse-mentoring note (mentor, topic, what I learned, what I will change)."""
        return self._forms.save_session_note(principal, form)

    def save_council_note(self, principal: Principal, form: dict[str, Any]) -> str:
        """An advisor council note (charter topic, assumptions, options, decisions and owners)."""
        return self._forms.save_council_note(principal, form)

    # -- follow-ups -------------------------------------------------------------------------

    def followups(self, principal: Principal, document_id: str, n: int = 3) -> list[str]:
        """One to three follow-up questions grounded in what the author wrote."""
        return self._followups.followups(principal, document_id, n)

    def answer_followup(
        self, principal: Principal, document_id: str, question: str, answer: str
    ) -> None:
        """Add a follow-up and its answer to the entry (redacted and re-indexed with it)."""
        self._followups.answer_followup(principal, document_id, question, answer)

    def answered_followups(
        self, principal: Principal, document_id: str, questions: list[str]
    ) -> dict[str, str]:
        """The questions of these the author answered in the entry, with their answers."""
        return self._followups.answered(principal, document_id, questions)

    # -- history and habits -----------------------------------------------------------------

    def history(self, principal: Principal, query: str = "", limit: int = 200) -> list[HistoryItem]:
        """The author's own documents, newest first, with their original text."""
        return self._history.history(principal, query, limit)

    def habits(self, principal: Principal, window_weeks: int = 12) -> Habits:
        """Last reflection, weeks with one, the current streak, entries per month and category."""
        return self._history.habits(principal, window_weeks)

    # -- sharing and moderation -------------------------------------------------------------

    def request_share(self, principal: Principal, document_id: str) -> None:
        """Ask to share a private item with the programme; a coordinator decides."""
        self._sharing.request_share(principal, document_id)

    def withdraw(self, principal: Principal, document_id: str) -> None:
        """Make a shared (or pending) item private again: nobody else finds it anywhere."""
        self._sharing.withdraw(principal, document_id)

    def moderation_queue(self, principal: Principal) -> list[DocumentInfo]:
        """Share requests awaiting this coordinator (redacted text only)."""
        return self._sharing.moderation_queue(principal)

    def decide_share(
        self, principal: Principal, document_id: str, approve: bool, reason: str = ""
    ) -> None:
        """Approve a share (programme members can then find it) or decline it, with an
        optional reason; the author is notified either way."""
        self._sharing.decide_share(principal, document_id, approve, reason)

    # -- editing and deleting one's own -------------------------------------------------------

    def edit(self, principal: Principal, document_id: str, text: str, title: str) -> EditOutcome:
        """Replace one's own document's text and title (redacted again, re-indexed); the
        replaced text is kept as an earlier version."""
        return self._edits().edit(principal, document_id, text, title)

    def versions(self, principal: Principal, document_id: str) -> list[EarlierVersion]:
        """Earlier versions of one's own document, newest first, in one's own words."""
        return self._edits().versions(principal, document_id)

    def delete(self, principal: Principal, document_id: str) -> None:
        """Delete one's own document and its versions from the store and both indexes."""
        self._edits().delete(principal, document_id)

    def _edits(self) -> Editing:
        if self._editing is None:
            raise ReflectionError("editing is not set up here (no version store)")
        return self._editing
