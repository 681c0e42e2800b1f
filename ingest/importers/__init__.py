"""Importers: read reflections from files, one module per format, chosen by a registry.

The formats built in are registered below, in one place: a new format (a Slack export,
say) is one module defining an ``Importer``, imported below and listed in ``_BUILT_IN``.
Code outside can also ``register`` an importer at run time (tests do).

Importers yield records or problems; a bad file or line is reported and the batch goes on.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from ingest.importers import csv_rows, docx, json_records, markdown, pdf, text
from ingest.importers.base import (
    DEBRIEF_FIELDS,
    MB,
    CsvOptions,
    Loaded,
    LoadedRecord,
    LoaderError,
    LoadOptions,
    LoadProblem,
    Origin,
    source_id_for,
)
from ingest.importers.registry import Importer, ImporterRegistry, UnsupportedFormatError

__all__ = [
    "DEBRIEF_FIELDS",
    "MB",
    "REGISTRY",
    "CsvOptions",
    "Importer",
    "ImporterRegistry",
    "LoadOptions",
    "LoadProblem",
    "Loaded",
    "LoadedRecord",
    "LoaderError",
    "Origin",
    "UnsupportedFormatError",
    "discover",
    "importer_for",
    "load_file",
    "register",
    "source_id_for",
    "unregister",
]

# Generic formats first: sniffers are asked newest first, so a specific format registered
# later is recognised before a generic one it resembles.
_BUILT_IN = (
    text.IMPORTER,
    markdown.IMPORTER,
    csv_rows.IMPORTER,
    json_records.IMPORTER,
    docx.IMPORTER,
    pdf.IMPORTER,
)

REGISTRY = ImporterRegistry(_BUILT_IN)


def register(importer: Importer, replace: bool = False) -> Importer:
    """Add an importer to the default registry (see ``ImporterRegistry.register``)."""
    return REGISTRY.register(importer, replace=replace)


def unregister(name: str) -> None:
    """Remove an importer from the default registry, if it is there."""
    REGISTRY.unregister(name)


def importer_for(path: Path) -> Importer:
    """The importer that reads ``path``, by suffix, else by sniffing its content.

    Raises:
        UnsupportedFormatError: None fits; the message lists the supported suffixes.
        OSError: The file could not be read to sniff it.
    """
    return REGISTRY.importer_for(path)


def discover(paths: Sequence[Path]) -> Iterator[tuple[Path, Path] | LoadProblem]:
    """Files to import, each with the root its source id is relative to, or a problem
    (see ``ImporterRegistry.discover``)."""
    return REGISTRY.discover(paths)


def load_file(path: Path, root: Path, options: LoadOptions) -> Iterator[Loaded]:
    """Records in one file; problems are yielded, never raised (see
    ``ImporterRegistry.load_file``)."""
    return REGISTRY.load_file(path, root, options)
