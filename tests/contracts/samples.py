"""Sample chunks and reader scopes the index contracts share.

Five chunks in two programmes, private, shared and published, with the metadata that scopes
filter on; ``SCOPES`` maps a name to a scope and the chunk ids that scope may read, so every
filter of ``Scope`` is checked against every index.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from playbook.models import ChunkRecord, EntryStatus, Kind, Visibility
from playbook.ports import Scope, VectorIndex
from tests.fakes import FakeEmbedder


def chunk(
    cid: str,
    doc: str,
    text: str,
    owner: str,
    vis: Visibility,
    prog: str = "p1",
    kind: Kind = Kind.JOURNAL,
) -> ChunkRecord:
    """A chunk of document ``doc`` with title ``title <cid>``, source ``src-<cid>`` and tags
    a, b, created on 1 January 2026."""
    return ChunkRecord(
        chunk_id=cid,
        document_id=doc,
        ordinal=0,
        text=text,
        owner_id=owner,
        visibility=vis,
        programme_id=prog,
        kind=kind,
        title=f"title {cid}",
        source_id=f"src-{cid}",
        tags=("a", "b"),
        created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )


CHUNKS = [
    chunk("c1", "d1", "pricing decision under time pressure", "ada", Visibility.PRIVATE),
    chunk("c2", "d2", "pricing lessons shared with the programme", "ada", Visibility.SHARED),
    chunk(
        "c3",
        "d3",
        "published playbook entry on pricing",
        "cora",
        Visibility.PUBLISHED,
        kind=Kind.ENTRY,
    ),
    chunk("c4", "d4", "pricing notes from another programme", "olga", Visibility.SHARED, prog="p2"),
    chunk("c5", "d5", "ravi private pricing journal", "ravi", Visibility.PRIVATE),
]
# c2 is a debrief from a Supply chain rotation in Singapore; c4 from Singapore in another
# programme (never visible to p1 readers, filter or not).
CHUNKS[1] = dataclasses.replace(
    CHUNKS[1], function="Supply Chain", market="Singapore", tags=("a", "b", "rotation")
)
CHUNKS[2] = dataclasses.replace(
    CHUNKS[2],
    created_at=dt.datetime(2026, 7, 1, 9, tzinfo=dt.UTC),
    entry_status=EntryStatus.PUBLISHED,
)
CHUNKS[3] = dataclasses.replace(CHUNKS[3], market="Singapore")
JUNE = int(dt.datetime(2026, 6, 1, tzinfo=dt.UTC).timestamp())
SCOPES = {
    "ada": (Scope("ada", frozenset({"p1"})), {"c1", "c2", "c3"}),
    "ravi": (Scope("ravi", frozenset({"p1"})), {"c2", "c3", "c5"}),
    "olga": (Scope("olga", frozenset({"p2"})), {"c4"}),
    "nobody": (Scope("zed", frozenset()), set()),
    "ravi-mine": (Scope("ravi", frozenset({"p1"}), only_mine=True), {"c5"}),
    "ravi-entries": (Scope("ravi", frozenset({"p1"}), kinds=(Kind.ENTRY,)), {"c3"}),
    "two-programmes": (Scope("zed", frozenset({"p1", "p2"})), {"c2", "c3", "c4"}),
    "ravi-singapore": (Scope("ravi", frozenset({"p1"}), market="singapore"), {"c2"}),
    "ravi-supply-chain": (Scope("ravi", frozenset({"p1"}), function="supply chain"), {"c2"}),
    "both-singapore": (Scope("zed", frozenset({"p1", "p2"}), market="singapore"), {"c2", "c4"}),
    "ravi-nowhere": (Scope("ravi", frozenset({"p1"}), market="lagos"), set()),
    "ravi-tagged": (Scope("ravi", frozenset({"p1"}), tags=("rotation", "a")), {"c2"}),
    "ravi-since-june": (Scope("ravi", frozenset({"p1"}), since_ts=JUNE), {"c3"}),
    "ravi-before-june": (Scope("ravi", frozenset({"p1"}), until_ts=JUNE), {"c2", "c5"}),
    "ravi-entries-since-june": (
        Scope("ravi", frozenset({"p1"}), kinds=(Kind.ENTRY,), since_ts=JUNE),
        {"c3"},
    ),
    "olga-tagged-elsewhere": (Scope("olga", frozenset({"p2"}), tags=("rotation",)), set()),
    "ravi-published": (
        Scope("ravi", frozenset({"p1"}), entry_statuses=(EntryStatus.PUBLISHED,)),
        {"c3"},
    ),
    "ravi-in-review": (
        Scope(
            "ravi",
            frozenset({"p1"}),
            entry_statuses=(EntryStatus.DRAFT, EntryStatus.IN_REVIEW),
        ),
        set(),
    ),
}


def vector(text: str) -> list[float]:
    """The fake embedder's vector for ``text``: the vector contracts test the index, not the
    model, so every index gets the same, predictable vectors."""
    return FakeEmbedder().embed([text])[0]


def load_vectors(index: VectorIndex, chunks: Sequence[ChunkRecord] = CHUNKS) -> None:
    """Upsert ``chunks`` (the samples by default) with their fake vectors."""
    index.upsert(chunks, FakeEmbedder().embed([c.text for c in chunks]))
