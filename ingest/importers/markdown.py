"""Markdown files (``.md``, ``.markdown``): one document, titled by its first ``# `` heading."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ingest.importers.base import Loaded, LoadOptions, Origin, decode_text, one_document
from ingest.importers.registry import Importer


def markdown_title(text: str) -> str | None:
    """The text of the first level-one heading (``# Title``), or None."""
    for line in text.splitlines():
        if line.startswith("# "):
            return line[2:].strip() or None
    return None


def read_markdown(path: Path, sid: Origin, options: LoadOptions) -> Iterator[Loaded]:
    """The file as one document, titled by its first heading.

    Raises:
        LoaderError: The file is binary or not UTF-8.
    """
    text = decode_text(path.read_bytes())
    yield from one_document(str(path), sid, text, markdown_title(text), options)


IMPORTER = Importer(name="markdown", suffixes=(".md", ".markdown"), read=read_markdown)
