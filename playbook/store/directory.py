"""The directory port over SQLAlchemy: programmes, people, their roles, and who they are for
permission scoping."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import (
    delete,
    func,
    select,
)
from sqlalchemy.orm import Session

from playbook.models import (
    Principal,
    Role,
    StoreError,
    UserInfo,
)
from playbook.permissions import RULES, Action
from playbook.store.engine import SqlAdapter, once_more_on_conflict
from playbook.store.tables import (
    MembershipRow,
    ProgrammeRow,
    UserRow,
)


class SqlDirectory(SqlAdapter):
    """Directory port: programmes, users and memberships."""

    def ensure_programme(self, slug: str, name: str | None = None) -> str:
        """Return the id of the programme with this slug, creating it if needed (another
        process creating it at the same moment is not an error)."""
        return once_more_on_conflict(lambda: self._ensure_programme(slug, name))

    def _ensure_programme(self, slug: str, name: str | None) -> str:
        with self._session.begin() as s:
            row = s.scalar(select(ProgrammeRow).where(ProgrammeRow.slug == slug))
            if row is None:
                row = ProgrammeRow(slug=slug, name=name or slug)
                s.add(row)
                s.flush()
            return row.id

    def programmes(self) -> list[tuple[str, str, int]]:
        """Every programme: (slug, name, how many people hold a role in it), by slug."""
        members = func.count(func.distinct(MembershipRow.user_id))
        q = (
            select(ProgrammeRow.slug, ProgrammeRow.name, members)
            .outerjoin(MembershipRow, MembershipRow.programme_id == ProgrammeRow.id)
            .group_by(ProgrammeRow.id)
            .order_by(ProgrammeRow.slug)
        )
        with self._session() as s:
            return [(slug, name, n) for slug, name, n in s.execute(q).all()]

    def coordinated_programmes(self, user_id: str) -> set[str]:
        """Programmes whose entries and share requests ``user_id`` looks after (coordinators)."""
        with self._session() as s:
            return coordinated_programmes(s, user_id)

    def member_ids(self, programme_id: str) -> set[str]:
        """Ids of the users who hold any role in a programme."""
        with self._session() as s:
            return set(
                s.scalars(
                    select(MembershipRow.user_id).where(MembershipRow.programme_id == programme_id)
                )
            )

    def programme_name(self, programme_id: str) -> str:
        """A programme's display name (its id when unknown)."""
        with self._session() as s:
            row = s.get(ProgrammeRow, programme_id)
            return row.name if row else programme_id

    def programme_names(self, programme_ids: Iterable[str]) -> dict[str, str]:
        """Display names of many programmes in one query.

        Args:
            programme_ids: The programmes wanted (repeats are looked up once).

        Returns:
            Every id asked for with its programme's name, or the id itself when there is no
            such programme (as ``programme_name`` answers).
        """
        ids = set(programme_ids)
        if not ids:
            return {}
        with self._session() as s:
            rows = s.execute(
                select(ProgrammeRow.id, ProgrammeRow.name).where(ProgrammeRow.id.in_(ids))
            )
            found = dict(rows.all())
        return {pid: found.get(pid, pid) for pid in ids}

    def programme_id(self, slug: str) -> str:
        """The id of an existing programme."""
        with self._session() as s:
            pid = s.scalar(select(ProgrammeRow.id).where(ProgrammeRow.slug == slug))
        if pid is None:
            raise StoreError(f"no programme called {slug!r}")
        return pid

    def add_user(
        self,
        username: str,
        display_name: str | None = None,
        roles: Iterable[Role] = (Role.LEADER,),
        programme: str = "default",
        is_demo: bool = False,
    ) -> UserInfo:
        """Create a user holding ``roles`` in ``programme`` (created if missing)."""
        username = clean_username(username)
        pid = self.ensure_programme(programme)
        with self._session.begin() as s:
            if s.scalar(select(UserRow.id).where(UserRow.username == username)):
                raise StoreError(f"a user called {username!r} already exists")
            user = UserRow(
                username=username, display_name=display_name or username, is_demo=is_demo
            )
            s.add(user)
            s.flush()
            for role in set(roles):
                s.add(MembershipRow(user_id=user.id, programme_id=pid, role=role.value))
        return self.user(username)

    def set_roles(
        self, username: str, roles: Iterable[Role], programme: str = "default"
    ) -> UserInfo:
        """Replace a user's roles in one programme."""
        pid = self.ensure_programme(programme)
        with self._session.begin() as s:
            user = self._user_row(s, username)
            s.execute(
                delete(MembershipRow).where(
                    MembershipRow.user_id == user.id, MembershipRow.programme_id == pid
                )
            )
            for role in set(roles):
                s.add(MembershipRow(user_id=user.id, programme_id=pid, role=role.value))
        return self.user(username)

    def set_active(self, username: str, active: bool) -> UserInfo:
        """Deactivate an account (it cannot sign in, and open sessions end) or reactivate
        it. Its writing, roles and audit lines stay."""
        with self._session.begin() as s:
            self._user_row(s, username).active = active
        return self.user(username)

    def user(self, username: str) -> UserInfo:
        """A user by name, with roles."""
        with self._session() as s:
            row = self._user_row(s, username)
            slugs = dict(s.execute(select(ProgrammeRow.id, ProgrammeRow.slug)).all())
            return _user_info(row, slugs)

    def users(self) -> list[UserInfo]:
        """All users, by name."""
        with self._session() as s:
            slugs = dict(s.execute(select(ProgrammeRow.id, ProgrammeRow.slug)).all())
            rows = s.scalars(select(UserRow).order_by(UserRow.username)).all()
            return [_user_info(r, slugs) for r in rows]

    def principal(self, username: str) -> Principal:
        """Who ``username`` is, for permission scoping."""
        with self._session() as s:
            row = self._user_row(s, username)
            return Principal(
                user_id=row.id,
                username=row.username,
                memberships=frozenset((m.programme_id, Role(m.role)) for m in row.memberships),
                active=row.active,
            )

    def user_ids(self, usernames: Iterable[str]) -> dict[str, str]:
        """Map the usernames that exist to their ids."""
        names = {clean_username(u) for u in usernames}
        with self._session() as s:
            rows = s.execute(
                select(UserRow.username, UserRow.id).where(UserRow.username.in_(names))
            )
            return dict(rows.all())

    def usernames(self, user_ids: Iterable[str]) -> dict[str, str]:
        """Map user ids to usernames."""
        with self._session() as s:
            rows = s.execute(
                select(UserRow.id, UserRow.username).where(UserRow.id.in_(set(user_ids)))
            )
            return dict(rows.all())

    def display_names(self, user_ids: Iterable[str]) -> dict[str, str]:
        """Display names of many users in one query (what ``user(...).display_name or
        username`` gives one at a time).

        Args:
            user_ids: The users wanted (repeats are looked up once).

        Returns:
            Each id that exists with its display name, or its username when the display
            name is empty; unknown ids are absent.
        """
        ids = set(user_ids)
        if not ids:
            return {}
        with self._session() as s:
            rows = s.execute(
                select(UserRow.id, UserRow.display_name, UserRow.username).where(
                    UserRow.id.in_(ids)
                )
            )
            return {uid: shown or username for uid, shown, username in rows}

    @staticmethod
    def _user_row(s: Session, username: str) -> UserRow:
        row = s.scalar(select(UserRow).where(UserRow.username == clean_username(username)))
        if row is None:
            raise StoreError(
                f"no user called {username!r}; add one with `playbook users add {username}`"
            )
        return row


def coordinated_programmes(s: Session, user_id: str) -> set[str]:
    """Programmes whose entries and share requests ``user_id`` looks after (coordinators)."""
    return set(
        s.scalars(
            select(MembershipRow.programme_id).where(
                MembershipRow.user_id == user_id,
                MembershipRow.role.in_([r.value for r in RULES[Action.CURATE].roles]),
            )
        )
    )


def clean_username(username: str) -> str:
    name = username.strip().lower()
    if not name or len(name) > 64 or any(ch.isspace() for ch in name):
        raise StoreError(f"{username!r} is not a valid user name (1-64 characters, no spaces)")
    return name


def _user_info(row: UserRow, slugs: dict[str, str]) -> UserInfo:
    roles: dict[str, list[Role]] = {}
    for m in row.memberships:
        roles.setdefault(slugs.get(m.programme_id, m.programme_id), []).append(Role(m.role))
    return UserInfo(
        user_id=row.id,
        username=row.username,
        display_name=row.display_name,
        roles={k: tuple(sorted(v)) for k, v in roles.items()},
        is_demo=row.is_demo,
        active=row.active,
    )
