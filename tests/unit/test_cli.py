import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from playbook import cli
from playbook.models import Role
from playbook.wiring import Container

runner = CliRunner()


@pytest.fixture
def c(fake_container: Container, monkeypatch: pytest.MonkeyPatch) -> Container:
    monkeypatch.setattr(cli, "container", lambda: fake_container)
    fake_container.records.add_user("ada", roles=[Role.LEADER])
    fake_container.records.add_user("ravi", roles=[Role.PARTICIPANT])
    return fake_container


def run(*args: str, input: str | None = None):
    return runner.invoke(cli.app, list(args), input=input)


@pytest.mark.parametrize(
    "command",
    [
        [],
        ["import"],
        ["redact"],
        ["search"],
        ["reindex"],
        ["stats"],
        ["export"],
        ["delete"],
        ["init"],
        ["users"],
        ["users", "add"],
        ["users", "list"],
        ["users", "set-role"],
        ["privacy"],
        ["privacy", "preview"],
        ["privacy", "deny"],
        ["privacy", "allow"],
        ["privacy", "terms"],
        ["privacy", "pending"],
        ["privacy", "approve"],
        ["privacy", "original"],
        ["roster"],
        ["roster", "import"],
        ["roster", "show"],
        ["keys"],
        ["keys", "new"],
        ["keys", "status"],
        ["keys", "rotate"],
        ["keys", "retire"],
    ],
)
def test_every_command_has_help(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0 and "Usage" in result.output


def test_import_reports_per_file_and_is_idempotent(c: Container, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("# Week one\n\nTony and I disagreed about pricing.")
    (tmp_path / "b.jsonl").write_text(
        '{"id": "1", "text": "lesson on teams"}\n{"id": "2", "text": "x"\n'
    )
    result = run("import", str(tmp_path), "--as", "ada")
    assert result.exit_code == 1, result.output  # one bad line
    assert "2 created, 0 updated, 0 unchanged, 1 failed" in result.output
    assert "b.jsonl:2: not valid JSON" in result.output
    again = run("import", str(tmp_path / "a.md"), "--as", "ada")
    assert again.exit_code == 0 and "0 created, 0 updated, 1 unchanged, 0 failed" in again.output


def test_import_errors_are_one_clear_line(c: Container, tmp_path: Path) -> None:
    result = run("import", str(tmp_path / "missing.md"), "--as", "ada")
    assert result.exit_code == 1 and "no such file or folder" in result.output
    bad_kind = run("import", str(tmp_path), "--as", "ada", "--kind", "diary")
    assert bad_kind.exit_code == 1
    assert "Error: unknown kind 'diary'" in bad_kind.output and "Traceback" not in bad_kind.output
    ghost = run("import", str(tmp_path), "--as", "ghost")
    assert ghost.exit_code == 1 and "no user called 'ghost'" in ghost.output


def test_import_keeps_what_was_stored_when_a_later_file_is_bad(
    c: Container, tmp_path: Path
) -> None:
    (tmp_path / "good.txt").write_text("A good reflection on dissent.")
    run("import", str(tmp_path / "good.txt"), "--as", "ada")
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00\x00")
    result = run("import", str(tmp_path / "bad.txt"), "--as", "ada")
    assert result.exit_code == 1 and "binary" in result.output
    assert len(c.records.documents()) == 1


def test_csv_options(c: Container, tmp_path: Path) -> None:
    f = tmp_path / "plans.csv"
    f.write_text("leader,goal\nada,Coach the new team|undefined\n")
    result = run(
        "import",
        str(f),
        "--text-col",
        "goal",
        "--author-col",
        "leader",
        "--null-value",
        "undefined",
        "--multi-sep",
        "|",
        "--title-col",
        "nope",
    )
    assert (
        result.exit_code == 1
        and "column 'nope' not found; the file has: leader, goal" in result.output
    )
    ok = run(
        "import",
        str(f),
        "--text-col",
        "goal",
        "--author-col",
        "leader",
        "--null-value",
        "undefined",
        "--multi-sep",
        "|",
    )
    assert ok.exit_code == 0, ok.output
    [doc] = c.records.documents()
    assert doc.redacted_text == "Coach the new team"


def test_search_filters_by_tag_market_and_dates(c: Container, tmp_path: Path) -> None:
    rows = [
        {
            "id": "old",
            "text": "Pricing lesson from the spring launch.",
            "tags": ["pricing"],
            "created_at": "2026-03-02T10:00:00+00:00",
        },
        {
            "id": "new",
            "text": "Pricing lesson from the autumn launch.",
            "tags": "pricing, launch",
            "created_at": "2026-09-15T10:00:00+00:00",
        },
        {"id": "untagged", "text": "Pricing lesson, no tags.", "created_at": "2026-09-16"},
    ]
    f = tmp_path / "notes.jsonl"
    f.write_text("\n".join(json.dumps(r) for r in rows))
    assert run("import", str(f), "--as", "ada").exit_code == 0

    def ids(*args: str) -> set[str]:
        result = run("search", "pricing lesson", "--as", "ada", "--json", *args)
        assert result.exit_code == 0, result.output
        return {h["source"] for h in json.loads(result.output)}

    assert ids() == {"old", "new", "untagged"}
    assert ids("--tag", "pricing") == {"old", "new"}
    assert ids("--tag", "pricing", "--tag", "launch") == {"new"}
    assert ids("--since", "2026-09-15") == {"new", "untagged"}
    assert ids("--until", "2026-09-15") == {"old", "new"}
    assert ids("--since", "2026-04-01", "--until", "2026-09-15") == {"new"}
    backwards = run(
        "search", "pricing", "--as", "ada", "--since", "2026-09-01", "--until", "2026-01-01"
    )
    assert backwards.exit_code == 1 and "swap the dates" in backwards.output
    unknown = run("search", "pricing", "--as", "ada", "--status", "approved")
    assert unknown.exit_code == 1 and "status" in unknown.output
    assert ids("--status", "published") == set()  # none of these is a playbook entry
    bad = run("search", "pricing", "--as", "ada", "--since", "15/09/2026")
    assert bad.exit_code == 2 and "since" in bad.output


def test_search_json_and_who_is_asking(c: Container, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Lessons on the cost of exceptions in distribution.")
    run("import", str(tmp_path / "a.txt"), "--as", "ada", "--visibility", "shared")
    result = run("search", "cost of exceptions", "--as", "ravi", "--json")
    assert result.exit_code == 0, result.output
    [hit] = json.loads(result.output)
    assert set(hit) == {
        "source_id",
        "source",
        "document_id",
        "chunk_id",
        "score",
        "kind",
        "title",
        "snippet",
        "sentence",
        "passages",
        "author",
        "programme",
        "written",
        "entry_status",
        "verified",
    }
    assert (
        hit["source"] == "a.txt"
        and hit["source_id"].startswith("sid:")
        and hit["kind"] == "journal"
    )
    # one row per document: whose it is (a placeholder, never a name), where and when
    assert hit["author"].startswith("[PERSON-") and hit["programme"] and hit["written"]
    assert hit["sentence"].startswith("Lessons on the cost of exceptions")
    assert hit["entry_status"] is None and hit["verified"] is False
    nobody = run("search", "cost")
    assert nobody.exit_code == 1 and "--as USER" in nobody.output
    empty = run("search", '"', "--as", "ada")
    assert empty.exit_code == 1 and "only punctuation" in empty.output
    near = run("search", "NEAR(", "--as", "ada", "--json")
    assert near.exit_code == 0 and isinstance(json.loads(near.output), list)


def test_redact_plain_and_jsonl_keep_order_and_report_bad_lines(c: Container) -> None:
    plain = run("redact", input="Ask Tony about it.")
    assert plain.exit_code == 0 and "Tony" not in plain.output and "[PERSON-" in plain.output
    lines = '{"id": 1, "text": "Tony and Priya"}\nnot json\n{"id": "c", "text": "nobody here"}\n'
    result = run("redact", "--jsonl", input=lines)
    assert result.exit_code == 1
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [1, None, "c"]
    assert out[0]["text"].count("[PERSON-") == 2
    assert out[0]["entities"][0] == {"type": "PERSON", "start": 0, "end": len("[PERSON-12345678]")}
    assert out[1]["error"].startswith("line 2:")
    assert out[2] == {"id": "c", "text": "nobody here", "entities": []}


def test_stats_reindex_export_delete(c: Container, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Tony taught me patience.")
    run("import", str(tmp_path / "a.txt"), "--as", "ada")
    stats = json.loads(run("stats", "--json").output)
    assert stats["documents"] == 1 and stats["vector_index_chunks"] == 1
    assert "Reindexed 1 documents" in run("reindex").output
    exported = run("export", "--as", "ada", "--out", str(tmp_path / "out.jsonl"))
    assert exported.exit_code == 0
    [row] = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert row["author"] == "ada" and "Tony" not in row["text"]
    assert run("export", "--as", "ravi").stdout == ""
    assert run("delete", row["id"], "--as", "ada").exit_code == 1  # source id is not a document id
    doc_id = c.records.documents()[0].document_id
    assert run("delete", doc_id, "--as", "ravi").exit_code == 1
    assert run("delete", doc_id, "--as", "ada").exit_code == 0
    assert c.vectors.count() == 0


def test_users_commands(c: Container) -> None:
    assert (
        run("users", "add", "cora", "--role", "coordinator", "--programme", "north").exit_code == 0
    )
    dup = run("users", "add", "cora")
    assert dup.exit_code == 1 and "already exists" in dup.output
    bad = run("users", "add", "x", "--role", "boss")
    assert bad.exit_code == 1 and "unknown role 'boss'" in bad.output
    assert (
        run("users", "set-role", "cora", "--role", "admin", "--programme", "north").exit_code == 0
    )
    listing = run("users", "list").output
    assert "cora" in listing and "north: admin" in listing
    audited = [(e.actor, e.action, e.subject) for e in c.audit.events()]
    assert ("cli", "user added", "cora") in audited and ("cli", "roles changed", "cora") in audited


def test_import_reports_an_indexing_failure_and_exits_non_zero(
    c: Container, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("A reflection on patience.")

    def broken(*_a: object, **_k: object) -> None:
        raise ConnectionError("chroma is down")

    c.vectors.upsert = broken  # type: ignore[method-assign]
    result = run("import", str(tmp_path / "a.txt"), "--as", "ada")
    assert result.exit_code == 1
    assert "Indexing failed: ConnectionError: chroma is down" in result.output
    assert "run `playbook reindex`" in result.output
    assert len(c.records.documents()) == 1


def test_privacy_commands_preview_deny_allow_and_approve(c: Container) -> None:
    c.records.add_user("cora", roles=[Role.COORDINATOR])
    text = "Coffee with Obi and Marcus."
    before = run("privacy", "preview", "--as", "ada", "--json", input=text)
    assert before.exit_code == 0, before.output
    spans = json.loads(before.stdout)["spans"]
    assert [text[s["start"] : s["end"]] for s in spans] == ["Marcus"]
    assert run("privacy", "deny", "Obi", "--as", "ada").exit_code == 0
    assert run("privacy", "allow", "Marcus", "--as", "ada").exit_code == 0
    after = run("privacy", "preview", "--as", "ada", input=text)
    assert "Obi" not in after.stdout and "Marcus" in after.stdout
    shared = run("privacy", "preview", "--as", "ada", "--shared", input=text)
    assert "Marcus" not in shared.stdout
    assert run("privacy", "pending", "--as", "ravi").stdout.count("Marcus") == 0
    pending = run("privacy", "pending", "--as", "cora")
    assert "Marcus" in pending.stdout and "ada" in pending.stdout
    [term] = [t for t in c.privacy.terms(c.records.principal("ada").user_id) if t.kind == "allow"]
    refused = run("privacy", "approve", term.id, "--as", "ravi")
    assert refused.exit_code == 1 and "coordinator" in refused.output
    assert run("privacy", "approve", term.id, "--as", "cora").exit_code == 0
    shared = run("privacy", "preview", "--as", "ada", "--shared", input=text)
    assert "Marcus" in shared.stdout
    bad = run("privacy", "deny", "   ", "--as", "ada")
    assert bad.exit_code == 1 and "empty" in bad.output


def test_roster_import_needs_an_admin_and_a_good_file(c: Container, tmp_path: Path) -> None:
    c.records.add_user("sam", roles=[Role.ADMIN])
    good = tmp_path / "people.csv"
    good.write_text("name,email\nZora Okonkwo,zora@acme.example\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("who\nZora\n", encoding="utf-8")
    refused = run("roster", "import", str(good), "--as", "ada")
    assert refused.exit_code == 1 and "admin" in refused.output
    assert run("roster", "import", str(good), "--as", "sam").exit_code == 0
    broken = run("roster", "import", str(bad), "--as", "sam")
    assert broken.exit_code == 1 and "'name' column" in broken.output
    missing = run("roster", "import", str(tmp_path / "nope.csv"), "--as", "sam")
    assert missing.exit_code == 1 and "cannot read" in missing.output
    shown = run("roster", "show", "--as", "ada")
    assert "1 people" in shown.stdout and "Zora" not in shown.stdout
    assert "Zora Okonkwo" in run("roster", "show", "--as", "sam").stdout
    red = run("redact", input="zora agreed")
    assert "zora" not in red.stdout.casefold()


def test_reindex_re_redact_applies_the_roster_to_stored_content(
    c: Container, tmp_path: Path
) -> None:
    c.records.add_user("sam", roles=[Role.ADMIN])
    (tmp_path / "a.md").write_text("Zora thinks the Lagos plan is late.")
    assert run("import", str(tmp_path / "a.md"), "--as", "ada").exit_code == 0
    people = tmp_path / "people.csv"
    people.write_text("name,email\nZora Okonkwo,zora@acme.example\n", encoding="utf-8")
    assert run("roster", "import", str(people), "--as", "sam").exit_code == 0
    result = run("reindex", "--re-redact")
    assert result.exit_code == 0 and "1 changed" in result.stdout, result.output
    [doc] = c.records.documents()
    assert "Zora" not in doc.redacted_text and "Lagos" in doc.redacted_text


def test_keys_rotate_status_and_retire(c: Container, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("Tony and I disagreed about pricing.")
    assert run("import", str(tmp_path / "a.md"), "--as", "ada").exit_code == 0
    assert "0 value(s) under an older key" in run("keys", "status").stdout
    rotated = run("keys", "rotate")
    assert rotated.exit_code == 0 and "Re-encrypted 2" in rotated.stdout  # original + vault
    assert "2 key(s)" in run("keys", "status").stdout
    retired = run("keys", "retire")
    assert retired.exit_code == 0 and "Old keys removed" in retired.stdout
    assert "1 key(s)" in run("keys", "status").stdout
    [doc] = c.records.documents()
    assert c.privacy.original(c.records.principal("ada"), doc.document_id).startswith("Tony")
    key = run("keys", "new").stdout.strip()
    assert len(key) == 44


def test_original_is_for_its_author_only(c: Container, tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("Tony and I disagreed about pricing.")
    run("import", str(tmp_path / "a.md"), "--as", "ada", "--visibility", "shared")
    [doc] = c.records.documents()
    mine = run("privacy", "original", doc.document_id, "--as", "ada")
    assert mine.exit_code == 0 and "Tony and I disagreed" in mine.stdout
    theirs = run("privacy", "original", doc.document_id, "--as", "ravi")
    assert theirs.exit_code == 1 and "only the author" in theirs.output


@pytest.mark.parametrize("command", [["import"], ["reindex"]])
def test_batch_commands_lower_their_own_priority_as_set(
    c: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: list[str]
) -> None:
    import os

    calls: list[int] = []
    monkeypatch.setattr(os, "nice", calls.append)
    (tmp_path / "a.md").write_text("A note on pricing.")
    args = [*command, str(tmp_path), "--as", "ada"] if command == ["import"] else command
    monkeypatch.setattr(c, "settings", c.settings.model_copy(update={"batch_nice": 7}))
    assert run(*args).exit_code == 0
    assert calls == [7]
    monkeypatch.setattr(c, "settings", c.settings.model_copy(update={"batch_nice": 0}))
    assert run(*args).exit_code == 0
    assert calls == [7]  # 0 leaves the priority alone


def test_reading_commands_keep_their_priority(
    c: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    calls: list[int] = []
    monkeypatch.setattr(os, "nice", calls.append)
    monkeypatch.setattr(c, "settings", c.settings.model_copy(update={"batch_nice": 7}))
    assert run("stats").exit_code == 0
    assert calls == []
