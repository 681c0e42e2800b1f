"""Names in the fields around the text: a record id, a title, tags, the debrief's function and
market, and a file whose name is a person's. With the real engine, store and indexes, none of
those names is left in any file of the data directory (every byte, UTF-8 as written and
lowercased, UTF-16 both byte orders) or in what another reader can search, export or list.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from playbook import cli
from playbook.models import Role, Visibility
from playbook.services.documents import ImportOptions
from playbook.wiring import Container
from tests.integration.test_residue import scan

pytestmark = pytest.mark.integration

NAMES = (
    "Kwabena",
    "Asante",
    "Darko",
    "Ingrid",
    "Johansson",
    "Priya",
    "Raman",
    "maria.garcia",
    "Wojciech",
    "Kowalczyk",
    "Agnieszka",
    "Nowak",
)
RECORD = {
    "id": "review-ingrid.johansson@corp.example",
    "title": "Talk with Ingrid Johansson",
    "tags": ["Priya Raman", "maria.garcia@corp.example", "pricing"],
    "kind": "debrief",
    "function": "finance run by Wojciech Kowalczyk",
    "market": "Poland with Agnieszka Nowak",
    "start_date": "2026-03-01",
    "end_date": "2026-03-20",
    "anchor_project": "Warehouse launch",
    "text": "The rotation taught me to listen to the pricing team before deciding on discounts.",
}


@pytest.fixture
def c(real_container: Container) -> Container:
    r = real_container.records
    r.add_user("ada", roles=[Role.LEADER])
    r.add_user("ravi", roles=[Role.PARTICIPANT])
    r.add_user("cora", roles=[Role.COORDINATOR])
    return real_container


def test_names_in_ids_titles_tags_places_and_file_names_reach_no_file_and_no_reader(
    c: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "import"
    folder.mkdir()
    (folder / "record.jsonl").write_text(json.dumps(RECORD) + "\n", encoding="utf-8")
    (folder / "Kwabena_Asante-Darko_1on1.md").write_text(
        "We reviewed the quarterly pricing plan and agreed the next steps for the launch.\n",
        encoding="utf-8",
    )
    report = c.service.import_paths(
        [folder], ImportOptions(as_user="ada", visibility=Visibility.SHARED)
    )
    assert report.total("created") == 2 and report.failed == 0 and not report.index_errors
    # The business words stay: this is redaction, not deletion.
    [debrief] = [d for d in c.records.documents() if d.kind.value == "debrief"]
    assert debrief.debrief.function and debrief.debrief.function.startswith("finance run by [")
    assert "pricing" in debrief.tags and debrief.source_label.startswith("[EMAIL-")

    monkeypatch.setattr(cli, "container", lambda: c)
    run = CliRunner()
    outputs = {
        "search --json": run.invoke(cli.app, ["search", "pricing plan", "--as", "ravi", "--json"]),
        "search": run.invoke(cli.app, ["search", "pricing plan", "--as", "ravi"]),
        "export": run.invoke(cli.app, ["export", "--as", "ravi"]),
        "entries list": run.invoke(cli.app, ["entries", "list", "--as", "cora"]),
    }
    for what, result in outputs.items():
        assert result.exit_code == 0, (what, result.output)
    hits = json.loads(outputs["search --json"].output)
    assert len(hits) == 2, hits  # both documents reach the other reader, redacted
    for what, result in outputs.items():
        found = [n for n in NAMES if n.casefold() in result.output.casefold()]
        assert not found, (what, found, result.output)

    c.records.engine.dispose()  # nothing held back in a connection: the files are all there
    scans = {name: scan(c.settings.data_dir, name) for name in NAMES}
    leaked = {name: s.hits for name, s in scans.items() if s.hits}
    assert not leaked, leaked
    first = next(iter(scans.values()))
    assert first.files >= 3 and first.size > 0  # the store, the keyword index and Chroma
    print(f"{len(NAMES)} names x 6 byte forms over {first}")
