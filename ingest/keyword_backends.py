"""Keyword index backends by name; the setting ``keyword_index`` (env
``PLAYBOOK_KEYWORD_INDEX``) picks one, and ``playbook.wiring`` builds it from here.

A backend is a factory taking the settings and the store's chunk lookup. SQLite FTS5
(``"fts5"``, ``ingest.keyword_index``) and PostgreSQL full text (``"postgres"``,
``ingest.pg_fulltext``) are built in; unless the setting is given, a PostgreSQL store gets
``postgres`` and a SQLite one ``fts5``. Another backend is one module with its adapter and
one ``register_keyword_backend`` line below.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from playbook.models import ChunkRecord
from playbook.ports import KeywordIndex
from playbook.settings import Settings

ChunkLookup = Callable[[Sequence[str]], Mapping[str, ChunkRecord]]
KeywordFactory = Callable[[Settings, ChunkLookup], KeywordIndex]

_BACKENDS: dict[str, KeywordFactory] = {}


class UnknownKeywordIndexError(ValueError):
    """The setting names no registered backend; the message lists those that are.

    A ``ValueError`` so that every front end shows the sentence as it stands."""


def register_keyword_backend(
    name: str, factory: KeywordFactory, replace: bool = False
) -> KeywordFactory:
    """Make a keyword index backend available under ``name``.

    Args:
        name: What ``keyword_index`` is set to to choose it (lower case).
        factory: Builds the index from the settings and the store's chunk lookup; called
            each time the index is opened (again after a rebuild), so it opens files afresh.
        replace: Let it take the place of a backend already registered under ``name``.

    Returns:
        The factory.

    Raises:
        ValueError: ``name`` is taken (without ``replace``).
    """
    key = name.strip().lower()
    if key in _BACKENDS and not replace:
        raise ValueError(f"a keyword index backend named {key!r} is already registered")
    _BACKENDS[key] = factory
    return factory


def unregister_keyword_backend(name: str) -> None:
    """Remove the backend ``name``, if it is registered."""
    _BACKENDS.pop(name.strip().lower(), None)


def keyword_backends() -> list[str]:
    """The names of the registered backends, sorted."""
    return sorted(_BACKENDS)


def keyword_backend(name: str) -> KeywordFactory:
    """The factory registered under ``name`` (case and surrounding spaces ignored).

    Raises:
        UnknownKeywordIndexError: No backend has that name.
    """
    factory = _BACKENDS.get(name.strip().lower())
    if factory is None:
        raise UnknownKeywordIndexError(
            f"unknown keyword index {name!r}; set PLAYBOOK_KEYWORD_INDEX to one of "
            f"{', '.join(keyword_backends())}"
        )
    return factory


def is_postgres_url(url: str) -> bool:
    """True for a PostgreSQL database URL (any driver: ``postgresql://``,
    ``postgresql+psycopg://``, ``postgres://``)."""
    return url.split(":", 1)[0].split("+", 1)[0].lower() in ("postgresql", "postgres")


def chosen_keyword_backend(settings: Settings) -> str:
    """The backend's name: ``keyword_index`` when it is set; otherwise ``postgres`` for a
    PostgreSQL store (its own full-text search, so no SQLite file is made) and ``fts5``
    for SQLite."""
    if "keyword_index" in settings.model_fields_set:
        return settings.keyword_index
    return "postgres" if is_postgres_url(settings.resolved_database_url) else "fts5"


def open_keyword_index(settings: Settings, chunks: ChunkLookup) -> KeywordIndex:
    """The keyword index ``chosen_keyword_backend`` names, opened.

    Raises:
        UnknownKeywordIndexError: The setting names no registered backend.
    """
    return keyword_backend(chosen_keyword_backend(settings))(settings, chunks)


def _fts5(settings: Settings, chunks: ChunkLookup) -> KeywordIndex:
    # Imported when chosen: a backend's dependencies load only where it is used.
    from ingest.keyword_index import Fts5KeywordIndex

    settings.ensure_data_dir()
    return Fts5KeywordIndex(settings.resolved_keyword_index_path, chunks=chunks)


def _postgres(settings: Settings, chunks: ChunkLookup) -> KeywordIndex:
    from ingest.pg_fulltext import PgKeywordIndex
    from playbook.store.engine import make_engine

    url = settings.resolved_database_url
    if not is_postgres_url(url):
        raise ValueError(
            "PLAYBOOK_KEYWORD_INDEX=postgres needs a PostgreSQL store: set "
            "PLAYBOOK_DATABASE_URL=postgresql://... or choose fts5"
        )
    # Its own small pool on the store's database (the table is migration 0014's).
    return PgKeywordIndex(make_engine(url), chunks=chunks, owns_engine=True)


register_keyword_backend("fts5", _fts5)
register_keyword_backend("postgres", _postgres)
