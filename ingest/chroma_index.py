"""VectorIndex port over Chroma, embedded (PersistentClient) or a server (HttpClient).

Given the store's chunk lookup (``chunks``), Chroma holds no text at all: only vectors, ids,
permission keys and hashed facets. Chroma keeps what it deletes in its own files (the write
log, free pages of ``chroma.sqlite3``, HNSW segment folders) beyond our reach, and a
server's disk is beyond it entirely; text that is never sent cannot be left behind there.
Hits take their text and metadata from the store, which is the truth anyway.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import re
import shutil
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from chromadb.errors import NotFoundError

from ingest.index_health import from_store
from playbook.models import ChunkRecord, IndexHit, Visibility
from playbook.ports import Scope
from playbook.private_files import DIR_MODE, tighten

Where = dict[str, Any]
ChunkLookup = Callable[[Sequence[str]], Mapping[str, ChunkRecord]]
log = logging.getLogger(__name__)
# Bumped when what a record holds changes; an index of another layout is rebuilt.
LAYOUT = 2
_UUID_DIR = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
# What a record keeps when its text and descriptive metadata live in the store.
_LEAN_KEYS = (
    "document_id",
    "ordinal",
    "owner_id",
    "visibility",
    "programme_id",
    "kind",
    "created_ts",
    "entry_status",
)
_POOL = ThreadPoolExecutor(max_workers=4, thread_name_prefix="chroma-query")
_BASE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,399}")
_PLAIN_ID = re.compile(r"[A-Za-z0-9]{1,64}")
# Tags a record carries as filter keys, at most. Chroma writes each key as rows of its
# metadata segment; a record with some 11,000 of them made its compaction fail for the whole
# collection ("Failed to apply logs to the metadata segment"), and every search with it.
# Imports and entries allow far fewer (``max_tags``); tags past this one are not filterable
# on the dense side (the keyword index still matches them).
MAX_TAG_KEYS = 64


def make_client(path: Path | None = None, url: str | None = None) -> Any:
    """An embedded client on ``path``, or an HTTP client for ``url``; telemetry off either way."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if url:
        from urllib.parse import urlparse

        parsed = urlparse(url)
        if parsed.scheme not in {"http", "https"} or not parsed.hostname:
            raise ValueError(f"Chroma URL {url!r} should look like http://host:port")
        try:
            return chromadb.HttpClient(
                host=parsed.hostname,
                port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                ssl=parsed.scheme == "https",
                settings=settings,
            )
        except ValueError as exc:  # "Could not connect to a Chroma server..."
            if "connect" not in str(exc).lower():
                raise
            raise ValueError(
                f"the Chroma server at {url} cannot be reached; start it (`chroma run --path "
                "DIR --host 127.0.0.1 --port N`) or unset PLAYBOOK_CHROMA_URL to use the "
                "embedded index. What is stored is kept"
            ) from None
    if path is None:
        raise ValueError("give Chroma either a path or a URL")
    # Chroma creates its files itself: only the process's umask keeps new ones owner-only;
    # what an earlier version left readable is tightened here.
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    tighten(path)
    for attempt in range(3):
        try:
            return _persistent_client(chromadb, path, settings)
        except Exception as exc:
            # Two processes opening a new Chroma directory at once race in its first
            # migration ("table collections already exists"): the loser opens it again.
            if attempt == 2 or "already exists" not in str(exc):
                raise
            time.sleep(0.2 + 0.3 * attempt)
    raise AssertionError("unreachable")


def _persistent_client(chromadb: Any, path: Path, settings: Any) -> Any:
    try:
        return chromadb.PersistentClient(path=str(path), settings=settings)
    except Exception as exc:
        # Chroma 1.5 caches a system for the path before starting it, and keeps it when
        # starting fails ("file is not a database"): every later client on the path would get
        # that broken system. Its clean-up then fails in turn ("no attribute 'bindings'"),
        # hiding the cause: forget the system and raise the cause.
        _forget_system(path)
        if isinstance(exc, AttributeError) and exc.__context__ is not None:
            raise exc.__context__ from None
        raise


