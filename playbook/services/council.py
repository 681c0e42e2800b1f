"""The advisor council as a programme object: a charter (scope, decision rights, cadence),
its members (users, or external advisors known by a redacted name), meetings tied to the
council-note documents written about them, and the options raised, each tracked to a
decision owned inside the organisation. The council illuminates; it does not decide: an
option's owner is an internal member of the programme who is not on the council.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from playbook.models import Kind, Principal
from playbook.permissions import Action, NotAllowedError, Target, allows, check
from playbook.ports import Audit, Directory, Documents, Redactor
from playbook.ports.programme import (
    Charter,
    Council,
    CouncilMeeting,
    CouncilMember,
    CouncilOption,
    OptionStatus,
)
from playbook.services.programme_base import Boundary, PolicyFor, ProgrammeError, clean

MAX_CHARTER = 4000
MAX_CADENCE = 500
MAX_NAME = 200
MAX_EXPERTISE = 500
MAX_TOPIC = 500
MAX_OPTION = 2000
MAX_NOTES = 20


@dataclass(frozen=True)
class CouncilView:
    """Everything a member of the programme reads about its council (redacted texts)."""

    programme_id: str
    charter: Charter | None
    members: tuple[CouncilMember, ...]
    meetings: tuple[CouncilMeeting, ...]
    options: tuple[CouncilOption, ...]
    names: dict[str, str]  # user id -> username, for members, owners and authors
    note_titles: dict[str, str]  # council-note document id -> title, those the reader may read

    def member_label(self, m: CouncilMember) -> str:
        """How a member is shown: their username, or their (redacted) name."""
        return self.names.get(m.user_id or "", "") or m.name


class CouncilService:
    """Use cases of the advisor council."""

    def __init__(
        self,
        council: Council,
        directory: Directory,
        documents: Documents,
        redactor: Redactor,
        audit: Audit | None = None,
        policy_for: PolicyFor | None = None,
    ) -> None:
        self.council = council
        self._documents = documents
        self._audit = audit
        self._at = Boundary(directory, redactor, policy_for)

    # -- reading -----------------------------------------------------------------------

    def programme(self, who: Principal, slug_or_id: str = "") -> str:
        """The programme id ``who`` means (by slug or id; their only one when empty)."""
        return self._at.programme(slug_or_id, who.programme_ids)

    def view(self, who: Principal, programme_id: str) -> CouncilView:
        """The council of a programme, as its members read it."""
        check(who, Action.READ, Target.programme(programme_id))
        members = tuple(self.council.members(programme_id, active_only=False))
        meetings = tuple(self.council.meetings(programme_id))
        options = tuple(self.council.options(programme_id))
        charter = self.council.charter(programme_id)
        ids = [m.user_id for m in members] + [o.owner_id for o in options]
        ids += [o.raised_by for o in options] + ([charter.updated_by] if charter else [])
        titles: dict[str, str] = {}
        for note_id in {n for m in meetings for n in m.note_ids}:
            info = self._documents.document(note_id)
            # A note since deleted, or made private again, is not named to others.
            if info is not None and allows(who, Action.READ, Target.document(info)):
                titles[note_id] = info.title
        return CouncilView(
            programme_id, charter, members, meetings, options, self._at.names(ids), titles
        )

    def owned_options(self, who: Principal) -> list[CouncilOption]:
        """Open options ``who`` owns, in every programme of theirs."""
        return [
            o
            for p in sorted(who.programme_ids)
            for o in self.council.options(p, OptionStatus.OPEN)
            if o.owner_id == who.user_id
        ]

    def note_choices(self, who: Principal, programme_id: str) -> list[tuple[str, str]]:
        """Council notes of the programme ``who`` may read: (document id, title), newest first."""
        check(who, Action.COUNCIL, Target.programme(programme_id))
        return [
            (d.document_id, d.title)
            for d in self._documents.readable_documents(who)
            if d.kind is Kind.COUNCIL_NOTE and d.programme_id == programme_id
        ]

    def owner_choices(self, who: Principal, programme_id: str) -> list[str]:
        """Usernames who may own an option: members of the programme not on the council."""
        check(who, Action.COUNCIL, Target.programme(programme_id))
        seated = {m.user_id for m in self.council.members(programme_id)}
        ids = [u for u in self._at.directory.member_ids(programme_id) if u not in seated]
        return sorted(self._at.names(ids).values())

    # -- running the council -------------------------------------------------------------

    def set_charter(
        self, who: Principal, programme_id: str, scope: str, decision_rights: str, cadence: str
    ) -> Charter:
        """Write the charter: scope, decision rights and meeting cadence (each required)."""
        check(who, Action.COUNCIL, Target.programme(programme_id))
        texts = [
            clean(scope, "the scope", MAX_CHARTER),
            clean(decision_rights, "the decision rights", MAX_CHARTER),
            clean(cadence, "the meeting cadence", MAX_CADENCE),
        ]
        scope, rights, cadence = self._at.redact(who.user_id, texts)
        charter = self.council.set_charter(programme_id, scope, rights, cadence, who.user_id)
        self._record(who, "council charter set", programme_id)
        return charter

    def add_member(
        self,
        who: Principal,
        programme_id: str,
        *,
        username: str | None = None,
        name: str | None = None,
        affiliation: str = "",
        expertise: str = "",
    ) -> CouncilMember:
        """Seat an advisor: a user of the installation (``username``) or an external person
        by ``name`` (redacted like every text others read). Exactly one of the two."""
        check(who, Action.COUNCIL, Target.programme(programme_id))
        if bool((username or "").strip()) == bool((name or "").strip()):
            raise ProgrammeError("give either the advisor's username or an external name")
        user_id: str | None = None
        wanted = (username or "").strip()
        if wanted:
            user_id = self._at.directory.user_ids([wanted]).get(wanted)
            if user_id is None:
                raise ProgrammeError(f"there is no user {wanted!r}")
            if any(m.user_id == user_id for m in self.council.members(programme_id)):
                raise ProgrammeError(f"{wanted!r} is already on the council")
        texts = [
            clean(name, "the name", MAX_NAME, required=user_id is None),
            clean(affiliation, "the affiliation", MAX_NAME, required=False),
            clean(expertise, "the expertise", MAX_EXPERTISE, required=False),
        ]
        name_r, affiliation_r, expertise_r = self._at.redact(who.user_id, texts)
        member_id = self.council.add_member(
            programme_id, user_id, name_r, affiliation_r, expertise_r
        )
        self._record(who, "council member added", programme_id, member_id)
        return next(m for m in self.council.members(programme_id) if m.member_id == member_id)

    def set_member_active(
        self, who: Principal, programme_id: str, member_id: str, active: bool
    ) -> CouncilMember:
        """Retire a member (``active=False``) or seat them again."""
        check(who, Action.COUNCIL, Target.programme(programme_id))
        if member_id not in {m.member_id for m in self.council.members(programme_id, False)}:
            raise ProgrammeError("no such member on this programme's council")
        member = self.council.set_member_active(member_id, active)
        self._record(who, "council member " + ("back" if active else "retired"), member_id)
        return member

    def add_meeting(
        self,
        who: Principal,
        programme_id: str,
        held_on: dt.date,
        topic: str,
        note_ids: Sequence[str] = (),
    ) -> CouncilMeeting:
        """Record a meeting and the council notes written about it (council-note documents
        of the programme that ``who`` may read)."""
        check(who, Action.COUNCIL, Target.programme(programme_id))
        topic_r = self._at.redact(who.user_id, [clean(topic, "the topic", MAX_TOPIC)])[0]
        notes = list(dict.fromkeys(n.strip() for n in note_ids if n.strip()))
        if len(notes) > MAX_NOTES:
            raise ProgrammeError(f"link at most {MAX_NOTES} notes to one meeting")
        for note_id in notes:
            info = self._documents.document(note_id)
            if info is None or not allows(who, Action.READ, Target.document(info)):
                raise ProgrammeError(f"there is no council note {note_id!r} you may read")
            if info.kind is not Kind.COUNCIL_NOTE or info.programme_id != programme_id:
                raise ProgrammeError(
                    f"{info.title!r} is not a council note of this programme; link council "
                    "notes only"
                )
        meeting_id = self.council.add_meeting(programme_id, held_on, topic_r, notes, who.user_id)
        self._record(who, "council meeting added", programme_id, meeting_id)
        meeting = self.council.meeting(meeting_id)
        assert meeting is not None  # just written
        return meeting

    def raise_option(
        self,
        who: Principal,
        programme_id: str,
        text: str,
        owner: str,
        meeting_id: str | None = None,
    ) -> CouncilOption:
        """Track an option the council raised, owned by an internal member (a username in
        the programme, not seated on the council): they decide, the council does not."""
        check(who, Action.COUNCIL, Target.programme(programme_id))
        body = clean(text, "the option", MAX_OPTION)
        owner_id = self._at.member(programme_id, owner, "the option's owner")
        if any(m.user_id == owner_id for m in self.council.members(programme_id)):
            raise ProgrammeError(
                f"{owner.strip()!r} sits on the council; the council advises, so an option "
                "is owned by an internal member who is not on it"
            )
        if meeting_id:
            meeting = self.council.meeting(meeting_id)
            if meeting is None or meeting.programme_id != programme_id:
                raise ProgrammeError("no such meeting of this programme's council")
        body_r = self._at.redact(who.user_id, [body])[0]
        option_id = self.council.add_option(
            programme_id, meeting_id or None, body_r, owner_id, who.user_id
        )
        self._record(who, "council option raised", option_id, owner_id)
        option = self.council.option(option_id)
        assert option is not None  # just written
        return option

    def decide(self, who: Principal, option_id: str, adopted: bool, decision: str) -> CouncilOption:
        """The owner closes an option: adopted (decided) or declined, saying how or why."""
        option = self.council.option(option_id)
        if option is None or option.programme_id not in who.programme_ids:
            raise ProgrammeError("no such council option in your programmes")
        check(
            who, Action.DECIDE, Target(programme_id=option.programme_id, owner_id=option.owner_id)
        )
        if option.status is not OptionStatus.OPEN:
            raise ProgrammeError(f"this option was already {option.status.value}")
        body = clean(decision, "the decision" if adopted else "the reason", MAX_OPTION)
        status = OptionStatus.DECIDED if adopted else OptionStatus.DECLINED
        closed = self.council.decide_option(
            option_id, status, self._at.redact(who.user_id, [body])[0]
        )
        self._record(who, f"council option {status.value}", option_id)
        return closed

    def _record(self, who: Principal, action: str, subject: str, detail: str = "") -> None:
        if self._audit is not None:
            self._audit.record(who.username, action, subject, detail)


__all__ = ["CouncilService", "CouncilView", "NotAllowedError", "ProgrammeError"]
