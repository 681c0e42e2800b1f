"""Privacy use cases: redaction preview and correction, personal deny and allow lists with a
coordinator's approval for shared content, the roster, author-only re-identification, and
key rotation of everything encrypted at rest.

Who sees what: a document's author may see their original and re-identified text; nobody
else ever does (coordinators, other users, indexes, prompts, logs and shared exports only see
placeholders). Terms users mark may be names, so they are stored encrypted too.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from playbook.crypto import Keyring
from playbook.models import Principal, RedactionPolicy
from playbook.permissions import RULES, Action, NotAllowedError, Target, check, programmes
from playbook.pseudonyms import Finding, Roster, apply_findings, reidentify
from playbook.store.tables import (
    DocumentRow,
    DraftRow,
    MembershipRow,
    PrivacyTermRow,
    RosterRow,
    utcnow,
)

MAX_TERM_CHARS = 100
MAX_PREVIEW_CHARS = 100_000


class PrivacyError(ValueError):
    """A privacy request cannot be done; the message says why. Nothing was changed."""


@dataclass(frozen=True)
class PrivacyTerm:
    """A term on someone's deny or allow list (or the installation's, when user_id is None)."""

    id: str
    user_id: str | None
    kind: str
    term: str
    approved: bool


@dataclass(frozen=True)
class PreviewSpan:
    """A redacted piece of the draft: where it is in the draft and in the redacted text."""

    start: int
    end: int
    label: str
    placeholder: str
    source: str
    redacted_start: int
    redacted_end: int


@dataclass(frozen=True)
class Preview:
    """What saving this draft would store and share."""

    redacted: str
    spans: tuple[PreviewSpan, ...]


@dataclass(frozen=True)
class RotationReport:
    """Values re-encrypted with the newest key, and values still under an older key."""

    reencrypted: int
    remaining: int


class PrivacyService:
    """Use cases of the privacy engine over the store, the redactor and the keyring."""

    def __init__(
        self,
        engine: Engine,
        keyring: Callable[[], Keyring],
        term_key: bytes,
        redactor: Callable[[], Any],
        audit: Any | None = None,
    ) -> None:
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._audit = audit
        self._keyring = keyring
        self._term_key = term_key
        self._redactor = redactor
        self._lock = threading.Lock()

    @contextmanager
    def _session(self) -> Iterator[Session]:
        with self._sessions.begin() as s:
            yield s

    # -- terms ------------------------------------------------------------------------------

    def _hash(self, kind: str, term: str) -> str:
        return hmac.new(
            self._term_key, f"{kind}:{term.casefold()}".encode(), hashlib.sha256
        ).hexdigest()

    @staticmethod
    def clean_term(term: str) -> str:
        """A term as stored; a clear error for one that cannot be a name or a business term."""
        cleaned = " ".join(term.split())
        if not cleaned:
            raise PrivacyError("the term is empty")
        if len(cleaned) > MAX_TERM_CHARS:
            raise PrivacyError(f"a term has at most {MAX_TERM_CHARS} characters")
        if not any(ch.isalnum() for ch in cleaned):
            raise PrivacyError("a term needs at least one letter or digit")
        return cleaned

    def add_term(self, user_id: str | None, kind: str, term: str) -> PrivacyTerm:
        """Put a term on a user's (or, with user_id None, the installation's) list."""
        if kind not in {"deny", "allow"}:
            raise PrivacyError("a term is either 'deny' (always redact) or 'allow' (never)")
        cleaned = self.clean_term(term)
        digest = self._hash(kind, cleaned)
        with self._lock, self._session() as s:
            row = s.scalars(
                select(PrivacyTermRow).where(
                    PrivacyTermRow.user_id.is_(None)
                    if user_id is None
                    else PrivacyTermRow.user_id == user_id,
                    PrivacyTermRow.kind == kind,
                    PrivacyTermRow.term_hash == digest,
                )
            ).first()
            if row is None:
                row = PrivacyTermRow(
                    user_id=user_id,
                    kind=kind,
                    term_hash=digest,
                    term_ciphertext=self._keyring().encrypt(cleaned),
                    approved=user_id is None,  # the installation's own terms need no approval
                )
                s.add(row)
                s.flush()
            return PrivacyTerm(row.id, row.user_id, row.kind, cleaned, row.approved)

    def terms(self, user_id: str | None) -> list[PrivacyTerm]:
        """A user's terms (or the installation's)."""
        with self._session() as s:
            rows = s.scalars(
                select(PrivacyTermRow)
                .where(
                    PrivacyTermRow.user_id.is_(None)
                    if user_id is None
                    else PrivacyTermRow.user_id == user_id
                )
                .order_by(PrivacyTermRow.created_at)
            ).all()
            return [self._term(r) for r in rows]

    def _term(self, row: PrivacyTermRow) -> PrivacyTerm:
        return PrivacyTerm(
            row.id,
            row.user_id,
            row.kind,
            self._keyring().decrypt(row.term_ciphertext),
            row.approved,
        )

    def remove_term(self, user_id: str | None, term_id: str) -> None:
        """Take a term off a user's own list."""
        with self._session() as s:
            done = s.execute(
                delete(PrivacyTermRow).where(
                    PrivacyTermRow.id == term_id,
                    PrivacyTermRow.user_id.is_(None)
                    if user_id is None
                    else PrivacyTermRow.user_id == user_id,
                )
            )
            if not getattr(done, "rowcount", 0):
                raise PrivacyError("no such term on this list")

    def policy(self, user_id: str | None, shared: bool) -> RedactionPolicy:
        """What redaction of this user's content adds and spares. A personal allow term spares
        private content at once, shared content only once a coordinator approved it."""
        with self._session() as s:
            rows = s.scalars(
                select(PrivacyTermRow).where(
                    PrivacyTermRow.user_id.is_(None)
                    if user_id is None
                    else (PrivacyTermRow.user_id == user_id) | PrivacyTermRow.user_id.is_(None)
                )
            ).all()
            deny: list[str] = []
            allow: list[str] = []
            for r in rows:
                term = self._keyring().decrypt(r.term_ciphertext)
                if r.kind == "deny":
                    deny.append(term)
                elif r.approved or not shared:
                    allow.append(term)
        return RedactionPolicy(deny=tuple(deny), allow=tuple(allow))

    def pending_terms(self, reviewer: Principal) -> list[PrivacyTerm]:
        """Allow terms awaiting a decision from users this coordinator coordinates."""
        check(reviewer, Action.MODERATE)
        with self._session() as s:
            users = self._coordinated_users(s, reviewer)
            rows = s.scalars(
                select(PrivacyTermRow).where(
                    PrivacyTermRow.kind == "allow",
                    PrivacyTermRow.approved.is_(False),
                    PrivacyTermRow.decided_by.is_(None),
                    PrivacyTermRow.user_id.in_(users),
                )
            ).all()
            return [self._term(r) for r in rows]

    def decide_term(self, reviewer: Principal, term_id: str, approve: bool) -> PrivacyTerm:
        """A coordinator approves an allow term for shared content, or declines it (it then
        stays on the author's list for their private content only)."""
        check(reviewer, Action.MODERATE)
        with self._session() as s:
            row = s.get(PrivacyTermRow, term_id)
            if row is None or row.kind != "allow":
                raise PrivacyError("no such allow term")
            if row.user_id not in self._coordinated_users(s, reviewer):  # same rule, by author
                raise NotAllowedError(RULES[Action.MODERATE].refusal)
            row.approved = approve
            row.decided_by = reviewer.user_id
            return self._term(row)

    @staticmethod
    def _coordinated_users(s: Session, reviewer: Principal) -> set[str]:
        mine = programmes(reviewer, Action.MODERATE)
        if not mine:
            return set()
        return set(
            s.scalars(select(MembershipRow.user_id).where(MembershipRow.programme_id.in_(mine)))
        )

    # -- preview ----------------------------------------------------------------------------

    def preview(self, user_id: str, text: str, shared: bool = False) -> Preview:
        """The redacted draft with its spans, under the author's own lists."""
        if len(text) > MAX_PREVIEW_CHARS:
            raise PrivacyError(
                f"the draft has {len(text):,} characters; the preview takes up to "
                f"{MAX_PREVIEW_CHARS:,}"
            )
        redactor = self._redactor()
        findings: list[Finding] = redactor.analyze_batch([text], self.policy(user_id, shared))[0]
        red = apply_findings(redactor.pseudonymizer, text, findings)
        spans = tuple(
            PreviewSpan(
                e.source_start,
                e.source_end,
                e.type,
                red.text[e.start : e.end],
                f.source,
                e.start,
                e.end,
            )
            for e, f in zip(red.entities, findings, strict=True)
        )
        return Preview(red.text, spans)

    def mark_missed(self, user_id: str, term: str, text: str, shared: bool = False) -> Preview:
        """The author marks a name the engine missed: it joins their deny-list at once."""
        self.add_term(user_id, "deny", term)
        return self.preview(user_id, text, shared)

    def restore(self, user_id: str, term: str, text: str, shared: bool = False) -> Preview:
        """The author restores a business term the engine took for personal data. It is spared
        in their private content now, and in shared content once a coordinator approves."""
        self.add_term(user_id, "allow", term)
        return self.preview(user_id, text, shared)

    # -- roster -----------------------------------------------------------------------------

    def set_roster(self, admin: Principal, csv_text: str) -> int:
        """Replace the people directory (admins only). A bad file changes nothing."""
        check(admin, Action.MANAGE_PRIVACY)
        roster = Roster.from_csv(csv_text)
        with self._session() as s:
            row = s.get(RosterRow, 1) or RosterRow(id=1)
            row.ciphertext = self._keyring().encrypt(roster.to_csv())
            row.people = len(roster.people)
            row.updated_by = admin.user_id
            row.updated_at = utcnow()
            s.add(row)
        self._redactor().set_roster(roster)
        return len(roster.people)

    def roster(self) -> Roster:
        """The stored roster (empty when none was uploaded)."""
        with self._session() as s:
            row = s.get(RosterRow, 1)
            return Roster.from_csv(self._keyring().decrypt(row.ciphertext)) if row else Roster()

    # -- author-only views ------------------------------------------------------------------

    def _own_row(self, s: Session, reader: Principal, document_id: str) -> DocumentRow:
        row = s.get(DocumentRow, document_id)
        if row is None or row.deleted_at is not None:
            raise PrivacyError("no such document")
        check(
            reader,
            Action.VIEW_ORIGINAL,
            Target(programme_id=row.programme_id, owner_id=row.owner_id),
        )
        return row

    def original(self, reader: Principal, document_id: str) -> str:
        """The author's original text (authors only)."""
        with self._session() as s:
            row = self._own_row(s, reader, document_id)
            if row.original_ciphertext is None:
                raise PrivacyError("this document has no stored original")
            text = self._keyring().decrypt(row.original_ciphertext)
        if self._audit is not None:
            self._audit.record(reader.username, "original viewed", document_id)
        return text

    def reidentify(self, reader: Principal, document_id: str, text: str) -> str:
        """Text from one of the author's own documents with its placeholders filled back in
        (authors only; placeholders the document does not hold stay as they are)."""
        with self._session() as s:
            row = self._own_row(s, reader, document_id)
            vault: dict[str, str] = (
                json.loads(self._keyring().decrypt(row.vault_ciphertext))
                if row.vault_ciphertext
                else {}
            )
        if self._audit is not None:
            self._audit.record(reader.username, "original viewed", document_id, "re-identified")
        return reidentify(text, vault)

    # -- keys -------------------------------------------------------------------------------

    def rotate(self, batch: int = 500) -> RotationReport:
        """Re-encrypt every stored value with the newest key. Safe to run while the app is
        up: each row is re-encrypted in place and stays readable throughout."""
        keyring = self._keyring()
        done = 0
        for table, column in _ENCRYPTED:
            last: Any = None
            while True:
                with self._session() as s:
                    key_col = table.id
                    query = select(key_col, column).where(column.is_not(None))
                    if last is not None:
                        query = query.where(key_col > last)
                    rows = s.execute(query.order_by(key_col).limit(batch)).all()
                    if not rows:
                        break
                    for key, token in rows:
                        if not keyring.is_current(token):
                            s.execute(
                                update(table)
                                .where(key_col == key, column == token)
                                .values({column.key: keyring.rotate(token)})
                            )
                            done += 1
                    last = rows[-1][0]
        return RotationReport(done, self.stale_values())

    def stale_values(self) -> int:
        """How many stored values an older key still protects."""
        keyring = self._keyring()
        stale = 0
        with self._session() as s:
            for _, column in _ENCRYPTED:
                for (token,) in s.execute(select(column).where(column.is_not(None))):
                    if not keyring.is_current(token):
                        stale += 1
        return stale


_ENCRYPTED: tuple[tuple[Any, Any], ...] = (
    (DocumentRow, DocumentRow.original_ciphertext),
    (DocumentRow, DocumentRow.vault_ciphertext),
    (PrivacyTermRow, PrivacyTermRow.term_ciphertext),
    (RosterRow, RosterRow.ciphertext),
    (DraftRow, DraftRow.data_ciphertext),
)
