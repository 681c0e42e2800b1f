"""CSV files (``.csv``): one record per row, its text from the columns ``CsvOptions`` names.

Rows are split by hand before Python's ``csv`` module parses each one, so a row over the
line limit, or a quote that is never closed, fails that row alone and the rows below import.
CSV has no signature, so there is no sniffer.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from pathlib import Path

from ingest.importers.base import (
    DEBRIEF_FIELDS,
    Loaded,
    LoadedRecord,
    LoaderError,
    LoadOptions,
    LoadProblem,
    Origin,
    check_text,
    decode_text,
    field_list,
    human_size,
    opt_str,
)
from ingest.importers.registry import Importer

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def read_csv(path: Path, sid: Origin, options: LoadOptions) -> Iterator[Loaded]:
    """A record per row below the header; a row that cannot be read is a problem of its own.

    Raises:
        LoaderError: The file is not UTF-8 text, has no header, or lacks a named column.
    """
    opts = options.csv
    records = _csv_records(decode_text(path.read_bytes()))
    first = next(records, None)
    header = next(csv.reader([first[1]]), []) if first and not first[2] else []
    header = [h.strip() for h in header]
    if not any(header):
        raise LoaderError("CSV has no header row")
    text_cols = opts.text_cols or (("text",) if "text" in header else ())
    if not text_cols:
        raise LoaderError(
            "no 'text' column; name the text column(s) with --text-col "
            f"(columns: {', '.join(header)})"
        )
    named = [*text_cols, opts.id_col, opts.author_col, opts.title_col]
    missing = [c for c in named if c and c not in header]
    if missing:
        raise LoaderError(f"column {missing[0]!r} not found; the file has: {', '.join(header)}")
    csv.field_size_limit(max(csv.field_size_limit(), options.max_line_bytes))
    for n, (line, record, unterminated) in enumerate(records, start=2):
        origin = f"{path}:{n}"
        if unterminated:
            yield LoadProblem(
                origin,
                f"a quote opened on line {line} is never closed; close it (or double a quote "
                "inside a cell) and import the file again",
            )
            continue
        if not record.strip():
            continue
        if len(record) > options.max_line_bytes:
            yield LoadProblem(
                origin,
                f"row is longer than {human_size(options.max_line_bytes)} (line {line}); "
                "split the record",
            )
            continue
        try:
            fields = next(csv.reader(io.StringIO(record, newline="")), [])
        except csv.Error as exc:
            yield LoadProblem(origin, f"row is malformed ({exc}; line {line})")
            continue
        row = dict(zip(header, fields, strict=False))
        yield _row_record(row, n, origin, sid, text_cols, options)


def _row_record(
    row: dict[str, str],
    n: int,
    origin: str,
    sid: Origin,
    text_cols: tuple[str, ...],
    options: LoadOptions,
) -> Loaded:
    """The record of row ``n`` (its text columns joined, null markers dropped), or why not."""
    opts = options.csv
    nulls = {v.strip().lower() for v in opts.null_values}
    parts = []
    for col in text_cols:
        cell = row.get(col) or ""
        for piece in cell.split(opts.multi_sep) if opts.multi_sep else [cell]:
            answer = piece.strip()
            if answer and answer.lower() not in nulls:
                parts.append(answer)
    body = "\n\n".join(parts)
    problem = check_text(body, options)
    if problem:
        return LoadProblem(origin, problem)
    ident = row.get(opts.id_col) if opts.id_col else None
    try:
        tags = field_list(row.get("tags"))
    except ValueError as exc:
        return LoadProblem(origin, str(exc))
    source = {"source_id": ident.strip()} if ident and ident.strip() else sid.record(f"#row{n}")
    return LoadedRecord(
        origin=origin,
        text=body,
        title=opt_str(row.get(opts.title_col)) if opts.title_col else None,
        author=opt_str(row.get(opts.author_col)) if opts.author_col else None,
        kind=opt_str(row.get("kind")),
        created_at=opt_str(row.get("created_at")),
        tags=tags,
        visibility=opt_str(row.get("visibility")),
        debrief={k: row[k] for k in DEBRIEF_FIELDS if row.get(k)},
        **source,
    )


def _csv_records(text: str) -> Iterator[tuple[int, str, bool]]:
    """The records of a CSV text with the line each starts on. A quoted cell may hold line
    breaks; a quote opened and never closed would swallow the rest of the file into one cell.
    Such a record comes back flagged (True) as its first line alone, and splitting starts
    again on the line after it, so the rows below still count."""
    lines = _LINE.findall(text)  # CSV ends lines at \r\n, \r or \n only
    start = 0
    while start < len(lines):
        end, ok = _record_end(lines, start)
        if not ok:
            yield start + 1, lines[start], True
            start += 1
            continue
        yield start + 1, "".join(lines[start:end]), False
        start = end


def _record_end(lines: list[str], start: int) -> tuple[int, bool]:
    """Where the record starting at ``lines[start]`` ends (exclusive), read as Python's csv
    module reads the default dialect (a quote opens quoting only at the start of a cell; a
    doubled quote inside is a quote); False when it never ends, or when a record spanning
    lines has text after a closing quote (rows merged by a stray quote, not a cell)."""
    quoted = False
    for i in range(start, len(lines)):
        line = lines[i]
        if not quoted and '"' not in line:
            return i + 1, True
        cell_start, closed = not quoted, False
        j = 0
        while j < len(line):
            ch = line[j]
            if quoted:
                if ch == '"':
                    if line[j + 1 : j + 2] == '"':
                        j += 2
                        continue
                    quoted, closed = False, True
            elif ch == ",":
                cell_start, closed = True, False
            elif ch == '"' and cell_start:
                quoted, cell_start = True, False
            elif ch not in "\r\n":
                if closed and i > start:
                    return i + 1, False
                cell_start = False
            j += 1
        if not quoted:
            return i + 1, True
    return len(lines), False


IMPORTER = Importer(name="csv", suffixes=(".csv",), read=read_csv, one_document=False)
