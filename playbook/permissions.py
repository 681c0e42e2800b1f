"""Who may do what to which thing: the one place the rules live.

Every page, CLI command and service asks ``decide`` / ``check`` here; retrieval turns the
read rule into filters inside every index query (``read_scope``). ``matrix_markdown`` prints
the table the README documents, and a test keeps the two the same.

Roles are held per programme; one person may hold several. Admins administer the
installation (accounts, roster, audit log) and read no more content than any member:
nobody, admins included, reads another person's private text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from playbook.models import (
    DocumentInfo,
    Entry,
    EntryStatus,
    Principal,
    Role,
    SearchFilters,
    Visibility,
)
from playbook.ports import Scope


class NotAllowedError(PermissionError):
    """The user may not do this; the message says why (and what role would allow it)."""


class Action(StrEnum):
    """What someone may try to do."""

    READ = "read"  # a document or entry: search, Ask, export, handoff packs, counts
    WRITE = "write"  # reflections, debriefs, notes, imports of one's own writing
    SHARE = "share"  # ask to share one's own item, or withdraw it
    DELETE = "delete"  # one's own document
    EDIT = "edit"  # one's own document: new text, earlier versions kept
    VIEW_ORIGINAL = "view original"  # the re-identified text of one's own document
    ASK = "ask"  # model-backed help: answers, follow-up questions (rate-limited)
    HANDOFF = "handoff"  # build a successor's handoff pack
    FEEDBACK = "feedback"  # a word on a published entry
    MODERATE = "moderate"  # approve or decline share requests and allow terms
    CURATE = "curate"  # create, promote, edit and move playbook entries
    VERIFY = "verify"  # confirm a published entry still holds
    SHOWCASE = "showcase"  # the quarterly showcase
    COUNCIL = "run council"  # the advisor council's charter, members, meetings and options
    DECIDE = "decide option"  # close an option the council raised (its internal owner)
    PLAN_ROTATION = "plan rotation"  # rotations as programme objects; link one's debrief
    REPORT_IMPACT = "report impact"  # a mentor's quarterly impact report
    RECOUNT = "recount objective"  # a mentee's recount of their own learning objective
    VALIDATE = "validate progress"  # the observer a mentee named confirms their progress
    VIEW_PROGRAMME = "view programme"  # mentoring profiles, pairings, commitment counts
    EDIT_PROFILE = "edit profile"  # a mentoring profile and its learning objectives
    MATCH = "match"  # suggestions with reasons, proposing pairings, the balance report
    MANAGE_PROGRAMME = "manage programme"  # import profiles, approve and end pairings
    RESPOND = "respond to pairing"  # accept or decline one's pairing, ask for a rematch
    LOG_SESSION = "log session"  # sessions held and touchpoints planned for a pairing
    VIEW_REASON = "view rematch reason"  # the private reason a pairing ended (audited)
    VIEW_HEALTH = "view health"  # programme health summaries: counts and suppressed aggregates
    WATCH_SIGNALS = "watch signals"  # early-warning signals naming pairings and people; snooze
    RUN_SURVEY = "run survey"  # publish, close and read the results of pulse surveys
    ANSWER_SURVEY = "answer survey"  # one anonymous answer per published survey
    DECLARE_ATTRIBUTES = "declare attributes"  # one's own optional attributes, with consent
    CONFIGURE_HEALTH = "configure health"  # goals, domains and attributes a programme asks for
    MANAGE_USERS = "manage users"  # accounts, roles, passwords
    MANAGE_PRIVACY = "manage privacy"  # the redaction roster and installation-wide terms
    VIEW_AUDIT = "view audit"  # read and export the audit log


@dataclass(frozen=True)
class Target:
    """What an action is done to. Unset fields do not apply; an unset programme on a
    programme-scoped action means "in any of the person's programmes" (is the page for them)."""

    programme_id: str | None = None
    owner_id: str | None = None
    visibility: Visibility | None = None
    entry_status: EntryStatus | None = None  # set for playbook entries
    verifier_id: str | None = None  # an entry's named verifier, or a recount's observer
    parties: frozenset[str] = frozenset()  # a pairing's two people: "own" applies to both

    @classmethod
    def document(cls, info: DocumentInfo) -> Target:
        """A stored document."""
        return cls(
            programme_id=info.programme_id, owner_id=info.owner_id, visibility=info.visibility
        )

    @classmethod
    def entry(cls, entry: Entry) -> Target:
        """A playbook entry (read by members once published, by coordinators before)."""
        return cls(
            programme_id=entry.programme_id,
            entry_status=entry.status,
            verifier_id=entry.content.verifier_id,
        )

    @classmethod
    def pairing(cls, programme_id: str, mentor_id: str, mentee_id: str) -> Target:
        """A mentoring pairing: both of its people count as its owners."""
        return cls(programme_id=programme_id, parties=frozenset({mentor_id, mentee_id}))

    @classmethod
    def programme(cls, programme_id: str) -> Target:
        """A programme as a whole."""
        return cls(programme_id=programme_id)


ANY = Target()


@dataclass(frozen=True)
class Decision:
    """Yes or no, and the sentence a refused person reads."""

    allowed: bool
    reason: str = ""

    def __bool__(self) -> bool:
        return self.allowed


@dataclass(frozen=True)
class Rule:
    """Who may do an action: the document's owner, and/or people holding one of ``roles`` in
    the target's programme (or in any programme, when the rule has no target)."""

    roles: frozenset[Role]
    owner: bool
    refusal: str
    summary: str


