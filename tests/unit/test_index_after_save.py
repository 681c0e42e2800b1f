"""Saving feels instant: a studio save returns once the entry is redacted and stored, and
indexing follows on the indexing service's thread, with a state the page shows. The ledger
keeps what is pending, so a process that dies before indexing loses nothing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from collections.abc import Sequence
from pathlib import Path

import pytest

from ingest.keyword_index import Fts5KeywordIndex
from ingest.pipeline_embed import embed_chunks, embed_grouped
from playbook.models import Role
from playbook.permissions import read_scope
from playbook.settings import Settings
from playbook.store import SqlRecords, make_engine, migrate
from playbook.wiring import Container
from tests.fakes import FakeEmbedder, FakeRedactor, InMemoryVectorIndex

ROOT = Path(__file__).resolve().parents[2]


class GatedEmbedder(FakeEmbedder):
    """Embeds only once the test opens the gate (or fails, when told to)."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.fail = False

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        assert self.gate.wait(30), "the test never opened the gate"
        if self.fail:
            raise RuntimeError("model down")
        return super().embed(texts)


@pytest.fixture
def studio(settings: Settings, records: SqlRecords, tmp_path: Path) -> Container:
    records.add_user("ada", roles=[Role.LEADER])
    return Container(
        settings,
        records=records,
        redactor=FakeRedactor(),
        embedder=GatedEmbedder(),
        vectors=InMemoryVectorIndex(),
        keywords=Fts5KeywordIndex(tmp_path / "kw.sqlite3"),
    )


def _found(c: Container, text: str) -> list[str]:
    ada = c.records.principal("ada")
    hits = c.keywords.query(text, 10, read_scope(ada))
    return sorted({str(h.metadata["document_id"]) for h in hits})


def test_a_save_returns_stored_and_redacted_before_indexing(studio: Container) -> None:
    c, gate = studio, studio.embedder.gate  # type: ignore[attr-defined]
    ada = c.records.principal("ada")
    doc = c.reflection.save_journal(ada, "Tony and I argued about the warehouse pilot.")
    # Saved: in the store, redacted; not in any index yet, and the state says so.
    info = c.records.document(doc)
    assert info is not None and "Tony" not in info.redacted_text
    assert "[PERSON-" in info.redacted_text
    assert c.indexing.state(doc).searchable is False
    assert _found(c, "warehouse") == []
    stale, _ = c.records.stale_documents()
    assert doc in stale
    gate.set()
    assert c.indexing.wait_for_indexing(30)
    state = c.indexing.state(doc)
    assert state.searchable and not state.failed
    assert _found(c, "warehouse") == [doc]
    assert c.records.stale_documents() == ([], [])
    assert _found(c, "Tony") == []  # the index got the redacted text only


def test_a_failed_background_index_keeps_the_entry_and_repair_finishes_it(
    studio: Container,
) -> None:
    c, embedder = studio, studio.embedder
    embedder.fail = True  # type: ignore[attr-defined]
    embedder.gate.set()  # type: ignore[attr-defined]
    doc = c.reflection.save_journal(c.records.principal("ada"), "Notes on the pricing offsite.")
    assert c.indexing.wait_for_indexing(30)
    assert c.indexing.state(doc).failed
    assert c.records.document(doc) is not None
    assert _found(c, "offsite") == []
    embedder.fail = False  # type: ignore[attr-defined]
    c.indexing.repair()
    assert _found(c, "offsite") == [doc]


def test_an_entry_saved_twice_is_pending_until_its_last_save_is_indexed(
    studio: Container,
) -> None:
    c = studio
    ada = c.records.principal("ada")
    doc = c.reflection.save_journal(ada, "I cut the support budget.")
    c.reflection.answer_followup(ada, doc, "Who noticed first?", "The night shift did.")
    assert c.indexing.state(doc).searchable is False
    c.embedder.gate.set()  # type: ignore[attr-defined]
    assert c.indexing.wait_for_indexing(30)
    assert _found(c, "night shift") == [doc]


_DIES = textwrap.dedent(
    """
    import os, sys, threading
    from pathlib import Path
    sys.path.insert(0, sys.argv[1])
    from ingest.keyword_index import Fts5KeywordIndex
    from playbook.settings import Settings
    from playbook.store import SqlRecords, make_engine, migrate
    from playbook.wiring import Container
    from tests.fakes import FakeEmbedder, FakeRedactor, InMemoryVectorIndex

    class Stuck(FakeEmbedder):
        def embed(self, texts):
            threading.Event().wait()  # the process dies while indexing

    data = Path(sys.argv[2])
    settings = Settings(data_dir=data, secret_key="test-secret")
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    records = SqlRecords(engine)
    c = Container(settings, records=records, redactor=FakeRedactor(), embedder=Stuck(),
                  vectors=InMemoryVectorIndex(), keywords=Fts5KeywordIndex(data / "kw.sqlite3"))
    doc = c.reflection.save_journal(records.principal("ada"), "Lessons from the Lagos launch.")
    print(doc, flush=True)
    os._exit(0)  # no atexit, no clean shutdown: as if killed
    """
)


