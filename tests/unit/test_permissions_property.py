"""Property: whatever users, roles, programmes and documents exist, and whatever anyone tries
(share, approve, decline, withdraw, delete, edit or delete from My reflections, publish an
entry, archive it), no view shows a person a document they may not read: search, Ask
prompts, exports, handoff packs, the rotation brief, the Home counts, the showcase, the
moderation queue and entry pages.

The test keeps its own model of who may read what, written out plainly below, independent
of ``playbook.permissions``: the owner reads their own; members of a document's programme
read it once it is shared or published; an entry in review is read by its programme's
coordinators. Each attempted action must succeed exactly when the model says the actor may
do it, and be refused with ``NotAllowedError`` when only their role or ownership is missing.
"""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from playbook.lifecycle import TransitionError
from playbook.models import EntryContent, Principal, Role, StoreError, Visibility
from playbook.permissions import NotAllowedError
from playbook.services.ask import before_rotation
from playbook.services.documents import ImportOptions
from playbook.services.handoff import handoff_pack, showcase, to_markdown
from playbook.services.reflection import ReflectionError
from playbook.settings import Settings
from playbook.store import SqlRecords, make_engine, migrate
from playbook.wiring import Container
from tests.fakes import FakeEmbedder, FakeRedactor, InMemoryKeywordIndex, InMemoryVectorIndex

PROGRAMMES = ("default", "other")
USERS = ("u0", "u1", "u2", "u3")
OPS = (
    "share",
    "approve",
    "decline",
    "withdraw",
    "delete",
    "edit",  # the author's edit in My reflections: shared or pending goes back to review
    "erase",  # the author's delete in My reflections (the reflection service's)
    "publish",
    "archive",
)

memberships = st.dictionaries(
    st.sampled_from(USERS),
    st.lists(
        st.tuples(st.sampled_from(PROGRAMMES), st.sampled_from(list(Role))),
        min_size=1,
        max_size=3,
    ),
    min_size=2,
    max_size=4,
)
documents = st.lists(
    st.tuples(
        st.integers(0, 3),  # owner (index into the users that exist)
        st.sampled_from(list(Visibility)),  # visibility at import
        st.sampled_from(PROGRAMMES),  # programme, when the owner belongs to it
    ),
    min_size=1,
    max_size=5,
)
operations = st.lists(
    st.tuples(st.sampled_from(OPS), st.integers(0, 9), st.integers(0, 7)),  # what, on, by whom
    min_size=1,
    max_size=12,
)


@dataclass
class Doc:
    """The test's own record of a document (or a published entry's document)."""

    word: str  # the unique word in its text
    owner: str
    programme: str  # slug
    vis: Visibility
    alive: bool = True
    pending: bool = False
    entry_id: str | None = None  # set for playbook entries
    edits: int = 0  # how often its author edited it (each edit's text differs)


class Model:
    """Who may read and do what, by the rules as the README states them."""

    def __init__(self, members: dict[str, set[tuple[str, Role]]]) -> None:
        self.members = members

    def member(self, user: str, programme: str) -> bool:
        return any(p == programme for p, _ in self.members[user])

    def coordinates(self, user: str, programme: str | None = None) -> bool:
        return any(r is Role.COORDINATOR and programme in (None, p) for p, r in self.members[user])

    def sees(self, user: str, d: Doc) -> bool:
        if not d.alive:
            return False
        return d.owner == user or (
            d.vis is not Visibility.PRIVATE and self.member(user, d.programme)
        )


class Recording(FakeListChatModel):
    prompts: list[str] = []  # noqa: RUF012 - one list per instance below

    def _call(self, messages: Any, *args: Any, **kwargs: Any) -> str:
        self.prompts.append("\n".join(str(m.content) for m in messages))
        return "An answer [1]."


# Gives each example a fresh database URL; None: SQLite in the example's temp folder.
# tests/integration/test_postgres_properties.py sets it to run the property on PostgreSQL.
DATABASE: Callable[[], str] | None = None