ALL_ROLES = frozenset(Role)
WRITERS = frozenset({Role.LEADER, Role.PARTICIPANT, Role.COORDINATOR})
COORDINATORS = frozenset({Role.COORDINATOR})
ADMINS = frozenset({Role.ADMIN})
MATCHERS = frozenset({Role.COORDINATOR, Role.STEWARD})  # stewards own matching integrity
# Programme health is read by those who keep the programme alive and those who fund it.
OVERSEERS = frozenset({Role.COORDINATOR, Role.STEWARD, Role.SPONSOR, Role.CHAMPION})

RULES: dict[Action, Rule] = {
    Action.READ: Rule(
        ALL_ROLES,
        True,
        "you may not read this: it is private to its author or in a programme you are not in",
        "own documents; shared and published ones of their programmes; entries in review "
        "only for the programme's coordinators",
    ),
    Action.WRITE: Rule(
        WRITERS,
        False,
        "writing needs the leader, participant or coordinator role in that programme",
        "in programmes where they hold the role",
    ),
    Action.SHARE: Rule(
        frozenset(), True, "only the author can share or withdraw this", "own documents only"
    ),
    Action.DELETE: Rule(frozenset(), True, "only the author can delete this", "own documents only"),
    Action.EDIT: Rule(
        frozenset(),
        True,
        "only the author can edit this",
        "own documents only (earlier versions are kept)",
    ),
    Action.VIEW_ORIGINAL: Rule(
        frozenset(),
        True,
        "only the author may see the original of a document",
        "own documents only (every view is audited)",
    ),
    Action.ASK: Rule(
        ALL_ROLES,
        False,
        "asking needs membership of a programme; ask an admin to add you",
        "over what they may read; model requests are rate-limited",
    ),
    Action.HANDOFF: Rule(
        ALL_ROLES,
        False,
        "handoff packs need membership of a programme; ask an admin to add you",
        "from what they may read",
    ),
    Action.FEEDBACK: Rule(
        ALL_ROLES,
        False,
        "you can only give feedback on published entries of your programmes",
        "on published entries of their programmes",
    ),
    Action.MODERATE: Rule(
        COORDINATORS,
        False,
        "reviewing what members share needs the coordinator role in their programme",
        "share requests and allow terms of their programmes (redacted text only)",
    ),
    Action.CURATE: Rule(
        COORDINATORS,
        False,
        "curating playbook entries needs the coordinator role in their programme",
        "entries of their programmes",
    ),
    Action.VERIFY: Rule(
        COORDINATORS,
        False,
        "verifying an entry needs the coordinator role in its programme",
        "the entry's named verifier, or any of its coordinators when none is named",
    ),
    Action.SHOWCASE: Rule(
        COORDINATORS,
        False,
        "the showcase needs the coordinator role in a programme",
        "published entries of their programmes",
    ),
    Action.COUNCIL: Rule(
        COORDINATORS,
        False,
        "running the advisor council needs the coordinator role in its programme",
        "charter, members, meetings and options of their programmes' council (all members "
        "read them)",
    ),
    Action.DECIDE: Rule(
        frozenset(),
        True,
        "only the option's internal owner decides it: the council advises, it does not decide",
        "options the council raised that they own (an internal member; audited)",
    ),
    Action.PLAN_ROTATION: Rule(
        COORDINATORS,
        True,
        "planning rotations needs the coordinator role in the programme",
        "rotations of their programmes (all members read them); the person rotating links "
        "their own debrief",
    ),
    Action.REPORT_IMPACT: Rule(
        WRITERS,
        False,
        "an impact report needs the leader, participant or coordinator role in the programme",
        "their own report per quarter; kept to them unless they share it",
    ),
    Action.RECOUNT: Rule(
        frozenset(),
        True,
        "only the mentee whose objective it is can recount it",
        "own learning objectives only; kept to them unless they share it",
    ),
    Action.VALIDATE: Rule(
        ALL_ROLES,
        False,
        "only the observer the mentee named may validate this progress",
        "recounts that name them as observer, in their programmes (once; audited)",
    ),
    Action.VIEW_PROGRAMME: Rule(
        ALL_ROLES,
        False,
        "the mentoring programme is visible to its members only",
        "profiles, pairings and sessions-against-commitment of their programmes (summaries, "
        "never private writing)",
    ),
    Action.EDIT_PROFILE: Rule(
        MATCHERS,
        True,
        "only its person, or a coordinator or steward of the programme, can edit this profile",
        "own profile; anyone's in their programmes for coordinators and stewards",
    ),
    Action.MATCH: Rule(
        MATCHERS,
        False,
        "matching needs the coordinator or steward role in the programme",
        "suggestions with reasons, proposed pairings and the balance report of their programmes",
    ),
    Action.MANAGE_PROGRAMME: Rule(
        MATCHERS,
        False,
        "managing the mentoring programme needs the coordinator or steward role in it",
        "import profiles, approve and end pairings of their programmes",
    ),
    Action.RESPOND: Rule(
        frozenset(),
        True,
        "only the two people of a pairing can accept, decline or ask for a rematch",
        "own pairings only",
    ),
    Action.LOG_SESSION: Rule(
        MATCHERS,
        True,
        "only the pairing's people, or a coordinator or steward, can log its sessions",
        "sessions and touchpoints of own pairings; any in their programmes for coordinators "
        "and stewards",
    ),
    Action.VIEW_REASON: Rule(
        COORDINATORS,
        True,
        "a rematch reason is private to the person who gave it and the programme's coordinators",
        "the reasons they gave; every reason in their programmes for coordinators (audited)",
    ),
    Action.VIEW_HEALTH: Rule(
        OVERSEERS,
        False,
        "programme health needs the coordinator, steward, sponsor or champion role in it",
        "aggregates of their programmes for a stated period and population; no group smaller "
        "than the minimum size; never private text",
    ),
    Action.WATCH_SIGNALS: Rule(
        MATCHERS,
        False,
        "early-warning signals need the coordinator or steward role in the programme",
        "signals of their programmes, built from metadata and counts; snooze or resolve them",
    ),
    Action.RUN_SURVEY: Rule(
        COORDINATORS,
        False,
        "running pulse surveys needs the coordinator role in the programme",
        "publish and close surveys of their programmes; results only for enough respondents",
    ),
    Action.ANSWER_SURVEY: Rule(
        ALL_ROLES,
        False,
        "pulse surveys are answered by members of their programme only",
        "once per published survey of their programmes, stored without who answered",
    ),
    Action.DECLARE_ATTRIBUTES: Rule(
        frozenset(),
        True,
        "only the person themselves can declare or withdraw their attributes",
        "own attributes only, with consent; withdrawn at any time; used only in aggregate",
    ),
    Action.CONFIGURE_HEALTH: Rule(
        COORDINATORS,
        False,
        "configuring programme health needs the coordinator role in the programme",
        "strategic goals, knowledge domains and the attributes their programmes ask for",
    ),
    Action.MANAGE_USERS: Rule(
        ADMINS,
        False,
        "managing accounts and roles needs the admin role",
        "installation-wide: accounts and roles in every programme",
    ),
    Action.MANAGE_PRIVACY: Rule(
        ADMINS,
        False,
        "changing the roster and installation-wide terms needs the admin role",
        "installation-wide",
    ),
    Action.VIEW_AUDIT: Rule(
        ADMINS,
        False,
        "reading or exporting the audit log needs the admin role",
        "installation-wide",
    ),
}

