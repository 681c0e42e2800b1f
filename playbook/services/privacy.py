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
from dataclasses import dataclass

from playbook.models import Principal, RedactionPolicy
from playbook.permissions import RULES, Action, NotAllowedError, Target, check, programmes
from playbook.ports import (
    Audit,
    Keys,
    PrivacyVault,
    RedactionEngine,
    SealedDocument,
    SealedValue,
    StoredTerm,
)
from playbook.pseudonyms import Finding, Roster, apply_findings, reidentify

MAX_TERM_CHARS = 100
MAX_PREVIEW_CHARS = 100_000


def keepable(term: str) -> bool:
    """True for a term "keep this word" may offer: words only, no e-mail address or number."""
    return bool(term.strip()) and "@" not in term and not any(ch.isdigit() for ch in term)


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
    """Use cases of the privacy engine over the vault, the redactor and the keys.

    The redactor is the redaction engine's port; wiring hands in one that loads the engine
    on first use (the engine itself is built from this service's roster). The service does
    all the crypto: the vault stores ciphertext and keyed hashes only.
    """

    def __init__(
        self,
        vault: PrivacyVault,
        keys: Keys,
        term_key: bytes,
        redactor: RedactionEngine,
        audit: Audit | None = None,
    ) -> None:
        self._vault = vault
        self._keys = keys
        self._term_key = term_key
        self._redactor = redactor
        self._audit = audit

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
        row = self._vault.add_term(
            user_id,
            kind,
            self._hash(kind, cleaned),
            self._keys.encrypt(cleaned),
            approved=user_id is None,  # the installation's own terms need no approval
        )
        return PrivacyTerm(row.id, row.user_id, row.kind, cleaned, row.approved)

    def terms(self, user_id: str | None) -> list[PrivacyTerm]:
        """A user's terms (or the installation's)."""
        return [self._term(r) for r in self._vault.terms(user_id)]

    def _term(self, row: StoredTerm) -> PrivacyTerm:
        return PrivacyTerm(
            row.id, row.user_id, row.kind, self._keys.decrypt(row.ciphertext), row.approved
        )

    def remove_term(self, user_id: str | None, term_id: str) -> None:
        """Take a term off a user's own list."""
        if not self._vault.remove_term(user_id, term_id):
            raise PrivacyError("no such term on this list")

    def policy(self, user_id: str | None, shared: bool) -> RedactionPolicy:
        """What redaction of this user's content adds and spares. A personal allow term spares
        private content at once, shared content only once a coordinator approved it."""
        deny: list[str] = []
        allow: list[str] = []
        for r in self._vault.policy_terms(user_id):
            term = self._keys.decrypt(r.ciphertext)
            if r.kind == "deny":
                deny.append(term)
            elif r.approved or not shared:
                allow.append(term)
        return RedactionPolicy(deny=tuple(deny), allow=tuple(allow))

    def pending_terms(self, reviewer: Principal) -> list[PrivacyTerm]:
        """Allow terms awaiting a decision from users this coordinator coordinates."""
        check(reviewer, Action.MODERATE)
        users = self._coordinated_users(reviewer)
        return [self._term(r) for r in self._vault.pending_terms(users)] if users else []

    def decide_term(self, reviewer: Principal, term_id: str, approve: bool) -> PrivacyTerm:
        """A coordinator approves an allow term for shared content, or declines it (it then
        stays on the author's list for their private content only)."""
        check(reviewer, Action.MODERATE)
        row = self._vault.term(term_id)
        if row is None or row.kind != "allow":
            raise PrivacyError("no such allow term")
        if row.user_id not in self._coordinated_users(reviewer):  # same rule, by author
            raise NotAllowedError(RULES[Action.MODERATE].refusal)
        decided = self._vault.decide_term(term_id, approve, reviewer.user_id)
        if decided is None:  # removed by its author a moment ago
            raise PrivacyError("no such allow term")
        return self._term(decided)

    def _coordinated_users(self, reviewer: Principal) -> set[str]:
        mine = programmes(reviewer, Action.MODERATE)
        return self._vault.members_of(mine) if mine else set()

    # -- preview ----------------------------------------------------------------------------

    def preview(self, user_id: str, text: str, shared: bool = False) -> Preview:
        """The redacted draft with its spans, under the author's own lists."""
        if len(text) > MAX_PREVIEW_CHARS:
            raise PrivacyError(
                f"the draft has {len(text):,} characters; the preview takes up to "
                f"{MAX_PREVIEW_CHARS:,}"
            )
        redactor = self._redactor
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
        in their private content now, and in shared content once a coordinator approves.
        E-mail addresses and numbers are never restored (see ``keep_candidates``)."""
        if not keepable(term):
            raise PrivacyError(
                "e-mail addresses, phone numbers, IDs and other numbers are always redacted; "
                "only a word taken for a name can be kept"
            )
        self.add_term(user_id, "allow", term)
        return self.preview(user_id, text, shared)

    @staticmethod
    def keep_candidates(preview: Preview, draft: str) -> tuple[PreviewSpan, ...]:
        """The spans of a preview that "keep this word" may offer: names the engine found
        (a false alarm is possible there), never e-mail addresses, phone numbers, cards,
        IBANs, IDs or anything holding a digit or an @, and never a term the author denied.

        Args:
            preview: what ``preview`` returned for the draft.
            draft: the draft text the preview was made from.

        Returns:
            The spans to offer, in the order of the draft, each value once.
        """
        seen: set[str] = set()
        out: list[PreviewSpan] = []
        for span in preview.spans:
            value = draft[span.start : span.end]
            if span.label != "PERSON" or span.source in {"deny", "roster"}:
                continue
            if not keepable(value) or value.casefold() in seen:
                continue
            seen.add(value.casefold())
            out.append(span)
        return tuple(out)

    # -- roster -----------------------------------------------------------------------------

    def set_roster(self, admin: Principal, csv_text: str) -> int:
        """Replace the people directory (admins only). A bad file changes nothing."""
        check(admin, Action.MANAGE_PRIVACY)
        roster = Roster.from_csv(csv_text)
        self._vault.save_roster(
            self._keys.encrypt(roster.to_csv()), len(roster.people), admin.user_id
        )
        self._redactor.set_roster(roster)
        return len(roster.people)

    def roster(self) -> Roster:
        """The stored roster (empty when none was uploaded)."""
        sealed = self._vault.roster()
        return Roster.from_csv(self._keys.decrypt(sealed)) if sealed is not None else Roster()

    # -- author-only views ------------------------------------------------------------------

    def _own(self, reader: Principal, document_id: str) -> SealedDocument:
        sealed = self._vault.sealed_document(document_id)
        if sealed is None:
            raise PrivacyError("no such document")
        check(
            reader,
            Action.VIEW_ORIGINAL,
            Target(programme_id=sealed.programme_id, owner_id=sealed.owner_id),
        )
        return sealed

    def original(self, reader: Principal, document_id: str) -> str:
        """The author's original text (authors only)."""
        sealed = self._own(reader, document_id)
        if sealed.original_ciphertext is None:
            raise PrivacyError("this document has no stored original")
        text = self._keys.decrypt(sealed.original_ciphertext)
        if self._audit is not None:
            self._audit.record(reader.username, "original viewed", document_id)
        return text

    def reidentify(self, reader: Principal, document_id: str, text: str) -> str:
        """Text from one of the author's own documents with its placeholders filled back in
        (authors only; placeholders the document does not hold stay as they are)."""
        sealed = self._own(reader, document_id)
        vault: dict[str, str] = (
            json.loads(self._keys.decrypt(sealed.vault_ciphertext))
            if sealed.vault_ciphertext
            else {}
        )
        if self._audit is not None:
            self._audit.record(reader.username, "original viewed", document_id, "re-identified")
        return reidentify(text, vault)

    # -- keys -------------------------------------------------------------------------------

    def rotate(self, batch: int = 500) -> RotationReport:
        """Re-encrypt every stored value with the newest key. Safe to run while the app is
        up: each value is replaced in place, only if unchanged, and stays readable throughout."""
        done = 0
        for values in self._vault.sealed_values(batch):
            changes: list[tuple[SealedValue, bytes]] = [
                (v, self._keys.rotate(v.token))
                for v in values
                if not self._keys.is_current(v.token)
            ]
            if changes:
                done += self._vault.replace_sealed(changes)
        return RotationReport(done, self.stale_values())

    def stale_values(self) -> int:
        """How many stored values an older key still protects."""
        return self._vault.count_sealed(lambda token: not self._keys.is_current(token))