def _container(tmp: Path) -> Container:
    s = Settings(
        data_dir=tmp,
        secret_key="prop",
        chunk_tokens=40,
        chunk_overlap_tokens=10,
        database_url=DATABASE() if DATABASE is not None else None,
    )
    s.ensure_data_dir()
    engine = make_engine(s.resolved_database_url)
    migrate(engine)
    return Container(
        s,
        records=SqlRecords(engine),
        redactor=FakeRedactor(),
        embedder=FakeEmbedder(),
        vectors=InMemoryVectorIndex(),
        keywords=InMemoryKeywordIndex(),
        chat_model=Recording(responses=["unused"]),
    )


def _attempt(expected: str, fn: Any, denied: type[Exception] = NotAllowedError) -> bool:
    """Run ``fn``: it must succeed when ``expected`` is "ok", raise ``denied`` when
    "denied", and raise a plain refusal (not a permission error) when "invalid"."""
    try:
        fn()
    except NotAllowedError:
        assert expected == "denied" and denied is NotAllowedError, expected
        return False
    except (ReflectionError, StoreError, TransitionError):
        assert expected == "invalid" or (expected == "denied" and denied is not NotAllowedError)
        return False
    assert expected == "ok", expected
    return True


def _enrol(c: Container, members: dict[str, list[tuple[str, Role]]]) -> dict[str, Principal]:
    """Add every drawn user with their roles in each programme; their principals."""
    for name in sorted(members):
        by_programme: dict[str, set[Role]] = {}
        for programme, role in members[name]:
            by_programme.setdefault(programme, set()).add(role)
        first, *rest = sorted(by_programme)
        c.records.add_user(name, roles=sorted(by_programme[first]), programme=first)
        for programme in rest:
            c.records.set_roles(name, sorted(by_programme[programme]), programme)
    return {u: c.records.principal(u) for u in sorted(members)}


