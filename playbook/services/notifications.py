"""Notifications: what became of what a person wrote. A share approved, a share declined
(with the coordinator's reason), a reflection promoted into a playbook entry, feedback on an
entry built from it. The services where these things happen write them; Home shows them
with a count of the unread and "mark as read".

Every notification holds redacted text only: titles as stored (redacted), and a reason or a
comment redacted here before it is stored, so a note is safe wherever it is shown.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from playbook.models import DocumentInfo, Principal
from playbook.ports import Redactor
from playbook.ports.writing import Notification, Notifications

KINDS = ("approved", "declined", "promoted", "feedback")
MAX_NOTE_CHARS = 600  # a reason or comment quoted in a notification, after redaction


def _quoted(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_NOTE_CHARS else text[: MAX_NOTE_CHARS - 1] + "…"


class NotificationService:
    """Write notifications where things happen; read and mark them for their person."""

    def __init__(self, notifications: Notifications, redactor: Redactor) -> None:
        self._notes = notifications
        self._redactor = redactor

    # -- written by the moderation and curation services ---------------------------------

    def share_approved(self, info: DocumentInfo) -> None:
        """Tell the author their share was approved."""
        self._notes.add(
            info.owner_id,
            "approved",
            f"Your share of “{info.title}” was approved: your programme can find it now.",
            info.document_id,
        )

    def share_declined(self, info: DocumentInfo, reason: str = "") -> None:
        """Tell the author their share was declined, with the coordinator's reason (redacted
        here under the installation's rules)."""
        why = self._redacted(reason)
        text = f"Your share of “{info.title}” was declined; it stays private to you."
        if why:
            text += f" The coordinator's reason: {why}"
        self._notes.add(info.owner_id, "declined", text, info.document_id)

    def promoted(self, sources: Sequence[DocumentInfo], entry_id: str) -> None:
        """Tell each author whose writing a new playbook entry draws on (once each). The
        entry's title is left out: a draft is for its coordinators until it is published."""
        told: set[str] = set()
        for info in sources:
            if info.owner_id in told:
                continue
            told.add(info.owner_id)
            self._notes.add(
                info.owner_id,
                "promoted",
                f"“{info.title}” was promoted into a draft playbook entry; you can read it "
                "once a coordinator publishes it.",
                entry_id,
            )

    def entry_declined(self, user_id: str, entry_id: str, entry_title: str, reason: str) -> None:
        """Tell the coordinator who put an entry into review that a reviewer sent it back
        to draft, with the reason (redacted here)."""
        why = self._redacted(reason)
        text = f"Your entry “{entry_title}” was sent back to draft."
        if why:
            text += f" The reviewer's reason: {why}"
        self._notes.add(user_id, "entry declined", text, entry_id)

    def feedback(
        self, owner_ids: Iterable[str], entry_id: str, entry_title: str, verdict: str, comment: str
    ) -> None:
        """Tell the authors an entry draws on that a reader left feedback on it (the
        comment redacted here)."""
        said = self._redacted(comment)
        text = f"A reader left feedback on “{entry_title}”: {verdict}."
        if said:
            text += f" They wrote: {said}"
        for owner in dict.fromkeys(owner_ids):
            self._notes.add(owner, "feedback", text, entry_id)

    # -- read by their person -------------------------------------------------------------

    def inbox(self, principal: Principal, limit: int = 50) -> list[Notification]:
        """The person's notifications, newest first, read and unread."""
        return self._notes.for_user(principal.user_id, limit)

    def unread(self, principal: Principal) -> int:
        """How many of the person's notifications are unread."""
        return self._notes.unread_count(principal.user_id)

    def mark_read(
        self, principal: Principal, notification_ids: Iterable[str] | None = None
    ) -> None:
        """Mark the person's own notifications read (all of them when None)."""
        self._notes.mark_read(principal.user_id, notification_ids)

    def _redacted(self, text: str) -> str:
        text = text.strip()
        if not text:
            return ""
        [redaction] = self._redactor.redact_batch([text])
        return _quoted(redaction.text)
