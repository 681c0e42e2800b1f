"""Read reflections from files: .md, .txt, .docx, .pdf (one document each), .csv and .jsonl (many).

Loaders yield records or problems; a bad file or line is reported and the batch goes on.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    """Limits and column choices for loading."""

    csv: CsvOptions = CsvOptions()
    max_file_bytes: int = 10 * MB
    max_document_chars: int = 100_000


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


def source_id_for(path: Path, root: Path) -> str:
    """Stable id of a file: its path below the folder it was imported from.

    Importing a folder or one of its files by itself gives the same id for the same file.
    """
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.name


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
            yield from _one(origin, sid, _read_docx(path), None, options)
        elif ext == ".pdf":
            yield from _one(origin, sid, _read_pdf(path), None, options)
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
    origin: str, sid: str, text: str, title: str | None, options: LoadOptions
) -> Iterator[LoadedRecord | LoadProblem]:
    problem = _check_text(text, options)
    if problem:
        yield LoadProblem(origin, problem)
    else:
        yield LoadedRecord(origin=origin, source_id=sid, text=text, title=title)


def _check_text(text: str, options: LoadOptions) -> str | None:
    if not text.strip():
        return "no text to import"
    if len(text) > options.max_document_chars:
        return (
            f"text is {len(text):,} characters; the limit is {options.max_document_chars:,} "
            "per document (split it)"
        )
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


def _read_docx(path: Path) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, ValueError, KeyError) as exc:
        raise _UnreadableError(f"is not a readable .docx file ({exc})") from None
    except Exception as exc:  # zipfile.BadZipFile and friends
        raise _UnreadableError(f"is not a readable .docx file ({type(exc).__name__})") from None
    return "\n\n".join(p.text for p in document.paragraphs if p.text.strip())


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise _UnreadableError("is an encrypted PDF; remove the password and import it again")
        text = "\n\n".join((page.extract_text() or "").strip() for page in reader.pages)
    except PdfReadError as exc:
        raise _UnreadableError(f"is not a readable PDF ({exc})") from None
    if not text.strip():
        raise _UnreadableError("PDF has no text layer (a scan?); export it with text and try again")
    return text


def _field_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    if isinstance(value, list):
        return [str(t).strip() for t in value if str(t).strip()]
    raise ValueError("tags must be a list or a comma-separated string")


def _read_jsonl(path: Path, sid: str, options: LoadOptions) -> Iterator[LoadedRecord | LoadProblem]:
    with path.open("rb") as fh:
        head = fh.read(8192)
        if b"\x00" in head:
            raise _UnreadableError("looks like a binary file, not JSON lines")
        fh.seek(0)
        for n, raw in enumerate(fh, start=1):
            origin = f"{path}:{n}"
            if not raw.strip():
                continue
            try:
                obj = json.loads(raw.decode("utf-8-sig"))
            except UnicodeDecodeError:
                yield LoadProblem(origin, "line is not valid UTF-8")
                continue
            except json.JSONDecodeError as exc:
                yield LoadProblem(origin, f"not valid JSON ({exc.msg} at column {exc.colno})")
                continue
            if not isinstance(obj, dict):
                yield LoadProblem(origin, "each line must be a JSON object")
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
            yield LoadedRecord(
                origin=origin,
                source_id=str(ident) if ident not in (None, "") else f"{sid}#line{n}",
                text=text,
                title=_opt_str(obj.get("title")),
                kind=_opt_str(obj.get("kind")),
                author=_opt_str(obj.get("author")),
                created_at=_opt_str(obj.get("created_at")),
                tags=tags,
                visibility=_opt_str(obj.get("visibility")),
                debrief={k: str(obj[k]) for k in DEBRIEF_FIELDS if obj.get(k) not in (None, "")},
                source_label=_opt_str(obj.get("source")),
            )


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    value = str(value).strip()
    return value or None


def _read_csv(path: Path, sid: str, options: LoadOptions) -> Iterator[LoadedRecord | LoadProblem]:
    opts = options.csv
    data = path.read_bytes()
    text = _decode(data)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    if not header:
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
    try:
        for n, row in enumerate(reader, start=2):
            origin = f"{path}:{n}"
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
            yield LoadedRecord(
                origin=origin,
                source_id=ident.strip() if ident and ident.strip() else f"{sid}#row{n}",
                text=body,
                title=_opt_str(row.get(opts.title_col)) if opts.title_col else None,
                author=_opt_str(row.get(opts.author_col)) if opts.author_col else None,
                kind=_opt_str(row.get("kind")),
                created_at=_opt_str(row.get("created_at")),
                tags=_field_list(row.get("tags")),
                visibility=_opt_str(row.get("visibility")),
                debrief={k: row[k] for k in DEBRIEF_FIELDS if row.get(k)},
            )
    except csv.Error as exc:
        raise _UnreadableError(f"CSV is malformed ({exc})") from None
