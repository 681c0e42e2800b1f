from pathlib import Path

import pytest

from ingest.pipeline import content_hash
from playbook.models import Kind, NewDocument, PreparedDocument, Role, Span, Visibility
from playbook.store import SqlRecords, StoreError


def prepared(
    owner: str, programme: str, source: str, text: str, vis=Visibility.PRIVATE
) -> PreparedDocument:
    doc = NewDocument(owner, programme, Kind.JOURNAL, vis, "t", text, source)
    return PreparedDocument(doc, content_hash(doc), text, (Span(text, 0, len(text)),))


def test_users_roles_and_principal(records: SqlRecords) -> None:
    records.add_user("Ada", "Ada L", [Role.LEADER, Role.COORDINATOR], "north")
    with pytest.raises(StoreError, match="already exists"):
        records.add_user("ada")
    with pytest.raises(StoreError, match="not a valid user name"):
        records.add_user("two words")
    p = records.principal("ADA")
    assert p.roles == {Role.LEADER, Role.COORDINATOR}
    assert p.programme_ids == {records.programme_id("north")}
    info = records.set_roles("ada", [Role.ADMIN], "north")
    assert info.roles == {"north": (Role.ADMIN,)}
    with pytest.raises(StoreError, match="playbook users add ghost"):
        records.principal("ghost")


def test_save_is_idempotent_and_tracks_index_state(records: SqlRecords) -> None:
    uid = records.add_user("ada").user_id
    pid = records.programme_id("default")
    [(doc_id, status)] = records.save([prepared(uid, pid, "s1", "hello")])
    assert status == "created"
    assert records.save([prepared(uid, pid, "s1", "hello")]) == [(doc_id, "unchanged")]
    stale, gone = records.stale_documents()
    assert stale == [doc_id] and gone == []
    _, hashes = records.chunk_records([doc_id])
    records.mark_indexed(hashes)
    assert records.stale_documents() == ([], [])
    assert records.save([prepared(uid, pid, "s1", "changed")]) == [(doc_id, "updated")]
    assert records.stale_documents()[0] == [doc_id]
    assert records.content_hashes([(uid, "s1")])[(uid, "s1")] == content_hash(
        NewDocument(uid, pid, Kind.JOURNAL, Visibility.PRIVATE, "t", "changed", "s1")
    )


def test_delete_leaves_a_tombstone_until_purged_and_reimport_revives_it(
    records: SqlRecords,
) -> None:
    uid = records.add_user("ada").user_id
    pid = records.programme_id("default")
    [(doc_id, _)] = records.save([prepared(uid, pid, "s1", "hello")])
    records.delete(doc_id)
    assert records.document(doc_id) is None
    assert records.stale_documents() == ([], [doc_id])
    with pytest.raises(StoreError):
        records.delete(doc_id)
    assert records.save([prepared(uid, pid, "s1", "hello")]) == [(doc_id, "created")]
    records.delete(doc_id)
    records.purge([doc_id])
    assert records.stale_documents() == ([], [])


def test_readable_documents_apply_the_permission_rule_in_sql(records: SqlRecords) -> None:
    ada = records.add_user("ada", programme="north").user_id
    records.add_user("ravi", programme="north")
    records.add_user("olga", programme="south")
    north = records.programme_id("north")
    records.save(
        [
            prepared(ada, north, "private", "p"),
            prepared(ada, north, "shared", "s", Visibility.SHARED),
            prepared(ada, north, "published", "x", Visibility.PUBLISHED),
        ]
    )
    seen = {
        u: {d.source_id for d in records.readable_documents(records.principal(u))}
        for u in ("ada", "ravi", "olga")
    }
    assert seen == {
        "ada": {"private", "shared", "published"},
        "ravi": {"shared", "published"},
        "olga": set(),
    }


def test_a_save_racing_another_process_is_written_again_not_refused(
    records: SqlRecords, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another process inserts the same document between this save's lookup and its
    commit: the unique constraint refuses the insert, and the save goes again over it."""
    from sqlalchemy.exc import IntegrityError

    uid = records.add_user("ada").user_id
    pid = records.programme_id("default")
    real = records._save
    raced: list[bool] = []

    def racing(batch, force):  # type: ignore[no-untyped-def]
        if not raced:
            raced.append(True)
            real(batch, force)  # the other process wins the race
            raise IntegrityError("INSERT INTO documents", {}, Exception("UNIQUE constraint"))
        return real(batch, force)

    monkeypatch.setattr(records, "_save", racing)
    [(doc_id, status)] = records.save([prepared(uid, pid, "s1", "hello")])
    assert raced and status == "unchanged"
    assert [d.document_id for d in records.documents()] == [doc_id]


def test_head_revision_is_read_from_the_migration_files(tmp_path: Path) -> None:
    """The quick check that skips Alembic for a store at the newest revision must know the
    newest one: any migration file, whatever its name, and anything but a plain chain makes
    it defer to Alembic."""
    from playbook.store.engine import MIGRATIONS_DIR, head_revision

    files = sorted(p.name for p in (MIGRATIONS_DIR / "versions").glob("0*.py"))
    assert head_revision() == files[-1].split("_")[0]
    chain = tmp_path / "versions"
    chain.mkdir()
    (chain / "a.py").write_text("revision = 'a'\ndown_revision = None\n")
    (chain / "beta_later.py").write_text("revision: str = 'b'\ndown_revision: str | None = 'a'\n")
    assert head_revision(chain) == "b"
    (chain / "c.py").write_text("revision = 'c'\ndown_revision = ('a', 'b')\n")  # a merge
    assert head_revision(chain) is None
    (chain / "c.py").write_text("revision = 'c'\ndown_revision = 'a'\n")  # two heads
    assert head_revision(chain) is None


def test_a_store_at_the_newest_revision_opens_without_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    url = f"sqlite:///{tmp_path / 'p.db'}"
    code = (
        "import sys; from playbook.store import make_engine, migrate;"
        f"migrate(make_engine({url!r})); print('alembic' in sys.modules)"
    )
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    again = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert first.stdout.strip() == "True" and again.stdout.strip() == "False", (first, again)
