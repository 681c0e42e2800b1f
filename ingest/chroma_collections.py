"""Handles to the Chroma collections of one index, cached and shared between threads.

Looking a collection up costs a round trip (a server) or a catalogue read (embedded), and
a query runs on several threads at once: each handle is fetched once and kept until the
collection is dropped (``forget``) or the index is rebuilt elsewhere (``clear``).
"""

from __future__ import annotations

import threading
from typing import Any

from chromadb.errors import NotFoundError


class CollectionHandles:
    """The collections named ``{base}-...`` of one Chroma client.

    Args:
        client: The Chroma client.
        base: The index's base collection name.
        metadata: What every collection made here records (bucket count, layout).
    """

    def __init__(self, client: Any, base: str, metadata: dict[str, Any]) -> None:
        self._client = client
        self._base = base
        self._metadata = metadata
        self._handles: dict[str, Any] = {}
        self._lock = threading.Lock()

    def create(self, name: str) -> Any:
        """The collection ``name``, made (cosine space, no embedding function) if absent."""
        handle = self.get(name)
        if handle is None:
            handle = self._client.get_or_create_collection(
                name=name,
                embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}},
                metadata=dict(self._metadata),
            )
            with self._lock:
                self._handles[name] = handle
        return handle

    def get(self, name: str) -> Any | None:
        """The collection ``name``, or None when nothing was ever stored there."""
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

    def forget(self, name: str) -> None:
        """Drop the cached handle of ``name`` (its collection was dropped or changed)."""
        with self._lock:
            self._handles.pop(name, None)

    def clear(self) -> None:
        """Drop every cached handle."""
        with self._lock:
            self._handles.clear()

    def names(self) -> list[str]:
        """Every collection of this index that exists, read page by page."""
        prefix = f"{self._base}-"
        names: list[str] = []
        offset = 0
        while True:
            page = self._client.list_collections(limit=1000, offset=offset)
            names.extend(c.name for c in page if c.name.startswith(prefix))
            if len(page) < 1000:
                return names
            offset += 1000
