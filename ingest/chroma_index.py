"""VectorIndex port over Chroma, embedded (PersistentClient) or a server (HttpClient)."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from playbook.models import ChunkRecord, IndexHit
from playbook.ports import Scope

Where = dict[str, Any]


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
        return chromadb.HttpClient(
            host=parsed.hostname,
            port=parsed.port or (443 if parsed.scheme == "https" else 8000),
            ssl=parsed.scheme == "https",
            settings=settings,
        )
    if path is None:
        raise ValueError("give Chroma either a path or a URL")
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


def scope_where(scope: Scope) -> Where:
    """Chroma ``where`` clause for what a reader may see, and their own narrowing."""
    own: Where = {"owner_id": scope.reader_id}
    if scope.only_mine or not scope.programme_ids:
        access = own
    else:
        programme: Where = (
            {"programme_id": next(iter(scope.programme_ids))}
            if len(scope.programme_ids) == 1
            else {"programme_id": {"$in": sorted(scope.programme_ids)}}
        )
        access = {
            "$or": [own, {"$and": [{"visibility": {"$in": ["shared", "published"]}}, programme]}]
        }
    narrow: list[Where] = []
    if scope.kinds:
        narrow.append(
            {"kind": scope.kinds[0].value}
            if len(scope.kinds) == 1
            else {"kind": {"$in": [k.value for k in scope.kinds]}}
        )
    if scope.function:
        narrow.append({"function_key": scope.function})
    if scope.market:
        narrow.append({"market_key": scope.market})
    return {"$and": [access, *narrow]} if narrow else access


class ChromaVectorIndex:
    """Chunks as Chroma records: id = chunk id, document = redacted text, metadata for filters."""

    def __init__(self, client: Any, collection: str = "playbook_chunks") -> None:
        self._client = client
        self._name = collection
        self._collection = self._open()
        self._max_batch = int(client.get_max_batch_size())

    def _open(self) -> Any:
        return self._client.get_or_create_collection(
            name=self._name,
            embedding_function=None,
            configuration={"hnsw": {"space": "cosine"}},
        )

    def upsert(self, chunks: Sequence[ChunkRecord], embeddings: Sequence[Sequence[float]]) -> None:
        """Insert or replace chunks, in batches below the server's limit."""
        step = max(1, min(self._max_batch, 1000))
        for i in range(0, len(chunks), step):
            part = chunks[i : i + step]
            self._collection.upsert(
                ids=[c.chunk_id for c in part],
                embeddings=[list(e) for e in embeddings[i : i + step]],
                documents=[c.text for c in part],
                metadatas=[c.metadata() for c in part],
            )

    def delete_documents(self, document_ids: Sequence[str]) -> None:
        """Remove every chunk of these documents."""
        for i in range(0, len(document_ids), 500):
            part = list(document_ids[i : i + 500])
            where: Where = (
                {"document_id": part[0]} if len(part) == 1 else {"document_id": {"$in": part}}
            )
            self._collection.delete(where=where)

    def query(self, embedding: Sequence[float], k: int, scope: Scope) -> list[IndexHit]:
        """Nearest readable chunks; the permission filter is part of the Chroma query."""
        res = self._collection.query(
            query_embeddings=[list(embedding)],
            n_results=max(1, k),
            where=scope_where(scope),
            include=["documents", "metadatas", "distances"],
        )
        ids = res["ids"][0]
        docs = (res.get("documents") or [[]])[0] or []
        metas = (res.get("metadatas") or [[]])[0] or []
        dists = (res.get("distances") or [[]])[0] or []
        return [
            IndexHit(chunk_id=i, score=1.0 - float(d), text=t or "", metadata=dict(m or {}))
            for i, t, m, d in zip(ids, docs, metas, dists, strict=True)
        ]

    def count(self) -> int:
        """Number of chunks held."""
        return int(self._collection.count())

    def reset(self) -> None:
        """Drop the collection and start an empty one."""
        # Absent already is fine: the goal is an empty collection.
        with contextlib.suppress(Exception):
            self._client.delete_collection(self._name)
        self._collection = self._open()
