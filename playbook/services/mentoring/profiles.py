"""Profile use cases: import from CSV (all rows or none), edit one profile, list them.
Free text others will read (expertise, availability, goals, objectives) is redacted through
the ``Redactor`` port before it is stored; people are resolved to user ids and must be
members of the programme."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from playbook.models import Principal, RedactionPolicy
from playbook.permissions import Action, Target, allows, check
from playbook.ports import Audit, Directory, Redactor
from playbook.ports.mentoring import ObjectiveDraft, Profile, ProfileDraft, ProfileRole, Profiles
from playbook.services.mentoring import profile_csv
from playbook.services.mentoring.errors import MentoringError
from playbook.services.mentoring.profile_csv import RawProfile

MAX_IMPORT_BYTES = 2 * 1024 * 1024


@dataclass(frozen=True)
class ImportReport:
    """What an import did: profiles stored (created or replaced), or every problem found
    (and then nothing was stored)."""

    saved: int
    errors: tuple[str, ...]


@dataclass(frozen=True)
class ProfileView:
    """A profile as pages show it: people by username (every text is redacted)."""

    profile: Profile
    username: str
    manager: str
    conflicts: tuple[str, ...]


class ProfileUseCases:
    """Import, edit and list profiles (the ``MentoringService`` facade mixes this in)."""

    def __init__(
        self,
        profiles: Profiles,
        directory: Directory,
        redactor: Redactor,
        audit: Audit | None = None,
        policy_for: Callable[[str], RedactionPolicy] | None = None,
    ) -> None:
        self.profiles_store = profiles
        self.directory = directory
        self.redactor = redactor
        self.audit = audit
        # The writer's own deny and allow lists, as for anything shared with others.
        self._policy_for = policy_for

    def redact(self, principal: Principal, texts: Sequence[str]) -> list[str]:
        """Redact texts others will read, with ``principal``'s lists, in one batch.

        Args:
            principal: Who wrote (or imported) them.
            texts: The texts; empty ones stay empty.

        Returns:
            The redacted texts, in order.
        """
        wanted = [i for i, t in enumerate(texts) if t.strip()]
        out = [""] * len(texts)
        if wanted:
            policy = self._policy_for(principal.user_id) if self._policy_for else None
            done = self.redactor.redact_batch([texts[i] for i in wanted], policy)
            for i, r in zip(wanted, done, strict=True):
                out[i] = r.text
        return out

    def slug_for(self, principal: Principal, slug: str = "") -> str:
        """The programme ``principal`` means: ``slug`` if given, else their only one.

        Args:
            principal: Who asks.
            slug: The programme's short name, or empty.

        Returns:
            A programme slug.
        """
        if slug.strip():
            return slug.strip()
        mine = self.my_programmes(principal)
        if len(mine) == 1:
            return mine[0]
        held = ", ".join(mine) if mine else "none"
        raise MentoringError(f"name the programme (you are in: {held})")

    def my_programmes(self, principal: Principal) -> list[str]:
        """The slugs of the programmes ``principal`` belongs to, by slug."""
        return [
            s
            for s, _, _ in self.directory.programmes()
            if self.directory.programme_id(s) in principal.programme_ids
        ]

    def names(self, user_ids: Iterable[str]) -> dict[str, str]:
        """Usernames of these users, for showing who a report or reason is about."""
        return self.directory.usernames(user_ids)

    def may(self, principal: Principal, slug: str, action: Action) -> bool:
        """Whether ``principal`` may do ``action`` in programme ``slug`` (what a page offers;
        every use case checks again)."""
        return allows(principal, action, Target.programme(self.directory.programme_id(slug)))

    def programme(self, principal: Principal, slug: str, action: Action) -> str:
        """The id of programme ``slug``, once ``principal`` may do ``action`` in it.

        Args:
            principal: Who asks.
            slug: The programme's short name.
            action: What they want to do there.

        Returns:
            The programme id.
        """
        programme_id = self.directory.programme_id(slug)
        check(principal, action, Target.programme(programme_id))
        return programme_id

    def import_profiles(self, principal: Principal, slug: str, data: bytes) -> ImportReport:
        """Import profiles from CSV: every row stored, or none when any row is wrong.

        Args:
            principal: A coordinator or steward of the programme.
            slug: The programme.
            data: The file's bytes (UTF-8).

        Returns:
            How many profiles were stored, or the problems by row.
        """
        programme_id = self.programme(principal, slug, Action.MANAGE_PROGRAMME)
        if len(data) > MAX_IMPORT_BYTES:
            return ImportReport(0, (f"the file is over {MAX_IMPORT_BYTES // 1024 // 1024} MB",))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return ImportReport(0, ("the file is not UTF-8 text; save it as CSV UTF-8",))
        parsed = profile_csv.parse(text)
        drafts, errors = self._resolve(programme_id, parsed.rows)
        errors = sorted(list(parsed.errors) + errors, key=_row_number)
        if errors:
            return ImportReport(0, tuple(errors))
        self.profiles_store.save_profiles(self._redacted(principal, drafts))
        if self.audit is not None:
            self.audit.record(
                principal.username, "mentoring profiles imported", slug, str(len(drafts))
            )
        return ImportReport(len(drafts), ())

    def save_profile(self, principal: Principal, slug: str, cells: Mapping[str, str]) -> str:
        """Create or replace one profile (the edit page), by the import's rules.

        Args:
            principal: The person themselves, or a coordinator or steward.
            slug: The programme.
            cells: Field → value, as the CSV columns (``profile_csv.COLUMNS``).

        Returns:
            The profile id.

        Raises:
            MentoringError: When a field is wrong (nothing is stored).
        """
        programme_id = self.directory.programme_id(slug)
        username = cells.get("username", "").strip().casefold()
        owner = self.directory.user_ids([username]).get(username) if username else None
        check(principal, Action.EDIT_PROFILE, Target(programme_id=programme_id, owner_id=owner))
        raw, problems = profile_csv.read_row(cells)
        drafts, errors = self._resolve(programme_id, [raw]) if raw else ([], [])
        if problems or errors:
            raise MentoringError("; ".join(problems + errors))
        [profile_id] = self.profiles_store.save_profiles(self._redacted(principal, drafts))
        if self.audit is not None:
            self.audit.record(principal.username, "mentoring profile saved", username, slug)
        return profile_id

    def list_profiles(
        self, principal: Principal, slug: str, role: ProfileRole | None = None
    ) -> list[ProfileView]:
        """The programme's profiles (members only).

        Args:
            principal: A member of the programme.
            slug: The programme.
            role: Only profiles of this role, if given.

        Returns:
            The profiles, by username.
        """
        programme_id = self.programme(principal, slug, Action.VIEW_PROGRAMME)
        found = self.profiles_store.profiles(programme_id, role)
        ids = {p.user_id for p in found} | {p.manager_id for p in found if p.manager_id}
        ids |= {c for p in found for c in p.conflicts}
        names = self.directory.usernames(ids)
        views = [
            ProfileView(
                p,
                names.get(p.user_id, "?"),
                names.get(p.manager_id, "") if p.manager_id else "",
                tuple(names.get(c, "?") for c in p.conflicts),
            )
            for p in found
        ]
        return sorted(views, key=lambda v: (v.username, v.profile.role.value))

    def _resolve(
        self, programme_id: str, rows: Sequence[RawProfile]
    ) -> tuple[list[ProfileDraft], list[str]]:
        named = {r.username for r in rows} | {r.manager for r in rows if r.manager}
        named |= {c for r in rows for c in r.conflicts}
        ids = self.directory.user_ids(named)
        members = self.directory.member_ids(programme_id)
        drafts: list[ProfileDraft] = []
        errors: list[str] = []
        for r in rows:
            problems = []
            user_id = ids.get(r.username)
            if user_id is None:
                problems.append(f"no user called {r.username!r}; add them first")
            elif user_id not in members:
                problems.append(f"{r.username} is not a member of this programme")
            if r.manager and r.manager not in ids:
                problems.append(f"no user called {r.manager!r} (manager)")
            if r.manager and r.manager == r.username:
                problems.append("a person cannot be their own manager")
            unknown = [c for c in r.conflicts if c not in ids]
            if unknown:
                problems.append(f"no user called {', '.join(unknown)} (conflicts)")
            if problems:
                errors.extend(f"row {r.row}: {p}" if r.row else p for p in problems)
                continue
            assert user_id is not None  # the problems above cover the missing case
            drafts.append(
                ProfileDraft(
                    programme_id=programme_id,
                    user_id=user_id,
                    role=r.role,
                    expertise=r.expertise,
                    industries=r.industries,
                    functions=r.functions,
                    markets=r.markets,
                    style=r.style,
                    languages=r.languages,
                    capacity=r.capacity,
                    availability=r.availability,
                    seniority=r.seniority,
                    manager_id=ids.get(r.manager) if r.manager else None,
                    conflicts=tuple(ids[c] for c in r.conflicts),
                    goals=r.goals,
                    objectives=r.objectives,
                )
            )
        return drafts, errors

    def _redacted(self, principal: Principal, drafts: Sequence[ProfileDraft]) -> list[ProfileDraft]:
        # One batch for every text of every profile: the redactor is costly per call.
        texts: list[str] = []
        for d in drafts:
            texts += [d.expertise, d.availability, d.goals]
            texts += [t for o in d.objectives for t in (o.text, o.goal)]
        done = iter(self.redact(principal, texts))
        out = []
        for d in drafts:
            expertise, availability, goals = next(done), next(done), next(done)
            objectives = tuple(ObjectiveDraft(next(done), next(done)) for _ in d.objectives)
            out.append(
                replace(
                    d,
                    expertise=expertise,
                    availability=availability,
                    goals=goals,
                    objectives=objectives,
                )
            )
        return out


def _row_number(error: str) -> int:
    # "row 12: ..." sorts by its row; a problem of the whole file comes first.
    head, _, _ = error.partition(":")
    return int(head[4:]) if head.startswith("row ") and head[4:].isdigit() else 0
