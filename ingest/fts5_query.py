"""FTS5 query text for the keyword index: the words worth matching, a safe MATCH
expression, and the filter tokens that put the permission scope inside MATCH.

Pure functions, no connection: what the SQLite FTS5 adapter (``ingest.keyword_index``)
writes into its ``filters`` column and asks in its queries.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence

from playbook.models import ChunkRecord, Visibility
from playbook.ports import Scope

_WORD = re.compile(r"\w+", re.UNICODE)
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "but",
        "by",
        "for",
        "from",
        "has",
        "have",
        "he",
        "her",
        "his",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "my",
        "no",
        "not",
        "of",
        "on",
        "or",
        "our",
        "she",
        "so",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "was",
        "we",
        "were",
        "what",
        "when",
        "which",
        "who",
        "will",
        "with",
        "you",
        "your",
    ]
)
MAX_QUERY_TERMS = 32


def query_terms(text: str) -> list[str]:
    """The words of a query worth matching: lowercased, de-duplicated, stop words and single
    letters dropped (unless nothing else is left), at most ``MAX_QUERY_TERMS``."""
    words = [w.lower() for w in _WORD.findall(text)]
    # One-letter tokens are mostly the "s" of a possessive ("Tony's"): no use as keywords.
    terms = [w for w in words if w not in _STOPWORDS and len(w) > 1] or words
    return list(dict.fromkeys(terms))[:MAX_QUERY_TERMS]


def match_expression(text: str | Sequence[str]) -> str | None:
    """A safe FTS5 MATCH expression: each word quoted, OR-ed; None when nothing is searchable.

    User text never reaches FTS5 syntax directly, so quotes, ``*`` or ``NEAR(`` are plain
    characters here.
    """
    terms = query_terms(text) if isinstance(text, str) else list(text)
    if not terms:
        return None
    return " OR ".join(f'"{t}"' for t in terms)


def filter_token(kind: str, value: str) -> str:
    """The token a chunk carries in the ``filters`` column for its owner (``kind`` "owner"),
    its programme ("programme") or a facet ("kind", "function", "market", "tag").

    Digits only, so the porter stemmer cannot fold two tokens into one, and hashed so that
    values of any shape fit one token. Access tokens start with 1 or 2, facets with 3.
    """
    digest = int(hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:16], 16)
    lead = {"owner": "1", "programme": "2"}.get(kind, "3")
    return lead + str(digest).zfill(20)


def chunk_filters(chunk: ChunkRecord) -> str:
    """Filter tokens of a chunk: its owner's, its programme's once shared or published, and
    its kind, function, market, tags and entry status."""
    tokens = [filter_token("owner", chunk.owner_id)]
    if chunk.visibility is not Visibility.PRIVATE:
        tokens.append(filter_token("programme", chunk.programme_id))
    meta = chunk.metadata()
    tokens.append(filter_token("kind", chunk.kind.value))
    for facet in ("function", "market"):
        if f"{facet}_key" in meta:
            tokens.append(filter_token(facet, str(meta[f"{facet}_key"])))
    tokens.extend(filter_token("tag", t) for t in chunk.tags)
    if chunk.entry_status is not None:
        tokens.append(filter_token("status", chunk.entry_status.value))
    return " ".join(tokens)


def scope_match(scope: Scope) -> str:
    """FTS5 conditions on the filter tokens: what the reader may see and their narrowing
    (dates aside), as part of MATCH, so the full-text engine never ranks a chunk outside
    the scope."""
    access = [filter_token("owner", scope.reader_id)]
    if not scope.only_mine:
        access.extend(filter_token("programme", p) for p in sorted(scope.programme_ids))
    parts = ["filters : (" + " OR ".join(access) + ")"]
    if scope.kinds:
        kinds = " OR ".join(filter_token("kind", k.value) for k in scope.kinds)
        parts.append(f"filters : ({kinds})")
    if scope.function:
        parts.append(f"filters : {filter_token('function', scope.function)}")
    if scope.market:
        parts.append(f"filters : {filter_token('market', scope.market)}")
    parts.extend(f"filters : {filter_token('tag', t)}" for t in scope.tags)
    if scope.entry_statuses:
        states = " OR ".join(filter_token("status", s.value) for s in scope.entry_statuses)
        parts.append(f"filters : ({states})")
    return " AND ".join(parts)


def scope_sql(scope: Scope) -> tuple[str, list[str | int]]:
    """SQL condition and parameters for what a reader may see, and their own narrowing.

    The filter tokens in MATCH already confine the scope; this repeats the rule on the
    indexed columns (cheap: it only sees the few rows MATCH ranked first) and adds dates.
    """
    params: list[str | int] = [scope.reader_id]
    if scope.only_mine or not scope.programme_ids:
        cond = "m.owner_id = ?"
    else:
        marks = ",".join("?" * len(scope.programme_ids))
        cond = (
            "(m.owner_id = ? OR (m.visibility IN ('shared', 'published') "
            f"AND m.programme_id IN ({marks})))"
        )
        params.extend(sorted(scope.programme_ids))
    if scope.kinds:
        cond += f" AND m.kind IN ({','.join('?' * len(scope.kinds))})"
        params.extend(k.value for k in scope.kinds)
    if scope.function:
        cond += " AND json_extract(m.meta, '$.function_key') = ?"
        params.append(scope.function)
    if scope.market:
        cond += " AND json_extract(m.meta, '$.market_key') = ?"
        params.append(scope.market)
    for tag in scope.tags:
        cond += " AND json_extract(m.meta, ?) = 1"
        params.append(f'$."tag:{tag.replace(chr(34), "")}"')
    if scope.since_ts is not None:
        cond += " AND json_extract(m.meta, '$.created_ts') >= ?"
        params.append(scope.since_ts)
    if scope.until_ts is not None:
        cond += " AND json_extract(m.meta, '$.created_ts') < ?"
        params.append(scope.until_ts)
    return cond, params
