"""`playbook council`, `playbook rotations` and `playbook impact` from the shell, on the
demo content: what each prints, and a refusal as one line with a non-zero exit."""

from __future__ import annotations

import datetime as dt

from playbook.wiring import Container
from tests.unit.test_cli_entries import c, run  # noqa: F401 (the demo container fixture)


def test_council_show_option_and_decide(c: Container) -> None:  # noqa: F811
    shown = run("council", "show", "--as", "ravi")
    assert shown.exit_code == 0, shown.output
    assert "Scope: Market entry" in shown.output and "[decided] owner ada" in shown.output
    tracked = run("council", "option", "Open a Jakarta office", "--owner", "ada", "--as", "cora")
    assert tracked.exit_code == 0, tracked.output
    option_id = tracked.output.split()[2].rstrip(";")
    refused = run("council", "decide", option_id, "--text", "yes", "--as", "cora")
    assert refused.exit_code == 1 and "only the option's internal owner" in refused.output
    done = run("council", "decide", option_id, "--decline", "--text", "Too early", "--as", "ada")
    assert done.exit_code == 0 and "is declined" in done.output
    bad = run(
        "council", "charter", "--scope", "", "--rights", "r", "--cadence", "c", "--as", "cora"
    )
    assert bad.exit_code == 1 and "the scope is empty" in bad.output


def test_rotations_plan_list_and_refuse(c: Container) -> None:  # noqa: F811
    start = dt.date.today() + dt.timedelta(days=100)
    args = ["--from", f"{start}", "--to", f"{start + dt.timedelta(days=20)}"]
    args += ["--market", "Lagos", "--project", "Route-to-market study"]
    planned = run("rotations", "plan", "ada", *args, "--sponsor", "cora", "--as", "cora")
    assert planned.exit_code == 0, planned.output
    assert "ada → Lagos" in planned.output and "hosted by cora" in planned.output
    refused = run("rotations", "plan", "ada", *args, "--as", "ravi")
    assert refused.exit_code == 1 and "coordinator role" in refused.output
    listed = run("rotations", "list", "--as", "ravi")
    assert (
        "ravi → Supply chain, Singapore" in listed.output and "debrief: Rotation" in listed.output
    )
    mine = run("rotations", "list", "--mine", "--as", "ravi")
    assert "Finance, Indonesia" in mine.output and "Singapore" not in mine.output


def test_impact_report_recount_and_validate(c: Container) -> None:  # noqa: F811
    questions = run("impact", "questions")
    assert "speed: Did your decisions get faster" in questions.output
    saved = run("impact", "report", "--answer", "speed=Faster", "--share", "--as", "ada")
    assert saved.exit_code == 0 and "report (shared)" in saved.output
    bad = run("impact", "report", "--answer", "speed", "--as", "ada")
    assert bad.exit_code == 1 and "--answer takes ID=TEXT" in bad.output
    nobody = run("impact", "report", "--answer", "speed=x", "--as", "cora")
    assert nobody.exit_code == 1 and "no pairing under way" in nobody.output
    reports = run("impact", "reports", "--as", "ravi")
    assert "ada  shared" in reports.output and "speed: Faster" in reports.output
    objectives = run("impact", "objectives", "--as", "ravi").output
    objective_id = objectives.split()[0]
    assert "Lead a cross-functional launch decision" in " ".join(objectives.split())
    recounted = run(
        "impact", "recount", objective_id, "--text", "I decided early", "--observer", "ada",
        "--as", "ravi",
    )  # fmt: skip
    assert recounted.exit_code == 0 and "ada is asked to validate" in recounted.output
    pending = run("impact", "pending", "--as", "ada").output
    recount_id = pending.split()[0]
    assert "ravi on" in pending and "I decided early" in " ".join(pending.split())
    refused = run("impact", "validate", recount_id, "--statement", "ok", "--as", "cora")
    assert refused.exit_code == 1 and "only the observer the mentee named" in refused.output
    ok = run("impact", "validate", recount_id, "--statement", "Seen it", "--as", "ada")
    assert ok.exit_code == 0 and run("impact", "pending", "--as", "ada").output == ""