def _forget_system(path: Path) -> None:
    from chromadb.api.shared_system_client import SharedSystemClient

    for identifier in (str(path), str(path.resolve())):
        SharedSystemClient._identifier_to_system.pop(identifier, None)
        SharedSystemClient._identifier_to_refcount.pop(identifier, None)


def narrowing_where(scope: Scope, partition: str) -> Where | None:
    """Chroma ``where`` clause for a reader's own narrowing, inside one collection.

    Permission is not here: it is which collections are searched (see ``ChromaVectorIndex``).
    Kind, function and market are matched on keys prefixed with the collection's partition
    (``partition_keys``): Chroma evaluates a clause over every record in the database that
    has the key and value, so "kind is debrief" would touch a fifth of everything, while
    "kind in this programme is debrief" touches only that programme's debriefs.
    """
    narrow: list[Where] = []
    if scope.kinds:
        values = [f"{partition}/{k.value}" for k in scope.kinds]
        narrow.append({"p_kind": values[0]} if len(values) == 1 else {"p_kind": {"$in": values}})
    if scope.function:
        narrow.append({"p_function": f"{partition}/{facet(scope.function)}"})
    if scope.market:
        narrow.append({"p_market": f"{partition}/{facet(scope.market)}"})
    narrow.extend({f"t_{facet(t)}": True} for t in scope.tags)
    if scope.entry_statuses:
        states = [f"{partition}/{s.value}" for s in scope.entry_statuses]
        narrow.append(
            {"p_status": states[0]} if len(states) == 1 else {"p_status": {"$in": states}}
        )
    if scope.since_ts is not None:
        narrow.append({"created_ts": {"$gte": scope.since_ts}})
    if scope.until_ts is not None:
        narrow.append({"created_ts": {"$lt": scope.until_ts}})
    if not narrow:
        return None
    return narrow[0] if len(narrow) == 1 else {"$and": narrow}


def facet(value: str) -> str:
    """A function, market or tag as Chroma holds it: hashed, so no user text is stored."""
    return hashlib.sha256(value.encode()).hexdigest()[:24]


