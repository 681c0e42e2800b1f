"""The importers seam: which files an import covers, and the records in each file.

The records, options and problems are plain data (``ingest.importers.base``); reading a
file's format is the adapter's (``ingest.importers``, one module per format in a registry).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Protocol

from ingest.importers.base import Loaded, LoadOptions, LoadProblem


class Importers(Protocol):
    """Reads files of every registered format into records."""

    def discover(self, paths: Sequence[Path]) -> Iterator[tuple[Path, Path] | LoadProblem]:
        """Files to import, each with the root its source id is relative to, or a problem."""
        ...

    def load_file(self, path: Path, root: Path, options: LoadOptions) -> Iterator[Loaded]:
        """Records in one file; problems are yielded, never raised."""
        ...
