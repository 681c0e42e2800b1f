"""The ``Directory`` contract: programmes, people and roles, as every directory keeps them."""

from __future__ import annotations

import pytest

from playbook.models import Role, StoreError
from playbook.ports import Directory
from tests.contracts.stores import cast


class DirectoryContract:
    """Tests every ``Directory`` adapter passes; a subclass provides ``subject``."""

    @pytest.fixture
    def subject(self) -> Directory:
        """An empty directory of the adapter under test."""
        raise NotImplementedError("a subclass provides the Directory under test")

    def test_ensure_programme_creates_once(self, subject: Directory) -> None:
        pid = subject.ensure_programme("north", "North region")
        assert subject.ensure_programme("north", "Another name") == pid
        assert subject.programme_id("north") == pid
        assert subject.programme_name(pid) == "North region"

    def test_unknown_programme_is_an_error_and_an_unknown_id_names_itself(
        self, subject: Directory
    ) -> None:
        with pytest.raises(StoreError):
            subject.programme_id("nowhere")
        assert subject.programme_name("no-such-id") == "no-such-id"

    def test_programmes_are_listed_by_slug_with_member_counts(self, subject: Directory) -> None:
        subject.ensure_programme("empty")
        cast(subject)
        assert subject.programmes() == [
            ("empty", "empty", 0),
            ("north", "north", 3),
            ("south", "south", 1),
        ]

    def test_a_user_round_trips_with_roles(self, subject: Directory) -> None:
        info = subject.add_user(
            "ada", "Ada L", [Role.LEADER, Role.COORDINATOR], "north", is_demo=True
        )
        assert subject.user("ada") == info
        assert info.username == "ada" and info.display_name == "Ada L"
        assert set(info.roles["north"]) == {Role.LEADER, Role.COORDINATOR}
        assert info.is_demo and info.active

    def test_a_second_user_of_the_same_name_is_refused(self, subject: Directory) -> None:
        subject.add_user("ada")
        with pytest.raises(StoreError):
            subject.add_user("ada")

    def test_unknown_user_is_an_error(self, subject: Directory) -> None:
        with pytest.raises(StoreError):
            subject.user("ghost")
        with pytest.raises(StoreError):
            subject.principal("ghost")

    def test_users_are_listed_by_name(self, subject: Directory) -> None:
        for name in ("ravi", "ada", "olga"):
            subject.add_user(name)
        assert [u.username for u in subject.users()] == ["ada", "olga", "ravi"]

    def test_set_roles_replaces_the_roles_in_one_programme_only(self, subject: Directory) -> None:
        subject.add_user("ada", roles=[Role.LEADER], programme="north")
        subject.set_roles("ada", [Role.PARTICIPANT], programme="south")
        info = subject.set_roles("ada", [Role.ADMIN], programme="north")
        assert info.roles == {"north": (Role.ADMIN,), "south": (Role.PARTICIPANT,)}
        assert subject.user("ada").roles == info.roles

    def test_principal_carries_memberships_and_active_state(self, subject: Directory) -> None:
        people = cast(subject)
        p = subject.principal("cora")
        assert p.user_id == people.cora and p.username == "cora"
        assert p.memberships == {(people.north, Role.COORDINATOR)}
        assert p.active
        subject.set_active("cora", False)
        assert not subject.principal("cora").active
        assert subject.set_active("cora", True).active

    def test_members_and_coordinators(self, subject: Directory) -> None:
        people = cast(subject)
        assert subject.member_ids(people.north) == {people.ada, people.ravi, people.cora}
        assert subject.member_ids(people.south) == {people.olga}
        assert subject.coordinated_programmes(people.cora) == {people.north}
        assert subject.coordinated_programmes(people.ada) == set()

    def test_ids_and_names_map_only_what_exists(self, subject: Directory) -> None:
        people = cast(subject)
        assert subject.user_ids(["ada", "ghost", "olga"]) == {
            "ada": people.ada,
            "olga": people.olga,
        }
        assert subject.usernames([people.ravi, "no-such-id"]) == {people.ravi: "ravi"}

    def test_programme_names_answer_every_id_asked_in_one_call(self, subject: Directory) -> None:
        people = cast(subject)
        subject.ensure_programme("east", "East region")
        east = subject.programme_id("east")
        assert subject.programme_names([people.north, east, "no-such-id", east]) == {
            people.north: "north",
            east: "East region",
            "no-such-id": "no-such-id",  # as programme_name names an unknown id
        }
        assert subject.programme_names([]) == {}

    def test_display_names_fall_back_to_the_username_and_skip_unknown_ids(
        self, subject: Directory
    ) -> None:
        ada = subject.add_user("ada", "Ada Lovelace").user_id
        ravi = subject.add_user("ravi").user_id  # no display name given: the username
        assert subject.display_names([ada, ravi, "no-such-id", ada]) == {
            ada: "Ada Lovelace",
            ravi: "ravi",
        }
        assert subject.display_names([]) == {}
