"""Use cases: import, search, export, delete. Callers are the CLI and the Streamlit pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.importers.base import LoadedRecord, LoadOptions, LoadProblem
from ingest.pipeline import IngestPipeline
from playbook.failures import explain, first_line
from playbook.models import (
    DebriefFields,
    DocumentInfo,
    Kind,
    NewDocument,
    Principal,
    Role,
    SearchFilters,
    SearchHit,
    StoreError,
    Visibility,
    parse_enum,
    tag_problem,
)
from playbook.permissions import Action, Target, allows, read_scope
from playbook.ports import Directory, Documents, Entries, Importers
from playbook.pseudonyms import Pseudonymizer, RedactionError
from playbook.retrieval import Retriever
from playbook.services.results import DocumentResult, per_document

BATCH = 256


@dataclass(frozen=True)
class ImportOptions:
    """Defaults and choices for an import."""

    as_user: str | None = None
    kind: Kind = Kind.JOURNAL
    visibility: Visibility = Visibility.PRIVATE
    programme: str = "default"
    create_users: bool = False
    load: LoadOptions = field(default_factory=LoadOptions)


@dataclass
class FileReport:
    """Outcome of importing one file."""

    path: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[LoadProblem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing in the file failed."""
        return not self.problems


@dataclass
class ImportReport:
    """Outcome of a whole import."""

    files: dict[str, FileReport] = field(default_factory=dict)
    index_errors: list[str] = field(default_factory=list)

    def file(self, path: str) -> FileReport:
        """The report of one file, created on first use."""
        return self.files.setdefault(path, FileReport(path))

    @property
    def failed(self) -> int:
        """Number of problems across files."""
        return sum(len(f.problems) for f in self.files.values())

    def total(self, what: str) -> int:
        """Sum of created, updated or unchanged across files."""
        return sum(int(getattr(f, what)) for f in self.files.values())


def parse_date(value: str, what: str) -> dt.date:
    """An ISO date (YYYY-MM-DD), or a sentence saying what is wrong."""
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        raise ValueError(f"{what} {value!r} is not a date like 2026-03-31") from None


def parse_datetime(value: str) -> dt.datetime:
    """An ISO date or date-time; naive values are taken as UTC."""
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"created_at {value!r} is not a date like 2026-03-31 or 2026-03-31T09:30"
        ) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def default_title(record: LoadedRecord) -> str:
    """A title when none is given: the file's name, or the first words of the text."""
    if record.title:
        return record.title[:200]
    where = record.source_label or record.source_id
    if "#" not in where:
        return Path(where).stem.replace("_", " ").replace("-", " ")[:200] or "Untitled"
    words = record.text.split()
    head = " ".join(words[:10])
    return head + ("…" if len(words) > 10 else "")


@dataclass(frozen=True)
class Overview:
    """The Home page's numbers and the reader's latest writing (only what they may read)."""

    mine: int  # their own live documents
    shared_with_them: int  # others' documents they may read
    entries: int  # published playbook entries they may read
    recent: tuple[DocumentInfo, ...]  # their own, newest first