def partition_keys(
    meta: dict[str, Any], partition: str, tags: Sequence[str] = (), lean: bool = False
) -> dict[str, Any]:
    """A chunk's metadata plus its narrowing keys for a collection of ``partition``; with
    ``lean``, only the ids and keys filters need (the rest is in the store)."""
    kept = list(dict.fromkeys(tags))[:MAX_TAG_KEYS]
    if lean:
        out = {k: meta[k] for k in _LEAN_KEYS if k in meta}
    else:
        allowed = {f"tag:{t}" for t in kept}
        out = {k: v for k, v in meta.items() if not k.startswith("tag:") or k in allowed}
    out["p_kind"] = f"{partition}/{meta['kind']}"
    if "function_key" in meta:
        out["p_function"] = f"{partition}/{facet(str(meta['function_key']))}"
    if "market_key" in meta:
        out["p_market"] = f"{partition}/{facet(str(meta['market_key']))}"
    if "entry_status" in meta:
        out["p_status"] = f"{partition}/{meta['entry_status']}"
    out.update({f"t_{facet(t)}": True for t in kept})
    return out


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
    """

    def __init__(
        self,
        client: Any,
        collection: str = "playbook_chunks",
        owner_buckets: int = 32,
        chunks: ChunkLookup | None = None,
    ) -> None:
        if not _BASE_NAME.fullmatch(collection):
            raise ValueError(
                f"Chroma collection name {collection!r} should be 1-400 letters, digits, "
                "'_' or '-', starting with a letter or digit"
            )
        if not 1 <= owner_buckets <= 4096:
            raise ValueError(f"owner_buckets should be 1 to 4096, not {owner_buckets}")
        self._client = client
        self._base = collection
        self._buckets = owner_buckets
        self._chunks = chunks
        self._texts = "store" if chunks is not None else "chroma"
        self._handles: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._max_batch = int(client.get_max_batch_size())
        self._files = _files_id(client)
        self.legacy_dropped = self._drop_legacy()

    # -- collections ---------------------------------------------------------------------

    def owner_collection(self, owner_id: str) -> str:
        """Name of the bucket collection holding every chunk ``owner_id`` wrote."""
        digest = int(hashlib.sha256(owner_id.encode()).hexdigest()[:12], 16)
        return f"{self._base}-o{digest % self._buckets:04d}"

    def programme_collection(self, programme_id: str) -> str:
        """Name of the collection holding a programme's shared and published chunks."""
        return f"{self._base}-p-{_name_part(programme_id)}"

    def _directory_name(self) -> str:
        return f"{self._base}-directory"

    def _create(self, name: str) -> Any:
        handle = self._get(name)
        if handle is None:
            handle = self._client.get_or_create_collection(
                name=name,
                embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}},
                metadata={"owner_buckets": self._buckets, "layout": LAYOUT, "texts": self._texts},
            )
            with self._lock:
                self._handles[name] = handle
        return handle

    def _get(self, name: str) -> Any | None:
        with self._lock:
            handle = self._handles.get(name)
        if handle is None:
            try:
                handle = self._client.get_collection(name=name, embedding_function=None)
            except NotFoundError:
                return None  # nothing stored there yet
            with self._lock:
                self._handles[name] = handle
        return handle

    def _forget(self, name: str) -> None:
        with self._lock:
            self._handles.pop(name, None)

    def _drop_legacy(self) -> bool:
        """Drop a layout this index cannot read: the single collection of earlier versions,
        buckets made with another ``owner_buckets``, or records of another layout (texts
        kept in Chroma, facets in the clear). True when it did (the store must then be
        indexed again); the dropped records' text is then wiped from an embedded Chroma's
        files."""
        try:
            self._client.get_collection(name=self._base, embedding_function=None)
        except NotFoundError:
            directory = self._get(self._directory_name())
            meta = (directory.metadata or {}) if directory is not None else {}
            wanted = {"owner_buckets": self._buckets, "layout": LAYOUT, "texts": self._texts}
            if directory is None or all(meta.get(k) == v for k, v in wanted.items()):
                return False
            self.reset()
            return True
        self._client.delete_collection(self._base)
        self.reset()
        return True

    def _partitioned(self) -> list[str]:
        prefix = f"{self._base}-"
        names: list[str] = []
        offset = 0
        while True:
            page = self._client.list_collections(limit=1000, offset=offset)
            names.extend(c.name for c in page if c.name.startswith(prefix))
            if len(page) < 1000:
                return names
            offset += 1000

    # -- writes --------------------------------------------------------------------------

    def upsert(self, chunks: Sequence[ChunkRecord], embeddings: Sequence[Sequence[float]]) -> None:
        """Insert or replace chunks, each in the collections of those who may read it."""
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
            handle = self._create(name)
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
        directory = self._create(self._directory_name())
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
        directory = self._get(self._directory_name())
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
        places = self._places(document_ids)
        owners: dict[str, list[str]] = {}
        for doc_id, names in places.items():
            for name in names:
                if self._is_owner(name):
                    owners.setdefault(name, []).append(doc_id)
        for owner_name, docs in owners.items():
            handle = self._get(owner_name)
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
                target = self._get(name)
                if target is not None:
                    for s in range(0, len(ids), 1000):
                        target.delete(ids=ids[s : s + 1000])
        directory = self._get(self._directory_name())
        if directory is not None and places:
            directory.delete(ids=list(places))

    def _is_owner(self, name: str) -> bool:
        return name.startswith(f"{self._base}-o")

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
            handle = self._get(name)
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
                self._forget(name)  # dropped by another process (a reset): look it up again
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

    def count(self) -> int:
        """Number of chunks held (each counted once, in its owner's bucket)."""
        total = 0
        for name in self._partitioned():
            if self._is_owner(name):
                handle = self._get(name)
                total += int(handle.count()) if handle is not None else 0
        return total

    def dump(self) -> list[dict[str, Any]]:
        """Every record held, collection by collection, with its text and metadata (for
        audits and leak tests; reads everything, so not for a request path)."""
        out: list[dict[str, Any]] = []
        for name in sorted(self._partitioned()):
            handle = self._get(name)
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
        directory = self._create(self._directory_name())
        meta = {
            **(directory.metadata or {}),
            "owner_buckets": self._buckets,
            "layout": LAYOUT,
            "texts": self._texts,
            "token": token,
        }
        directory.modify(metadata=meta)
        self._forget(self._directory_name())

    def refresh(self) -> bool:
        """After a rebuild elsewhere: forget cached handles, and say whether that is enough
        (False when an embedded Chroma's database is no longer the file this client opened,
        e.g. it was moved aside and made anew: then the client must be made again)."""
        with self._lock:
            self._handles.clear()
        return self._files == _files_id(self._client)

    def close(self) -> None:
        """Let go of the client: an embedded Chroma's files are closed, so the folder can be
        moved aside and opened afresh."""
        with self._lock:
            self._handles.clear()
        release(self._client)

    def reset(self) -> None:
        """Drop every collection of this index, and (embedded) wipe what they leave on disk."""
        for name in self._partitioned():
            # Absent already is fine: the goal is no collections.
            with contextlib.suppress(NotFoundError):
                self._client.delete_collection(name)
        with self._lock:
            self._handles.clear()
        self.compact()

    def scrub(self) -> None:
        """Wipe superseded text from the index's files after deletes or re-redaction.

        Records hold no text when the store lends it (``chunks``), so there is nothing to
        wipe; otherwise an embedded Chroma's files are compacted (see ``compact``).
        """
        if self._chunks is None:
            self.compact()

    def compact(self) -> None:
        """Embedded Chroma only: rewrite ``chroma.sqlite3`` (VACUUM) so deleted records leave
        no bytes in free pages, and remove the HNSW folders of segments that no longer
        exist. A server's files are out of reach: there, nothing is done."""
        settings = self._client.get_settings()
        if not settings.is_persistent or not settings.persist_directory:
            return
        root = Path(settings.persist_directory)
        db = root / "chroma.sqlite3"
        if not db.exists():
            return
        conn = sqlite3.connect(db, timeout=30)
        try:
            conn.execute("PRAGMA secure_delete=ON")
            live = {str(r[0]) for r in conn.execute("SELECT id FROM segments")}
            conn.execute("VACUUM")
        except sqlite3.Error as exc:
            log.warning("could not compact Chroma's database: %s", exc)
            return
        finally:
            conn.close()
        for folder in root.iterdir():
            if folder.is_dir() and _UUID_DIR.fullmatch(folder.name) and folder.name not in live:
                shutil.rmtree(folder, ignore_errors=True)


