"""``playbook migrate-to``: the whole store, demo content and all, copied into an empty
database (a second SQLite file, and a real PostgreSQL server), row for row; the source is
untouched, a non-empty or unreachable target is refused, and the CLI says what to do next."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from typer.testing import CliRunner

from playbook import cli
from playbook.models import StoreError
from playbook.store import make_engine
from playbook.store.tables import Base, RateEventRow
from playbook.wiring import Container

pytestmark = pytest.mark.integration


def _rows(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table of the schema, in primary-key order, as plain values."""
    out: dict[str, list[tuple[object, ...]]] = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = conn.execute(select(table).order_by(*order)).all()
            out[table.name] = [tuple(_plain(v) for v in r) for r in rows]
    return out


def _plain(value: object) -> object:
    # SQLite hands back the store's UTC times without their zone, PostgreSQL with it:
    # compare instants.
    if isinstance(value, dt.datetime):
        return (value if value.tzinfo else value.replace(tzinfo=dt.UTC)).astimezone(dt.UTC)
    return value


def _copy_and_compare(demo: Container, target_url: str) -> dict[str, int]:
    before = _rows(demo.records.engine)
    report = demo.store_move.move(target_url)
    assert report.rows == sum(len(r) for r in before.values()) > 0
    assert report.tables["users"] > 0 and report.tables["documents"] > 0
    assert report.tables["audit_log"] > 0
    target = make_engine(target_url)
    try:
        after = _rows(target)
    finally:
        target.dispose()
    for table, rows in before.items():  # ids, sealed originals, audit history: all of it
        assert len(after[table]) == len(rows), table
        for was, now in zip(rows, after[table], strict=True):
            assert now == was, (table, [(x, y) for x, y in zip(was, now, strict=True) if x != y])
    assert _rows(demo.records.engine) == before  # the source is left as it was
    return report.tables


def test_the_store_moves_to_another_sqlite_file(demo: Container, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'moved.sqlite3'}"
    _copy_and_compare(demo, url)
    with pytest.raises(StoreError, match="already holds data"):
        demo.store_move.move(url)  # a second copy never merges into the first


def test_the_store_moves_to_postgresql(demo: Container, pg_database: str) -> None:
    events = RateEventRow.__table__
    with demo.records.engine.begin() as conn:  # integer ids that the copy must keep
        conn.execute(events.insert(), [{"bucket": "llm", "key": "ada", "at": _now()}] * 3)
    tables = _copy_and_compare(demo, pg_database)
    assert tables["rate_events"] >= 3
    engine = make_engine(pg_database)
    try:  # the server's sequence continues after the copied ids: a new row is accepted
        with engine.begin() as conn:
            conn.execute(events.insert().values(bucket="llm", key="ravi", at=_now()))
            ids = conn.execute(select(events.c.id)).scalars().all()
        assert len(set(ids)) == len(ids) == tables["rate_events"] + 1
    finally:
        engine.dispose()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def test_bad_targets_are_refused_and_nothing_changes(demo: Container, tmp_path: Path) -> None:
    before = _rows(demo.records.engine)
    with pytest.raises(StoreError, match="postgresql://"):
        demo.store_move.move("mysql://db/playbook")
    with pytest.raises(StoreError, match="the store itself"):
        demo.store_move.move(demo.settings.resolved_database_url)
    with pytest.raises(StoreError, match="cannot open the target"):
        demo.store_move.move("postgresql://nobody@127.0.0.1:1/none")
    assert _rows(demo.records.engine) == before


def test_the_command_copies_and_says_what_comes_next(
    demo: Container, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("playbook.cli.common.container", lambda: demo)
    monkeypatch.setattr("playbook.cli.data.container", lambda: demo)
    url = f"sqlite:///{tmp_path / 'cli.sqlite3'}"
    result = CliRunner().invoke(cli.app, ["migrate-to", url], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Copied" in result.output and "playbook reindex" in result.output
    again = CliRunner().invoke(cli.app, ["migrate-to", url], terminal_width=200)
    assert again.exit_code != 0 and "already holds data" in again.output
