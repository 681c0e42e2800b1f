"""Every page and every CLI command that needs a role refuses people without it, with the
sentence that says which role it needs, and works for people with it.

The expectations are written out here by hand (from the README's matrix) rather than asked
of ``playbook.permissions``, so a wrong rule there fails these tests.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from playbook import cli
from playbook.models import Role
from playbook.permissions import RULES, Action
from playbook.services.accounts import SignInError
from playbook.wiring import Container
from tests.conftest import page_as

USERS = ("ada", "ravi", "cora", "sam", "lone")  # leader, participant, coordinator, admin, none
PAGES: dict[str, tuple[Action | None, set[str]]] = {  # page -> (action, who may use it)
    "home": (None, set(USERS)),
    "search": (None, set(USERS)),
    "rotation": (None, set(USERS)),
    "ask": (Action.ASK, {"ada", "ravi", "cora", "sam"}),
    "handoff": (Action.HANDOFF, {"ada", "ravi", "cora", "sam"}),
    "reflect": (Action.WRITE, {"ada", "ravi", "cora"}),
    "moderate": (Action.MODERATE, {"cora"}),
    "curate": (Action.CURATE, {"cora"}),
    "admin": (Action.MANAGE_USERS, {"sam"}),
}


@pytest.fixture
def people(demo: Container) -> Container:
    """The demo users, and "lone", who belongs to no programme."""
    demo.records.add_user("lone", "Lone (no programme)", [Role.LEADER], "default")
    demo.records.set_roles("lone", [], "default")
    return demo


def _refusal(action: Action) -> str:
    text = RULES[action].refusal
    return text[0].upper() + text[1:] + "."


@pytest.mark.parametrize("name", sorted(PAGES))
def test_pages_refuse_people_without_the_role(people: Container, name: str) -> None:
    action, allowed = PAGES[name]
    for user in USERS:
        at = AppTest.from_function(page_as, args=(user, name), default_timeout=30).run()
        assert not at.exception, (name, user, at.exception)
        infos = [i.value for i in at.info]
        if user in allowed:
            assert action is None or _refusal(action) not in infos, (name, user)
        else:
            assert action is not None and _refusal(action) in infos, (name, user, infos)
            # Nothing to fill in or press: the page stops at the reason.
            assert not at.text_area and not at.text_input and not at.button, (name, user)


runner = CliRunner()


@pytest.fixture
def shell(people: Container, monkeypatch: pytest.MonkeyPatch) -> Container:
    monkeypatch.setattr(cli, "container", lambda: people)
    return people


def test_cli_commands_refuse_people_without_the_role(shell: Container, tmp_path: Path) -> None:
    c = shell
    ravi = c.records.principal("ravi")
    debrief = c.pipeline.document_id(ravi.user_id, "demo-d1")
    assert debrief
    roster = tmp_path / "roster.csv"
    roster.write_text("name,email\nTony Mercer,tony@example.com\n")
    term = c.privacy.add_term(ravi.user_id, "allow", "Atlas")
    before = (
        len(c.audit.events()),
        c.privacy.roster().people,
        c.curation.entries.listing({c.records.programme_id("default")}),
    )
    refused = [
        (("entries", "promote", debrief, "--as", "ada"), Action.CURATE),
        (("entries", "promote", debrief, "--as", "sam"), Action.CURATE),
        (
            ("showcase", "--from", "2026-01-01", "--to", "2026-12-31", "--as", "ravi"),
            Action.SHOWCASE,
        ),
        (("audit", "export", "--out", str(tmp_path / "a.csv"), "--as", "cora"), Action.VIEW_AUDIT),
        (("roster", "import", str(roster), "--as", "cora"), Action.MANAGE_PRIVACY),
        (("privacy", "pending", "--as", "ada"), Action.MODERATE),
        (("privacy", "approve", term.id, "--as", "sam"), Action.MODERATE),
        (("privacy", "original", debrief, "--as", "cora"), Action.VIEW_ORIGINAL),
        (("ask", "what did we learn about pricing", "--as", "lone"), Action.ASK),
        (("handoff", "--market", "Singapore", "--as", "lone"), Action.HANDOFF),
    ]
    for args, action in refused:
        result = runner.invoke(cli.app, list(args))
        assert result.exit_code == 1, (args, result.output)
        assert RULES[action].refusal in " ".join(result.output.split()), (args, result.output)
    assert not (tmp_path / "a.csv").exists()
    after = (
        len(c.audit.events()),
        c.privacy.roster().people,
        c.curation.entries.listing({c.records.programme_id("default")}),
    )
    assert after == before  # a refusal changes nothing
    allowed = [
        ("entries", "promote", debrief, "--as", "cora"),
        ("showcase", "--from", "2026-01-01", "--to", "2026-12-31", "--as", "cora"),
        ("audit", "export", "--out", str(tmp_path / "a.csv"), "--as", "sam"),
        ("roster", "import", str(roster), "--as", "sam"),
        ("privacy", "pending", "--as", "cora"),
        ("privacy", "approve", term.id, "--as", "cora"),
        ("privacy", "original", debrief, "--as", "ravi"),
        ("ask", "what did we learn about pricing", "--as", "ada"),
        ("handoff", "--market", "Singapore", "--as", "ada"),
    ]
    for args in allowed:
        result = runner.invoke(cli.app, list(args))
        assert result.exit_code == 0, (args, result.output)


def test_users_can_answers_for_one_person(shell: Container) -> None:
    yes = runner.invoke(cli.app, ["users", "can", "cora", "curate", "--programme", "default"])
    assert yes.exit_code == 0 and "yes: cora may curate" in yes.output
    no = runner.invoke(cli.app, ["users", "can", "sam", "view-original"])
    assert no.exit_code == 1 and "only the author" in no.output
    bad = runner.invoke(cli.app, ["users", "can", "sam", "fly"])
    assert bad.exit_code == 1 and "unknown action 'fly'" in bad.output
    matrix = runner.invoke(cli.app, ["users", "matrix"])
    assert matrix.exit_code == 0 and matrix.output.startswith("| Action | leader |")


def test_users_link_sso_from_the_shell(shell: Container) -> None:
    shell.records.add_user("nia", "Nia", [Role.LEADER])
    linked = runner.invoke(cli.app, ["users", "link-sso", "nia", "Nia@Example.com"])
    assert linked.exit_code == 0 and "Linked nia." in linked.output
    assert shell.accounts.sso_sign_in({"email": "nia@example.com"}) == "nia"
    missing = runner.invoke(cli.app, ["users", "link-sso", "nia"])
    assert missing.exit_code == 1 and "give the e-mail to link, or --unlink" in missing.output
    assert runner.invoke(cli.app, ["users", "link-sso", "nia", "--unlink"]).exit_code == 0
    demo = runner.invoke(cli.app, ["users", "link-sso", "ada", "ada@example.com"])
    assert demo.exit_code == 1 and "demo users cannot use single sign-on" in demo.output


def test_deactivate_and_reactivate_from_the_shell(shell: Container) -> None:
    shell.accounts.set_password("ravi", "correct horse battery staple")
    done = runner.invoke(cli.app, ["users", "deactivate", "ravi"])
    assert done.exit_code == 0 and "ravi is deactivated." in done.output
    refused = runner.invoke(cli.app, ["search", "pricing", "--as", "ravi"])
    assert refused.exit_code == 1 and "the account 'ravi' is deactivated" in refused.output
    with pytest.raises(SignInError):
        shell.accounts.sign_in("ravi", "correct horse battery staple")
    assert "deactivated" in runner.invoke(cli.app, ["users", "list"]).output
    assert runner.invoke(cli.app, ["users", "deactivate", "ravi", "--undo"]).exit_code == 0
    assert shell.accounts.sign_in("ravi", "correct horse battery staple") == "ravi"
    actions = [e.action for e in shell.audit.events() if e.subject == "ravi"]
    assert "user deactivated" in actions and "user reactivated" in actions
    unknown = runner.invoke(cli.app, ["users", "deactivate", "nobody"])
    assert unknown.exit_code == 1 and "nobody" in unknown.output
