"""Plain text files (``.txt``): the whole file is one document, without a title.

Plain text has no signature, so there is no sniffer: a file of unknown type is not taken
for text just because it decodes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ingest.importers.base import Loaded, LoadOptions, Origin, decode_text, one_document
from ingest.importers.registry import Importer


def read_text(path: Path, sid: Origin, options: LoadOptions) -> Iterator[Loaded]:
    """The file as one untitled document.

    Raises:
        LoaderError: The file is binary or not UTF-8.
    """
    yield from one_document(str(path), sid, decode_text(path.read_bytes()), None, options)


IMPORTER = Importer(name="text", suffixes=(".txt",), read=read_text)
