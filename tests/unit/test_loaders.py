from pathlib import Path

import pytest

from ingest.importers import CsvOptions, LoadedRecord, LoadOptions, LoadProblem, discover, load_file


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
    assert rec.title == "Pricing call" and rec.source_label == "week-1.md"
    assert rec.source_id == f.resolve().as_posix() and rec.aliases == ["week-1.md"]


def test_folder_labels_are_relative_and_identities_the_full_path(tmp_path: Path) -> None:
    (tmp_path / "notes" / "q3").mkdir(parents=True)
    (tmp_path / "notes" / "q3" / "a.txt").write_text("hello")
    (tmp_path / "notes" / "skip.bin").write_bytes(b"x")
    found = list(discover([tmp_path / "notes"]))
    assert found == [(tmp_path / "notes" / "q3" / "a.txt", tmp_path / "notes")]
    [rec] = list(load_file(*found[0], LoadOptions()))  # type: ignore[misc]
    assert isinstance(rec, LoadedRecord) and rec.source_label == "q3/a.txt"
    # the same file imported by itself is the same document
    [alone] = load(tmp_path / "notes" / "q3" / "a.txt")
    assert isinstance(alone, LoadedRecord) and alone.source_id == rec.source_id
    assert alone.source_label == "a.txt"


def test_same_named_files_in_different_folders_are_different_documents(
    tmp_path: Path,
) -> None:
    for q in ("q3", "q4"):
        (tmp_path / q).mkdir()
        (tmp_path / q / "notes.md").write_text(f"{q} notes")
    [a] = load(tmp_path / "q3" / "notes.md")
    [b] = load(tmp_path / "q4" / "notes.md")
    assert isinstance(a, LoadedRecord) and isinstance(b, LoadedRecord)
    assert a.source_id != b.source_id and a.source_label == b.source_label == "notes.md"


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
    assert [r.source_label for r in records] == [None, "r.jsonl#line6"]
    assert records[0].source_id == "a" and records[1].source_id.endswith("/r.jsonl#line6")
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
    assert items[0].source_label == "plans.csv#row2"
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


def _kept_and_problems(items: list[LoadedRecord | LoadProblem]) -> tuple[list[str], list[str]]:
    kept = [i.text for i in items if isinstance(i, LoadedRecord)]
    problems = [
        f"{i.origin.rsplit(':', 1)[1]}: {i.message}" for i in items if isinstance(i, LoadProblem)
    ]
    return kept, problems


def test_a_deeply_nested_line_fails_alone_before_it_is_parsed(tmp_path: Path) -> None:
    f = tmp_path / "deep.jsonl"
    deep = '{"text": "x", "extra": ' + "[" * 100_000 + "]" * 100_000 + "}"
    f.write_text('{"text": "first"}\n' + deep + '\n{"text": "last"}\n')
    kept, problems = _kept_and_problems(load(f))
    assert kept == ["first", "last"]
    assert problems == ["2: JSON nests deeper than 32 levels; a record is one flat object"]
    # brackets inside strings are text, not nesting
    ok = tmp_path / "brackets.jsonl"
    ok.write_text('{"text": "' + "[" * 500 + '"}\n')
    assert _kept_and_problems(load(ok)) == (["[" * 500], [])


def test_a_lone_surrogate_fails_its_record_only(tmp_path: Path) -> None:
    f = tmp_path / "s.jsonl"
    f.write_text(
        '{"text": "ok"}\n{"text": "bad \\ud800 here"}\n{"text": "x", "title": "\\udfff"}\n'
    )
    kept, problems = _kept_and_problems(load(f))
    assert kept == ["ok"]
    assert problems == [
        "2: field 'text' holds an invalid character (a lone surrogate, '\\ud800'); "
        "fix the escape and import it again",
        "3: field 'title' holds an invalid character (a lone surrogate, '\\udfff'); "
        "fix the escape and import it again",
    ]


