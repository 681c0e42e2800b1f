"""Leak tests: plant personal data in what leaders write, run it through everything real, and
scan every place text goes for any planted value.

Places scanned: Chroma documents and metadata (embedded and `chroma run` server), the FTS5
keyword index, every byte of the SQLite store (redacted columns, chunks, and the encrypted
originals, vault, roster and term lists), prompts captured from a fake chat model, log output
at DEBUG from every logger, the CLI's output, search results, and the exports other people
receive. Each runs three ways: embedded Chroma and SQLite, a Chroma server and SQLite, and
a Chroma server with PostgreSQL (every table of its database, its files on the server, and
its full-text keyword index).
"""

from __future__ import annotations

import json
import logging
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import BaseMessage
from typer.testing import CliRunner

from ingest.chat_model import LangChainChatModel
from playbook import cli
from playbook.models import Role
from playbook.services.ask import Assistant
from playbook.services.documents import ImportOptions
from playbook.settings import Settings
from playbook.wiring import Container
from tests.pg import database_files

pytestmark = pytest.mark.integration

# Values a leader might write about colleagues. Each one must vanish everywhere.
PLANTED = {
    "full name": "Tony Mercer",
    "surname": "Mercer",
    "lowercase first name": "priyanka",
    "initials": "SJ",
    "title and surname": "Okafor",
    "roster first name": "Zebedee",
    "roster surname": "Quartermaine",
    "handle": "@deepa.k",
    "email": "tony.mercer@northwind-example.com",
    "roster email": "z.quartermaine@acme.example",
    "phone": "+44 20 7946 0958",
    "us phone": "(415) 555-0132",
    "card": "4111 1111 1111 1111",
    "iban": "GB82 WEST 1234 5698 7654 32",
    "ssn": "512-43-8821",
    "nino": "JG 10 37 75 A",
    "ip": "192.168.14.27",
    "address": "221B Baker Street, London NW1 6XE",
    "employee id": "EMP-204817",
    "denied name": "Obadiah",
}

BODY = (
    "Met Tony Mercer after the Q3 review in Singapore. Mercer pushed back on pricing; "
    "I will talk to priyanka about it and offer guidance to SJ. "
    "Dr. Okafor agreed. zebedee and Quartermaine were copied at "
    "z.quartermaine@acme.example. Ping @deepa.k or write to tony.mercer@northwind-example.com, "
    "call +44 20 7946 0958 or (415) 555-0132. Expenses on card 4111 1111 1111 1111, refund to "
    "IBAN GB82 WEST 1234 5698 7654 32. His SSN 512-43-8821 and NI number JG 10 37 75 A were in "
    "the ticket from 192.168.14.27. Courier to 221B Baker Street, London NW1 6XE for "
    "EMP-204817. Obadiah sat in."
)
KEPT = ("Q3", "Singapore", "pricing")  # business context must survive


@pytest.fixture(params=["embedded", "server", "postgres"])
def c(request: pytest.FixtureRequest, data_dir: Path, nlp: Any, st_model: Any) -> Container:
    url = request.getfixturevalue("chroma_server") if request.param != "embedded" else None
    # postgres: the store, keyword index and sentence vectors in PostgreSQL (tests/pg.py)
    db = request.getfixturevalue("pg_database") if request.param == "postgres" else None
    settings = Settings(
        data_dir=data_dir,
        secret_key="leak-test",
        chroma_url=url,
        database_url=db,
        chroma_collection=f"leak{abs(hash(str(data_dir))) % 10**10}",
    )
    container = Container(settings)
    r = container.records
    r.add_user("ada", roles=[Role.LEADER])
    r.add_user("ravi", roles=[Role.PARTICIPANT])
    r.add_user("cora", roles=[Role.COORDINATOR])
    r.add_user("sam", roles=[Role.ADMIN])
    container.privacy.set_roster(
        r.principal("sam"), "name,email\nZebedee Quartermaine,z.quartermaine@acme.example\n"
    )
    container.privacy.add_term(r.principal("ada").user_id, "deny", "Obadiah")
    return container