class PlaybookService:
    """The application's use cases over the store, the pipeline and the retriever."""

    def __init__(
        self,
        directory: Directory,
        documents: Documents,
        pipeline: IngestPipeline,
        retriever: Retriever,
        importers: Importers,
        entries: Entries | None = None,
        pseudonyms: Pseudonymizer | None = None,
    ) -> None:
        self.importers = importers
        # For search results: an entry's status and verification, an author's placeholder.
        self.entries = entries
        self.pseudonyms = pseudonyms
        self.directory = directory
        self.documents = documents
        self.pipeline = pipeline
        self.retriever = retriever

    # -- import ---------------------------------------------------------------------------

    def import_paths(
        self,
        paths: Sequence[Path],
        options: ImportOptions,
        progress: Callable[[str, int], None] | None = None,
    ) -> ImportReport:
        """Import files and folders; problems are collected per file, never raised."""
        report = ImportReport()
        programme_id = self.directory.ensure_programme(options.programme)
        default_owner = self._default_owner(options)
        members = self.directory.member_ids(programme_id)
        users: dict[str, str] = {}
        batch: list[tuple[LoadedRecord, NewDocument]] = []

        def flush() -> None:
            if batch:
                to_index = self._store_batch(batch, report)
                if to_index:
                    self._index(to_index, report)
                if progress:
                    progress(batch[-1][0].origin, len(batch))
                batch.clear()

        for item in self._records(paths, options.load):
            if isinstance(item, LoadProblem):
                report.file(_file_of(item.origin)).problems.append(item)
                continue
            fr = report.file(_file_of(item.origin))
            try:
                doc = self._to_document(item, options, programme_id, default_owner, users)
                if doc.owner_id not in members:
                    members = self.directory.member_ids(programme_id)  # created by this import?
                if doc.owner_id not in members:
                    raise ValueError(
                        f"the author is not a member of programme {options.programme!r}; "
                        "add them with `playbook users set-role` or import into their programme"
                    )
            except (ValueError, StoreError) as exc:
                fr.problems.append(LoadProblem(item.origin, str(exc)))
                continue
            batch.append((item, doc))
            if len(batch) >= BATCH:
                flush()
        flush()
        return report

    def _records(
        self, paths: Sequence[Path], load: LoadOptions
    ) -> Iterator[LoadedRecord | LoadProblem]:
        for found in self.importers.discover(paths):
            if isinstance(found, LoadProblem):
                yield found
            else:
                yield from self.importers.load_file(found[0], found[1], load)

    def _store_batch(
        self, batch: list[tuple[LoadedRecord, NewDocument]], report: ImportReport
    ) -> list[str]:
        # Two records of one batch with the same owner and source id: the later one wins,
        # as it would across two imports.
        latest: dict[tuple[str, str], tuple[LoadedRecord, NewDocument]] = {}
        for rec, doc in batch:
            latest[(doc.owner_id, doc.source_id)] = (rec, doc)
        items = list(latest.values())
        try:
            results, to_index = self.pipeline.store([d for _, d in items])
        except Exception as exc:  # the store rolled back the batch: find the records at fault
            if len(items) == 1:
                rec = items[0][0]
                report.file(_file_of(rec.origin)).problems.append(
                    LoadProblem(rec.origin, f"not stored: {_reason(exc)}")
                )
                return []
            # One bad record must not cost the others: store them one by one.
            return [doc_id for item in items for doc_id in self._store_batch([item], report)]
        for (rec, _), res in zip(items, results, strict=True):
            fr = report.file(_file_of(rec.origin))
            setattr(fr, res.status, getattr(fr, res.status) + 1)
        return to_index

    def _index(self, document_ids: list[str], report: ImportReport) -> None:
        # The store already holds the batch and its documents stay flagged until indexed, so
        # an indexing error loses nothing: the next start or `playbook reindex` finishes it.
        try:
            self.pipeline.sync(only=document_ids)
        except Exception as exc:
            report.index_errors.append(f"{type(exc).__name__}: {first_line(exc)}")

    def _default_owner(self, options: ImportOptions) -> str | None:
        if options.as_user is None:
            return None
        return self.directory.principal(options.as_user).user_id

    def _to_document(
        self,
        rec: LoadedRecord,
        options: ImportOptions,
        programme_id: str,
        default_owner: str | None,
        users: dict[str, str],
    ) -> NewDocument:
        owner = default_owner
        if rec.author:
            owner = users.get(rec.author) or self._author_id(rec.author, options)
            users[rec.author] = owner
        if owner is None:
            raise ValueError("no author: pass --as USER or give an author for each record")
        kind = parse_enum(Kind, rec.kind, "kind") if rec.kind else options.kind
        visibility = (
            parse_enum(Visibility, rec.visibility, "visibility")
            if rec.visibility
            else options.visibility
        )
        tags = list(dict.fromkeys(rec.tags))
        problem = tag_problem(tags, options.load.max_tags, options.load.max_tag_chars)
        if problem:
            raise ValueError(problem)
        deb = rec.debrief
        start = parse_date(deb["start_date"], "start_date") if "start_date" in deb else None
        end = parse_date(deb["end_date"], "end_date") if "end_date" in deb else None
        if start and end and end < start:
            raise ValueError(f"end_date {end} is before start_date {start}")
        return NewDocument(
            owner_id=owner,
            programme_id=programme_id,
            kind=kind,
            visibility=visibility,
            title=default_title(rec),
            text=rec.text,
            source_id=rec.source_id[:500],
            source_label=rec.source_label[:500] if rec.source_label else None,
            aliases=tuple(a[:500] for a in rec.aliases),
            tags=tuple(tags),
            created_at=parse_datetime(rec.created_at) if rec.created_at else None,
            debrief=DebriefFields(
                function=deb.get("function"),
                market=deb.get("market"),
                start_date=start,
                end_date=end,
                anchor_project=deb.get("anchor_project"),
                strategic_goal=deb.get("strategic_goal"),
            ),
        )

    def _author_id(self, author: str, options: ImportOptions) -> str:
        found = self.directory.user_ids([author])
        name = author.strip().lower()
        if name in found:
            return found[name]
        if not options.create_users:
            raise ValueError(
                f"unknown author {author!r}; add them with `playbook users add` "
                "or pass --create-users"
            )
        return self.directory.add_user(
            name, roles=(Role.LEADER,), programme=options.programme
        ).user_id

    # -- read -----------------------------------------------------------------------------

    def search(
        self, username: str, query: str, k: int = 10, filters: SearchFilters | None = None
    ) -> list[SearchHit]:
        """Hybrid search over what ``username`` may read."""
        principal = self.directory.principal(username)
        return self.retriever.search(query, read_scope(principal, filters), k)

    def search_documents(
        self,
        principal: Principal,
        query: str,
        k: int = 10,
        filters: SearchFilters | None = None,
    ) -> list[DocumentResult]:
        """Hybrid search over what ``principal`` may read, one result per document: its best
        passage and matched sentence, kind, author ("you" or their placeholder), date,
        programme, and for playbook entries their status and whether they are verified."""
        # More passages than documents asked for: one long document can fill a page of hits.
        hits = self.retriever.search(query, read_scope(principal, filters), k * 4)
        return per_document(
            hits[: k * 4],
            query,
            k,
            principal=principal,
            documents=self.documents,
            directory=self.directory,
            entries=self.entries,
            pseudonyms=self.pseudonyms,
        )

    def overview(self, principal: Principal, recent: int = 10) -> Overview:
        """Counts of what ``principal`` may read, and their own latest writing."""
        counts = self.documents.readable_counts(principal)
        latest = self.documents.documents(owner_id=principal.user_id, limit=recent)
        return Overview(
            mine=sum(n for (own, _), n in counts.items() if own),
            shared_with_them=sum(n for (own, _), n in counts.items() if not own),
            entries=sum(n for (_, kind), n in counts.items() if kind == Kind.ENTRY.value),
            recent=tuple(latest),
        )

    def export(self, username: str) -> Iterator[dict[str, Any]]:
        """Every document ``username`` may read, redacted, as import-ready JSON objects."""
        principal = self.directory.principal(username)
        docs = self.documents.readable_documents(principal)
        names = self.directory.usernames({d.owner_id for d in docs})
        for d in docs:
            row: dict[str, Any] = {
                "id": d.source_id,
                "source": d.source_label,
                "author": names.get(d.owner_id, d.owner_id),
                "kind": d.kind.value,
                "visibility": d.visibility.value,
                "title": d.title,
                "created_at": d.created_at.isoformat(),
                "tags": list(d.tags),
                "text": d.redacted_text,
            }
            for key, value in vars(d.debrief).items():
                if value is not None:
                    row[key] = value.isoformat() if isinstance(value, dt.date) else value
            yield row

    def delete(self, username: str, document_id: str) -> None:
        """Delete one of the user's own documents from the store and every index."""
        principal = self.directory.principal(username)
        doc = self.documents.document(document_id)
        if doc is None or not allows(principal, Action.DELETE, Target.document(doc)):
            raise StoreError(f"you have no document with id {document_id!r}")
        self.pipeline.delete(document_id)


def _reason(exc: Exception) -> str:
    """Why a record or a batch failed, as a sentence (never an SQL statement or a traceback)."""
    if isinstance(exc, ValueError | LookupError | RedactionError):
        return str(exc)
    return explain(exc) or f"an unexpected error ({type(exc).__name__})"


def _is_line(origin: str) -> bool:
    head, _, tail = origin.rpartition(":")
    return bool(head) and tail.isdigit()


def _file_of(origin: str) -> str:
    return origin.rpartition(":")[0] if _is_line(origin) else origin
