"""How the Chroma index lays chunks out: collection names, the keys each record carries,
and the ``where`` clauses that narrow a search.

Permission is which collections a query searches (an owner's bucket, a programme's
collection); narrowing (kind, function, market, tags, status, dates) is keys on each
record, prefixed with the collection's partition and hashed, so no user text is stored.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from typing import Any

from playbook.ports import Scope

Where = dict[str, Any]
# Bumped when what a record holds changes; an index of another layout is rebuilt.
LAYOUT = 2
# What a record keeps when its text and descriptive metadata live in the store.
LEAN_KEYS = (
    "document_id",
    "ordinal",
    "owner_id",
    "visibility",
    "programme_id",
    "kind",
    "created_ts",
    "entry_status",
)
_BASE_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,399}")
_PLAIN_ID = re.compile(r"[A-Za-z0-9]{1,64}")
# Tags a record carries as filter keys, at most. Chroma writes each key as rows of its
# metadata segment; a record with some 11,000 of them made its compaction fail for the whole
# collection ("Failed to apply logs to the metadata segment"), and every search with it.
# Imports and entries allow far fewer (``max_tags``); tags past this one are not filterable
# on the dense side (the keyword index still matches them).
MAX_TAG_KEYS = 64


def check_base_name(collection: str) -> None:
    """Refuse a base collection name Chroma would refuse, with a sentence.

    Raises:
        ValueError: The name is not 1-400 letters, digits, '_' or '-'.
    """
    if not _BASE_NAME.fullmatch(collection):
        raise ValueError(
            f"Chroma collection name {collection!r} should be 1-400 letters, digits, "
            "'_' or '-', starting with a letter or digit"
        )


def owner_collection(base: str, buckets: int, owner_id: str) -> str:
    """Name of the bucket collection (one of ``buckets``) holding every chunk of an owner."""
    digest = int(hashlib.sha256(owner_id.encode()).hexdigest()[:12], 16)
    return f"{base}-o{digest % buckets:04d}"


def programme_collection(base: str, programme_id: str) -> str:
    """Name of the collection holding a programme's shared and published chunks."""
    return f"{base}-p-{_name_part(programme_id)}"


def directory_collection(base: str) -> str:
    """Name of the collection recording which collections hold each document."""
    return f"{base}-directory"


def is_owner_collection(base: str, name: str) -> bool:
    """Whether ``name`` is one of the owner buckets of the index ``base``."""
    return name.startswith(f"{base}-o")


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
        out = {k: meta[k] for k in LEAN_KEYS if k in meta}
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


def _name_part(identifier: str) -> str:
    """A collection-name-safe stand-in for an id: the id itself when it is plain, else a hash."""
    if _PLAIN_ID.fullmatch(identifier):
        return identifier
    return "h-" + hashlib.sha256(identifier.encode()).hexdigest()[:40]