class RecordingChatModel(FakeListChatModel):
    """A fake chat model that keeps every prompt it is sent."""

    prompts: list[str] = []  # noqa: RUF012 - pydantic field, one list per instance below

    def _call(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> str:
        self.prompts.append("\n".join(str(m.content) for m in messages))
        return super()._call(messages, *args, **kwargs)


def leaks(blob: str) -> list[str]:
    """Planted values found in a blob of text (case-insensitive)."""
    low = blob.casefold()
    return [what for what, value in PLANTED.items() if value.casefold() in low]


def on_postgres(c: Container) -> bool:
    return c.records.engine.dialect.name == "postgresql"


def pg_text(c: Container) -> str:
    """Every value of every table in the PostgreSQL store, as text (its keyword index and
    sentence vectors included)."""
    with c.records.engine.connect() as conn:
        tables = conn.exec_driver_sql(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        ).scalars()
        rows = [r for t in list(tables) for r in conn.exec_driver_sql(f'SELECT * FROM "{t}"')]
    return json.dumps([v for row in rows for v in row if isinstance(v, str | list | dict)])


def store_text(c: Container) -> str:
    """Every text value of every table in the store (redacted columns, chunks, names...)."""
    if on_postgres(c):
        return pg_text(c)
    db = Path(c.settings.resolved_database_url.removeprefix("sqlite:///"))
    conn = sqlite3.connect(db)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    values = [v for t in tables for row in conn.execute(f'SELECT * FROM "{t}"') for v in row]
    conn.execute("PRAGMA wal_checkpoint(FULL)")
    conn.close()
    return json.dumps([v for v in values if isinstance(v, str)])


def store_bytes(c: Container) -> str:
    """Every byte of the store files: encrypted columns hold no plaintext either. (Values
    shorter than six characters are left out: base64 ciphertext holds any two letters.)
    On PostgreSQL: every file of the test's database on the server, after a checkpoint."""
    if on_postgres(c):
        files = database_files(c.records.engine)
        return b"".join(p.read_bytes() for p in files).decode("utf-8", errors="replace")
    db = Path(c.settings.resolved_database_url.removeprefix("sqlite:///"))
    raw = b"".join(p.read_bytes() for p in db.parent.glob(db.name + "*"))
    return raw.decode("utf-8", errors="replace")


def fts_text(c: Container) -> str:
    if on_postgres(c):
        with c.records.engine.connect() as conn:
            rows = conn.exec_driver_sql("SELECT * FROM keyword_chunks").all()
        return json.dumps([[str(v) for v in row] for row in rows])
    conn = sqlite3.connect(c.settings.resolved_keyword_index_path)
    rows = conn.execute("SELECT * FROM chunks_fts").fetchall()
    rows += conn.execute("SELECT * FROM chunk_meta").fetchall()
    conn.close()
    return json.dumps(rows)


def chroma_text(c: Container) -> str:
    return json.dumps(c.vectors.dump())


def test_planted_personal_data_reaches_nowhere(
    c: Container,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    caplog.set_level(logging.DEBUG)
    src = tmp_path / "notes.jsonl"
    rows = [
        {"id": "shared-1", "title": "Call with Tony Mercer", "text": BODY, "visibility": "shared"},
        {"id": "private-1", "title": "Private", "text": BODY, "tags": ["Mercer", "pricing"]},
        {  # names in every field around the text, the record id included
            "id": "review-tony.mercer@northwind-example.com",
            "title": "Debrief",
            "kind": "debrief",
            "visibility": "shared",
            "tags": ["Tony Mercer", "tony.mercer@northwind-example.com", "pricing"],
            "function": "finance run by Tony Mercer",
            "market": "Singapore with Dr. Okafor",
            "start_date": "2026-03-01",
            "end_date": "2026-03-20",
            "anchor_project": "Q3 pricing with Mercer",
            "text": BODY,
        },
    ]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    named = tmp_path / "Tony_Mercer_1on1.md"  # a file named after a person
    named.write_text("Pricing review notes from Singapore.\n", encoding="utf-8")
    report = c.service.import_paths([src, named], ImportOptions(as_user="ada"))
    assert report.failed == 0 and report.total("created") == 4

    found: dict[str, list[str]] = {}
    found["chroma"] = leaks(chroma_text(c))
    found["keyword index"] = leaks(fts_text(c))
    store = store_text(c)
    found["store (every text value)"] = leaks(store)
    found["store files (every byte)"] = [
        w for w in leaks(store_bytes(c)) if len(PLANTED[w].replace(" ", "")) >= 6
    ]
    for word in KEPT:
        assert word in store, f"business term {word!r} was redacted"

    # what other people get: search results and exports
    for reader in ("ravi", "cora", "sam", "ada"):
        hits = c.service.search(reader, "pricing review Singapore", k=10)
        found[f"search as {reader}"] = leaks(json.dumps([h.__dict__ for h in hits], default=str))
    for reader in ("ravi", "cora"):
        exported = list(c.service.export(reader))
        assert exported, f"{reader} should see the shared note"
        found[f"export for {reader}"] = leaks(json.dumps(exported, default=str))

    # prompts: a question that itself names someone, answered over what ravi may read
    llm = RecordingChatModel(responses=["[1] says pricing was contested."])
    llm.prompts = []
    assistant = Assistant(c.retriever, c.redactor, LangChainChatModel(llm))
    answer = assistant.ask(c.records.principal("ravi"), "What did Tony Mercer say about pricing?")
    assert answer.passages and llm.prompts
    found["llm prompts"] = leaks("\n".join(llm.prompts))

    # the command line: redact, search and export print nothing planted
    monkeypatch.setattr(cli, "container", lambda: c)
    runner = CliRunner()
    for args, stdin in (
        (["redact", "--as", "ada"], BODY),  # ada's deny-list holds "Obadiah"
        (["search", "pricing", "--as", "ravi", "--json"], None),
        (["export", "--as", "ravi"], None),
    ):
        result = runner.invoke(cli.app, args, input=stdin)
        assert result.exit_code == 0, result.output
        found[f"cli {args[0]}"] = leaks(result.output)

    found["logs"] = leaks("\n".join(r.getMessage() for r in caplog.records))
    captured = capsys.readouterr()
    found["stdout/stderr"] = leaks(captured.out + captured.err)

    assert {where: what for where, what in found.items() if what} == {}


def test_the_author_still_gets_their_original_back(c: Container, tmp_path: Path) -> None:
    src = tmp_path / "n.jsonl"
    src.write_text(json.dumps({"id": "a", "text": BODY}) + "\n", encoding="utf-8")
    c.service.import_paths([src], ImportOptions(as_user="ada"))
    [doc] = c.records.documents()
    ada = c.records.principal("ada")
    assert c.privacy.original(ada, doc.document_id) == BODY
    again = c.privacy.reidentify(ada, doc.document_id, doc.redacted_text)
    for value in ("Tony Mercer", "SJ", "tony.mercer@northwind-example.com", "EMP-204817"):
        assert value in again


def test_entries_drafts_feedback_and_exports_hold_no_planted_data(
    c: Container, tmp_path: Path
) -> None:
    import io

    import pypdfium2 as pdfium

    from playbook.models import EntryContent
    from playbook.services.handoff import handoff_pack, showcase, to_markdown, to_pdf

    # Ada's personal deny list covers her writing only; coordinators type the rest.
    body = BODY.replace(" Obadiah sat in.", "")
    typed = {k: v for k, v in PLANTED.items() if k != "denied name"}
    src = tmp_path / "shared.jsonl"
    src.write_text(json.dumps({"id": "s1", "title": "Call", "text": BODY, "visibility": "shared"}))
    c.service.import_paths([src], ImportOptions(as_user="ada"))
    doc_id = c.pipeline.document_id(c.records.principal("ada").user_id, "s1")
    assert doc_id
    cora, ravi = c.records.principal("cora"), c.records.principal("ravi")
    model = RecordingChatModel(
        responses=[json.dumps({"title": "T", "lesson": [{"text": "Price later.", "source": 1}]})]
    )
    c.curation.llm = lambda: LangChainChatModel(model)
    drafted, mode = c.curation.promote(cora, [doc_id])
    assert mode == "llm"
    e = c.curation.edit(
        cora,
        drafted.entry_id,
        drafted.version,
        EntryContent(
            title="Pricing with Tony Mercer in Singapore",
            sections={"context": body, "lesson": "Q3 pricing needs a floor."},
            market="Singapore",
            function="sales run by Tony Mercer",
            competency="Pricing with Okafor",
            tags=("pricing", "Tony Mercer", "tony.mercer@northwind-example.com"),
        ),
    )
    e = c.curation.act(cora, e.entry_id, e.version, "submit")
    e = c.curation.act(cora, e.entry_id, e.version, "publish")
    c.curation.feedback(ravi, e.entry_id, "outdated", body)
    pack = handoff_pack(c.curation.entries, c.records, ravi, market="Singapore")
    shown = showcase(c.curation.entries, c.records, cora, e.created_at.date(), e.updated_at.date())
    pdf_text = ""
    for p in (pack, shown):
        doc = pdfium.PdfDocument(io.BytesIO(to_pdf(p)))
        pdf_text += " ".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    places = {
        "entry": json.dumps(c.curation.entries.get(e.entry_id).content.__dict__),
        "versions": json.dumps([v.snapshot for v in c.curation.entries.versions(e.entry_id)]),
        "diff": c.curation.diff(cora, e.entry_id, 1, e.version),
        "feedback": json.dumps(c.curation.review_queue(cora)["feedback"], default=str),
        "handoff markdown": to_markdown(pack),
        "showcase markdown": to_markdown(shown),
        "pdf text": pdf_text,
        "promote prompt": "\n".join(model.prompts),
        "store": store_text(c),
        "keyword index": fts_text(c),
        "chroma": chroma_text(c),
    }
    found = {
        where: [what for what, value in typed.items() if value.casefold() in blob.casefold()]
        for where, blob in places.items()
    }
    assert not any(found.values()), found
    assert "Singapore" in places["handoff markdown"] and "Q3" in places["handoff markdown"]
