"""Read reflections from files: .md, .txt, .docx, .pdf (one document each), .csv and .jsonl (many).

Loaders yield records or problems; a bad file or line is reported and the batch goes on.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

SINGLE_DOCUMENT = {".md", ".markdown", ".txt", ".docx", ".pdf"}
MANY_DOCUMENTS = {".csv", ".jsonl"}
SUPPORTED = SINGLE_DOCUMENT | MANY_DOCUMENTS
DEBRIEF_FIELDS = (
    "function",
    "market",
    "start_date",
    "end_date",
    "anchor_project",
    "strategic_goal",
)
MB = 1024 * 1024
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


@dataclass
class LoadedRecord:
    """One document read from a file, before validation."""

    origin: str
    source_id: str
    text: str
    title: str | None = None
    kind: str | None = None
    author: str | None = None
    created_at: str | None = None
    tags: list[str] = field(default_factory=list)
    visibility: str | None = None
    debrief: dict[str, str] = field(default_factory=dict)
    source_label: str | None = None  # where it came from, as people read it (JSONL "source")
    aliases: list[str] = field(default_factory=list)  # ids earlier versions gave it


@dataclass
class LoadProblem:
    """Something that could not be read, with a one-line reason."""

    origin: str
    message: str


@dataclass(frozen=True)
class CsvOptions:
    """Which CSV columns hold what."""

    text_cols: tuple[str, ...] = ()
    id_col: str | None = None
    author_col: str | None = None
    title_col: str | None = None
    null_values: tuple[str, ...] = ()
    multi_sep: str | None = None


@dataclass(frozen=True)
class LoadOptions:
    """Limits and column choices for loading. Every limit is checked before the work it
    bounds (an archive's sizes before it is inflated, a line's nesting before it is parsed),
    and a record over one fails alone, with a sentence naming the limit."""

    csv: CsvOptions = CsvOptions()
    max_file_bytes: int = 10 * MB  # one .md/.txt/.docx/.pdf file, as stored on disk
    max_document_chars: int = 100_000  # the text of one document
    max_archive_bytes: int = 50 * MB  # a .docx, all its parts inflated
    max_archive_entries: int = 2_000  # parts in a .docx
    max_compression_ratio: int = 100  # inflated / compressed, per part of a .docx
    max_pdf_pages: int = 500
    max_json_depth: int = 32  # nesting of one JSON line
    max_line_bytes: int = 1 * MB  # one JSON line, or one CSV record
    max_tags: int = 50  # per document (each tag is an index filter)
    max_tag_chars: int = 64


def discover(paths: Sequence[Path]) -> Iterator[tuple[Path, Path] | LoadProblem]:
    """Files to import, each with the root its source id is relative to, or a problem."""
    for given in paths:
        if not given.exists():
            yield LoadProblem(str(given), "no such file or folder")
        elif given.is_dir():
            files = sorted(
                p for p in given.rglob("*") if p.is_file() and not p.name.startswith(".")
            )
            for f in files:
                if f.suffix.lower() in SUPPORTED:
                    yield f, given
        elif given.suffix.lower() not in SUPPORTED:
            yield LoadProblem(
                str(given),
                f"unsupported file type {given.suffix or '(none)'!r}; "
                f"use one of {', '.join(sorted(SUPPORTED))}",
            )
        else:
            yield given, given.parent


@dataclass(frozen=True)
class Origin:
    """Where a file's records come from: ``identity`` tells two files apart (the resolved
    path, so ``q3/notes.md`` and ``q4/notes.md`` never overwrite each other, and importing a
    folder or one of its files gives the same identity), ``label`` is what people read (the
    path below the folder imported, which earlier versions used as the identity)."""

    identity: str
    label: str

    def record(self, suffix: str = "") -> dict[str, Any]:
        """The source fields of a record at ``suffix`` (``#line3``) of this file."""
        label = self.label + suffix
        return {
            "source_id": self.identity + suffix,
            "source_label": label,
            "aliases": [label],
        }


def source_id_for(path: Path, root: Path) -> Origin:
    """Identity and label of a file imported from the folder ``root``."""
    try:
        label = path.relative_to(root).as_posix()
    except ValueError:
        label = path.name
    return Origin(identity=path.resolve().as_posix(), label=label)


def load_file(path: Path, root: Path, options: LoadOptions) -> Iterator[LoadedRecord | LoadProblem]:
    """Records in one file; problems are yielded, never raised."""
    sid = source_id_for(path, root)
    origin = str(path)
    ext = path.suffix.lower()
    try:
        size = path.stat().st_size
        if size == 0:
            yield LoadProblem(origin, "file is empty")
            return
        if ext in SINGLE_DOCUMENT and size > options.max_file_bytes:
            yield LoadProblem(
                origin,
                f"file is {size / MB:.1f} MB; the limit for one document is "
                f"{options.max_file_bytes / MB:.0f} MB (split it into smaller files)",
            )
            return
        if ext in {".md", ".markdown", ".txt"}:
            yield from _one(origin, sid, *_read_text(path), options)
        elif ext == ".docx":
            yield from _one(origin, sid, _read_docx(path, options), None, options)
        elif ext == ".pdf":
            yield from _one(origin, sid, _read_pdf(path, options), None, options)
        elif ext == ".jsonl":
            yield from _read_jsonl(path, sid, options)
        elif ext == ".csv":
            yield from _read_csv(path, sid, options)
    except _UnreadableError as exc:
        yield LoadProblem(origin, str(exc))
    except OSError as exc:
        yield LoadProblem(origin, f"cannot read file ({exc.strerror or exc})")


class _UnreadableError(Exception):
    pass


def _one(
    origin: str, sid: Origin, text: str, title: str | None, options: LoadOptions
) -> Iterator[LoadedRecord | LoadProblem]:
    problem = _check_text(text, options)
    if problem:
        yield LoadProblem(origin, problem)
    else:
        yield LoadedRecord(origin=origin, text=text, title=title, **sid.record())


def _check_text(text: str, options: LoadOptions) -> str | None:
    if not text.strip():
        return "no text to import"
    if len(text) > options.max_document_chars:
        return _too_long(len(text), options)
    return None


def _decode(data: bytes) -> str:
    if b"\x00" in data[:8192]:
        raise _UnreadableError("looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _UnreadableError(
            f"is not valid UTF-8 (bad byte at position {exc.start}); save it as UTF-8"
        ) from None


def _read_text(path: Path) -> tuple[str, str | None]:
    text = _decode(path.read_bytes())
    title = None
    if path.suffix.lower() in {".md", ".markdown"}:
        for line in text.splitlines():
            if line.startswith("# "):
                title = line[2:].strip() or None
                break
    return text, title


def _read_docx(path: Path, options: LoadOptions) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    _check_archive(path, options)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, ValueError, KeyError) as exc:
        raise _UnreadableError(f"is not a readable .docx file ({exc})") from None
    except Exception as exc:  # zipfile.BadZipFile and friends
        raise _UnreadableError(f"is not a readable .docx file ({type(exc).__name__})") from None
    return _bounded_join((p.text for p in document.paragraphs if p.text.strip()), options)


