"""VectorIndex port over Chroma, embedded (PersistentClient) or a server (HttpClient).

Given the store's chunk lookup (``chunks``), Chroma holds no text at all: only vectors, ids,
permission keys and hashed facets. Chroma keeps what it deletes in its own files (the write
log, free pages of ``chroma.sqlite3``, HNSW segment folders) beyond our reach, and a
server's disk is beyond it entirely; text that is never sent cannot be left behind there.
Hits take their text and metadata from the store, which is the truth anyway.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from chromadb.errors import NotFoundError

from ingest import chroma_layout as layout
from ingest.chroma_client import compact_files, files_id, make_client, release
from ingest.chroma_collections import CollectionHandles
from ingest.chroma_layout import (
    LAYOUT,
    MAX_TAG_KEYS,
    Where,
    check_base_name,
    facet,
    narrowing_where,
    partition_keys,
)
from ingest.chroma_sentences import FORMAT as SENTENCE_FORMAT
from ingest.chroma_sentences import SentenceVectors
from ingest.index_health import from_store
from playbook.models import ChunkRecord, IndexHit, Visibility
from playbook.ports import ChunkVectors, Scope

# Client creation and the layout's helpers moved to their own modules; code imports them
# from here as before.
__all__ = [
    "LAYOUT",
    "MAX_TAG_KEYS",
    "ChromaVectorIndex",
    "ChunkLookup",
    "Where",
    "facet",
    "make_client",
    "narrowing_where",
    "partition_keys",
    "release",
]

ChunkLookup = Callable[[Sequence[str]], Mapping[str, ChunkRecord]]
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="chroma-query")


class ChromaVectorIndex:
    """Chunks as Chroma records, laid out so that the permission scope picks collections.

    Chroma's metadata ``where`` filter costs time in proportion to the collection it scans
    (about 0.7 ms per thousand chunks on this machine, 75 ms for an owner filter over 100k,
    against 4 ms for an unfiltered query), and each collection costs about 2.5 MB of memory,
    so neither one collection nor one per user scales. Instead:

    * every chunk sits in its owner's **bucket** (one of ``owner_buckets`` collections, by a
      hash of the owner id), queried with ``owner_id`` in the ``where`` clause: a small scan;
    * shared and published chunks also sit in their **programme's** collection, which holds
      nothing else and is queried without a permission filter.

    A reader's query goes to their bucket (their own chunks only) and to their programmes'
    collections, and to no other, so a chunk outside the scope is never searched. Their own
    narrowing (kind, function, market) is part of the ``where`` of each of those queries. A
    small directory collection records which collections hold each document, so deletes
    touch only those.

    With ``chunks`` (the store's lookup by chunk id) records hold no text, title, tags or
    source: hits are filled in from the store. Without it (benchmarks, self-contained use)
    Chroma keeps each chunk's text and metadata itself.

    With ``sentences`` (``ingest.chroma_sentences``) each chunk's vector and its sentences'
    vectors are also kept by chunk id, for ``vectors``: ranking and answers then embed only
    the query. An index built without them (or with another format) is dropped on open and
    rebuilt from the store (``legacy_dropped``).
    """

    def __init__(
        self,
        client: Any,
        collection: str = "playbook_chunks",
        owner_buckets: int = 32,
        chunks: ChunkLookup | None = None,
        sentences: SentenceVectors | None = None,
    ) -> None:
        check_base_name(collection)
        if not 1 <= owner_buckets <= 4096:
            raise ValueError(f"owner_buckets should be 1 to 4096, not {owner_buckets}")
        self._client = client
        self._base = collection
        self._buckets = owner_buckets
        self._chunks = chunks
        self._sentences = sentences
        self._texts = "store" if chunks is not None else "chroma"
        # What every collection records; another value on open means another layout.
        self._meta: dict[str, Any] = {
            "owner_buckets": owner_buckets,
            "layout": LAYOUT,
            "texts": self._texts,
            "sentences": SENTENCE_FORMAT if sentences is not None else "none",
        }
        self._collections = CollectionHandles(client, collection, self._meta)
        self._max_batch = int(client.get_max_batch_size())
        self._files = files_id(client)
        self.legacy_dropped = self._drop_legacy() or self._sentences_missing()

    # -- collections ---------------------------------------------------------------------

    def owner_collection(self, owner_id: str) -> str:
        """Name of the bucket collection holding every chunk ``owner_id`` wrote."""
        return layout.owner_collection(self._base, self._buckets, owner_id)

    def programme_collection(self, programme_id: str) -> str:
        """Name of the collection holding a programme's shared and published chunks."""
        return layout.programme_collection(self._base, programme_id)

    def _directory_name(self) -> str:
        return layout.directory_collection(self._base)

    def _sentences_missing(self) -> bool:
        """True (after a reset) when chunks are held but the sentence file lost its rows (a
        new, replaced or outdated file): the index must be rebuilt to fill it again."""
        if self._sentences is None or self._sentences.count() or not self.count():
            return False
        self.reset()
        return True

    def _drop_legacy(self) -> bool:
        """Drop a layout this index cannot read: the single collection of earlier versions,
        buckets made with another ``owner_buckets``, or records of another layout (texts
        kept in Chroma, facets in the clear). True when it did (the store must then be
        indexed again); the dropped records' text is then wiped from an embedded Chroma's
        files."""
        try:
            self._client.get_collection(name=self._base, embedding_function=None)
        except NotFoundError:
            directory = self._collections.get(self._directory_name())
            meta = (directory.metadata or {}) if directory is not None else {}
            if directory is None or all(meta.get(k) == v for k, v in self._meta.items()):
                return False
            self.reset()
            return True
        self._client.delete_collection(self._base)
        self.reset()
        return True

    # -- writes --------------------------------------------------------------------------

    def upsert(
        self,
        chunks: Sequence[ChunkRecord],
        embeddings: Sequence[Sequence[float]],
        sentences: Sequence[ChunkVectors] | None = None,
    ) -> None:
        """Insert or replace chunks, each in the collections of those who may read it, and
        their sentence vectors when given (and this index keeps them)."""
        if self._sentences is not None:
            # Before Chroma: a chunk a query can find then has its sentences (or, upserted
            # without, none left over from an earlier text).
            ids = [c.chunk_id for c in chunks]
            if sentences is None:
                self._sentences.discard(ids)
            else:
                self._sentences.upsert(ids, [c.document_id for c in chunks], sentences)
        groups: dict[str, list[tuple[int, str]]] = {}
        places: dict[str, set[str]] = {}
        for i, c in enumerate(chunks):
            targets = [(self.owner_collection(c.owner_id), c.owner_id)]
            if c.visibility is not Visibility.PRIVATE:
                targets.append((self.programme_collection(c.programme_id), c.programme_id))
            for name, partition in targets:
                groups.setdefault(name, []).append((i, partition))
            places.setdefault(c.document_id, set()).update(name for name, _ in targets)
        # The directory first: a crash after it leaves chunks it can still find and delete.
        self._record(places)
        step = max(1, min(self._max_batch, 1000))
        # Owners' collections first: every chunk there is what a delete looks up.
        for name, idx in sorted(groups.items(), key=lambda g: not self._is_owner(g[0])):
            handle = self._collections.create(name)
            for s in range(0, len(idx), step):
                part = idx[s : s + step]
                lean = self._chunks is not None
                metadatas = [
                    partition_keys(chunks[i].metadata(), p, chunks[i].tags, lean) for i, p in part
                ]
                handle.upsert(
                    ids=[chunks[i].chunk_id for i, _ in part],
                    embeddings=[list(embeddings[i]) for i, _ in part],
                    documents=None if lean else [chunks[i].text for i, _ in part],
                    metadatas=metadatas,
                )

    def _record(self, places: dict[str, set[str]]) -> None:
        directory = self._collections.create(self._directory_name())
        ids = list(places)
        known = self._places(ids)
        rows = {d: sorted(places[d] | known.get(d, set())) for d in ids}
        step = max(1, min(self._max_batch, 1000))
        for s in range(0, len(ids), step):
            part = ids[s : s + step]
            directory.upsert(
                ids=part,
                embeddings=[[1.0] for _ in part],
                metadatas=[{"collections": "|".join(rows[d])} for d in part],
            )

    def _places(self, document_ids: Sequence[str]) -> dict[str, set[str]]:
        directory = self._collections.get(self._directory_name())
        if directory is None or not document_ids:
            return {}
        out: dict[str, set[str]] = {}
        for s in range(0, len(document_ids), 1000):
            res = directory.get(ids=list(document_ids[s : s + 1000]), include=["metadatas"])
            for doc_id, meta in zip(res["ids"], res["metadatas"] or [], strict=True):
                names = str((meta or {}).get("collections", ""))
                out[doc_id] = {n for n in names.split("|") if n}
        return out

    def delete_documents(self, document_ids: Sequence[str]) -> None:
        """Remove every chunk of these documents, from each collection that holds them."""
        if self._sentences is not None:
            self._sentences.delete_documents(document_ids)
        places = self._places(document_ids)
        owners: dict[str, list[str]] = {}
        for doc_id, names in places.items():
            for name in names:
                if self._is_owner(name):
                    owners.setdefault(name, []).append(doc_id)
        for owner_name, docs in owners.items():
            handle = self._collections.get(owner_name)
            if handle is None:
                continue
            # The owner's collection is small and holds every chunk of its documents, so the
            # filter is cheap there; the other collections are then cleared by id.
            ids: list[str] = []
            for s in range(0, len(docs), 500):
                part = docs[s : s + 500]
                where: Where = (
                    {"document_id": part[0]} if len(part) == 1 else {"document_id": {"$in": part}}
                )
                ids.extend(handle.get(where=where, include=[])["ids"])
            if not ids:
                continue
            others = {n for d in docs for n in places[d]} - {owner_name}
            for name in [*sorted(others), owner_name]:
                target = self._collections.get(name)
                if target is not None:
                    for s in range(0, len(ids), 1000):
                        target.delete(ids=ids[s : s + 1000])
        directory = self._collections.get(self._directory_name())
        if directory is not None and places:
            directory.delete(ids=list(places))

    def _is_owner(self, name: str) -> bool:
        return layout.is_owner_collection(self._base, name)

    # -- reads ---------------------------------------------------------------------------

    def scope_collections(self, scope: Scope) -> list[str]:
        """The collections a scope's query may search: the reader's bucket, and unless they
        asked for their own writing only, their programmes'."""
        return [name for name, _ in self._scope_partitions(scope)]

    def _scope_partitions(self, scope: Scope) -> list[tuple[str, str]]:
        parts = [(self.owner_collection(scope.reader_id), scope.reader_id)]
        if not scope.only_mine:
            parts.extend((self.programme_collection(p), p) for p in sorted(scope.programme_ids))
        return parts

    def query(self, embedding: Sequence[float], k: int, scope: Scope) -> list[IndexHit]:
        """Nearest readable chunks: only the scope's collections are searched, and in the
        reader's bucket only their own chunks."""
        own: Where = {"owner_id": scope.reader_id}
        jobs: list[tuple[str, Where | None]] = []
        for name, partition in self._scope_partitions(scope):
            narrow = narrowing_where(scope, partition)
            if self._is_owner(name):
                jobs.append((name, {"$and": [own, narrow]} if narrow else own))
            else:
                jobs.append((name, narrow))
        # Each Chroma call costs a few ms of fixed work outside the GIL: run them side by side.
        results = _POOL.map(lambda job: self._query_one(job[0], embedding, k, job[1]), jobs)
        best: dict[str, IndexHit] = {}
        for hits in results:
            for hit in hits:
                # A shared chunk of the reader's sits in two of their collections.
                best.setdefault(hit.chunk_id, hit)
        ranked = sorted(best.values(), key=lambda h: (-h.score, h.chunk_id))[: max(1, k)]
        if self._chunks is None:
            return ranked
        # The store's text and its word on who may read: an index behind a withdrawal it
        # failed to apply hands nobody the withdrawn chunk.
        return from_store(ranked, self._chunks, scope)

    def _query_one(
        self, name: str, embedding: Sequence[float], k: int, where: Where | None
    ) -> list[IndexHit]:
        res = None
        for _ in range(2):
            handle = self._collections.get(name)
            if handle is None:
                return []
            try:
                res = handle.query(
                    query_embeddings=[list(embedding)],
                    n_results=max(1, k),
                    where=where,
                    include=(
                        ["distances"]
                        if self._chunks is not None
                        else ["documents", "metadatas", "distances"]
                    ),
                )
                break
            except NotFoundError:
                # Dropped by another process (a reset): look it up again.
                self._collections.forget(name)
        if res is None:
            return []
        ids = res["ids"][0]
        dists = (res.get("distances") or [[]])[0] or []
        docs = (res.get("documents") or [[]])[0] or [None] * len(ids)
        metas = (res.get("metadatas") or [[]])[0] or [None] * len(ids)
        return [
            IndexHit(chunk_id=i, score=1.0 - float(d), text=t or "", metadata=dict(m or {}))
            for i, t, m, d in zip(ids, docs, metas, dists, strict=True)
        ]

    def vectors(self, chunk_ids: Sequence[str]) -> dict[str, ChunkVectors]:
        """Chunk and sentence vectors by chunk id, from the sentence file (empty without
        one). For ids a scoped query returned: no permission is checked here."""
        return self._sentences.get(chunk_ids) if self._sentences is not None else {}

    def count(self) -> int:
        """Number of chunks held (each counted once, in its owner's bucket)."""
        total = 0
        for name in self._collections.names():
            if self._is_owner(name):
                handle = self._collections.get(name)
                total += int(handle.count()) if handle is not None else 0
        return total

    def dump(self) -> list[dict[str, Any]]:
        """Every record held, collection by collection, with its text and metadata (for
        audits and leak tests; reads everything, so not for a request path)."""
        out: list[dict[str, Any]] = []
        for name in sorted(self._collections.names()):
            handle = self._collections.get(name)
            if handle is None:
                continue
            got = handle.get(include=["documents", "metadatas"])
            for i, text, meta in zip(
                got["ids"], got["documents"] or [], got["metadatas"] or [], strict=True
            ):
                out.append({"collection": name, "id": i, "text": text, "metadata": meta})
        return out

    def token(self) -> str | None:
        """The token stamped at the last rebuild (``stamp``), or None: never stamped, or the
        collections are gone (a deleted folder, a fresh server)."""
        try:
            directory = self._client.get_collection(
                name=self._directory_name(), embedding_function=None
            )
        except NotFoundError:
            return None
        token = (directory.metadata or {}).get("token")
        return str(token) if token else None

    def stamp(self, token: str) -> None:
        """Record which rebuild this is, in the directory collection's metadata (read back by
        ``token`` with one lookup, no segment loaded)."""
        directory = self._collections.create(self._directory_name())
        directory.modify(metadata={**(directory.metadata or {}), **self._meta, "token": token})
        self._collections.forget(self._directory_name())

    def refresh(self) -> bool:
        """After a rebuild elsewhere: forget cached handles, and say whether that is enough
        (False when an embedded Chroma's database is no longer the file this client opened,
        e.g. it was moved aside and made anew: then the client must be made again)."""
        self._collections.clear()
        return self._files == files_id(self._client)

    def close(self) -> None:
        """Let go of the client: an embedded Chroma's files are closed, so the folder can be
        moved aside and opened afresh."""
        self._collections.clear()
        if self._sentences is not None:
            self._sentences.close()
        release(self._client)

    def reset(self) -> None:
        """Drop every collection of this index, and (embedded) wipe what they leave on disk."""
        for name in self._collections.names():
            # Absent already is fine: the goal is no collections.
            with contextlib.suppress(NotFoundError):
                self._client.delete_collection(name)
        self._collections.clear()
        if self._sentences is not None:
            self._sentences.reset()
        self.compact()

    def scrub(self) -> None:
        """Wipe superseded text from the index's files after deletes or re-redaction.

        Records hold no text when the store lends it (``chunks``), so there is nothing to
        wipe; otherwise an embedded Chroma's files are compacted (see ``compact``).
        """
        if self._sentences is not None:
            self._sentences.scrub()
        if self._chunks is None:
            self.compact()

    def compact(self) -> None:
        """Embedded Chroma only: rewrite ``chroma.sqlite3`` (VACUUM) so deleted records leave
        no bytes in free pages, and remove the HNSW folders of segments that no longer
        exist. A server's files are out of reach: there, nothing is done."""
        compact_files(self._client)