# Actions whose role may be held in any programme: they are about the installation.
INSTALLATION = frozenset({Action.MANAGE_USERS, Action.MANAGE_PRIVACY, Action.VIEW_AUDIT})


def decide(principal: Principal, action: Action, target: Target = ANY) -> Decision:
    """May ``principal`` do ``action`` to ``target``?"""
    if not principal.active:
        return Decision(False, "this account is deactivated; ask an admin")
    rule = RULES[action]
    no = Decision(False, rule.refusal)
    if rule.owner and target.owner_id is not None and target.owner_id == principal.user_id:
        return Decision(True)
    if rule.owner and principal.user_id in target.parties:
        return Decision(True)
    if action is Action.READ:
        return Decision(True) if _may_read(principal, target) else no
    if not rule.roles:
        return no
    if action in INSTALLATION or target.programme_id is None:
        held = principal.roles
    else:
        held = principal.roles_in(target.programme_id)
    if not (held & rule.roles):
        return no
    if action is Action.FEEDBACK and target.entry_status not in (None, EntryStatus.PUBLISHED):
        return no
    if action is Action.VERIFY and target.verifier_id and target.verifier_id != principal.user_id:
        return Decision(False, "only the entry's named verifier may verify it")
    if action is Action.VALIDATE and target.verifier_id not in (None, principal.user_id):
        return no
    return Decision(True)


