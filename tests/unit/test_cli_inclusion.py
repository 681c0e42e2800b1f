"""`playbook inclusion` from the shell, on the demo content: attributes and consent, a
declaration that needs --consent, one's own values only, withdrawal, configuration by a
coordinator, and the audit as JSON with every small group withheld."""

from __future__ import annotations

import json

from playbook.wiring import Container
from tests.unit.test_cli_entries import c, run  # noqa: F401 (the demo container fixture)


def test_attributes_declare_mine_and_withdraw(c: Container) -> None:  # noqa: F811
    shown = run("inclusion", "attributes", "--as", "sam")
    assert shown.exit_code == 0, shown.output
    assert "level (Level): Manager, Director, Executive" in shown.output
    assert "Consent: I choose to declare" in shown.output
    refused = run("inclusion", "declare", "--value", "level=Manager", "--as", "sam")
    assert refused.exit_code == 1 and "add --consent to agree to" in refused.output
    bad = run("inclusion", "declare", "--value", "level", "--consent", "--as", "sam")
    assert bad.exit_code == 1 and "--value takes NAME=VALUE" in bad.output
    wrong = run("inclusion", "declare", "--value", "level=CEO", "--consent", "--as", "sam")
    assert wrong.exit_code == 1 and "not one of the values of Level" in wrong.output
    assert "You have declared nothing." in run("inclusion", "mine", "--as", "sam").output
    saved = run("inclusion", "declare", "--value", "level=manager", "--consent", "--as", "sam")
    assert saved.exit_code == 0 and "You have declared: level." in saved.output
    mine = json.loads(run("inclusion", "mine", "--json", "--as", "sam").output)
    assert [(d["attribute"], d["value"]) for d in mine] == [("level", "Manager")]
    assert mine[0]["consent"].startswith("I choose to declare")
    gone = run("inclusion", "withdraw", "--as", "sam")
    assert gone.exit_code == 0 and "Deleted 1 declaration(s)." in gone.output
    assert json.loads(run("inclusion", "mine", "--json", "--as", "sam").output) == []


def test_configure_is_for_coordinators(c: Container) -> None:  # noqa: F811
    refused = run("inclusion", "configure", "--attribute", "team", "--as", "ada")
    assert refused.exit_code == 1 and "coordinator role" in refused.output
    done = run(
        "inclusion", "configure", "--attribute", "level:Level=Manager,Director,Executive",
        "--attribute", "function:Function=Sales,Finance,Technology,Strategy,Marketing",
        "--as", "cora",
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "now asks for: level, function." in done.output
    assert "declaration(s) of attributes or values no longer asked were deleted" in done.output
    bad = run("inclusion", "configure", "--attribute", "Bad Key", "--as", "cora")
    assert bad.exit_code == 1 and "is not an attribute key" in bad.output


def test_the_audit_as_json_withholds_every_small_group(c: Container) -> None:  # noqa: F811
    refused = run("inclusion", "audit", "--as", "ravi")
    assert refused.exit_code == 1 and "programme health needs" in refused.output
    early = run("inclusion", "audit", "--quarter", "2999-Q1", "--as", "cora")
    assert early.exit_code == 1 and "has not ended" in early.output
    out = run("inclusion", "audit", "--quarter", "2026-Q3", "--json", "--as", "sofia")
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["quarter"] == "2026-Q3" and data["members"] == 11
    by_title = {t["title"].split(":")[0]: t for t in data["tables"]}
    assert set(by_title) == {"Function", "Level", "Location"}
    for t in data["tables"]:
        assert t["period"].startswith("2026-Q3") and "11 members" in t["population"]
        for row in t["rows"]:
            for cell in row[1:]:
                assert cell is None or isinstance(cell, float) or cell == 0 or cell >= 5
    members = {r[0]: r[1] for r in by_title["Function"]["rows"]}
    assert members["Sales"] == 5 and members["Technology"] is None
    assert members["Marketing"] is None and members["not declared"] is None
    text = run("inclusion", "audit", "--quarter", "2026-Q3", "--as", "cora").output
    assert "Inclusion audit, 2026-Q3" in text and "Sales | 5 |" in text
    crossed = run("inclusion", "audit", "--crosstab", "level,function", "--as", "cora")
    assert crossed.exit_code == 1 and "no cross-tab of" in crossed.output