def test_an_oversized_line_is_skipped_without_reading_it_whole(tmp_path: Path) -> None:
    f = tmp_path / "long.jsonl"
    f.write_text('{"text": "a"}\n{"text": "' + "b" * 5000 + '"}\n{"text": "c"}\n')
    kept, problems = _kept_and_problems(load(f, LoadOptions(max_line_bytes=1000)))
    assert kept == ["a", "c"]
    assert problems == ["2: line is longer than 1 KB; split the record"]


def test_a_huge_csv_cell_fails_its_row_and_the_rest_of_the_file_imports(tmp_path: Path) -> None:
    f = tmp_path / "big.csv"
    f.write_text("text\nfirst\n" + "y" * 140_000 + "\nlast\n")
    kept, problems = _kept_and_problems(load(f))
    assert kept == ["first", "last"]
    assert problems == [
        "3: text is 140,000 characters; the limit is 100,000 per document (split it)"
    ]


def test_an_unterminated_quote_fails_its_row_and_keeps_the_rows_after(tmp_path: Path) -> None:
    f = tmp_path / "q.csv"
    f.write_text(
        'text,tags\nfirst,a\n"never closed,b\nthird,c\n"two\nlines",d\nlast,e\n',
        encoding="utf-8",
    )
    items = load(f)
    kept, problems = _kept_and_problems(items)
    assert kept == ["first", "third", "two\nlines", "last"]
    assert problems == [
        "3: a quote opened on line 3 is never closed; close it (or double a quote inside a "
        "cell) and import the file again"
    ]
    tags = [i.tags for i in items if isinstance(i, LoadedRecord)]
    assert tags == [["a"], ["c"], ["d"], ["e"]]


def test_a_cell_holding_a_form_feed_or_line_separator_stays_in_its_row(tmp_path: Path) -> None:
    f = tmp_path / "ff.csv"
    f.write_text("text\nbefore\x0cafter\u2028still\nnext\n", encoding="utf-8")
    kept, _ = _kept_and_problems(load(f))
    assert kept == ["before\x0cafter\u2028still", "next"]


def _zip_docx(path: Path, parts: dict[str, bytes]) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_a_docx_zip_bomb_is_refused_before_it_is_inflated(tmp_path: Path) -> None:
    import time

    bomb = _zip_docx(tmp_path / "bomb.docx", {"word/document.xml": b" " * (60 * 1024 * 1024)})
    assert bomb.stat().st_size < 200_000
    started = time.monotonic()
    message = only_problem(load(bomb))
    assert message == "inflates to 60 MB; the limit is 50 MB (save a smaller document)"
    assert time.monotonic() - started < 1.0  # nothing was inflated
    ratio = _zip_docx(tmp_path / "ratio.docx", {"word/document.xml": b"a" * (5 * 1024 * 1024)})
    assert "compressed" in only_problem(load(ratio)) and "zip bomb" in only_problem(load(ratio))
    many = _zip_docx(tmp_path / "many.docx", {f"p{i}.xml": b"x" for i in range(30)})
    assert only_problem(load(many, LoadOptions(max_archive_entries=20))).startswith(
        "holds 30 parts; a .docx may hold 20"
    )


def test_pdf_page_and_text_limits_apply_while_reading(tmp_path: Path) -> None:
    fpdf = pytest.importorskip("fpdf")
    pdf = fpdf.FPDF()
    pdf.set_font("helvetica", size=12)
    for i in range(3):
        pdf.add_page()
        pdf.cell(text=f"Page {i}: the warehouse week mattered most.")
    pdf.output(str(tmp_path / "three.pdf"))
    assert only_problem(load(tmp_path / "three.pdf", LoadOptions(max_pdf_pages=2))) == (
        "has 3 pages; the limit is 2 (split it)"
    )
    message = only_problem(load(tmp_path / "three.pdf", LoadOptions(max_document_chars=60)))
    assert message.startswith("text is more than ") and "the limit is 60" in message