def _files_id(client: Any) -> tuple[int, int] | None:
    """Which database file an embedded client has open (device, inode); None for a server."""
    settings = client.get_settings()
    if not settings.is_persistent or not settings.persist_directory:
        return None
    try:
        st = (Path(settings.persist_directory) / "chroma.sqlite3").stat()
    except OSError:
        return (-1, -1)
    return (st.st_dev, st.st_ino)


def release(client: Any) -> None:
    """Close a Chroma client for good. Chroma shares one system per path in a process: it is
    dropped from that cache too, so the next client on the path opens the files again (they
    may have been moved aside and rebuilt) instead of reusing the old ones."""
    from chromadb.api.shared_system_client import SharedSystemClient

    with contextlib.suppress(Exception):
        client.close()
    settings = getattr(client, "get_settings", lambda: None)()
    if settings is None or not settings.is_persistent:
        return
    with contextlib.suppress(Exception):
        identifier = SharedSystemClient._get_identifier_from_settings(settings)
        system = SharedSystemClient._identifier_to_system.pop(identifier, None)
        SharedSystemClient._identifier_to_refcount.pop(identifier, None)
        if system is not None:
            system.stop()


def _name_part(identifier: str) -> str:
    """A collection-name-safe stand-in for an id: the id itself when it is plain, else a hash."""
    if _PLAIN_ID.fullmatch(identifier):
        return identifier
    return "h-" + hashlib.sha256(identifier.encode()).hexdigest()[:40]
