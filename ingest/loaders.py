"""Compatibility: the importers moved to ``ingest.importers`` (one module per format, in a
registry). This module keeps the names code imported from ``ingest.loaders``."""

from __future__ import annotations

from ingest.importers import (
    DEBRIEF_FIELDS,
    MB,
    CsvOptions,
    LoadedRecord,
    LoaderError,
    LoadOptions,
    LoadProblem,
    Origin,
    discover,
    load_file,
    source_id_for,
)

__all__ = [
    "DEBRIEF_FIELDS",
    "MB",
    "CsvOptions",
    "LoadOptions",
    "LoadProblem",
    "LoadedRecord",
    "LoaderError",
    "Origin",
    "discover",
    "load_file",
    "source_id_for",
]
