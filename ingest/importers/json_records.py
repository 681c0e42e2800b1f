"""JSON lines (``.jsonl``): one record per line, each a flat JSON object with a ``text``.

Each line is bounded before it is parsed (its length while reading, its nesting by a scan
of its brackets), so one bad line fails alone and the rest of the file imports.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from ingest.importers.base import (
    DEBRIEF_FIELDS,
    MB,
    Loaded,
    LoadedRecord,
    LoaderError,
    LoadOptions,
    LoadProblem,
    Origin,
    check_text,
    field_list,
    human_size,
    opt_str,
)
from ingest.importers.registry import SNIFF_BYTES, Importer


def read_jsonl(path: Path, sid: Origin, options: LoadOptions) -> Iterator[Loaded]:
    """A record per line; a line that is not a readable record is a problem of its own.

    Raises:
        LoaderError: The file is binary.
    """
    with path.open("rb") as fh:
        head = fh.read(8192)
        if b"\x00" in head:
            raise LoaderError("looks like a binary file, not JSON lines")
        fh.seek(0)
        for n, raw in _lines(fh, options.max_line_bytes):
            origin = f"{path}:{n}"
            if raw is None:
                yield LoadProblem(
                    origin,
                    f"line is longer than {human_size(options.max_line_bytes)}; split the record",
                )
                continue
            if not raw.strip():
                continue
            yield _record(raw, n, origin, sid, options)


def _record(raw: bytes, n: int, origin: str, sid: Origin, options: LoadOptions) -> Loaded:
    """The record on line ``n``, or why it cannot be read."""
    if _nesting(raw, options.max_json_depth) > options.max_json_depth:
        return LoadProblem(
            origin,
            f"JSON nests deeper than {options.max_json_depth} levels; a record is one flat object",
        )
    try:
        obj = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return LoadProblem(origin, "line is not valid UTF-8")
    except json.JSONDecodeError as exc:
        return LoadProblem(origin, f"not valid JSON ({exc.msg} at column {exc.colno})")
    except RecursionError:  # pragma: no cover - the nesting check comes first
        return LoadProblem(origin, "JSON nests too deeply; a record is one flat object")
    if not isinstance(obj, dict):
        return LoadProblem(origin, "each line must be a JSON object")
    bad = _bad_character(obj)
    if bad:
        return LoadProblem(origin, bad)
    text = obj.get("text")
    if not isinstance(text, str):
        return LoadProblem(origin, "missing the required 'text' field (a string)")
    problem = check_text(text, options)
    if problem:
        return LoadProblem(origin, problem)
    try:
        tags = field_list(obj.get("tags"))
    except ValueError as exc:
        return LoadProblem(origin, str(exc))
    ident = obj.get("id")
    source = (
        {"source_id": str(ident), "source_label": opt_str(obj.get("source"))}
        if ident not in (None, "")
        else sid.record(f"#line{n}")
    )
    return LoadedRecord(
        origin=origin,
        text=text,
        title=opt_str(obj.get("title")),
        kind=opt_str(obj.get("kind")),
        author=opt_str(obj.get("author")),
        created_at=opt_str(obj.get("created_at")),
        tags=tags,
        visibility=opt_str(obj.get("visibility")),
        debrief={k: str(obj[k]) for k in DEBRIEF_FIELDS if obj.get(k) not in (None, "")},
        **source,
    )


def _lines(fh: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """Numbered lines of a file, each read with at most ``limit`` bytes in memory; a longer
    line comes as None (and is skipped to its end)."""
    n = 0
    while True:
        raw = fh.readline(limit + 1)
        if not raw:
            return
        n += 1
        if len(raw) <= limit or raw.endswith(b"\n"):
            yield n, raw
            continue
        while raw and not raw.endswith(b"\n"):  # the rest of an oversized line
            raw = fh.readline(MB)
        yield n, None


def _nesting(raw: bytes, limit: int) -> int:
    """How deeply a JSON text nests (arrays and objects), counted up to ``limit`` + 1,
    without parsing it: Python's parser would recurse once per level."""
    if raw.count(b"[") + raw.count(b"{") <= limit:
        return 0  # cannot nest deeper than it has brackets
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limit:
                break
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _bad_character(obj: dict[str, Any]) -> str | None:
    """The first field holding a lone surrogate (a broken ``\\ud800`` escape), which no
    store or index can hold."""
    for key, value in obj.items():
        values = value if isinstance(value, list) else [value]
        for v in values:
            if isinstance(v, str):
                try:
                    v.encode("utf-8")
                except UnicodeEncodeError as exc:
                    return (
                        f"field {key!r} holds an invalid character (a lone surrogate, "
                        f"{v[exc.start]!r}); fix the escape and import it again"
                    )
    return None


def looks_like_jsonl(head: bytes) -> bool:
    """The first non-blank line is a JSON object (when it ends within ``head``; a longer
    one need only open like one)."""
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not text.startswith(b"{"):
        return False
    line, newline, _ = text.partition(b"\n")
    if not newline and len(head) >= SNIFF_BYTES:
        return True  # the line runs on past what a sniffer sees
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError both
        return False


IMPORTER = Importer(
    name="json_lines",
    suffixes=(".jsonl",),
    read=read_jsonl,
    one_document=False,
    sniff=looks_like_jsonl,
)
