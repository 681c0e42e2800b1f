"""The importer registry: a format is one module and one registration, picked by suffix
(the longest registered one) and, for a file given by itself, by sniffing its content."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest import importers
from ingest.importers import (
    REGISTRY,
    Importer,
    ImporterRegistry,
    LoadedRecord,
    LoadOptions,
    LoadProblem,
    Origin,
    UnsupportedFormatError,
    discover,
    importer_for,
    load_file,
)
from ingest.importers.base import Loaded, check_text
from playbook.services.documents import ImportOptions
from playbook.wiring import Container


def read_slack(path: Path, sid: Origin, options: LoadOptions) -> Iterator[Loaded]:
    """A toy Slack export: a JSON list of messages, one record each."""
    for n, message in enumerate(json.loads(path.read_text(encoding="utf-8")), start=1):
        problem = check_text(message["text"], options)
        if problem:
            yield LoadProblem(f"{path}:{n}", problem)
        else:
            yield LoadedRecord(origin=f"{path}:{n}", text=message["text"], **sid.record(f"#msg{n}"))


def looks_like_slack(head: bytes) -> bool:
    return head.lstrip().startswith(b'[{"type": "message"')


SLACK = Importer(
    name="slack",
    suffixes=(".slack.json",),
    read=read_slack,
    one_document=False,
    sniff=looks_like_slack,
)


@pytest.fixture
def slack() -> Iterator[Importer]:
    """The toy importer in the default registry, for one test."""
    importers.register(SLACK)
    yield SLACK
    importers.unregister("slack")


def write_slack(path: Path, *texts: str) -> Path:
    path.write_text(json.dumps([{"type": "message", "text": t} for t in texts]))
    return path


def test_a_registered_importer_is_used_by_the_import(
    slack: Importer, members: Container, tmp_path: Path
) -> None:
    f = write_slack(tmp_path / "general.slack.json", "Pricing lesson from Slack", "Second one")
    assert importer_for(f) is slack
    report = members.service.import_paths([f], ImportOptions(as_user="ada"))
    assert report.total("created") == 2
    hits = members.service.search("ada", "pricing lesson slack")
    assert "Pricing lesson from Slack" in {h.text for h in hits}


def test_a_registered_suffix_is_found_in_folders_and_named_in_the_message(
    slack: Importer, tmp_path: Path
) -> None:
    write_slack(tmp_path / "a.slack.json", "hello")
    (tmp_path / "plain.json").write_text("[]")  # .json alone is still no format
    assert list(discover([tmp_path])) == [(tmp_path / "a.slack.json", tmp_path)]
    with pytest.raises(UnsupportedFormatError, match=r"use one of .*\.slack\.json"):
        importer_for(tmp_path / "plain.json")


def test_sniffing_picks_the_importer_for_a_file_without_a_suffix(tmp_path: Path) -> None:
    jsonl = tmp_path / "export"
    jsonl.write_text('{"id": "a", "text": "first"}\n{"id": "b", "text": "second"}\n')
    assert importer_for(jsonl).name == "json_lines"
    assert [r.text for r in load_file(jsonl, tmp_path, LoadOptions())] == [  # type: ignore[union-attr]
        "first",
        "second",
    ]
    assert list(discover([jsonl])) == [(jsonl, tmp_path)]
    pdf = tmp_path / "scan"
    pdf.write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    assert importer_for(pdf).name == "pdf"
    docx = tmp_path / "letter"
    docx.write_bytes(b"PK\x03\x04" + b"\x00" * 26 + b"word/document.xml")
    assert importer_for(docx).name == "docx"


def test_sniffing_asks_the_latest_registered_importer_first(
    slack: Importer, tmp_path: Path
) -> None:
    f = write_slack(tmp_path / "dump", "from the toy")
    assert importer_for(f) is slack
    [rec] = load_file(f, tmp_path, LoadOptions())
    assert isinstance(rec, LoadedRecord) and rec.source_label == "dump#msg1"


def test_text_without_a_signature_is_not_sniffed(tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    notes.write_text("plain words, no format")
    [problem] = list(discover([notes]))
    assert isinstance(problem, LoadProblem)
    assert problem.message == (
        "unsupported file type '(none)'; use one of .csv, .docx, .jsonl, .markdown, .md, .pdf, .txt"
    )
    # a folder's files are picked by suffix only: a stray suffixless file is skipped
    (tmp_path / "export").write_text('{"text": "x"}\n')
    assert list(discover([tmp_path])) == []


def test_load_file_reports_a_format_no_importer_reads(tmp_path: Path) -> None:
    f = tmp_path / "sheet.xlsx"
    f.write_text("x")
    [problem] = list(load_file(f, tmp_path, LoadOptions()))
    assert isinstance(problem, LoadProblem) and problem.message.startswith(
        "unsupported file type '.xlsx'"
    )


def test_a_registry_refuses_a_taken_suffix_or_name_unless_replacing() -> None:
    registry = ImporterRegistry(REGISTRY)
    with pytest.raises(ValueError, match=r"suffix '\.md' is already registered"):
        registry.register(Importer("notes", (".md",), read_slack))
    with pytest.raises(ValueError, match="name 'pdf' is already registered"):
        registry.register(Importer("pdf", (".pdf2",), read_slack))
    with pytest.raises(ValueError, match=r"should be like '\.md'"):
        registry.register(Importer("bad", ("MD",), read_slack))
    registry.register(Importer("notes", (".md",), read_slack), replace=True)
    assert registry.by_suffix(Path("a.md")).name == "notes"  # type: ignore[union-attr]
    assert registry.by_suffix(Path("a.markdown")).name == "markdown"  # type: ignore[union-attr]
    assert REGISTRY.by_suffix(Path("a.md")).name == "markdown"  # type: ignore[union-attr]
