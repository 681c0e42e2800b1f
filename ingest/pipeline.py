"""redact → store → chunk → embed → index, idempotent, store first.

The store is written in one transaction per batch; the indexes follow. If the process dies in
between, the documents stay flagged (``indexed_hash`` behind ``index_hash``) and ``sync``
finishes the job on the next start or ``playbook reindex``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Protocol

from ingest.chunk import Chunker
from ingest.pipeline_embed import embed_chunks
from playbook.models import (
    DocumentInfo,
    NewDocument,
    PreparedDocument,
    Redaction,
    RedactionPolicy,
)
from playbook.ports import Embedder, KeywordIndex, Records, Redactor, VectorIndex
from playbook.source_ids import is_keyed, join_label, keyed_source_id, label_parts

log = logging.getLogger(__name__)


class Cipher(Protocol):
    """Encrypts an author's original text at rest."""

    def encrypt(self, text: str) -> bytes:
        """Encrypt text."""
        ...


@dataclass(frozen=True)
class IngestResult:
    """What happened to one document: created, updated or unchanged."""

    source_id: str
    document_id: str
    status: str


@dataclass(frozen=True)
class SyncReport:
    """What an index sync did."""

    indexed_documents: int = 0
    indexed_chunks: int = 0
    purged_documents: int = 0


