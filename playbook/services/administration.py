"""User administration: accounts, roles, activation, passwords and sign-on links, the audit log
and its export, and the reads of the directory every front end needs (who someone is, names
for ids, programmes).

The command line and the admin page both come here, so a change to an account checks the
same permission and writes the same audit line whichever way it was made. At the command
line the acting admin is the operator (``admin=None``): whoever can run ``playbook`` on the
server can open its data directory, so there is no permission to check, and the audit log
names them ``cli``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from playbook.models import Principal, Role, StoreError, UserInfo
from playbook.permissions import COORDINATORS, Action, check
from playbook.ports import AccountKeeper, AuditEvent, AuditTrail, Directory, SessionRevoker
from playbook.services.accounts import password_problem

OPERATOR = "cli"  # how the audit log names the admin at the command line


MAX_USERNAME = 64


def _username_problem(username: str) -> str | None:
    # The directory refuses the same names; saying so first keeps a refused form from
    # leaving half an account behind.
    if not username or len(username) > MAX_USERNAME or any(ch.isspace() for ch in username):
        return f"{username!r} is not a valid user name (1-{MAX_USERNAME} characters, no spaces)"
    return None


def _roles_detail(programme: str, roles: Iterable[Role]) -> str:
    return f"{programme}: {', '.join(sorted(roles))}"


class AdministrationService:
    """Accounts and the audit log, for admins; directory reads for every front end."""

    def __init__(
        self,
        directory: Directory,
        audit: AuditTrail,
        accounts: AccountKeeper,
        sessions: SessionRevoker,
    ) -> None:
        self._directory = directory
        self._audit = audit
        self._accounts = accounts
        self._sessions = sessions

    # -- who is who ----------------------------------------------------------------------

    def principal(self, username: str) -> Principal:
        """Who ``username`` is, with their roles, for permission scoping.

        Raises:
            StoreError: There is no such user.
        """
        return self._directory.principal(username)

    def user(self, username: str) -> UserInfo:
        """A user by name, with display name and roles (``StoreError`` when unknown)."""
        return self._directory.user(username)

    def usernames(self, user_ids: Iterable[str]) -> dict[str, str]:
        """Usernames by user id, for showing who wrote or asked for something."""
        return self._directory.usernames(user_ids)

    def programme_id(self, slug: str) -> str:
        """Id of an existing programme (``StoreError`` when there is none)."""
        return self._directory.programme_id(slug)

    def programme_names(self, programme_ids: Iterable[str]) -> dict[str, str]:
        """Display names by programme id."""
        return self._directory.programme_names(programme_ids)

    def coordinators(self, programme_id: str) -> dict[str, str]:
        """Who coordinates a programme (and so may verify its entries): usernames by id."""
        found = {}
        for u in self._directory.users():
            for slug, roles in u.roles.items():
                if COORDINATORS & set(roles) and self._directory.programme_id(slug) == programme_id:
                    found[u.user_id] = u.username
        return found

    def demo_users(self) -> list[UserInfo]:
        """The demo accounts (signed in without a password in demo mode), by name."""
        return [u for u in self._directory.users() if u.is_demo]

    def demo_sign_in(self, username: str) -> str:
        """Sign in as a demo user (the caller knows demo mode is on); the username.

        Raises:
            StoreError: ``username`` is not a demo account.
        """
        user = self._directory.user(username)
        if not user.is_demo:  # a real account always needs its password
            raise StoreError(f"{username!r} is not a demo user")
        self._audit.record(user.username, "sign-in", user.username, "demo user")
        return user.username

    # -- accounts ------------------------------------------------------------------------

    def _actor(self, admin: Principal | None) -> str:
        if admin is None:
            return OPERATOR
        check(admin, Action.MANAGE_USERS)
        return admin.username

    def users(self, admin: Principal | None) -> list[UserInfo]:
        """Every user with roles and status, by name (admins)."""
        self._actor(admin)
        return self._directory.users()

    def programmes(self, admin: Principal | None) -> list[tuple[str, str, int]]:
        """Every programme: (slug, name, number of members), by slug (admins)."""
        self._actor(admin)
        return self._directory.programmes()

    def add_user(
        self,
        admin: Principal | None,
        username: str,
        roles: Iterable[Role],
        programme: str = "default",
        display_name: str | None = None,
    ) -> UserInfo:
        """Create a user holding ``roles`` in ``programme`` (``StoreError`` when the name is
        taken)."""
        actor = self._actor(admin)
        roles = list(roles)
        info = self._directory.add_user(username, display_name, roles, programme)
        self._audit.record(actor, "user added", info.username, _roles_detail(programme, roles))
        return info

    def create_user(
        self,
        admin: Principal | None,
        username: str,
        roles: Iterable[Role],
        programme: str = "default",
        *,
        display_name: str | None = None,
        email: str | None = None,
        password: str | None = None,
    ) -> UserInfo:
        """Create a user with roles in ``programme`` and, when given, a display name, a
        single sign-on e-mail and a password, checking everything before anything is stored:
        a refused field leaves no account behind.

        Raises:
            ValueError: A field is refused (the sentence says which and why).
            StoreError: The name is taken.
        """
        self._actor(admin)
        name = username.strip().lower()
        problem = _username_problem(name)
        if problem is None and self._directory.user_ids([name]):  # one lookup, not every user
            raise StoreError(f"a user called {name!r} already exists")
        if problem is None and password:
            problem = password_problem(name, password)
        if problem is None and email:
            problem = self._accounts.sso_problem(name, email)
        if problem:
            raise ValueError(problem)
        roles = list(roles)
        if not roles:
            raise ValueError("give the user at least one role")
        shown = display_name.strip() if display_name else ""
        info = self.add_user(admin, name, roles, programme.strip() or "default", shown or None)
        if password:
            self.set_password(admin, name, password)
        if email:
            self.link_sso(admin, name, email)
        return info

    def set_roles(
        self, admin: Principal | None, username: str, roles: Iterable[Role], programme: str
    ) -> UserInfo:
        """Replace a user's roles in one programme (created when new)."""
        actor = self._actor(admin)
        roles = list(roles)
        info = self._directory.set_roles(username, roles, programme)
        self._audit.record(actor, "roles changed", info.username, _roles_detail(programme, roles))
        return info

    def save_user(
        self, admin: Principal | None, username: str, roles: Iterable[Role], programme: str
    ) -> UserInfo:
        """Set a known user's roles in ``programme``, or create the user with them."""
        self._actor(admin)
        if username in {u.username for u in self._directory.users()}:
            return self.set_roles(admin, username, roles, programme)
        return self.add_user(admin, username, roles, programme)

    def set_active(self, admin: Principal | None, username: str, active: bool) -> UserInfo:
        """Deactivate (it cannot sign in; open sessions end) or reactivate an account.

        Raises:
            ValueError: An admin tried to deactivate their own account.
        """
        actor = self._actor(admin)
        if admin is not None and username == admin.username and not active:
            raise ValueError("you cannot deactivate your own account")
        info = self._directory.set_active(username, active=active)
        if not active:
            self._sessions.end_all(info.username)
        action = "user reactivated" if active else "user deactivated"
        self._audit.record(actor, action, info.username)
        return info

    def set_password(self, admin: Principal | None, username: str, password: str) -> None:
        """Give a user a new password (``ValueError`` naming what the policy refuses); every
        session they have open ends, so whoever knew the old one is signed out."""
        self._accounts.set_password(username, password, actor=self._actor(admin))
        self._sessions.end_all(username)

    def link_sso(self, admin: Principal | None, username: str, email: str | None) -> None:
        """Link a user to their single sign-on e-mail, or unlink it with None."""
        self._accounts.link_sso(username, email, actor=self._actor(admin))

    # -- the audit log -------------------------------------------------------------------

    def audit_events(
        self,
        reader: Principal,
        action: str | None = None,
        limit: int = 500,
        *,
        person: str | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> list[AuditEvent]:
        """The newest lines of the audit log (admins), optionally only those whose action
        contains ``action`` (any case), naming ``person`` as actor or subject, and from
        ``since`` to ``until`` (whole days, UTC, both included)."""
        check(reader, Action.VIEW_AUDIT)
        start = dt.datetime.combine(since, dt.time(), dt.UTC) if since else None
        end = None
        if until:
            end = dt.datetime.combine(until, dt.time(), dt.UTC) + dt.timedelta(days=1)
        needle = action.strip().casefold() if action else ""
        who = person.strip().lower() if person else ""
        found = []
        # The store filters by time; the substring and the person are matched here, over
        # the log from ``since`` on (an admin's filter, not a hot path).
        for e in self._audit.events(since=start, limit=1_000_000):
            if end is not None and e.at >= end:
                continue
            if needle and needle not in e.action.casefold():
                continue
            if who and who not in {e.actor or "", e.subject}:
                continue
            found.append(e)
            if len(found) >= limit:
                break
        return found

    def audit_people(self, reader: Principal) -> list[str]:
        """Everyone the audit log can be filtered by: the usernames, and the command line."""
        check(reader, Action.VIEW_AUDIT)
        return sorted({u.username for u in self._directory.users()} | {OPERATOR})

    def audit_csv(self, reader: Principal, action: str | None = None) -> tuple[str, int]:
        """The whole audit log (or one action's lines) as CSV, and how many lines (admins).
        Recorded only when it is handed out: ``record_audit_export``."""
        check(reader, Action.VIEW_AUDIT)
        events = self._audit.events(action=action, limit=1_000_000)
        return self._audit.to_csv(events), len(events)

    def record_audit_export(self, reader: Principal, name: str, lines: int) -> None:
        """Record that ``reader`` took the audit log away as the file ``name``."""
        check(reader, Action.VIEW_AUDIT)
        self._audit.record(reader.username, "audit exported", name, f"{lines} lines")

    def record_export(self, username: str, subject: str, detail: str) -> None:
        """Record that ``username`` exported something (their documents, a pack, in a
        format): what leaves the system is always on the audit log."""
        self._audit.record(username, "export", subject, detail)

    def record_roster_upload(self, admin: Principal, people: int) -> None:
        """Record that an admin replaced the redaction roster."""
        check(admin, Action.MANAGE_PRIVACY)
        self._audit.record(admin.username, "roster uploaded", "", f"{people} people")

    def record_term_added(self, admin: Principal, kind: str) -> None:
        """Record that an admin added a term to the list for everyone (never the term)."""
        check(admin, Action.MANAGE_PRIVACY)
        self._audit.record(admin.username, "term added", kind)
