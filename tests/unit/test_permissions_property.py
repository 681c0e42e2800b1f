"""Property: whatever users, roles, programmes and documents exist, and whatever anyone tries
(share, approve, decline, withdraw, delete, publish an entry, archive it), no view shows a
person a document they may not read: search, Ask prompts, exports, handoff packs, the
rotation brief, the Home counts, the showcase, the moderation queue and entry pages.

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
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from playbook.lifecycle import TransitionError
from playbook.models import EntryContent, Role, StoreError, Visibility
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
OPS = ("share", "approve", "decline", "withdraw", "delete", "publish", "archive")

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


def _container(tmp: Path) -> Container:
    s = Settings(data_dir=tmp, secret_key="prop", chunk_tokens=40, chunk_overlap_tokens=10)
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
        for name in users:
            by_programme: dict[str, set[Role]] = {}
            for programme, role in members[name]:
                by_programme.setdefault(programme, set()).add(role)
            first, *rest = sorted(by_programme)
            c.records.add_user(name, roles=sorted(by_programme[first]), programme=first)
            for programme in rest:
                c.records.set_roles(name, sorted(by_programme[programme]), programme)
        who = {u: c.records.principal(u) for u in users}
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
            if op in {"share", "approve", "decline", "withdraw", "delete"}:
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
