"""Rotations as programme objects: who goes where (a host function or market), when (two
to four weeks), anchored in which project and serving which strategic goal, hosted by whom;
and, once back, the debrief they wrote. "Before my rotation" and handoff packs read these
to know who is going where next.

(``playbook.services.rotation`` is the reading brief for a place; this module is the plan.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from playbook.models import Kind, Principal
from playbook.permissions import Action, Target, allows, check
from playbook.ports import Audit, Directory, Documents, Redactor
from playbook.ports.programme import PlannedRotation, Rotations
from playbook.services.handoff import Pack
from playbook.services.programme_base import Boundary, PolicyFor, ProgrammeError, clean

MIN_DAYS = 12  # two working weeks, Monday to the second Friday
MAX_DAYS = 28  # four weeks
MAX_PLACE = 200
MAX_PROJECT = 500


@dataclass(frozen=True)
class RotationView:
    """A rotation with the people's names, as pages and packs show it."""

    rotation: PlannedRotation
    person: str
    sponsor: str
    status: str  # planned, under way, finished
    debrief_title: str = ""  # when linked and readable by the viewer

    def line(self) -> str:
        """One line: who, where, when, what for."""
        r = self.rotation
        when = f"{r.start_date:%d %b %Y} – {r.end_date:%d %b %Y}"
        host = f", hosted by {self.sponsor}" if self.sponsor else ""
        return f"{self.person} → {r.place}, {when} ({self.status}): {r.anchor_project}{host}"


def _same(a: str, b: str) -> bool:
    return bool(b.strip()) and a.strip().casefold() == b.strip().casefold()