def test_an_entry_saved_just_before_the_process_dies_is_indexed_on_the_next_start(
    settings: Settings, records: SqlRecords, tmp_path: Path
) -> None:
    records.add_user("ada", roles=[Role.LEADER])
    settings.ensure_data_dir()
    out = subprocess.run(
        [sys.executable, "-c", _DIES, str(ROOT), str(settings.data_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    doc = out.stdout.strip().splitlines()[-1]
    # The next start: a new process over the same store and keyword index file.
    engine = make_engine(settings.resolved_database_url)
    migrate(engine)
    again = SqlRecords(engine)
    assert again.document(doc) is not None
    c = Container(
        settings,
        records=again,
        redactor=FakeRedactor(),
        embedder=FakeEmbedder(),
        vectors=InMemoryVectorIndex(),
        keywords=Fts5KeywordIndex(settings.data_dir / "kw.sqlite3"),
    )
    assert _found(c, "Lagos launch") == []
    c.indexing.repair()
    assert _found(c, "Lagos launch") == [doc]


def test_texts_are_embedded_in_groups_of_similar_length_in_their_order() -> None:
    embedder = FakeEmbedder()
    calls: list[int] = []
    inner = embedder.embed

    def spy(texts: Sequence[str]) -> list[list[float]]:
        calls.append(max(len(t) for t in texts) // max(1, min(len(t) for t in texts)))
        return inner(texts)

    embedder.embed = spy  # type: ignore[method-assign]
    long = [f"chunk {i} " + "about the warehouse pilot and its costs " * 25 for i in range(3)]
    short = [f"sentence {i} on pricing." for i in range(27)]
    texts = [long[0], *short[:10], long[1], *short[10:], long[2]]
    seen: list[tuple[int, int]] = []
    vectors = embed_grouped(embedder, texts, lambda done, total: seen.append((done, total)))
    assert vectors == FakeEmbedder().embed(texts)  # same vectors, same order
    assert len(calls) == 2 and all(ratio <= 2 for ratio in calls)  # no long text padded in
    assert seen == [(3, 30), (30, 30)]
    assert embed_grouped(embedder, []) == []


def test_chunk_and_sentence_vectors_are_unchanged_by_grouping() -> None:
    texts = ["One sentence only", "First point here. Second point there. A third one."]
    chunk_vectors, rows = embed_chunks(FakeEmbedder(), texts)
    fake = FakeEmbedder()
    assert chunk_vectors == fake.embed(texts)
    assert rows[0].sentences == [chunk_vectors[0]]
    parts = [texts[1][a:b] for a, b in rows[1].spans]
    assert len(parts) == 3 and rows[1].sentences == fake.embed(parts)


class SpanFake(FakeEmbedder):
    """A fake that pools spans: a span's vector is the fake's vector of "span:" + its text,
    and it leaves the last span of a text out (as past the model's window)."""

    def __init__(self) -> None:
        super().__init__()
        self.alone: list[str] = []

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        self.alone.extend(texts)
        return super().embed(texts)

    def embed_spans(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]]
    ) -> tuple[list[list[float]], list[list[list[float] | None]]]:
        rows: list[list[list[float] | None]] = []
        for t, sp in zip(texts, spans, strict=True):
            pooled = super().embed([f"span:{t[a:b]}" for a, b in sp[:-1]])
            rows.append([*pooled, None])
        return super().embed(texts), rows


def test_a_span_embedder_gives_sentence_vectors_from_the_chunks_pass() -> None:
    texts = ["One sentence only", "First point here. Second point there. A third one."]
    embedder = SpanFake()
    progress: list[tuple[int, int]] = []
    chunk_vectors, rows = embed_chunks(embedder, texts, lambda d, t: progress.append((d, t)))
    fake = FakeEmbedder()
    assert chunk_vectors == fake.embed(texts)
    assert rows[0].sentences == [chunk_vectors[0]]  # one sentence: the chunk's own vector
    parts = [texts[1][a:b] for a, b in rows[1].spans]
    assert rows[1].sentences == [
        *fake.embed([f"span:{p}" for p in parts[:2]]),
        *fake.embed(parts[2:]),
    ]
    # Only the sentence past the window was embedded on its own ("One sentence only" is a
    # whole chunk, not a span past the window).
    assert embedder.alone == ["A third one."]
    assert progress == [(2, 2)]


def _reflect_as_ada() -> None:
    import streamlit as st

    from playbook.ui import reflect

    st.session_state["username"] = "ada"
    reflect.page()


def test_the_page_says_saved_then_indexing_then_searchable(
    demo: Container, monkeypatch: pytest.MonkeyPatch
) -> None:
    from streamlit.testing.v1 import AppTest

    gated = GatedEmbedder()
    monkeypatch.setattr(demo.pipeline, "embedder", gated)
    at = AppTest.from_function(_reflect_as_ada, default_timeout=30).run()
    next(t for t in at.text_area if t.key == "journal:text").input(
        "The Lisbon pilot slipped a week because nobody owned the supplier call."
    ).run()
    next(b for b in at.button if b.label == "Save entry").click().run()
    assert not at.exception
    assert any("Saved. It is private" in s.value for s in at.success)
    assert any("Indexing…" in c.value for c in at.caption)
    assert not any("Searchable now" in c.value for c in at.caption)
    gated.gate.set()
    assert demo.indexing.wait_for_indexing(30)
    at.run()
    assert any("Searchable now" in c.value for c in at.caption)
    assert not any("Indexing…" in c.value for c in at.caption)
