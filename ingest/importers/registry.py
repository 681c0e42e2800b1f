"""Which importer reads a file: by its suffix, else by sniffing its first bytes.

An ``Importer`` names the suffixes it reads, its reader and, when its format has a
signature, a sniffer. A registry holds them; ``ingest.importers`` keeps the default one,
with the built-in formats registered in one place.

Sniffing is for a file given by itself whose suffix is unknown or absent (``export`` with
JSON lines in it, ``scan.PDF.bak``). Files found in a folder are picked by suffix alone, so
that a folder's stray files (a ``README``, a ``.bin``) are skipped as before.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from ingest.importers.base import (
    MB,
    Loaded,
    LoaderError,
    LoadOptions,
    LoadProblem,
    Origin,
    source_id_for,
)

# How much of a file a sniffer sees: enough for any magic number or a first record.
SNIFF_BYTES = 8192

Reader = Callable[[Path, Origin, LoadOptions], Iterable[Loaded]]
Sniffer = Callable[[bytes], bool]


@dataclass(frozen=True)
class Importer:
    """One file format.

    Attributes:
        name: Short name (``"pdf"``), unique in a registry.
        suffixes: Lower-case suffixes it reads, with the dot (``".md"``, ``".slack.json"``).
        read: Yields the file's records and problems; raises ``LoaderError`` for a file it
            cannot read at all.
        one_document: Each file is one document, so the file size limit
            (``max_file_bytes``) applies before reading; formats of many records bound
            each record instead.
        sniff: Given a file's first ``SNIFF_BYTES``, whether they are this format; None for
            formats without a signature (plain text, CSV).
    """

    name: str
    suffixes: tuple[str, ...]
    read: Reader
    one_document: bool = True
    sniff: Sniffer | None = None


class UnsupportedFormatError(LoaderError):
    """No importer reads this file; the message names the formats that are supported."""


class ImporterRegistry:
    """Importers by name and suffix."""

    def __init__(self, importers: Iterable[Importer] = ()) -> None:
        self._by_name: dict[str, Importer] = {}
        self._by_suffix: dict[str, Importer] = {}
        for importer in importers:
            self.register(importer)

    def register(self, importer: Importer, replace: bool = False) -> Importer:
        """Add an importer.

        Args:
            importer: The format to add.
            replace: Let it take over a name or suffixes already registered.

        Returns:
            The importer (so a module can register at import and keep the value).

        Raises:
            ValueError: Its name or a suffix is taken (without ``replace``), or a suffix
                does not start with a dot.
        """
        bad = [s for s in importer.suffixes if not s.startswith(".") or s != s.lower()]
        if bad:
            raise ValueError(f"importer {importer.name!r}: suffix {bad[0]!r} should be like '.md'")
        if not replace:
            taken = [s for s in importer.suffixes if s in self._by_suffix]
            if importer.name in self._by_name or taken:
                what = f"suffix {taken[0]!r}" if taken else f"name {importer.name!r}"
                raise ValueError(f"an importer for {what} is already registered")
        self.unregister(importer.name)
        self._by_name[importer.name] = importer
        for suffix in importer.suffixes:
            self._by_suffix[suffix] = importer
        return importer

    def unregister(self, name: str) -> None:
        """Remove the importer of this name, if any (and its suffixes)."""
        gone = self._by_name.pop(name, None)
        if gone is not None:
            self._by_suffix = {s: i for s, i in self._by_suffix.items() if i is not gone}

    def __iter__(self) -> Iterator[Importer]:
        """The importers, in registration order."""
        return iter(list(self._by_name.values()))

    def names(self) -> list[str]:
        """Registered importers' names, in registration order."""
        return list(self._by_name)

    def suffixes(self) -> list[str]:
        """Every suffix some importer reads, sorted (as error messages list them)."""
        return sorted(self._by_suffix)

    def by_suffix(self, path: Path) -> Importer | None:
        """The importer for ``path``'s suffix, the longest registered one first
        (``notes.slack.json`` is a Slack export before it is JSON); None when none is."""
        parts = [s.lower() for s in path.suffixes]
        for i in range(len(parts)):
            importer = self._by_suffix.get("".join(parts[i:]))
            if importer is not None:
                return importer
        return None

    def by_content(self, head: bytes) -> Importer | None:
        """The importer whose sniffer recognises these first bytes of a file; the last
        registered is asked first, so a specific format (a Slack export) added later wins
        over the generic one it resembles (JSON lines)."""
        for importer in reversed(self._by_name.values()):
            if importer.sniff is not None and importer.sniff(head):
                return importer
        return None

    def importer_for(self, path: Path) -> Importer:
        """The importer that reads ``path``: by suffix, else by sniffing its content.

        Raises:
            UnsupportedFormatError: None fits; the message lists the supported suffixes.
            OSError: The file could not be read to sniff it.
        """
        importer = self.by_suffix(path)
        if importer is None:
            with path.open("rb") as fh:
                importer = self.by_content(fh.read(SNIFF_BYTES))
        if importer is None:
            raise UnsupportedFormatError(
                f"unsupported file type {path.suffix or '(none)'!r}; "
                f"use one of {', '.join(self.suffixes())}"
            )
        return importer

    def discover(self, paths: Sequence[Path]) -> Iterator[tuple[Path, Path] | LoadProblem]:
        """Files to import, each with the root its source id is relative to, or a problem.

        Args:
            paths: Files and folders, as given; a folder's files are found below it.

        Yields:
            ``(file, root)`` for each file an importer reads, or a ``LoadProblem`` for a
            path that does not exist or that no importer reads.
        """
        for given in paths:
            if not given.exists():
                yield LoadProblem(str(given), "no such file or folder")
            elif given.is_dir():
                files = sorted(
                    p for p in given.rglob("*") if p.is_file() and not p.name.startswith(".")
                )
                for f in files:
                    if self.by_suffix(f) is not None:
                        yield f, given
            else:
                try:
                    self.importer_for(given)
                except UnsupportedFormatError as exc:
                    yield LoadProblem(str(given), str(exc))
                except OSError as exc:
                    yield LoadProblem(str(given), _unreadable(exc))
                else:
                    yield given, given.parent

    def load_file(self, path: Path, root: Path, options: LoadOptions) -> Iterator[Loaded]:
        """Records in one file; problems are yielded, never raised.

        Args:
            path: The file.
            root: The folder its source id is relative to (see ``source_id_for``).
            options: Limits and CSV column choices.

        Yields:
            Each record read, and a ``LoadProblem`` for each file or record that could not be.
        """
        sid = source_id_for(path, root)
        origin = str(path)
        try:
            size = path.stat().st_size
            if size == 0:
                yield LoadProblem(origin, "file is empty")
                return
            importer = self.importer_for(path)
            if importer.one_document and size > options.max_file_bytes:
                yield LoadProblem(
                    origin,
                    f"file is {size / MB:.1f} MB; the limit for one document is "
                    f"{options.max_file_bytes / MB:.0f} MB (split it into smaller files)",
                )
                return
            yield from importer.read(path, sid, options)
        except LoaderError as exc:
            yield LoadProblem(origin, str(exc))
        except OSError as exc:
            yield LoadProblem(origin, _unreadable(exc))


def _unreadable(exc: OSError) -> str:
    return f"cannot read file ({exc.strerror or exc})"
