from pathlib import Path

import pytest

from ingest.loaders import CsvOptions, LoadedRecord, LoadOptions, LoadProblem, discover, load_file


def load(path: Path, options: LoadOptions | None = None) -> list[LoadedRecord | LoadProblem]:
    return list(load_file(path, path.parent, options or LoadOptions()))


def only_problem(items: list[LoadedRecord | LoadProblem]) -> str:
    assert len(items) == 1 and isinstance(items[0], LoadProblem), items
    return items[0].message


def test_markdown_title_and_source_id(tmp_path: Path) -> None:
    f = tmp_path / "week-1.md"
    f.write_text("# Pricing call\n\nWe decided fast.", encoding="utf-8")
    [rec] = load(f)
    assert isinstance(rec, LoadedRecord)
    assert rec.title == "Pricing call" and rec.source_id == "week-1.md"


def test_folder_source_ids_are_relative_and_stable(tmp_path: Path) -> None:
    (tmp_path / "notes" / "q3").mkdir(parents=True)
    (tmp_path / "notes" / "q3" / "a.txt").write_text("hello")
    (tmp_path / "notes" / "skip.bin").write_bytes(b"x")
    found = list(discover([tmp_path / "notes"]))
    assert found == [(tmp_path / "notes" / "q3" / "a.txt", tmp_path / "notes")]
    [rec] = list(load_file(*found[0], LoadOptions()))  # type: ignore[misc]
    assert isinstance(rec, LoadedRecord) and rec.source_id == "q3/a.txt"


def test_missing_path_and_unknown_extension(tmp_path: Path) -> None:
    (tmp_path / "x.xlsx").write_text("x")
    problems = list(discover([tmp_path / "nope.md", tmp_path / "x.xlsx"]))
    assert [p.message for p in problems] == [  # type: ignore[union-attr]
        "no such file or folder",
        "unsupported file type '.xlsx'; use one of .csv, .docx, .jsonl, .markdown, .md, .pdf, .txt",
    ]


def test_empty_binary_and_invalid_utf8_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"\x89PNG\x00\x00\x01")
    latin = tmp_path / "latin.txt"
    latin.write_bytes("café".encode("latin-1"))
    assert only_problem(load(empty)) == "file is empty"
    assert only_problem(load(binary)) == "looks like a binary file, not text"
    assert "not valid UTF-8" in only_problem(load(latin))


def test_a_50_mb_text_file_is_refused_with_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    message = only_problem(load(big))
    assert message.startswith("file is 50.0 MB; the limit for one document is 10 MB")


def test_jsonl_reports_bad_lines_with_their_numbers_and_keeps_the_rest(tmp_path: Path) -> None:
    f = tmp_path / "r.jsonl"
    f.write_text(
        '{"id": "a", "text": "first", "tags": ["x", "y"], "market": "Brazil"}\n'
        '{"id": "b", "text": "broken"\n'
        "\n"
        '{"text": 5}\n'
        '["not", "an", "object"]\n'
        '{"text": "no id here", "kind": "debrief"}\n',
        encoding="utf-8",
    )
    items = load(f)
    problems = [i for i in items if isinstance(i, LoadProblem)]
    records = [i for i in items if isinstance(i, LoadedRecord)]
    assert [p.origin.rsplit(":", 1)[1] for p in problems] == ["2", "4", "5"]
    assert problems[0].message.startswith("not valid JSON")
    assert [r.source_id for r in records] == ["a", "r.jsonl#line6"]
    assert records[0].tags == ["x", "y"] and records[0].debrief == {"market": "Brazil"}


def test_jsonl_invalid_utf8_line(tmp_path: Path) -> None:
    f = tmp_path / "r.jsonl"
    f.write_bytes(b'{"text": "ok"}\n{"text": "\xff\xfe"}\n')
    items = load(f)
    assert isinstance(items[0], LoadedRecord)
    assert isinstance(items[1], LoadProblem) and items[1].message == "line is not valid UTF-8"


def test_csv_joins_text_columns_and_checks_named_columns(tmp_path: Path) -> None:
    f = tmp_path / "plans.csv"
    f.write_text("who,goal,more\nada,Meet SJ|undefined,[No Response]\nravi,,\n", encoding="utf-8")
    opts = LoadOptions(
        csv=CsvOptions(
            text_cols=("goal", "more"),
            author_col="who",
            null_values=("undefined", "[No Response]"),
            multi_sep="|",
        )
    )
    items = load(f, opts)
    assert isinstance(items[0], LoadedRecord)
    assert items[0].text == "Meet SJ" and items[0].author == "ada"
    assert items[0].source_id == "plans.csv#row2"
    assert isinstance(items[1], LoadProblem) and items[1].message == "no text to import"
    bad = LoadOptions(csv=CsvOptions(text_cols=("nope",)))
    assert only_problem(load(f, bad)) == "column 'nope' not found; the file has: who, goal, more"


def test_csv_without_text_column_names_the_option(tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("a,b\n1,2\n")
    assert "--text-col" in only_problem(load(f))


def test_document_size_limit_per_record(tmp_path: Path) -> None:
    f = tmp_path / "long.jsonl"
    f.write_text('{"text": "' + "a" * 200_000 + '"}\n')
    message = only_problem(load(f))
    assert message == "text is 200,000 characters; the limit is 100,000 per document (split it)"


def test_docx_and_pdf(tmp_path: Path) -> None:
    docx = pytest.importorskip("docx")
    fpdf = pytest.importorskip("fpdf")
    d = docx.Document()
    d.add_paragraph("The launch taught me about hand-offs.")
    d.add_paragraph("Regulatory review took longest.")
    d.save(tmp_path / "note.docx")
    pdf = fpdf.FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Debrief: the warehouse week mattered most.")
    pdf.output(str(tmp_path / "debrief.pdf"))
    [rd] = load(tmp_path / "note.docx")
    [rp] = load(tmp_path / "debrief.pdf")
    assert isinstance(rd, LoadedRecord) and "Regulatory review" in rd.text
    assert isinstance(rp, LoadedRecord) and "warehouse week" in rp.text


def test_corrupt_docx_and_pdf(tmp_path: Path) -> None:
    (tmp_path / "bad.docx").write_bytes(b"PK\x03\x04 not really a zip")
    (tmp_path / "bad.pdf").write_bytes(b"%PDF-1.4 garbage")
    assert "not a readable .docx" in only_problem(load(tmp_path / "bad.docx"))
    assert "PDF" in only_problem(load(tmp_path / "bad.pdf"))