def _bounded_join(pieces: Iterable[str], options: LoadOptions) -> str:
    """Pieces of a document (paragraphs, pages) joined by blank lines, read only until the
    text is over the document limit: a huge file is refused before all of it is extracted."""
    parts: list[str] = []
    size = 0
    for piece in pieces:
        parts.append(piece)
        size += len(piece) + 2
        if size > options.max_document_chars:
            raise _UnreadableError(_too_long(size, options, at_least=True))
    return "\n\n".join(parts)


def _check_archive(path: Path, options: LoadOptions) -> None:
    """Refuse a zip bomb before anything is inflated. The sizes a .docx declares are the
    most its parts can inflate to (``zipfile`` stops each part at its declared size and fails
    on a mismatch), so checking them bounds the work and the memory."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise _UnreadableError(f"is not a readable .docx file ({type(exc).__name__})") from None
    if len(infos) > options.max_archive_entries:
        raise _UnreadableError(
            f"holds {len(infos):,} parts; a .docx may hold {options.max_archive_entries:,} "
            "(is it really a Word document?)"
        )
    inflated = sum(i.file_size for i in infos)
    if inflated > options.max_archive_bytes:
        raise _UnreadableError(
            f"inflates to {_size(inflated)}; the limit is {_size(options.max_archive_bytes)} "
            "(save a smaller document)"
        )
    for i in infos:
        ratio = i.file_size / max(i.compress_size, 1)
        if i.file_size > MB and ratio > options.max_compression_ratio:
            raise _UnreadableError(
                f"part {i.filename!r} is compressed {ratio:,.0f} to 1; a document's parts "
                f"are at most {options.max_compression_ratio} to 1 (a zip bomb?)"
            )


def _read_pdf(path: Path, options: LoadOptions) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise _UnreadableError("is an encrypted PDF; remove the password and import it again")
        pages = len(reader.pages)
        if pages > options.max_pdf_pages:
            raise _UnreadableError(
                f"has {pages:,} pages; the limit is {options.max_pdf_pages:,} (split it)"
            )
        pieces = ((page.extract_text() or "").strip() for page in reader.pages)
        text = _bounded_join(pieces, options)
    except PdfReadError as exc:
        raise _UnreadableError(f"is not a readable PDF ({exc})") from None
    except (ValueError, KeyError, TypeError, RecursionError, OSError) as exc:
        raise _UnreadableError(f"is not a readable PDF ({type(exc).__name__})") from None
    if not text.strip():
        raise _UnreadableError("PDF has no text layer (a scan?); export it with text and try again")
    return text


def _size(n: int) -> str:
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n / 1024:,.0f} KB"


def _too_long(size: int, options: LoadOptions, at_least: bool = False) -> str:
    more = "more than " if at_least else ""
    return (
        f"text is {more}{size:,} characters; the limit is {options.max_document_chars:,} "
        "per document (split it)"
    )


def _field_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    if isinstance(value, list):
        return [str(t).strip() for t in value if str(t).strip()]
    raise ValueError("tags must be a list or a comma-separated string")


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


def _read_jsonl(
    path: Path, sid: Origin, options: LoadOptions
) -> Iterator[LoadedRecord | LoadProblem]:
    with path.open("rb") as fh:
        head = fh.read(8192)
        if b"\x00" in head:
            raise _UnreadableError("looks like a binary file, not JSON lines")
        fh.seek(0)
        for n, raw in _lines(fh, options.max_line_bytes):
            origin = f"{path}:{n}"
            if raw is None:
                yield LoadProblem(
                    origin,
                    f"line is longer than {_size(options.max_line_bytes)}; split the record",
                )
                continue
            if not raw.strip():
                continue
            if _nesting(raw, options.max_json_depth) > options.max_json_depth:
                yield LoadProblem(
                    origin,
                    f"JSON nests deeper than {options.max_json_depth} levels; "
                    "a record is one flat object",
                )
                continue
            try:
                obj = json.loads(raw.decode("utf-8-sig"))
            except UnicodeDecodeError:
                yield LoadProblem(origin, "line is not valid UTF-8")
                continue
            except json.JSONDecodeError as exc:
                yield LoadProblem(origin, f"not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            except RecursionError:  # pragma: no cover - the nesting check comes first
                yield LoadProblem(origin, "JSON nests too deeply; a record is one flat object")
                continue
            if not isinstance(obj, dict):
                yield LoadProblem(origin, "each line must be a JSON object")
                continue
            bad = _bad_character(obj)
            if bad:
                yield LoadProblem(origin, bad)
                continue
            text = obj.get("text")
            if not isinstance(text, str):
                yield LoadProblem(origin, "missing the required 'text' field (a string)")
                continue
            problem = _check_text(text, options)
            if problem:
                yield LoadProblem(origin, problem)
                continue
            try:
                tags = _field_list(obj.get("tags"))
            except ValueError as exc:
                yield LoadProblem(origin, str(exc))
                continue
            ident = obj.get("id")
            source = (
                {"source_id": str(ident), "source_label": _opt_str(obj.get("source"))}
                if ident not in (None, "")
                else sid.record(f"#line{n}")
            )
            yield LoadedRecord(
                origin=origin,
                text=text,
                title=_opt_str(obj.get("title")),
                kind=_opt_str(obj.get("kind")),
                author=_opt_str(obj.get("author")),
                created_at=_opt_str(obj.get("created_at")),
                tags=tags,
                visibility=_opt_str(obj.get("visibility")),
                debrief={k: str(obj[k]) for k in DEBRIEF_FIELDS if obj.get(k) not in (None, "")},
                **source,
            )


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


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


def _read_csv(
    path: Path, sid: Origin, options: LoadOptions
) -> Iterator[LoadedRecord | LoadProblem]:
    opts = options.csv
    text = _decode(path.read_bytes())
    records = _csv_records(text)
    first = next(records, None)
    header = next(csv.reader([first[1]]), []) if first and not first[2] else []
    header = [h.strip() for h in header]
    if not any(header):
        raise _UnreadableError("CSV has no header row")
    text_cols = opts.text_cols or (("text",) if "text" in header else ())
    if not text_cols:
        raise _UnreadableError(
            "no 'text' column; name the text column(s) with --text-col "
            f"(columns: {', '.join(header)})"
        )
    named = [*text_cols, opts.id_col, opts.author_col, opts.title_col]
    missing = [c for c in named if c and c not in header]
    if missing:
        raise _UnreadableError(
            f"column {missing[0]!r} not found; the file has: {', '.join(header)}"
        )
    nulls = {v.strip().lower() for v in opts.null_values}
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
                f"row is longer than {_size(options.max_line_bytes)} (line {line}); "
                "split the record",
            )
            continue
        try:
            fields = next(csv.reader(io.StringIO(record, newline="")), [])
        except csv.Error as exc:
            yield LoadProblem(origin, f"row is malformed ({exc}; line {line})")
            continue
        row = dict(zip(header, fields, strict=False))
        parts = []
        for col in text_cols:
            cell = row.get(col) or ""
            for piece in cell.split(opts.multi_sep) if opts.multi_sep else [cell]:
                answer = piece.strip()
                if answer and answer.lower() not in nulls:
                    parts.append(answer)
        body = "\n\n".join(parts)
        problem = _check_text(body, options)
        if problem:
            yield LoadProblem(origin, problem)
            continue
        ident = row.get(opts.id_col) if opts.id_col else None
        try:
            tags = _field_list(row.get("tags"))
        except ValueError as exc:
            yield LoadProblem(origin, str(exc))
            continue
        source = {"source_id": ident.strip()} if ident and ident.strip() else sid.record(f"#row{n}")
        yield LoadedRecord(
            origin=origin,
            text=body,
            title=_opt_str(row.get(opts.title_col)) if opts.title_col else None,
            author=_opt_str(row.get(opts.author_col)) if opts.author_col else None,
            kind=_opt_str(row.get("kind")),
            created_at=_opt_str(row.get("created_at")),
            tags=tags,
            visibility=_opt_str(row.get("visibility")),
            debrief={k: row[k] for k in DEBRIEF_FIELDS if row.get(k)},
            **source,
        )
