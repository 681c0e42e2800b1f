"""What the council, rotation and impact use cases share: refusals phrased for the person,
text checks, redaction at the boundary, and looking people up in a programme.

Every free text these services store is read by others (coordinators, the council, the
showcase), so each goes through the ``Redactor`` with its author's policy before a port
sees it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from playbook.models import RedactionPolicy, StoreError
from playbook.ports import Directory, Redactor

PolicyFor = Callable[[str], RedactionPolicy | None]


class ProgrammeError(StoreError):
    """A request about the programme that cannot be done as asked; the message names the fix.
    Nothing was stored."""


def clean(value: str | None, what: str, limit: int, required: bool = True) -> str:
    """``value`` stripped, or a refusal naming the field when it is missing or too long.

    Args:
        value: What the person typed.
        what: The field's name as they know it ("the decision").
        limit: The most characters it may hold.
        required: Whether an empty value is refused.

    Returns:
        The stripped text ("" when optional and empty).

    Raises:
        ProgrammeError: It is empty (and required), or longer than ``limit``.
    """
    text = (value or "").strip()
    if required and not text:
        raise ProgrammeError(f"{what} is empty; write it and try again")
    if len(text) > limit:
        raise ProgrammeError(
            f"{what} has {len(text):,} characters; keep it to {limit:,} (nothing was saved)"
        )
    return text


class Boundary:
    """Redaction and people lookups for one family of use cases."""

    def __init__(
        self, directory: Directory, redactor: Redactor, policy_for: PolicyFor | None = None
    ) -> None:
        self.directory = directory
        self._redactor = redactor
        self._policy_for = policy_for

    def redact(self, author_id: str, texts: Sequence[str]) -> list[str]:
        """``texts`` redacted with the author's policy (their deny-list, approved allow terms);
        empty texts stay empty and cost no call."""
        wanted = [t for t in texts if t]
        if not wanted:
            return list(texts)
        policy = self._policy_for(author_id) if self._policy_for else None
        done = iter(r.text for r in self._redactor.redact_batch(wanted, policy))
        return [next(done) if t else t for t in texts]

    def member(self, programme_id: str, username: str | None, what: str) -> str:
        """The user id of ``username``, who must hold a role in the programme.

        Raises:
            ProgrammeError: Nobody was named, there is no such user, or they are not in the
                programme.
        """
        name = (username or "").strip()
        if not name:
            raise ProgrammeError(f"name {what} (a username)")
        found = self.directory.user_ids([name]).get(name)
        if found is None or found not in self.directory.member_ids(programme_id):
            raise ProgrammeError(
                f"{name!r} is not a member of this programme; {what} must be one "
                "(an admin can add them)"
            )
        return found

    def names(self, user_ids: Sequence[str | None]) -> dict[str, str]:
        """Usernames of these ids (unknown ones left out)."""
        return self.directory.usernames({u for u in user_ids if u})

    def programme(self, slug_or_id: str, programme_ids: frozenset[str]) -> str:
        """The id of a programme given by slug or id among ``programme_ids`` (the person's);
        with one programme and nothing given, that one.

        Raises:
            ProgrammeError: It is not one of theirs, or several are and none was named.
        """
        wanted = (slug_or_id or "").strip()
        if not wanted:
            if len(programme_ids) == 1:
                return next(iter(programme_ids))
            raise ProgrammeError("you are in several programmes; name one (--programme SLUG)")
        if wanted in programme_ids:
            return wanted
        try:
            found = self.directory.programme_id(wanted)
        except StoreError:
            found = None
        if found is None or found not in programme_ids:
            raise ProgrammeError(f"{wanted!r} is not one of your programmes")
        return found
