"""The Mentoring page (AppTest): a coordinator imports profiles, gets explained suggestions,
proposes and approves a pairing; the two people accept it; sessions show against the
commitment; a member who is not a coordinator sees pairings but not suggestions; a bad CSV
imports nothing and names its rows."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from playbook.models import Role
from playbook.ports.mentoring import PairingState, ProfileRole
from playbook.ui import common
from playbook.wiring import Container
from tests.conftest import page_as
from tests.unit.test_mentoring import PROFILES
from tests.unit.test_plain_text import unescape


@pytest.fixture
def c(fake_container: Container, monkeypatch: pytest.MonkeyPatch) -> Container:
    r = fake_container.records
    r.add_user("cora", roles=[Role.COORDINATOR])
    for name in ("maya", "omar", "lena", "boss", "zoe", "ravi"):
        r.add_user(name, roles=[Role.LEADER])
    monkeypatch.setattr(common, "get_container", lambda: fake_container)
    return fake_container


def _page(user: str) -> AppTest:
    return AppTest.from_function(page_as, args=(user, "mentoring"), default_timeout=30).run()


def _text(at: AppTest) -> str:
    shown = (*at.subheader, *at.markdown, *at.caption, *at.info, *at.success, *at.error)
    parts = [x.value for x in shown]
    return unescape("\n".join(str(p) for p in parts))


def test_suggest_propose_approve_accept_and_log(c: Container) -> None:
    cora = c.records.principal("cora")
    assert c.mentoring.import_profiles(cora, "default", PROFILES.encode()).saved == 6
    at = _page("cora")
    assert not at.exception
    at.button(key="FormSubmitter:suggest-Suggest").click().run()
    assert not at.exception
    text = _text(at)
    assert "Suggestions for ravi" in text and "expertise fits the objective" in text
    assert "Not suggested: boss: in the mentee's reporting line (above them)" in text
    first = next(b for b in at.button if b.key and b.key.startswith("propose:"))
    first.click().run()
    assert not at.exception
    [pairing] = c.mentoring.pairings_store.pairings(c.records.programme_id("default"))
    at.button(key=f"approve:{pairing.pairing_id}").click().run()
    assert c.mentoring.pairings_store.pairing(pairing.pairing_id).state is PairingState.APPROVED
    mentor = c.records.usernames([pairing.mentor_id])[pairing.mentor_id]
    for person in ("ravi", mentor):
        at = _page(person)
        at.button(key=f"accept:{pairing.pairing_id}").click().run()
        assert not at.exception
    assert c.mentoring.pairings_store.pairing(pairing.pairing_id).state is PairingState.ACTIVE
    at = _page("ravi")
    at.button(key=f"FormSubmitter:log:{pairing.pairing_id}-Log session").click().run()
    assert not at.exception
    assert "Sessions: 1 of 2 this quarter" in _text(at)


def test_members_see_pairings_not_suggestions(c: Container) -> None:
    at = _page("ravi")
    assert not at.exception
    assert "Suggestions are for the programme's coordinators and stewards." in _text(at)
    assert "No pairings yet." in _text(at)


def test_a_bad_csv_imports_nothing(c: Container) -> None:
    at = _page("cora")
    assert not at.exception
    assert [u for u in at.get("file_uploader")]  # the import is offered to coordinators
    # AppTest cannot upload a file; the service call the button makes is the one tested.
    report = c.mentoring.import_profiles(
        c.records.principal("cora"), "default", b"username,role\nghost,mentor\n"
    )
    assert report.saved == 0 and any("row 2" in e for e in report.errors)


def test_profile_text_is_shown_as_plain_text(c: Container) -> None:
    cora = c.records.principal("cora")
    hostile = (
        "username,role,expertise,capacity\n"
        'maya,mentor,"**bold** [x](http://127.0.0.1:9/x) <img src=x>",2\n'
    )
    assert c.mentoring.import_profiles(cora, "default", hostile.encode()).saved == 1
    at = _page("cora")
    assert not at.exception
    shown = [m.value for m in at.markdown if "bold" in m.value]
    assert shown and all("\\*\\*bold\\*\\*" in v and "\\[x\\]" in v for v in shown)


def test_a_private_reason_is_shown_on_request_to_its_readers_only(c: Container) -> None:
    m = c.mentoring
    cora = c.records.principal("cora")
    m.import_profiles(cora, "default", PROFILES.encode())
    pid = m.propose(cora, "default", "maya", "ravi")
    m.end(c.records.principal("ravi"), pid, "No chemistry between us")
    before = len(c.audit.events())
    at = _page("cora")
    assert "No chemistry" not in _text(at)
    assert len(c.audit.events()) == before  # showing the page reads no reason
    at.button(key=f"reasons:{pid}").click().run()
    assert "Private reason" in _text(at) and "No chemistry between us" in _text(at)
    at = _page("maya")
    at.button(key=f"reasons:{pid}").click().run()
    assert "No chemistry" not in _text(at) and "No reason you may read." in _text(at)


def test_a_person_edits_their_own_profile_and_keeps_its_reporting_line(c: Container) -> None:
    m = c.mentoring
    m.import_profiles(c.records.principal("cora"), "default", PROFILES.encode())
    at = _page("ravi")
    at.selectbox(key="edit_role").set_value(ProfileRole.MENTEE).run()
    at.text_input(key="edit_goals:ravi:mentee").input("Grow margin and share")
    at.button(key="FormSubmitter:edit_profile:ravi:mentee-Save profile").click().run()
    assert not at.exception and "Profile saved." in _text(at)
    [ravi] = m.list_profiles(c.records.principal("cora"), "default", ProfileRole.MENTEE)
    assert ravi.profile.goals == "Grow margin and share"
    assert ravi.manager == "boss" and ravi.conflicts == ("omar",)  # kept, not wiped
    assert [o.text for o in ravi.profile.objectives][1] == "Learn negotiation with retailers"
