"""The credentials port over SQLAlchemy: password hashes and single sign-on identities, in the
``users`` table the directory also keeps."""

from __future__ import annotations

from sqlalchemy import func, select, update

from playbook.models import Role
from playbook.ports import Credential
from playbook.store.engine import SqlAdapter
from playbook.store.tables import MembershipRow, UserRow


def _credential(row: UserRow) -> Credential:
    return Credential(row.username, row.password_hash, row.active, row.is_demo, row.sso_identity)


class SqlCredentials(SqlAdapter):
    """Credentials port: what the accounts use case reads and writes about signing in."""

    def credential(self, username: str) -> Credential | None:
        """A user's credential by username."""
        with self._session() as s:
            row = s.scalar(select(UserRow).where(UserRow.username == username))
            return _credential(row) if row is not None else None

    def by_sso_identity(self, identity: str) -> Credential | None:
        """The user linked to this single sign-on identity."""
        with self._session() as s:
            row = s.scalar(select(UserRow).where(UserRow.sso_identity == identity))
            return _credential(row) if row is not None else None

    def set_password_hash(self, username: str, password_hash: str) -> bool:
        """Store a new hash; False when there is no such user."""
        return self._set(username, password_hash=password_hash)

    def set_sso_identity(self, username: str, identity: str | None) -> bool:
        """Link (or with None unlink) an identity; False when there is no such user."""
        return self._set(username, sso_identity=identity)

    def _set(self, username: str, **values: str | None) -> bool:
        with self._session.begin() as s:
            done = s.execute(update(UserRow).where(UserRow.username == username).values(values))
            return bool(getattr(done, "rowcount", 0))

    def has_passwords(self) -> bool:
        """Whether any active user has a password."""
        q = select(func.count(UserRow.id)).where(
            UserRow.password_hash.is_not(None), UserRow.active.is_(True)
        )
        with self._session() as s:
            return bool(s.scalar(q))

    def admin_has_password(self) -> bool:
        """Whether any admin account has a password, active or not."""
        q = (
            select(func.count(UserRow.id))
            .join(MembershipRow, MembershipRow.user_id == UserRow.id)
            .where(MembershipRow.role == Role.ADMIN.value, UserRow.password_hash.is_not(None))
        )
        with self._session() as s:
            return bool(s.scalar(q))
