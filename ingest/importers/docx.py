"""Word documents (``.docx``): one document, its non-empty paragraphs joined.

A .docx is a zip archive: its declared sizes are checked before anything is inflated, so a
zip bomb is refused without the work or the memory it would cost.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ingest.importers.base import (
    MB,
    Loaded,
    LoaderError,
    LoadOptions,
    Origin,
    bounded_join,
    human_size,
    one_document,
)
from ingest.importers.registry import Importer


def read_docx(path: Path, sid: Origin, options: LoadOptions) -> Iterator[Loaded]:
    """The document's paragraphs as one untitled document.

    Raises:
        LoaderError: The archive is over a limit, or is not a readable Word document.
    """
    # Imported here: python-docx (and lxml) load only when a .docx is imported.
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_archive(path, options)
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, ValueError, KeyError) as exc:
        raise LoaderError(f"is not a readable .docx file ({exc})") from None
    except Exception as exc:  # zipfile.BadZipFile and friends
        raise LoaderError(f"is not a readable .docx file ({type(exc).__name__})") from None
    text = bounded_join((p.text for p in document.paragraphs if p.text.strip()), options)
    yield from one_document(str(path), sid, text, None, options)


def check_archive(path: Path, options: LoadOptions) -> None:
    """Refuse a zip bomb before anything is inflated. The sizes a .docx declares are the
    most its parts can inflate to (``zipfile`` stops each part at its declared size and fails
    on a mismatch), so checking them bounds the work and the memory.

    Raises:
        LoaderError: Not a zip archive, or over the parts, size or compression limit.
    """
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise LoaderError(f"is not a readable .docx file ({type(exc).__name__})") from None
    if len(infos) > options.max_archive_entries:
        raise LoaderError(
            f"holds {len(infos):,} parts; a .docx may hold {options.max_archive_entries:,} "
            "(is it really a Word document?)"
        )
    inflated = sum(i.file_size for i in infos)
    if inflated > options.max_archive_bytes:
        raise LoaderError(
            f"inflates to {human_size(inflated)}; the limit is "
            f"{human_size(options.max_archive_bytes)} (save a smaller document)"
        )
    for i in infos:
        ratio = i.file_size / max(i.compress_size, 1)
        if i.file_size > MB and ratio > options.max_compression_ratio:
            raise LoaderError(
                f"part {i.filename!r} is compressed {ratio:,.0f} to 1; a document's parts "
                f"are at most {options.max_compression_ratio} to 1 (a zip bomb?)"
            )


def looks_like_docx(head: bytes) -> bool:
    """A zip archive with a Word part among its first entries (an .xlsx or .pptx has none:
    their parts live under ``xl/`` and ``ppt/``)."""
    return head.startswith(b"PK\x03\x04") and b"word/" in head


IMPORTER = Importer(name="docx", suffixes=(".docx",), read=read_docx, sniff=looks_like_docx)