def allows(principal: Principal, action: Action, target: Target = ANY) -> bool:
    """``decide`` as a plain yes or no."""
    return decide(principal, action, target).allowed


def check(principal: Principal, action: Action, target: Target = ANY) -> None:
    """Raise ``NotAllowedError`` with the refusal sentence unless ``decide`` says yes."""
    decision = decide(principal, action, target)
    if not decision.allowed:
        raise NotAllowedError(decision.reason)


def check_publisher(principal: Principal, submitted_by: str | None, separate_duties: bool) -> None:
    """Separation of duties for playbook entries: with ``separate_duties`` on (the
    ``curation_separate_duties`` setting), whoever put an entry into review (``submitted_by``)
    may not also publish it; another coordinator of the programme does. ``check(..., CURATE,
    ...)`` still decides who may curate at all."""
    if separate_duties and submitted_by is not None and submitted_by == principal.user_id:
        raise NotAllowedError(
            "you submitted this entry for review, so another coordinator of the programme "
            "must publish it (separation of duties)"
        )


def programmes(principal: Principal, action: Action) -> frozenset[str]:
    """The programmes in which ``principal`` may do a programme-scoped ``action``."""
    roles = RULES[action].roles
    return frozenset(p for p, r in principal.memberships if r in roles)


def _may_read(principal: Principal, target: Target) -> bool:
    if target.programme_id is None or target.programme_id not in principal.programme_ids:
        return False
    if target.entry_status is not None and target.entry_status is not EntryStatus.PUBLISHED:
        return bool(principal.roles_in(target.programme_id) & COORDINATORS)
    return target.visibility is not Visibility.PRIVATE


def matrix_markdown() -> str:
    """The permission matrix as a Markdown table (the README's copy is checked against it)."""
    roles = list(Role)
    lines = [
        "| Action | " + " | ".join(r.value for r in roles) + " | Scope |",
        "|---|" + "---|" * (len(roles) + 1),
    ]
    for action, rule in RULES.items():
        cells = []
        for role in roles:
            if role in rule.roles:
                cells.append("yes")
            elif rule.owner:
                cells.append("own")
            else:
                cells.append("–")
        lines.append(f"| {action.value} | " + " | ".join(cells) + f" | {rule.summary} |")
    return "\n".join(lines)


# -- retrieval scopes ---------------------------------------------------------------------


def read_scope(principal: Principal, filters: SearchFilters | None = None) -> Scope:
    """The scope of documents ``principal`` may read, narrowed by their filters.

    Private documents: their owner only. Shared and published documents: members of the
    document's programme. Nobody, admins included, reads another person's private text.
    """
    filters = filters or SearchFilters()
    return Scope(
        reader_id=principal.user_id,
        programme_ids=principal.programme_ids,
        kinds=filters.kinds,
        only_mine=filters.only_mine,
        function=filters.function.strip().casefold() if filters.function else None,
        market=filters.market.strip().casefold() if filters.market else None,
        tags=tuple(sorted({t.strip() for t in filters.tags if t.strip()})),
        since_ts=_day_start(filters.since),
        until_ts=_day_start(filters.until + dt.timedelta(days=1)) if filters.until else None,
        entry_statuses=filters.entry_statuses,
    )


def _day_start(day: dt.date | None) -> int | None:
    """Midnight UTC at the start of ``day``, in Unix seconds."""
    if day is None:
        return None
    return int(dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC).timestamp())


def scope_allows(scope: Scope, metadata: Mapping[str, object]) -> bool:
    """Whether a chunk with this index metadata is inside ``scope`` (for in-memory indexes)."""
    if scope.kinds and metadata.get("kind") not in {k.value for k in scope.kinds}:
        return False
    if scope.function and metadata.get("function_key") != scope.function:
        return False
    if scope.market and metadata.get("market_key") != scope.market:
        return False
    if any(metadata.get(f"tag:{t}") is not True for t in scope.tags):
        return False
    if scope.entry_statuses and metadata.get("entry_status") not in {
        s.value for s in scope.entry_statuses
    }:
        return False
    created = metadata.get("created_ts")
    if scope.since_ts is not None and not (isinstance(created, int) and created >= scope.since_ts):
        return False
    if scope.until_ts is not None and not (isinstance(created, int) and created < scope.until_ts):
        return False
    if metadata.get("owner_id") == scope.reader_id:
        return True
    if scope.only_mine:
        return False
    return (
        metadata.get("visibility") in {"shared", "published"}
        and metadata.get("programme_id") in scope.programme_ids
    )