def content_hash(doc: NewDocument) -> str:
    """Hash of everything the author supplied (text and fields), to skip identical re-imports."""
    payload = asdict(doc)
    payload["created_at"] = doc.created_at.isoformat() if doc.created_at else None
    payload["debrief"] = {
        k: str(v) if v is not None else None for k, v in asdict(doc.debrief).items()
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


# Free-text fields redacted per document, in this order (``field_privacy.FIELD_PRIVACY`` lists
# them; a test checks every REDACTED field of the models is here).
FIELDS = 8


def _fields(d: NewDocument) -> list[str]:
    deb = d.debrief
    label, _ = label_parts(d.source_label or "")
    return [
        d.text,
        d.title,
        "\n".join(d.tags),
        deb.anchor_project or "",
        deb.strategic_goal or "",
        deb.function or "",
        deb.market or "",
        label,
    ]


def _redacted(d: NewDocument) -> tuple[object, ...]:
    """Everything of a document that redaction decides (to tell whether re-redaction changed it)."""
    deb = d.debrief
    return (
        d.text,
        d.title,
        tuple(d.tags),
        deb.anchor_project,
        deb.strategic_goal,
        deb.function,
        deb.market,
        d.source_label or "",
    )


def redact_records(
    redactor: Redactor, records: Sequence[Sequence[str]], policy: RedactionPolicy | None = None
) -> list[list[Redaction]]:
    """Redact the fields of several records in one batch (one record: a document's title,
    body, tags..., or an entry's). A name found in one field of a record is a name in all of
    them: a tag "Mercer" or a competency "Pricing with Okafor" next to a body about "Tony
    Mercer" and "Dr. Okafor" is the same person, though the engine alone misses a lone
    surname in a short field. Fields that still hold such a name are redacted again with the
    record's names on the deny-list."""

    def batch(texts: list[str], p: RedactionPolicy | None) -> list[Redaction]:
        return redactor.redact_batch(texts, p) if p is not None else redactor.redact_batch(texts)

    flat = batch([t for fields in records for t in fields], policy)
    out: list[list[Redaction]] = []
    for fields in records:
        out.append(flat[: len(fields)])
        flat = flat[len(fields) :]
    again: dict[RedactionPolicy, list[tuple[int, int]]] = {}
    for n, parts in enumerate(out):
        names = {
            w
            for r in parts
            for token, value in r.originals.items()
            if token.startswith("[PERSON-")
            for w in {value, *value.split()}
            if len(w) >= 3 and w[:1].isupper()
        }
        if not names:
            continue
        pattern = re.compile(
            r"(?<!\w)(?:" + "|".join(re.escape(w) for w in names) + r")(?!\w)", re.IGNORECASE
        )
        base = policy or RedactionPolicy()
        extended = RedactionPolicy(deny=(*base.deny, *sorted(names)), allow=base.allow)
        for f, r in enumerate(parts):
            if pattern.search(r.text):
                again.setdefault(extended, []).append((n, f))
    for extended, places in again.items():
        texts = [records[n][f] for n, f in places]
        for (n, f), r in zip(places, redactor.redact_batch(texts, extended), strict=True):
            out[n][f] = r
    return out


class IngestPipeline:
    """Writes documents through redaction into the store, then brings the indexes up to date."""

    def __init__(
        self,
        records: Records,
        redactor: Redactor,
        chunker: Chunker,
        embedder: Embedder,
        vectors: VectorIndex,
        keywords: KeywordIndex,
        cipher: Cipher | None = None,
        policy_for: Callable[[NewDocument], RedactionPolicy | None] | None = None,
        source_key: bytes = b"",
    ) -> None:
        self.records = records
        self.redactor = redactor
        self.chunker = chunker
        self.embedder = embedder
        self.vectors = vectors
        self.keywords = keywords
        self.cipher = cipher
        # The author's deny and allow lists for this document (None: the engine alone).
        self.policy_for = policy_for
        # Keys the hash a source id is stored as (``playbook.source_ids``).
        self.source_key = source_key
        # Index writes go one at a time: a save indexed in the background and a share or
        # withdrawal of the same document each read the store and write the indexes, and
        # the one that read first must not write last (a withdrawn document would keep its
        # shared metadata). Re-entrant: a rebuild syncs inside it.
        self.index_lock = threading.RLock()

    def identify(self, doc: NewDocument) -> NewDocument:
        """The document with its source id as the keyed identity the store keeps, and the
        raw id (not yet redacted) as its label; ids the system made need no label."""
        aliases = tuple(self.identify_raw(a) for a in doc.aliases)
        if is_keyed(doc.source_id):
            return replace(doc, aliases=aliases)
        label = doc.source_label if doc.source_label is not None else doc.source_id
        return replace(
            doc, source_id=self.identify_raw(doc.source_id), source_label=label, aliases=aliases
        )

    def _adopt_aliases(self, docs: Sequence[NewDocument]) -> list[str]:
        """A document stored under one of a record's earlier ids (before identities held
        the full path) takes the record's identity, so it is updated, not duplicated."""
        wanted = [(d.owner_id, a) for d in docs for a in d.aliases if a != d.source_id]
        if not wanted:
            return []
        found = self.records.content_hashes(wanted)
        changes: list[tuple[str, str, str | None]] = []
        for d in docs:
            alias = next((a for a in d.aliases if (d.owner_id, a) in found), None)
            doc_id = self.records.document_id(d.owner_id, alias) if alias else None
            if doc_id:  # its label stays until the save below redacts the new one
                changes.append((doc_id, d.source_id, None))
        if changes:
            self.records.rekey_sources(changes)
        return [doc_id for doc_id, _, _ in changes]  # their index entries carry the old id

    def identify_raw(self, source_id: str) -> str:
        """The identity the store keeps for a source id as given."""
        return keyed_source_id(self.source_key, source_id)

    def document_id(self, owner_id: str, source_id: str) -> str | None:
        """The live document an owner imported under this source id (as given, or keyed)."""
        return self.records.document_id(owner_id, self.identify_raw(source_id))

    def ingest(self, docs: Sequence[NewDocument]) -> list[IngestResult]:
        """Store and index a batch. Identical re-imports do no redaction, embedding or writes."""
        results, to_index = self.store(docs)
        self.sync(only=to_index)
        return results

    def store(self, docs: Sequence[NewDocument]) -> tuple[list[IngestResult], list[str]]:
        """Redact, chunk and write a batch to the store (one transaction); index nothing yet.

        Returns the per-document results and the ids the indexes must now catch up with.
        """
        docs = [self.identify(d) for d in docs]
        hashes = [content_hash(d) for d in docs]
        current = self.records.content_hashes((d.owner_id, d.source_id) for d in docs)
        orphans = [d for d in docs if (d.owner_id, d.source_id) not in current and d.aliases]
        adopted = self._adopt_aliases(orphans) if orphans else []
        if adopted:
            current = self.records.content_hashes((d.owner_id, d.source_id) for d in docs)
        changed = [
            (d, h)
            for d, h in zip(docs, hashes, strict=True)
            if current.get((d.owner_id, d.source_id)) != h
        ]
        prepared = self.prepare(changed) if changed else []
        saved = self.records.save(prepared) if prepared else []
        by_key = {
            (p.doc.owner_id, p.doc.source_id): r for p, r in zip(prepared, saved, strict=True)
        }
        results: list[IngestResult] = []
        for d in docs:
            key = (d.owner_id, d.source_id)
            doc_id, status = by_key.get(key, ("", "unchanged"))
            results.append(IngestResult(d.source_id, doc_id, status))
        written = [doc_id for doc_id, status in saved if status != "unchanged"]
        return results, list(dict.fromkeys([*written, *adopted]))

    def prepare(self, docs: Sequence[tuple[NewDocument, str]]) -> list[PreparedDocument]:
        """Redact every free-text field, batched per redaction policy (the author's lists and
        the visibility), then chunk the redacted body."""
        groups: dict[RedactionPolicy | None, list[int]] = {}
        policies: dict[tuple[str, str], RedactionPolicy | None] = {}
        for n, (d, _) in enumerate(docs):
            key = (d.owner_id, d.visibility.value)
            if key not in policies:
                policies[key] = self.policy_for(d) if self.policy_for else None
            groups.setdefault(policies[key], []).append(n)
        red: list[Redaction | None] = [None] * (len(docs) * FIELDS)
        for policy, members in groups.items():
            out = redact_records(self.redactor, [_fields(docs[n][0]) for n in members], policy)
            for n, fields in zip(members, out, strict=True):
                red[n * FIELDS : (n + 1) * FIELDS] = fields
        prepared: list[PreparedDocument] = []
        for n, (d, h) in enumerate(docs):
            parts = [r for r in red[n * FIELDS : (n + 1) * FIELDS] if r is not None]
            body, title, tags, anchor, goal, function, market, label = (r.text for r in parts)
            vault: dict[str, str] = {}
            for r in parts:
                vault.update(r.originals)
            safe = replace(
                d,
                title=title,
                text=body,
                tags=tuple(t for t in tags.split("\n") if t) if d.tags else (),
                debrief=replace(
                    d.debrief,
                    anchor_project=anchor or None,
                    strategic_goal=goal or None,
                    function=function or None,
                    market=market or None,
                ),
                source_label=join_label(label, label_parts(d.source_label or "")[1])
                if d.source_label
                else "",
            )
            prepared.append(
                PreparedDocument(
                    doc=safe,
                    content_hash=h,
                    redacted_text=body,
                    chunks=tuple(self.chunker.split(body)),
                    original_ciphertext=self.cipher.encrypt(d.text) if self.cipher else None,
                    vault_ciphertext=(
                        self.cipher.encrypt(json.dumps(vault)) if self.cipher and vault else None
                    ),
                )
            )
        return prepared

    def sync(
        self,
        only: Sequence[str] | None = None,
        progress: Callable[[int], None] | None = None,
        batch_documents: int = 256,
        embedded: Callable[[int, int], None] | None = None,
    ) -> SyncReport:
        """Bring both indexes up to date with the store: index stale documents, purge deleted ones.

        ``only`` limits the work to these documents (the ones just written); otherwise every
        stale document and tombstone is handled. ``progress`` gets the documents indexed per
        batch; ``embedded`` gets (texts embedded, texts to embed) within a batch.
        """
        indexed_docs = indexed_chunks = purged = 0
        if only is not None:
            for i in range(0, len(only), batch_documents):
                d, c = self._index(only[i : i + batch_documents], embedded)
                indexed_docs, indexed_chunks = indexed_docs + d, indexed_chunks + c
                if progress:
                    progress(d)
            return SyncReport(indexed_docs, indexed_chunks, 0)
        while True:
            with self.index_lock:
                stale, gone = self.records.stale_documents(limit=batch_documents)
                if not stale and not gone:
                    break
                if gone:
                    self.vectors.delete_documents(gone)
                    self.keywords.delete_documents(gone)
                    self.records.purge(gone)
                    purged += len(gone)
            if stale:
                d, c = self._index(stale, embedded)
                indexed_docs, indexed_chunks = indexed_docs + d, indexed_chunks + c
                if progress:
                    progress(d)
        return SyncReport(indexed_docs, indexed_chunks, purged)

    def _index(
        self, document_ids: Sequence[str], embedded: Callable[[int, int], None] | None = None
    ) -> tuple[int, int]:
        with self.index_lock:
            # Read before writing: an index rebuilt meanwhile (another process's reindex, or
            # a heal) may have dropped what is written here, so then nothing is marked indexed.
            generation = self.records.index_generation()
            chunks, hashes = self.records.chunk_records(document_ids)
            vectors, sentence_vectors = embed_chunks(
                self.embedder, [c.text for c in chunks], embedded
            )
            # Delete first: a changed document may now have fewer chunks than before.
            self.vectors.delete_documents(list(hashes))
            self.keywords.delete_documents(list(hashes))
            if chunks:
                self.vectors.upsert(chunks, vectors, sentence_vectors)
                self.keywords.upsert(chunks)
            self.records.mark_indexed(hashes, generation)
            return len(hashes), len(chunks)

    def reredact(
        self,
        decrypt: Callable[[bytes], str],
        progress: Callable[[int], None] | None = None,
        batch_documents: int = 128,
        only: Sequence[str] | None = None,
    ) -> int:
        """Redact every stored document again from its encrypted original with today's engine,
        roster and lists (after a roster upload, say). Bodies come from the originals; titles,
        tags, debrief fields and source labels, stored redacted, are redacted once more.
        Documents whose text changes are re-chunked and re-indexed; returns how many changed."""
        changed = 0
        after: str | None = None
        while True:
            page = self.records.document_page(after, batch_documents, only)
            if not page:
                break
            after = page[-1][0].document_id
            todo: list[tuple[NewDocument, str]] = []
            infos: list[DocumentInfo] = []
            old_vaults: list[dict[str, str]] = []
            for info, content_hash, original, vault in page:
                if original is None:
                    continue
                todo.append((info.as_new(decrypt(original)), content_hash))
                infos.append(info)
                old_vaults.append(json.loads(decrypt(vault)) if vault else {})
            prepared = self.prepare(todo) if todo else []
            keep: list[PreparedDocument] = []
            for p, info, old in zip(prepared, infos, old_vaults, strict=True):
                if _redacted(p.doc) == _redacted(info.as_new(info.redacted_text)):
                    continue
                new = json.loads(decrypt(p.vault_ciphertext)) if p.vault_ciphertext else {}
                merged = {**old, **new}
                sealed = self.cipher.encrypt(json.dumps(merged)) if self.cipher and merged else None
                keep.append(replace(p, vault_ciphertext=sealed))
            if keep:
                saved = self.records.save(keep, force=True)
                self.sync(only=[doc_id for doc_id, _ in saved])
                changed += len(keep)
            if progress:
                progress(len(page))
        if changed:
            self.scrub()
        return changed

    def upgrade_source_ids(self, batch: int = 256) -> int:
        """Source ids an earlier version stored in the clear become keyed identities with
        redacted labels, once (one indexed query when there are none). Returns how many."""
        done = 0
        while rows := self.records.clear_source_ids(batch):
            parts = [label_parts(sid) for _, sid in rows]
            red = self.redactor.redact_batch([words for words, _ in parts])
            self.records.rekey_sources(
                [
                    (doc_id, self.identify_raw(sid), join_label(r.text, suffix))
                    for (doc_id, sid), r, (_, suffix) in zip(rows, red, parts, strict=True)
                ]
            )
            done += len(rows)
        return done

    def refresh(self, document_ids: Sequence[str]) -> SyncReport:
        """Index these documents again (what the indexes hold about them changed outside
        their text, e.g. an entry's review date)."""
        self.records.mark_unindexed(document_ids)
        return self.sync(only=list(document_ids))

    def delete(self, document_id: str) -> None:
        """Delete a document from the store and both indexes."""
        self.records.delete(document_id)
        self.sync()
        self.scrub()

    def scrub(self) -> None:
        """Leave no bytes of deleted or superseded text in the store's and indexes' files
        (after re-redaction, a delete or a withdrawal; the indexes first, the store last)."""
        self.keywords.scrub()
        self.vectors.scrub()
        self.records.scrub()

    def reindex(self, progress: Callable[[int], None] | None = None) -> SyncReport:
        """Drop both indexes and rebuild them from the store. Index files that cannot be
        reset (or opened) are moved aside first and deleted once the rebuild succeeded."""
        self.vectors.reset()
        self.keywords.reset()
        self.records.mark_all_unindexed()
        report = self.sync(progress=progress)
        for index in (self.vectors, self.keywords):
            discard = getattr(index, "discard_quarantined", None)
            if discard is not None:
                discard()
        return report
