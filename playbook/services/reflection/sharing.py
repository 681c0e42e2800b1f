"""Sharing through a coordinator's moderation queue: the author asks, a coordinator of the
programme approves or declines, and the author can withdraw at any time. Every step is
audited; a change of visibility redacts the document again under the policy it now falls
under, and a withdrawal leaves nothing of the shared copy in the files."""

from __future__ import annotations

from typing import Protocol

from playbook.models import DocumentInfo, Principal, Visibility
from playbook.permissions import Action, Target, check, programmes
from playbook.ports import Audit, Documents, Keys
from playbook.services.reflection.base import DocumentPipeline, ReflectionError

MAX_REASON_CHARS = 500


class ShareNotices(Protocol):
    """Where the author learns the decision (``NotificationService``)."""

    def share_approved(self, info: DocumentInfo) -> None:
        """Tell the author their share was approved."""
        ...

    def share_declined(self, info: DocumentInfo, reason: str = "") -> None:
        """Tell the author their share was declined, with the reason."""
        ...


class Sharing:
    """Share requests, their moderation, and withdrawal."""

    def __init__(
        self,
        documents: Documents,
        pipeline: DocumentPipeline,
        keys: Keys,
        audit: Audit | None = None,
        notices: ShareNotices | None = None,
    ) -> None:
        self._documents = documents
        self._pipeline = pipeline
        self._keys = keys
        self._audit = audit
        self._notices = notices

    def _own(self, principal: Principal, document_id: str) -> DocumentInfo:
        info = self._documents.document(document_id)
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
        self._documents.set_share_status(document_id, "pending")
        self._record(principal, "share requested", document_id)

    def withdraw(self, principal: Principal, document_id: str) -> None:
        """Make a shared (or pending) item private again: nobody else finds it anywhere."""
        info = self._own(principal, document_id)
        self._documents.set_share_status(document_id, None)
        if info.visibility != Visibility.PRIVATE:
            self._documents.set_visibility(document_id, Visibility.PRIVATE)
            self._apply(document_id)
            self._pipeline.scrub()  # the shared copies leave nothing in the files
        self._record(principal, "share withdrawn", document_id)

    def moderation_queue(self, principal: Principal) -> list[DocumentInfo]:
        """Share requests awaiting this coordinator (redacted text only)."""
        check(principal, Action.MODERATE)
        return self._documents.pending_shares(set(programmes(principal, Action.MODERATE)))

    def decide_share(
        self, principal: Principal, document_id: str, approve: bool, reason: str = ""
    ) -> None:
        """Approve a share (programme members can then find it) or decline it (it stays
        private); the author is notified, of a decline with ``reason`` (optional, redacted
        before it is stored)."""
        info = self._documents.document(document_id)
        if info is None or info.share_status != "pending":
            raise ReflectionError("this item is not awaiting a decision")
        check(principal, Action.MODERATE, Target.programme(info.programme_id))
        if len(reason) > MAX_REASON_CHARS:
            raise ReflectionError(f"keep the reason under {MAX_REASON_CHARS} characters", "reason")
        if not approve:
            self._documents.set_share_status(document_id, "declined")
            self._record(principal, "share declined", document_id)
            if self._notices is not None:
                self._notices.share_declined(info, reason)
            return
        self._documents.set_visibility(document_id, Visibility.SHARED)
        self._documents.set_share_status(document_id, "approved")
        self._apply(document_id)
        self._record(principal, "share approved", document_id)
        if self._notices is not None:
            self._notices.share_approved(self._documents.document(document_id) or info)

    def _record(self, principal: Principal, action: str, document_id: str) -> None:
        if self._audit is not None:
            self._audit.record(principal.username, action, document_id)

    def _apply(self, document_id: str) -> None:
        """Redact again under the new visibility's policy (only approved allow terms apply to
        shared content), then bring the indexes up to date."""
        self._pipeline.reredact(self._keys.decrypt, only=[document_id])
        self._pipeline.sync(only=[document_id])
