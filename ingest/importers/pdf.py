"""PDF files (``.pdf``): one document, the text layer of its pages joined.

Page count and text length are checked while reading, so a huge PDF is refused before all
of it is extracted.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ingest.importers.base import (
    Loaded,
    LoaderError,
    LoadOptions,
    Origin,
    bounded_join,
    one_document,
)
from ingest.importers.registry import Importer


def read_pdf(path: Path, sid: Origin, options: LoadOptions) -> Iterator[Loaded]:
    """The PDF's text as one untitled document.

    Raises:
        LoaderError: Encrypted, over the page or text limit, unreadable, or without text.
    """
    # Imported here: pypdf loads only when a PDF is imported.
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted:
            raise LoaderError("is an encrypted PDF; remove the password and import it again")
        pages = len(reader.pages)
        if pages > options.max_pdf_pages:
            raise LoaderError(
                f"has {pages:,} pages; the limit is {options.max_pdf_pages:,} (split it)"
            )
        pieces = ((page.extract_text() or "").strip() for page in reader.pages)
        text = bounded_join(pieces, options)
    except PdfReadError as exc:
        raise LoaderError(f"is not a readable PDF ({exc})") from None
    except (ValueError, KeyError, TypeError, RecursionError, OSError) as exc:
        raise LoaderError(f"is not a readable PDF ({type(exc).__name__})") from None
    if not text.strip():
        raise LoaderError("PDF has no text layer (a scan?); export it with text and try again")
    yield from one_document(str(path), sid, text, None, options)


def looks_like_pdf(head: bytes) -> bool:
    """The PDF header, which readers accept anywhere in the first kilobyte."""
    return b"%PDF-" in head[:1024]


IMPORTER = Importer(name="pdf", suffixes=(".pdf",), read=read_pdf, sniff=looks_like_pdf)