@settings(
    max_examples=80,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(members=memberships, docs=documents, ops=operations)
def test_no_view_shows_a_document_its_reader_may_not_read(
    members: dict[str, list[tuple[str, Role]]],
    docs: list[tuple[int, Visibility, str]],
    ops: list[tuple[str, int, int]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        c = _container(Path(tmp))
        users = sorted(members)
        model = Model({u: set(members[u]) for u in users})
        who = _enrol(c, members)
        pid = {p: c.records.programme_id(p) for p in PROGRAMMES if _exists(c, p)}

        state: dict[str, Doc] = {}  # document id -> the model's record
        for i, (owner_i, vis, programme) in enumerate(docs):
            owner = users[owner_i % len(users)]
            slugs = {p for p, _ in members[owner]}
            slug = programme if programme in slugs else sorted(slugs)[0]
            word = f"zqx{i}marker"
            f = Path(tmp) / f"d{i}.jsonl"
            row = {
                "id": f"d{i}",
                "text": f"Pricing lesson {word} about the distributor.",
                "visibility": vis.value,
            }
            if i % 2:  # every other one a rotation debrief from Lagos (handoff packs use them)
                row |= {"kind": "debrief", "market": "Lagos"}
            f.write_text(json.dumps(row))
            c.service.import_paths([f], ImportOptions(as_user=owner, programme=slug))
            doc_id = c.pipeline.document_id(who[owner].user_id, f"d{i}")
            assert doc_id
            state[doc_id] = Doc(word, owner, slug, vis)

        writings = list(state)
        for n, (op, on, by) in enumerate(ops):
            # Half the attempts come from someone entitled (the author; a coordinator of the
            # programme), so that actions succeed often enough to change what people see.
            actor = users[by % len(users)]
            if op in {"share", "approve", "decline", "withdraw", "delete", "edit", "erase"}:
                doc_id = writings[on % len(writings)]
                d = state[doc_id]
                if by < 4:
                    entitled = [
                        u
                        for u in users
                        if (
                            u == d.owner
                            if op not in {"approve", "decline"}
                            else model.coordinates(u, d.programme)
                        )
                    ]
                    actor = entitled[by % len(entitled)] if entitled else actor
                _writing_op(c, model, op, d, doc_id, actor, who[actor])
            elif op == "publish":
                if by < 4:
                    actor = next((u for u in users if model.coordinates(u)), actor)
                _publish(c, model, state, who[actor], pid, word=f"zqxE{n}marker")
            elif op == "archive":
                _archive(c, model, state, who, actor if by >= 4 else None, on)

        # The store agrees with the model.
        for doc_id, d in state.items():
            info = c.records.document(doc_id)
            if not d.alive:
                assert info is None, d
                continue
            assert info is not None and info.visibility is d.vis, (d, info)
            assert (info.share_status == "pending") is d.pending, (d, info)

        for name in users:
            _check_views(c, model, state, name, who[name], pid)


def _publish(
    c: Container, model: Model, state: dict[str, Doc], p: Any, pid: dict[str, str], word: str
) -> None:
    """``p`` drafts, submits and publishes an entry in a programme they coordinate (or, when
    they coordinate none, in one of theirs)."""
    mine = model.members[p.username]
    slug = min((s for s, r in mine if r is Role.COORDINATOR), default=min(s for s, _ in mine))
    made: dict[str, Any] = {}

    def publish() -> None:
        e = c.curation.create(
            p,
            pid[slug],
            EntryContent(
                title=f"Pricing entry {word}",
                sections={"lesson": f"Pricing lesson {word}."},
                market="Lagos",
            ),
        )
        e = c.curation.act(p, e.entry_id, e.version, "submit")
        made["entry"] = c.curation.act(p, e.entry_id, e.version, "publish")

    if _attempt("ok" if model.coordinates(p.username, slug) else "denied", publish):
        e = made["entry"]
        state[e.document_id] = Doc(
            word, p.username, slug, Visibility.PUBLISHED, entry_id=e.entry_id
        )


def _archive(
    c: Container,
    model: Model,
    state: dict[str, Doc],
    who: dict[str, Any],
    actor: str | None,
    on: int,
) -> None:
    """``actor`` (when None, a coordinator of its programme) archives a published entry."""
    live = [d for d in state.values() if d.entry_id and d.alive]
    if not live:
        return
    d = live[on % len(live)]
    assert d.entry_id
    if actor is None:
        actor = next(u for u in sorted(who) if model.coordinates(u, d.programme))
    p = who[actor]
    entry = c.curation.entries.get(d.entry_id)
    expected = "ok" if model.coordinates(actor, d.programme) else "denied"
    if _attempt(expected, lambda: c.curation.act(p, entry.entry_id, entry.version, "archive")):
        d.alive = False


def _exists(c: Container, slug: str) -> bool:
    try:
        c.records.programme_id(slug)
    except StoreError:
        return False
    return True


def _writing_op(
    c: Container, model: Model, op: str, d: Doc, doc_id: str, actor: str, p: Any
) -> None:
    owner = actor == d.owner
    if op == "share":
        expected = (
            "invalid"
            if not d.alive
            else "denied"
            if not owner
            else "invalid"
            if d.vis is not Visibility.PRIVATE
            else "ok"
        )
        if _attempt(expected, lambda: c.reflection.request_share(p, doc_id)):
            d.pending = True
    elif op in {"approve", "decline"}:
        expected = (
            "invalid"
            if not (d.alive and d.pending)
            else "ok"
            if model.coordinates(actor, d.programme)
            else "denied"
        )
        approve = op == "approve"
        if _attempt(expected, lambda: c.reflection.decide_share(p, doc_id, approve)):
            d.pending = False
            if approve:
                d.vis = Visibility.SHARED
    elif op == "withdraw":
        expected = "invalid" if not d.alive else "ok" if owner else "denied"
        if _attempt(expected, lambda: c.reflection.withdraw(p, doc_id)):
            d.pending, d.vis = False, Visibility.PRIVATE
    elif op == "delete":
        # Someone else's document is "not found" for them, exactly like a missing one.
        expected = "invalid" if not d.alive else "ok" if owner else "denied"
        if _attempt(expected, lambda: c.service.delete(actor, doc_id), denied=StoreError):
            d.alive = False
    elif op == "edit":
        expected = "invalid" if not d.alive else "ok" if owner else "denied"
        text = f"{d.word} rewritten{' again' * d.edits} by its author."
        if _attempt(expected, lambda: c.reflection.edit(p, doc_id, text, "")):
            d.edits += 1
            if d.vis is not Visibility.PRIVATE or d.pending:
                d.vis, d.pending = Visibility.PRIVATE, True
    elif op == "erase":
        expected = "invalid" if not d.alive else "ok" if owner else "denied"
        if _attempt(expected, lambda: c.reflection.delete(p, doc_id)):
            d.alive = False


def _check_views(
    c: Container, model: Model, state: dict[str, Doc], name: str, who: Any, pid: dict[str, str]
) -> None:
    allowed = {doc_id for doc_id, d in state.items() if model.sees(name, d)}
    forbidden = [d.word for doc_id, d in state.items() if doc_id not in allowed]

    def clean(text: str) -> bool:
        return not any(w in text for w in forbidden)

    found = {h.document_id for h in c.service.search(name, "pricing lesson marker", k=50)}
    assert found <= allowed, (name, found - allowed)

    exported = [row["text"] for row in c.service.export(name)]
    assert {d.word for doc_id, d in state.items() if any(d.word in t for t in exported)} == {
        state[doc_id].word for doc_id in allowed
    }, name  # every readable document, and nothing else

    c.chat_model.prompts.clear()  # type: ignore[attr-defined]
    c.assistant.ask(who, "pricing lesson distributor marker")
    assert clean("\n".join(c.chat_model.prompts)), name  # type: ignore[attr-defined]

    assert clean(to_markdown(handoff_pack(c.curation.entries, c.records, who, market="Lagos")))
    brief = before_rotation(c.retriever, who, market="Lagos")
    shown = [h.text for h in (*brief.entries, *brief.debriefs)]
    shown += [t for t, _ in (*brief.advice, *brief.open_questions)]
    assert clean("\n".join(shown)), name

    view = c.service.overview(who)
    alive = [d for d in state.values() if d.alive]
    assert view.mine == sum(d.owner == name for d in alive)
    assert view.shared_with_them == sum(d.owner != name and model.sees(name, d) for d in alive)
    assert view.entries == sum(bool(d.entry_id) and model.sees(name, d) for d in alive)
    assert all(d.owner_id == who.user_id for d in view.recent)

    today = dt.date.today()
    if model.coordinates(name):
        assert clean(to_markdown(showcase(c.curation.entries, c.records, who, today, today)))
        queue = {d.document_id for d in c.reflection.moderation_queue(who)}
        assert queue == {
            doc_id
            for doc_id, d in state.items()
            if d.alive and d.pending and model.coordinates(name, d.programme)
        }, name
    else:
        with pytest.raises(NotAllowedError):
            showcase(c.curation.entries, c.records, who, today, today)
        with pytest.raises(NotAllowedError):
            c.reflection.moderation_queue(who)

    for d in state.values():
        if d.entry_id:
            may = model.coordinates(name, d.programme) or (
                d.alive and model.member(name, d.programme)
            )
            if may:
                c.curation.readable(who, d.entry_id)
            else:
                with pytest.raises(NotAllowedError):
                    c.curation.readable(who, d.entry_id)


# -- the mentoring programme (issue 20): profiles and pairings ------------------------------

MENTORING_OPS = (
    "view",
    "edit",
    "import",
    "suggest",
    "propose",
    "approve",
    "accept",
    "decline",
    "end",
    "log",
    "reasons",
)
mentoring_ops = st.lists(
    st.tuples(st.sampled_from(MENTORING_OPS), st.integers(0, 7), st.integers(0, 7)),
    min_size=1,
    max_size=14,
)


class MentoringModel(Model):
    """Who may do what in the mentoring programme, by the rules as the README states them:
    members see profiles and pairings; a person edits their own profile; coordinators and
    stewards import, match, approve and end; only the two people of a pairing accept or
    decline; they (or a coordinator or steward) log sessions and end it; a rematch reason is
    read by its author and the programme's coordinators, nobody else."""

    def matches(self, user: str, programme: str) -> bool:
        return any(
            p == programme and r in (Role.COORDINATOR, Role.STEWARD) for p, r in self.members[user]
        )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(members=memberships, ops=mentoring_ops)
# A steward (who matches) reading the rematch reason the mentee gave: they may not.
@example(
    members={"u0": [("default", Role.STEWARD)], "u1": [("default", Role.LEADER)]},
    ops=[("reasons", 0, 0), ("approve", 0, 0), ("accept", 0, 1), ("accept", 0, 0)],
)
def test_mentoring_profiles_and_pairings_follow_the_rules(
    members: dict[str, list[tuple[str, Role]]], ops: list[tuple[str, int, int]]
) -> None:
    import datetime as dt

    from playbook.ports.mentoring import ObjectiveDraft, PairingState, ProfileDraft, ProfileRole
    from playbook.services.mentoring import MentoringError

    with tempfile.TemporaryDirectory() as tmp:
        c = _container(Path(tmp))
        users = sorted(members)
        model = MentoringModel({u: set(members[u]) for u in users})
        who = _enrol(c, members)
        m = c.mentoring
        # Everyone has a mentor and a mentee profile in each of their programmes (set up in
        # the store directly: the attempts below are what is under test).
        drafts = [
            ProfileDraft(
                programme_id=c.records.programme_id(slug),
                user_id=who[u].user_id,
                role=role,
                expertise="pricing",
                capacity=8,
                seniority=5,
                objectives=(ObjectiveDraft("pricing"),) if role is ProfileRole.MENTEE else (),
            )
            for u in users
            for slug in sorted({p for p, _ in members[u]})
            for role in (ProfileRole.MENTOR, ProfileRole.MENTEE)
        ]
        m.profiles_store.save_profiles(drafts)
        # pairing id -> (programme slug, mentor, mentee); the model's state of each.
        pairs: dict[str, tuple[str, str, str]] = {}
        state: dict[str, PairingState] = {}
        accepted: dict[str, set[str]] = {}
        reasons: dict[str, list[str]] = {}  # pairing id -> authors of its reasons
        # A few pairings to act on from the start (proposals below add more).
        for i, mentor in enumerate(users):
            mentee = users[(i + 1) % len(users)]
            shared = sorted({p for p, _ in members[mentor]} & {p for p, _ in members[mentee]})
            if mentor != mentee and shared:
                made = m.pairings_store.propose(
                    c.records.programme_id(shared[0]),
                    who[mentor].user_id,
                    who[mentee].user_id,
                    ProfileRole.MENTOR,
                    [],
                    2,
                    who[mentor].user_id,
                )
                pairs[made] = (shared[0], mentor, mentee)
                state[made], accepted[made], reasons[made] = PairingState.PROPOSED, set(), []
                if i == 0:  # one private reason from the start, for "reasons" to find
                    m.pairings_store.add_reason(made, who[mentee].user_id, "no chemistry")
                    reasons[made].append(mentee)

        def attempt(expected: str, fn: Any, *args: Any) -> Any:
            try:
                result = fn(*args)
            except NotAllowedError:
                assert expected == "denied", (expected, fn, args)
                return None
            except MentoringError:
                assert expected in ("invalid", "maybe"), (expected, fn, args)
                return None
            assert expected in ("ok", "maybe"), (expected, fn, args)
            return result if result is not None else True

        for op, on, by in ops:
            actor = users[by % len(users)]
            slugs = sorted({p for p, _ in members[users[on % len(users)]]})
            slug = slugs[on % len(slugs)]
            member = model.member(actor, slug)
            matcher = model.matches(actor, slug)
            if op == "view":
                exp = "ok" if member else "denied"
                attempt(exp, m.list_profiles, who[actor], slug)
                attempt(exp, m.pairings, who[actor], slug)
            elif op == "edit":
                owner = users[on % len(users)]
                cells = {"username": owner, "role": "mentor", "capacity": "8", "seniority": "5"}
                exp = "ok" if (owner == actor or matcher) else "denied"
                attempt(exp, m.save_profile, who[actor], slug, cells)
            elif op == "import":
                data = f"username,role,capacity\n{actor},advisor,1\n".encode()
                if matcher:
                    report = m.import_profiles(who[actor], slug, data)
                    assert report.saved == (1 if member else 0)
                else:
                    attempt("denied", m.import_profiles, who[actor], slug, data)
            elif op in ("suggest", "propose"):
                mentee = users[on % len(users)]
                mentor = users[(on + by + 1) % len(users)]
                if op == "suggest":
                    exp = "ok" if matcher else "denied"
                    attempt(exp, m.suggest, who[actor], slug, mentee)
                    continue
                made = attempt(
                    "maybe" if matcher else "denied",
                    m.propose,
                    who[actor],
                    slug,
                    mentor,
                    mentee,
                )
                if made:
                    # Proposals that pass the constraints are by people of the programme.
                    assert model.member(mentor, slug) and model.member(mentee, slug)
                    pairs[made] = (slug, mentor, mentee)
                    state[made] = PairingState.PROPOSED
                    accepted[made] = set()
                    reasons[made] = []
            elif pairs:
                pid = sorted(pairs)[on % len(pairs)]
                slug, mentor, mentee = pairs[pid]
                if by < 4:
                    # Half the attempts by someone entitled, so pairings move through states.
                    entitled = sorted(
                        {mentor, mentee} | {u for u in users if model.matches(u, slug)}
                    )
                    actor = entitled[by % len(entitled)]
                party = actor in (mentor, mentee)
                matcher = model.matches(actor, slug)
                now = state[pid]
                open_ = now in (PairingState.PROPOSED, PairingState.APPROVED, PairingState.ACTIVE)
                if op == "approve":
                    exp = "denied" if not matcher else "ok" if now is PairingState.PROPOSED else ""
                    if attempt(exp or "invalid", m.approve, who[actor], pid):
                        state[pid] = PairingState.APPROVED
                elif op == "accept":
                    exp = "denied" if not party else "ok" if now is PairingState.APPROVED else ""
                    if attempt(exp or "invalid", m.accept, who[actor], pid):
                        accepted[pid].add(actor)
                        if accepted[pid] >= {mentor, mentee}:
                            state[pid] = PairingState.ACTIVE
                elif op == "decline":
                    ok = now in (PairingState.PROPOSED, PairingState.APPROVED)
                    exp = "denied" if not party else "ok" if ok else "invalid"
                    if attempt(exp, m.decline, who[actor], pid):
                        state[pid] = PairingState.DECLINED
                elif op == "end":
                    exp = "denied" if not (party or matcher) else "ok" if open_ else "invalid"
                    if attempt(exp, m.end, who[actor], pid, "no chemistry"):
                        state[pid] = PairingState.ENDED
                        reasons[pid].append(actor)
                elif op == "log":
                    ok = now is PairingState.ACTIVE
                    exp = "denied" if not (party or matcher) else "ok" if ok else "invalid"
                    day = dt.date.today()
                    attempt(exp, m.log_session, who[actor], pid, day)
                elif op == "reasons":
                    seen = [r.author_id for r in m.reasons(who[actor], pid)]
                    coordinates = model.coordinates(actor, slug)
                    wanted = [a for a in reasons[pid] if a == actor or coordinates]
                    assert seen == [who[a].user_id for a in wanted], (actor, pid)
        for pid in pairs:
            stored = m.pairings_store.pairing(pid)
            assert stored is not None and stored.state is state[pid]


# -- the advisor council, planned rotations, impact reports and validations (issue 20) ----

programme_ops = st.lists(
    st.tuples(
        st.sampled_from(
            ("charter", "option", "decide", "rotation", "link", "report", "recount", "validate")
        ),
        st.integers(0, 9),  # on what (a programme, a person, an option, a recount)
        st.integers(0, 7),  # by whom
        st.booleans(),  # shared (reports and recounts)
    ),
    min_size=6,
    max_size=16,
)


class ProgrammeModel(Model):
    """Who may do what with the programme's records, written out plainly: coordinators run
    the council and plan rotations, which every member reads; an option is decided by its
    owner only; a mentor (a leader, participant or coordinator of an active pairing)
    reports per quarter; a mentee recounts their own objective; only the observer they named
    validates it, once; a report or recount is read by its author, by the programme's members
    once shared, and the showcase shows the shared ones to the programme's coordinators."""

    WRITER_ROLES = frozenset({Role.LEADER, Role.PARTICIPANT, Role.COORDINATOR})

    def writes(self, user: str, programme: str) -> bool:
        return any(p == programme and r in self.WRITER_ROLES for p, r in self.members[user])


@dataclass
class Record:
    """The test's own record of a report or recount."""

    author: str
    programme: str
    shared: bool
    word: str  # the unique word in its text
    observer: str = ""  # recounts
    validated: bool = False


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(members=memberships, ops=programme_ops)
def test_council_rotations_reports_and_validations_follow_the_rules(
    members: dict[str, list[tuple[str, Role]]], ops: list[tuple[str, int, int, bool]]
) -> None:
    from playbook.ports.programme import OptionStatus
    from playbook.services.programme_base import ProgrammeError
    from tests.unit.programme_fixtures import pair

    with tempfile.TemporaryDirectory() as tmp:
        c = _container(Path(tmp))
        users = sorted(members)
        model = ProgrammeModel({u: set(members[u]) for u in users})
        who = _enrol(c, members)
        slug_of = {c.records.programme_id(p): p for p in PROGRAMMES if _exists(c, p)}
        pid = {s: i for i, s in slug_of.items()}
        today = dt.date.today()
        c.impact._today = lambda: today
        # Each user mentors the next one when they share a programme (the mentee's first):
        # active pairings and the mentee's one objective, set up in the store directly.
        mentors: set[tuple[str, str]] = set()  # (mentor, programme slug)
        objectives: dict[str, tuple[str, str]] = {}  # objective id -> (mentee, slug)
        for i, mentor in enumerate(users):
            mentee = users[(i + 1) % len(users)]
            first = sorted({p for p, _ in members[mentee]})[0]
            if mentor != mentee and model.member(mentor, first):
                [oid] = pair(c, mentor, mentee, (f"objective of {mentee}",), pid[first])
                mentors.add((mentor, first))
                objectives[oid] = (mentee, first)
        options: dict[str, tuple[str, str, bool]] = {}  # id -> (slug, owner, closed)
        rotations: dict[str, str] = {}  # rotation id -> slug
        reports: dict[tuple[str, str], Record] = {}  # (author, slug) -> the current quarter's
        recounts: dict[str, Record] = {}

        def attempt(expected: str, fn: Any, *args: Any, **kw: Any) -> Any:
            try:
                result = fn(*args, **kw)
            except NotAllowedError:
                assert expected == "denied", (expected, fn, args)
                return None
            except ProgrammeError:
                assert expected in ("invalid", "hidden"), (expected, fn, args)
                return None
            assert expected == "ok", (expected, fn, args)
            return result

        def pick(entitled: list[str], by: int) -> str:
            # Half the attempts come from someone entitled, so that actions succeed often
            # enough to change what people see.
            return entitled[by % len(entitled)] if by < 4 and entitled else users[by % len(users)]

        for n, (op, on, by, shared) in enumerate(ops):
            person = users[on % len(users)]
            slugs = sorted({p for p, _ in members[person]})
            slug = slugs[on % len(slugs)]

            actor = pick([u for u in users if model.coordinates(u, slug)], by)
            runs = model.coordinates(actor, slug)
            if op == "charter":
                exp = "ok" if runs else "denied"
                attempt(exp, c.council.set_charter, who[actor], pid[slug], "s", "r", "monthly")
            elif op == "option":
                exp = "denied" if not runs else "ok" if model.member(person, slug) else "invalid"
                made = attempt(exp, c.council.raise_option, who[actor], pid[slug], "o", person)
                if made:
                    options[made.option_id] = (slug, person, False)
            elif op == "decide" and options:
                oid = list(options)[on % len(options)]
                o_slug, owner, closed = options[oid]
                actor = pick([owner], by)
                exp = (
                    "hidden"  # an option of a programme they are not in: "no such option"
                    if not model.member(actor, o_slug)
                    else "denied"
                    if actor != owner
                    else "invalid"
                    if closed
                    else "ok"
                )
                if attempt(exp, c.council.decide, who[actor], oid, shared, "because"):
                    options[oid] = (o_slug, owner, True)
            elif op == "rotation":
                start = today + dt.timedelta(days=30 * (n + 1))  # never overlapping
                exp = "denied" if not runs else "ok" if model.member(person, slug) else "invalid"
                made = attempt(
                    exp,
                    c.rotations.plan,
                    who[actor],
                    pid[slug],
                    person,
                    market="Lagos",
                    start=start,
                    end=start + dt.timedelta(days=13),
                    anchor_project="p",
                )
                if made:
                    rotations[made.rotation.rotation_id] = slug
            elif op == "link" and rotations:
                rid = list(rotations)[on % len(rotations)]
                r_slug = rotations[rid]
                r = c.rotations.rotations.get(rid)
                assert r is not None
                owner = c.records.usernames([r.person_id])[r.person_id]
                actor = pick([owner], by)
                exp = (
                    "hidden"
                    if not model.member(actor, r_slug)
                    else "ok"
                    if actor == owner or model.coordinates(actor, r_slug)
                    else "denied"
                )
                attempt(exp, c.rotations.link_debrief, who[actor], rid, None)
            elif op == "report":
                actor = pick([u for u, s in sorted(mentors) if s == slug], by)
                exp = (
                    "denied"
                    if not model.writes(actor, slug)
                    else "ok"
                    if (actor, slug) in mentors
                    else "invalid"
                )
                q = c.impact.current_quarter()
                answers = {"speed": f"zqxR{n}marker"}
                if attempt(exp, c.impact.save_report, who[actor], pid[slug], q, answers, shared):
                    reports[(actor, slug)] = Record(actor, slug, shared, answers["speed"])
            elif op == "recount" and objectives:
                oid = list(objectives)[on % len(objectives)]
                mentee, o_slug = objectives[oid]
                actor = pick([mentee], by)
                observers = [u for u in users if u != actor and model.member(u, o_slug)]
                observer = pick(observers, on) if on % 2 else users[(on + by) % len(users)]
                exp = (
                    "hidden"
                    if not model.member(actor, o_slug)
                    else "denied"
                    if actor != mentee
                    else "ok"
                    if model.member(observer, o_slug) and observer != actor
                    else "invalid"
                )
                made = attempt(
                    exp, c.impact.recount, who[actor], oid, f"zqxC{n}marker", observer, shared
                )
                if made:
                    recounts[made.recount_id] = Record(
                        actor, o_slug, shared, f"zqxC{n}marker", observer
                    )
            elif op == "validate" and recounts:
                rid = list(recounts)[on % len(recounts)]
                rec = recounts[rid]
                actor = pick([rec.observer], by)
                exp = (
                    "hidden"
                    if not model.member(actor, rec.programme)
                    else "denied"
                    if actor != rec.observer
                    else "invalid"
                    if rec.validated
                    else "ok"
                )
                if attempt(exp, c.impact.validate, who[actor], rid, "seen"):
                    rec.validated = True

        # What each person reads agrees with the model.
        for name in users:
            p = who[name]
            for slug in pid:
                if model.member(name, slug):
                    view = c.council.view(p, pid[slug])
                    assert {o.option_id for o in view.options} == {
                        i for i, (s, _, _) in options.items() if s == slug
                    }
                    closed = {
                        o.option_id for o in view.options if o.status is not OptionStatus.OPEN
                    }
                    assert closed == {i for i, (s, _, x) in options.items() if s == slug and x}
                else:
                    with pytest.raises(NotAllowedError):
                        c.council.view(p, pid[slug])
            assert {v.rotation.rotation_id for v in c.rotations.listing(p)} == {
                i for i, s in rotations.items() if model.member(name, s)
            }
            readable = {
                (slug_of[r.programme_id], r.mentor_id) for r in c.impact.readable_reports(p)
            }
            assert readable == {
                (s, p_.user_id)
                for (a, s), rec in reports.items()
                for p_ in [who[a]]
                if a == name or (rec.shared and model.member(name, s))
            }, name
            assert {r.recount_id for r in c.impact.to_validate(p)} == {
                i for i, rec in recounts.items() if rec.observer == name and not rec.validated
            }
            if model.coordinates(name):
                shown = c.impact.showcase(p, today - dt.timedelta(days=100), today)
                md = to_markdown(
                    c.impact.add_to_showcase(
                        p, showcase(c.curation.entries, c.records, p, today, today), today, today
                    )
                )
                coordinated = {s for s in pid if model.coordinates(name, s)}
                assert {slug_of[r.programme_id] for r in shown.reports} <= coordinated
                assert all(r.shared for r in (*shown.reports, *shown.recounts))
                assert {r.recount_id for r in shown.recounts} == {
                    i for i, rec in recounts.items() if rec.shared and rec.programme in coordinated
                }
                # Nothing private, and nothing of a programme they do not coordinate.
                for rec in [*reports.values(), *recounts.values()]:
                    if not rec.shared or rec.programme not in coordinated:
                        assert rec.word not in md, (name, rec)
            else:
                with pytest.raises(NotAllowedError):
                    c.impact.showcase(p, today, today)
