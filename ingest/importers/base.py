"""What every importer shares: the records and problems it yields, the load options and
limits, the source identity of a file, and the checks and errors a reader raises.

A reader raises ``LoaderError`` (a sentence for the person importing) for a file it cannot
read at all, and yields a ``LoadProblem`` for a record it cannot read: a bad file or line is
reported and the batch goes on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    aliases: list[str] = field(default_factory=list)  # ids earlier versions gave it


@dataclass
class LoadProblem:
    """Something that could not be read, with a one-line reason."""

    origin: str
    message: str


Loaded = LoadedRecord | LoadProblem


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


class LoaderError(Exception):
    """A file that cannot be imported at all; the message is a sentence naming the fix."""


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
    """Identity and label of a file imported from the folder ``root``.

    Args:
        path: The file.
        root: The folder it was found in (its parent when the file was given by itself).

    Returns:
        The file's identity (its resolved path) and label (its path below ``root``).
    """
    try:
        label = path.relative_to(root).as_posix()
    except ValueError:
        label = path.name
    return Origin(identity=path.resolve().as_posix(), label=label)


def one_document(
    origin: str, sid: Origin, text: str, title: str | None, options: LoadOptions
) -> Iterator[Loaded]:
    """The record of a file that is one document, or the problem with its text.

    Args:
        origin: The file, as problems name it.
        sid: The file's source identity.
        text: The document's text.
        title: Its title, when the format has one.
        options: The limits.

    Yields:
        One ``LoadedRecord``, or one ``LoadProblem`` when the text is empty or too long.
    """
    problem = check_text(text, options)
    if problem:
        yield LoadProblem(origin, problem)
    else:
        yield LoadedRecord(origin=origin, text=text, title=title, **sid.record())


def check_text(text: str, options: LoadOptions) -> str | None:
    """Why a document's text cannot be imported (empty, or over the limit), or None."""
    if not text.strip():
        return "no text to import"
    if len(text) > options.max_document_chars:
        return too_long(len(text), options)
    return None


def decode_text(data: bytes) -> str:
    """A text file's bytes as text.

    Raises:
        LoaderError: The bytes look binary, or are not UTF-8.
    """
    if b"\x00" in data[:8192]:
        raise LoaderError("looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LoaderError(
            f"is not valid UTF-8 (bad byte at position {exc.start}); save it as UTF-8"
        ) from None


def bounded_join(pieces: Iterable[str], options: LoadOptions) -> str:
    """Pieces of a document (paragraphs, pages) joined by blank lines, read only until the
    text is over the document limit: a huge file is refused before all of it is extracted.

    Raises:
        LoaderError: The text is over ``max_document_chars``.
    """
    parts: list[str] = []
    size = 0
    for piece in pieces:
        parts.append(piece)
        size += len(piece) + 2
        if size > options.max_document_chars:
            raise LoaderError(too_long(size, options, at_least=True))
    return "\n\n".join(parts)


def human_size(n: int) -> str:
    """A byte count as people read it in a limit's message (``60 MB``, ``1 KB``)."""
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n / 1024:,.0f} KB"


def too_long(size: int, options: LoadOptions, at_least: bool = False) -> str:
    """The sentence for a document over the text limit."""
    more = "more than " if at_least else ""
    return (
        f"text is {more}{size:,} characters; the limit is {options.max_document_chars:,} "
        "per document (split it)"
    )


def field_list(value: Any) -> list[str]:
    """A record's tags, given as a list or a comma-separated string.

    Raises:
        ValueError: Any other shape.
    """
    if value is None:
        return []
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    if isinstance(value, list):
        return [str(t).strip() for t in value if str(t).strip()]
    raise ValueError("tags must be a list or a comma-separated string")


def opt_str(value: Any) -> str | None:
    """A field's value as stripped text, None when absent or blank."""
    if value is None:
        return None
    value = str(value).strip()
    return value or None
