"""`playbook init`, `reindex`, `stats` and `migrate-to`: the data directory, its store and
its indexes."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from playbook.cli.common import container, friendly, out, progress_bar, term, yield_to_sessions


@friendly
def init(
    demo: Annotated[
        bool, typer.Option(help="Seed demo users and demo content (first run only).")
    ] = False,
) -> None:
    """Create the data directory and database; with --demo, seed demo users and content."""
    c = container()
    c.records  # noqa: B018 - creating it migrates the database
    c.settings.key_bytes()
    if demo:
        from playbook.demo import seed_demo

        seeded = seed_demo(c)
        out.print("Demo content seeded." if seeded else "Demo content already present.")
    else:
        c.indexing.repair()
    out.print(f"Data directory ready: {c.settings.data_dir.resolve()}")


@friendly
def reindex(
    re_redact: Annotated[
        bool,
        typer.Option(
            "--re-redact",
            help="First redact every document again from its encrypted original with today's "
            "engine, roster and lists (after a roster upload).",
        ),
    ] = False,
) -> None:
    """Drop both indexes and rebuild them from the system of record."""
    c = container()
    yield_to_sessions(c)
    total = c.indexing.document_count()
    if re_redact:
        with progress_bar("re-redacting", total) as advance:
            changed = c.indexing.reredact(progress=advance)
        out.print(f"Re-redacted {total} document(s); {changed} changed.")
    with progress_bar("reindexing", total) as advance:
        report = c.indexing.reindex(progress=advance)
    for event in c.indexing.events():
        out.print(f"{term(event[0].upper() + event[1:])}; rebuilt from the store.", highlight=False)
    out.print(
        f"Reindexed {report.indexed_documents} documents ({report.indexed_chunks} chunks); "
        f"purged {report.purged_documents} deleted."
    )


@friendly
def stats(as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False) -> None:
    """Counts of users, documents, chunks and what is waiting to be indexed."""
    c = container()
    s = c.indexing.stats()
    if as_json:
        sys.stdout.write(json.dumps(s, indent=2, sort_keys=True) + "\n")
        return
    table = Table(title="Living Playbook", show_header=False)
    for key, value in s.items():
        shown = (
            ", ".join(f"{k}: {v}" for k, v in sorted(value.items()))
            if isinstance(value, dict)
            else str(value)
        )
        table.add_row(key.replace("_", " "), shown or "0")
    out.print(table)


@friendly
def migrate_to(
    url: Annotated[
        str, typer.Argument(help="The new, empty database: postgresql://user:pw@host/db")
    ],
) -> None:
    """Copy the whole store (ids, pseudonyms, encrypted originals, audit history) into an
    empty database, e.g. a PostgreSQL server; the source is left as it is."""
    c = container()
    report = c.store_move.move(url, progress=lambda table, rows: None)
    out.print(f"Copied {report.rows} rows in {len(report.tables)} tables.")
    out.print(
        "Next: keep this data directory (its keys decrypt the originals and make the same "
        "pseudonyms), set PLAYBOOK_DATABASE_URL to the new database (and PLAYBOOK_CHROMA_URL "
        "for a Chroma server), then run `playbook reindex` to rebuild the indexes there.",
        highlight=False,
    )
