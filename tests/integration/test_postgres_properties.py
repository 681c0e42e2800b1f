"""The permission property test (``tests/unit/test_permissions_property.py``) again with
its store on PostgreSQL: every example gets a migrated database of its own on the session's
server, and the same model of who may read what must hold."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.pg import PgServer
from tests.unit import test_permissions_property as prop

pytestmark = [pytest.mark.integration, pytest.mark.slow]


@pytest.fixture
def on_postgres(pg_server: PgServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Point the property's store at PostgreSQL: a fresh database per example (the one
    before is dropped, so connections do not pile up); all dropped at the end."""
    made: list[str] = []

    def fresh() -> str:
        if made:
            pg_server.drop_database(made[-1])
        made.append(pg_server.create_database())
        return made[-1]

    monkeypatch.setattr(prop, "DATABASE", fresh)
    yield made
    if made:
        pg_server.drop_database(made[-1])


def test_no_view_shows_a_document_its_reader_may_not_read_on_postgres(
    on_postgres: list[str],
) -> None:
    prop.test_no_view_shows_a_document_its_reader_may_not_read()
    assert len(on_postgres) > 1  # the examples did run on PostgreSQL
