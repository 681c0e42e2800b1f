"""The keyword index backend is chosen by the setting ``keyword_index``, by name from a
registry; an unknown name fails with a sentence listing the known ones."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ingest.keyword_backends import (
    ChunkLookup,
    UnknownKeywordIndexError,
    chosen_keyword_backend,
    keyword_backend,
    keyword_backends,
    register_keyword_backend,
    unregister_keyword_backend,
)
from ingest.keyword_index import Fts5KeywordIndex
from playbook.ports import KeywordIndex
from playbook.settings import Settings
from playbook.wiring import Container
from tests.fakes import InMemoryKeywordIndex


def in_memory(settings: Settings, chunks: ChunkLookup) -> KeywordIndex:
    return InMemoryKeywordIndex()


@pytest.fixture
def memory_backend() -> Iterator[None]:
    register_keyword_backend("memory", in_memory)
    yield
    unregister_keyword_backend("memory")


def test_fts5_is_the_default_backend(settings: Settings) -> None:
    assert settings.keyword_index == "fts5"
    c = Container(settings)
    assert isinstance(c.keywords.inner, Fts5KeywordIndex)
    assert settings.resolved_keyword_index_path.exists()
    c.keywords.close()


def test_the_setting_picks_a_registered_backend(
    memory_backend: None, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLAYBOOK_KEYWORD_INDEX", "memory")
    assert Settings().keyword_index == "memory"
    chosen = settings.model_copy(update={"keyword_index": "Memory"})
    c = Container(chosen)
    assert isinstance(c.keywords.inner, InMemoryKeywordIndex)
    assert c.keywords.count() == 0
    assert not chosen.resolved_keyword_index_path.exists()  # no FTS5 file was made


def test_an_unknown_backend_fails_clearly(settings: Settings) -> None:
    expected = "unknown keyword index 'elastic'; set PLAYBOOK_KEYWORD_INDEX to one of " + ", ".join(
        keyword_backends()
    )
    with pytest.raises(UnknownKeywordIndexError) as caught:
        keyword_backend("elastic")
    assert str(caught.value) == expected and "fts5, postgres" in expected
    c = Container(settings.model_copy(update={"keyword_index": "elastic"}))
    with pytest.raises(ValueError, match="unknown keyword index 'elastic'"):
        _ = c.keywords


def test_postgres_is_chosen_for_a_postgres_store_unless_set(settings: Settings) -> None:
    for url in ("postgresql://u@127.0.0.1/db", "postgres://h/db", "postgresql+psycopg://h/d"):
        on_pg = settings.model_copy(update={"database_url": url})
        assert chosen_keyword_backend(on_pg) == "postgres"
        both = on_pg.model_copy(update={"keyword_index": "fts5"})
        assert chosen_keyword_backend(both) == "fts5"  # set explicitly: kept
    assert chosen_keyword_backend(settings) == "fts5"  # SQLite


def test_the_postgres_backend_refuses_a_sqlite_store(settings: Settings) -> None:
    chosen = settings.model_copy(update={"keyword_index": "postgres"})
    with pytest.raises(ValueError, match="needs a PostgreSQL store"):
        keyword_backend("postgres")(chosen, lambda ids: {})


def test_a_name_is_registered_once_unless_replaced(memory_backend: None) -> None:
    with pytest.raises(ValueError, match="already registered"):
        register_keyword_backend("memory", in_memory)
    register_keyword_backend("memory", in_memory, replace=True)
    assert keyword_backend(" MEMORY ") is in_memory