class RotationService:
    """Use cases of planned rotations."""

    def __init__(
        self,
        rotations: Rotations,
        directory: Directory,
        documents: Documents,
        redactor: Redactor,
        audit: Audit | None = None,
        policy_for: PolicyFor | None = None,
        today: dt.date | None = None,
    ) -> None:
        self.rotations = rotations
        self._documents = documents
        self._audit = audit
        self._at = Boundary(directory, redactor, policy_for)
        self._today = today

    @property
    def today(self) -> dt.date:
        """The day statuses are judged on (fixed in tests)."""
        return self._today or dt.date.today()

    def programme(self, who: Principal, slug_or_id: str = "") -> str:
        """The programme id ``who`` means (by slug or id; their only one when empty)."""
        return self._at.programme(slug_or_id, who.programme_ids)

    def plan(
        self,
        who: Principal,
        programme_id: str,
        person: str,
        *,
        function: str = "",
        market: str = "",
        start: dt.date,
        end: dt.date,
        anchor_project: str,
        strategic_goal: str = "",
        host_sponsor: str | None = None,
    ) -> RotationView:
        """Plan a rotation for ``person`` (a username in the programme): a host function
        and/or market, 12 to 28 days, an anchor project; a strategic goal and a host sponsor
        (a member of the programme) when known."""
        check(who, Action.PLAN_ROTATION, Target.programme(programme_id))
        person_id = self._at.member(programme_id, person, "the person rotating")
        sponsor_id = (
            self._at.member(programme_id, host_sponsor, "the host sponsor")
            if (host_sponsor or "").strip()
            else None
        )
        if sponsor_id == person_id:
            raise ProgrammeError("the host sponsor is someone in the host team, not the person")
        texts = [
            clean(function, "the host function", MAX_PLACE, required=False),
            clean(market, "the host market", MAX_PLACE, required=False),
            clean(anchor_project, "the anchor project", MAX_PROJECT),
            clean(strategic_goal, "the strategic goal", MAX_PROJECT, required=False),
        ]
        if not (texts[0] or texts[1]):
            raise ProgrammeError("name the host function or market (or both)")
        days = (end - start).days + 1
        if days < 1:
            raise ProgrammeError(f"the rotation ends ({end}) before it starts ({start})")
        if not MIN_DAYS <= days <= MAX_DAYS:
            raise ProgrammeError(
                f"a rotation lasts two to four weeks ({MIN_DAYS}–{MAX_DAYS} days); "
                f"{start} to {end} is {days} days"
            )
        for r in self.rotations.listing([programme_id], person_id):
            if r.start_date <= end and start <= r.end_date:
                raise ProgrammeError(
                    f"{person.strip()} is already rotating to {r.place} from {r.start_date} "
                    f"to {r.end_date}; choose dates that do not overlap"
                )
        function_r, market_r, project_r, goal_r = self._at.redact(who.user_id, texts)
        rotation_id = self.rotations.add(
            programme_id,
            person_id,
            function_r,
            market_r,
            start,
            end,
            project_r,
            goal_r,
            sponsor_id,
            who.user_id,
        )
        self._record(who, "rotation planned", rotation_id, person.strip())
        return self._view(who, self._get(rotation_id))

    def listing(self, who: Principal, programme_id: str | None = None) -> list[RotationView]:
        """Rotations of ``who``'s programmes (or one), by start date."""
        wanted = who.programme_ids if programme_id is None else {programme_id}
        for p in wanted:
            check(who, Action.READ, Target.programme(p))
        rows = self.rotations.listing(sorted(wanted))
        return self._views(who, rows)

    def mine(self, who: Principal) -> list[RotationView]:
        """``who``'s own rotations not yet finished, soonest first."""
        rows = [
            r
            for r in self.rotations.listing(sorted(who.programme_ids), who.user_id)
            if r.end_date >= self.today
        ]
        return self._views(who, rows)

    def going_next(
        self, who: Principal, function: str = "", market: str = ""
    ) -> list[RotationView]:
        """Rotations into this function or market that have not finished, in ``who``'s
        programmes: who is going there next (and who is there now)."""
        if not (function.strip() or market.strip()):
            return []
        rows = [
            r
            for r in self.rotations.listing(sorted(who.programme_ids))
            if r.end_date >= self.today and (_same(r.function, function) or _same(r.market, market))
        ]
        return self._views(who, rows)

    def add_to_pack(
        self, who: Principal, pack: Pack, function: str | None, market: str | None
    ) -> Pack:
        """A handoff pack with who is rotating into its function or market next (and who is
        there now), so a successor knows whom to brief and whom to ask."""
        going = self.going_next(who, function or "", market or "")
        if not going:
            return pack
        section = ("Who is going there next", tuple(v.line() for v in going))
        return replace(pack, sections=(*pack.sections, section))

    def link_debrief(
        self, who: Principal, rotation_id: str, document_id: str | None
    ) -> RotationView:
        """Link the debrief written after the rotation (a debrief by the person who rotated,
        in the programme), or unlink it with None. The person or a coordinator may."""
        rotation = self._get(rotation_id)
        if rotation.programme_id not in who.programme_ids:
            raise ProgrammeError("no such rotation in your programmes")
        check(
            who,
            Action.PLAN_ROTATION,
            Target(programme_id=rotation.programme_id, owner_id=rotation.person_id),
        )
        if document_id:
            info = self._documents.document(document_id.strip())
            if info is None or not allows(who, Action.READ, Target.document(info)):
                raise ProgrammeError(f"there is no debrief {document_id.strip()!r} you may read")
            if (
                info.kind is not Kind.DEBRIEF
                or info.owner_id != rotation.person_id
                or info.programme_id != rotation.programme_id
            ):
                raise ProgrammeError(
                    "link the debrief the person who rotated wrote in this programme"
                )
            document_id = info.document_id
        linked = self.rotations.link_debrief(rotation_id, document_id or None)
        self._record(who, "rotation debrief linked", rotation_id, document_id or "unlinked")
        return self._view(who, linked)

    def cancel(self, who: Principal, rotation_id: str) -> None:
        """Remove a planned rotation (a coordinator of its programme)."""
        rotation = self._get(rotation_id)
        check(who, Action.PLAN_ROTATION, Target.programme(rotation.programme_id))
        self.rotations.cancel(rotation_id)
        self._record(who, "rotation cancelled", rotation_id)

    def debrief_choices(self, who: Principal, rotation_id: str) -> list[tuple[str, str]]:
        """Debriefs that could be linked to a rotation: (document id, title), newest first."""
        r = self._get(rotation_id)
        return [
            (d.document_id, d.title)
            for d in self._documents.readable_documents(who)
            if d.kind is Kind.DEBRIEF
            and d.owner_id == r.person_id
            and d.programme_id == r.programme_id
        ]

    def _get(self, rotation_id: str) -> PlannedRotation:
        found = self.rotations.get((rotation_id or "").strip())
        if found is None:
            raise ProgrammeError(f"there is no planned rotation {rotation_id!r}")
        return found

    def _views(self, who: Principal, rows: list[PlannedRotation]) -> list[RotationView]:
        names = self._at.names([x for r in rows for x in (r.person_id, r.host_sponsor_id)])
        return [self._view(who, r, names) for r in rows]

    def _view(
        self, who: Principal, r: PlannedRotation, names: dict[str, str] | None = None
    ) -> RotationView:
        names = names if names is not None else self._at.names([r.person_id, r.host_sponsor_id])
        title = ""
        if r.debrief_id:
            info = self._documents.document(r.debrief_id)
            if info is not None and allows(who, Action.READ, Target.document(info)):
                title = info.title
        return RotationView(
            r,
            names.get(r.person_id, "?"),
            names.get(r.host_sponsor_id or "", ""),
            r.status(self.today),
            title,
        )

    def _record(self, who: Principal, action: str, subject: str, detail: str = "") -> None:
        if self._audit is not None:
            self._audit.record(who.username, action, subject, detail)
