"""Property: whatever users, roles, programmes, documents and visibility changes exist, no
search, Ask prompt, export or handoff pack shows anyone a document the permission rule says
they may not read.

The rule (``permissions.may_read``): the owner reads their own; shared and published
documents are read by members of their programme; nobody else reads anything.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from langchain_core.language_models.fake_chat_models import FakeListChatModel

from playbook.handoff import handoff_pack, to_markdown
from playbook.models import EntryContent, Role, Visibility
from playbook.permissions import may_read
from playbook.service import ImportOptions
from playbook.settings import Settings
from playbook.store import SqlRecords, make_engine, migrate
from playbook.wiring import Container
from tests.fakes import FakeEmbedder, FakeRedactor, InMemoryKeywordIndex, InMemoryVectorIndex

PROGRAMMES = ("default", "other")
USERS = ("u0", "u1", "u2", "u3")

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
        st.sampled_from(list(Visibility)),  # first visibility
        st.lists(st.sampled_from(list(Visibility)), max_size=3),  # later changes
        st.sampled_from(PROGRAMMES),  # programme, when the owner belongs to it
    ),
    min_size=1,
    max_size=6,
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
    c = Container(s)
    for name, value in {
        "records": SqlRecords(engine),
        "redactor": FakeRedactor(),
        "embedder": FakeEmbedder(),
        "vectors": InMemoryVectorIndex(),
        "keywords": InMemoryKeywordIndex(),
        "llm": Recording(responses=["unused"]),
    }.items():
        c.__dict__[name] = value
    return c


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(members=memberships, docs=documents, publish_entry=st.booleans())
def test_no_view_shows_a_document_its_reader_may_not_read(
    members: dict[str, list[tuple[str, Role]]],
    docs: list[tuple[int, Visibility, list[Visibility], str]],
    publish_entry: bool,
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        c = _container(Path(tmp))
        users = sorted(members)
        for name in users:
            by_programme: dict[str, set[Role]] = {}
            for programme, role in members[name]:
                by_programme.setdefault(programme, set()).add(role)
            first, *rest = sorted(by_programme)
            c.records.add_user(name, roles=sorted(by_programme[first]), programme=first)
            for programme in rest:
                c.records.set_roles(name, sorted(by_programme[programme]), programme)
        marker: dict[str, str] = {}  # document id -> the unique word in its text
        for i, (owner_i, first_vis, changes, programme) in enumerate(docs):
            owner = users[owner_i % len(users)]
            slugs = {p for p, _ in members[owner]}
            slug = programme if programme in slugs else sorted(slugs)[0]
            word = f"zqx{i}marker"
            f = Path(tmp) / f"d{i}.jsonl"
            text = f"Pricing lesson {word} about the distributor decision."
            row = {"id": f"d{i}", "text": text, "visibility": first_vis.value}
            if i % 2:  # every other one a rotation debrief from Lagos (handoff packs use them)
                row |= {"kind": "debrief", "market": "Lagos"}
            f.write_text(json.dumps(row))
            c.service.import_paths([f], ImportOptions(as_user=owner, programme=slug))
            doc_id = c.records.document_id(c.records.principal(owner).user_id, f"d{i}")
            assert doc_id
            for vis in changes:
                c.records.set_visibility(doc_id, vis)
            c.pipeline.sync()
            marker[doc_id] = word
        if publish_entry:
            coordinators = [
                u for u in users if c.records.coordinated_programmes(c.records.principal(u).user_id)
            ]
            if coordinators:
                cora = c.records.principal(coordinators[0])
                programme = sorted(c.records.coordinated_programmes(cora.user_id))[0]
                e = c.curation.create(
                    cora,
                    programme,
                    EntryContent(
                        title="Pricing entry",
                        sections={"lesson": "Pricing lesson zqxEmarker."},
                        market="Lagos",
                    ),
                )
                e = c.curation.act(cora, e.entry_id, e.version, "submit")
                e = c.curation.act(cora, e.entry_id, e.version, "publish")
                assert e.document_id
                marker[e.document_id] = "zqxEmarker"

        docs_now = {d: c.records.document(d) for d in marker}
        for name in users:
            who = c.records.principal(name)
            allowed = {
                d
                for d, info in docs_now.items()
                if info is not None
                and may_read(who, info.owner_id, info.visibility, info.programme_id)
            }
            forbidden_words = [marker[d] for d in marker if d not in allowed]

            found = {h.document_id for h in c.service.search(name, "pricing lesson marker", k=50)}
            assert found <= allowed, (name, found - allowed)
            exported = {row["text"] for row in c.service.export(name)}
            assert not any(w in t for t in exported for w in forbidden_words)
            c.llm.prompts.clear()  # type: ignore[attr-defined]
            c.assistant.ask(who, "pricing lesson distributor decision marker")
            prompts = "\n".join(c.llm.prompts)  # type: ignore[attr-defined]
            assert not any(w in prompts for w in forbidden_words), name
            pack = to_markdown(handoff_pack(c.curation.entries, c.records, who, market="Lagos"))
            assert not any(w in pack for w in forbidden_words), name
