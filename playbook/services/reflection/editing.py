"""Editing and deleting one's own entries. An edit redacts the new text again and re-indexes
it; the text it replaces is kept as an earlier version (its redacted copy, and the author's
own words sealed with the installation's keys). A delete removes the document, its versions
and its chunks from the store and both indexes. Only the author may do either
(``playbook.permissions``: ``Action.EDIT``, ``Action.DELETE``), and both are audited.

An edit of an item that is shared, or waiting for a coordinator, takes it back to private
and asks for a decision on the new text: a coordinator approved the words they read, not
the ones that replace them.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from playbook.models import DocumentInfo, Principal, Visibility
from playbook.permissions import Action, Target, check
from playbook.ports import Audit, Documents, Keys
from playbook.ports.writing import DocumentVersions
from playbook.services.reflection.base import (
    AuthorViews,
    DocumentPipeline,
    ReflectionError,
    check_length,
)


@dataclass(frozen=True)
class EarlierVersion:
    """One earlier version of the author's document, in their own words."""

    number: int
    title: str
    text: str
    replaced_at: dt.datetime


@dataclass(frozen=True)
class EditOutcome:
    """What an edit did: ``changed`` is False when the text and title were the same;
    ``resubmitted`` when a shared or pending item went back to the coordinators."""

    changed: bool
    version: int | None = None
    resubmitted: bool = False


class Editing:
    """Edit and delete the author's own documents, keeping earlier versions."""

    def __init__(
        self,
        documents: Documents,
        pipeline: DocumentPipeline,
        privacy: AuthorViews,
        keys: Keys,
        versions: DocumentVersions,
        audit: Audit | None = None,
    ) -> None:
        self._documents = documents
        self._pipeline = pipeline
        self._privacy = privacy
        self._keys = keys
        self._versions = versions
        self._audit = audit

    def _own(self, principal: Principal, document_id: str, action: Action) -> DocumentInfo:
        info = self._documents.document(document_id)
        if info is None:
            raise ReflectionError("no such document: it may have been deleted")
        check(principal, action, Target.document(info))
        return info

    def _as_written(self, principal: Principal, info: DocumentInfo) -> tuple[str, str]:
        """The author's own title and text (the redacted ones for an old import that kept
        no original)."""
        try:
            text = self._privacy.original(principal, info.document_id)
            title = self._privacy.reidentify(principal, info.document_id, info.title)
        except ValueError:
            return info.title, info.redacted_text
        return title, text

    def edit(self, principal: Principal, document_id: str, text: str, title: str) -> EditOutcome:
        """Replace the text (and title) of one's own document.

        Args:
            principal: the author.
            document_id: the document.
            text: the new text (checked as a new entry is: not empty, not too long).
            title: the new title; empty keeps a title made from the text's start.

        Returns:
            What changed; the replaced text is kept as an earlier version.

        Raises:
            ReflectionError: the document is gone, or the text cannot be an entry
                (nothing is changed).
            NotAllowedError: it is not the caller's own document.
        """
        info = self._own(principal, document_id, Action.EDIT)
        check_length(text, "text")
        title = " ".join(title.split())[:200] or " ".join(text.split())[:120]
        old_title, old_text = self._as_written(principal, info)
        if text == old_text and title == old_title:
            return EditOutcome(changed=False)
        sealed = self._keys.encrypt(json.dumps({"title": old_title, "text": old_text}))
        number = self._versions.add(document_id, info.title, info.redacted_text, sealed)
        resubmit = info.visibility != Visibility.PRIVATE or info.share_status == "pending"
        if info.visibility != Visibility.PRIVATE:
            # Private first, so the new text is never readable by others before a decision.
            self._documents.set_visibility(document_id, Visibility.PRIVATE)
            self._pipeline.sync(only=[document_id])  # now, as a withdrawal does
            info = self._documents.document(document_id) or info
        self._pipeline.ingest([info.as_new(text, title)])
        if resubmit:
            self._documents.set_share_status(document_id, "pending")
        self._pipeline.scrub()  # the replaced redacted copy leaves nothing in the files
        self._record(principal, "document edited", document_id, f"version {number} kept")
        return EditOutcome(changed=True, version=number, resubmitted=resubmit)

    def versions(self, principal: Principal, document_id: str) -> list[EarlierVersion]:
        """Earlier versions of one's own document, newest first, in one's own words."""
        self._own(principal, document_id, Action.EDIT)
        out = []
        for v in self._versions.versions(document_id):
            if v.sealed is not None:
                words = json.loads(self._keys.decrypt(v.sealed))
                title, text = str(words["title"]), str(words["text"])
            else:
                title, text = v.title, v.redacted_text
            out.append(EarlierVersion(v.number, title, text, v.replaced_at))
        if out:
            self._record(principal, "original viewed", document_id, "earlier versions")
        return out

    def delete(self, principal: Principal, document_id: str) -> None:
        """Delete one's own document, with its earlier versions, from the store and both
        indexes.

        Raises:
            ReflectionError: there is no such document.
            NotAllowedError: it is not the caller's own document.
        """
        self._own(principal, document_id, Action.DELETE)
        self._versions.discard(document_id)
        self._pipeline.delete(document_id)
        self._record(principal, "document deleted", document_id)

    def _record(self, principal: Principal, action: str, subject: str, detail: str = "") -> None:
        if self._audit is not None:
            self._audit.record(principal.username, action, subject, detail)
