"""Privacy use cases over a real SQLite store and the real wiring, with the fake redactor."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from pathlib import Path

import pytest

from playbook.crypto import DecryptionError, Keyring, new_key, read_key_file, write_key_file
from playbook.models import Role, Visibility
from playbook.services.documents import ImportOptions
from playbook.services.privacy import NotAllowedError, PrivacyError
from playbook.wiring import Container


@pytest.fixture
def c(fake_container: Container) -> Container:
    r = fake_container.records
    r.add_user("ada", roles=[Role.LEADER])
    r.add_user("ravi", roles=[Role.PARTICIPANT])
    r.add_user("cora", roles=[Role.COORDINATOR])
    r.add_user("sam", roles=[Role.ADMIN])
    r.add_user("olga", roles=[Role.COORDINATOR], programme="other")
    return fake_container


def uid(c: Container, name: str) -> str:
    return c.records.principal(name).user_id


def db_bytes(c: Container) -> bytes:
    """Every byte of the SQLite database (with its WAL), to look for plaintext."""
    path = Path(c.settings.resolved_database_url.removeprefix("sqlite:///"))
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA wal_checkpoint(FULL)")
    conn.close()
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


def import_text(c: Container, tmp: Path, who: str, text: str, visibility: str = "private") -> str:
    source = hashlib.sha1(text.encode()).hexdigest()[:12]
    f = tmp / f"{who}-{source}.jsonl"
    f.write_text(json.dumps({"id": source, "text": text}) + "\n", encoding="utf-8")
    report = c.service.import_paths(
        [f], ImportOptions(as_user=who, visibility=Visibility(visibility))
    )
    assert report.failed == 0
    owner = c.records.principal(who).user_id
    [doc] = [d for d in c.records.documents(owner_id=owner) if d.source_label == source]
    return doc.document_id


def test_preview_returns_spans_in_both_texts(c: Container) -> None:
    text = "Met Tony and priya@example.com today."
    p = c.privacy.preview(uid(c, "ada"), text)
    assert "Tony" not in p.redacted and "priya@example.com" not in p.redacted
    assert [text[s.start : s.end] for s in p.spans] == ["Tony", "priya@example.com"]
    assert all(p.redacted[s.redacted_start : s.redacted_end] == s.placeholder for s in p.spans)


def test_marking_a_missed_name_redacts_it_at_once_and_in_later_imports(
    c: Container, tmp_path: Path
) -> None:
    text = "Coffee with Obi about the Lagos launch."
    ada = uid(c, "ada")
    assert "Obi" in c.privacy.preview(ada, text).redacted
    after = c.privacy.mark_missed(ada, "Obi", text)
    assert "Obi" not in after.redacted and "Lagos" in after.redacted
    doc = import_text(c, tmp_path, "ada", "Obi's plan for Lagos is good.")
    stored = c.records.document(doc)
    assert stored is not None and "Obi" not in stored.title + stored.redacted_text
    # another user's content is not affected by ada's list
    assert "Obi" in c.privacy.preview(uid(c, "ravi"), text).redacted


def test_a_restored_term_is_spared_in_private_content_and_in_shared_only_after_approval(
    c: Container,
) -> None:
    ada = uid(c, "ada")
    text = "Marcus is our codename for the pricing engine."
    assert "Marcus" not in c.privacy.preview(ada, text).redacted
    c.privacy.restore(ada, "Marcus", text)
    assert "Marcus" in c.privacy.preview(ada, text).redacted
    assert "Marcus" not in c.privacy.preview(ada, text, shared=True).redacted
    cora, olga = c.records.principal("cora"), c.records.principal("olga")
    [pending] = c.privacy.pending_terms(cora)
    assert pending.term == "Marcus" and c.privacy.pending_terms(olga) == []
    with pytest.raises(NotAllowedError):
        c.privacy.decide_term(olga, pending.id, approve=True)  # not her programme
    with pytest.raises(NotAllowedError):
        c.privacy.decide_term(c.records.principal("ravi"), pending.id, approve=True)
    c.privacy.decide_term(cora, pending.id, approve=True)
    assert "Marcus" in c.privacy.preview(ada, text, shared=True).redacted
    assert c.privacy.pending_terms(cora) == []


def test_a_declined_term_stays_personal(c: Container) -> None:
    ada, cora = uid(c, "ada"), c.records.principal("cora")
    t = c.privacy.add_term(ada, "allow", "Priya")
    c.privacy.decide_term(cora, t.id, approve=False)
    assert "Priya" in c.privacy.preview(ada, "Ask Priya").redacted
    assert "Priya" not in c.privacy.preview(ada, "Ask Priya", shared=True).redacted
    assert c.privacy.pending_terms(cora) == []


@pytest.mark.parametrize(
    ("term", "message"),
    [("", "empty"), ("   ", "empty"), ("x" * 101, "at most 100"), ("!!!", "letter or digit")],
)
def test_bad_terms_are_refused_and_nothing_is_stored(c: Container, term: str, message: str) -> None:
    with pytest.raises(PrivacyError, match=message):
        c.privacy.add_term(uid(c, "ada"), "deny", term)
    assert c.privacy.terms(uid(c, "ada")) == []


def test_terms_are_stored_encrypted_and_deduplicated(c: Container) -> None:
    ada = uid(c, "ada")
    c.privacy.add_term(ada, "deny", "Zebedee Quant")
    c.privacy.add_term(ada, "deny", "  zebedee   QUANT ")
    assert [t.term for t in c.privacy.terms(ada)] == ["Zebedee Quant"]
    assert b"Zebedee" not in db_bytes(c) and b"zebedee" not in db_bytes(c)
    [t] = c.privacy.terms(ada)
    c.privacy.remove_term(ada, t.id)
    assert c.privacy.terms(ada) == []
    with pytest.raises(PrivacyError):
        c.privacy.remove_term(ada, t.id)


def test_only_admins_replace_the_roster_and_a_bad_file_changes_nothing(c: Container) -> None:
    csv_text = "name,email\nZora Okonkwo,zora@acme.example\n"
    with pytest.raises(NotAllowedError):
        c.privacy.set_roster(c.records.principal("cora"), csv_text)
    assert c.privacy.set_roster(c.records.principal("sam"), csv_text) == 1
    with pytest.raises(ValueError, match="line 2"):
        c.privacy.set_roster(c.records.principal("sam"), "name,email\n,x@y.zz\n")
    assert [p.full_name for p in c.privacy.roster().people] == ["Zora Okonkwo"]
    assert b"Zora" not in db_bytes(c)
    red = c.privacy.preview(uid(c, "ada"), "zora said Okonkwo's plan is fine").redacted
    assert "zora" not in red.casefold() and "okonkwo" not in red.casefold()


def test_only_the_author_sees_the_original_and_reidentified_text(
    c: Container, tmp_path: Path
) -> None:
    text = "Tony pushed back; email tony@acme.example."
    doc = import_text(c, tmp_path, "ada", text, visibility="shared")
    ada = c.records.principal("ada")
    assert c.privacy.original(ada, doc) == text
    info = c.records.document(doc)
    assert info is not None
    stored = info.redacted_text
    assert "Tony" not in stored
    assert c.privacy.reidentify(ada, doc, stored) == text
    views = [(e.actor, e.action, e.subject) for e in c.audit.events(action="original viewed")]
    assert views == [("ada", "original viewed", doc)] * 2  # every view of an original
    for other in ("ravi", "cora", "sam"):
        with pytest.raises(NotAllowedError):
            c.privacy.original(c.records.principal(other), doc)
        with pytest.raises(NotAllowedError):
            c.privacy.reidentify(c.records.principal(other), doc, stored)
    with pytest.raises(PrivacyError, match="no such document"):
        c.privacy.original(ada, "nope")
    assert b"Tony" not in db_bytes(c) and b"tony@acme" not in db_bytes(c)


def test_keys_rotate_and_retire_keep_everything_readable(c: Container, tmp_path: Path) -> None:
    ada = c.records.principal("ada")
    docs = [import_text(c, tmp_path, "ada", f"Note {i} for Tony.") for i in range(5)]
    c.privacy.add_term(ada.user_id, "deny", "Obi")
    c.privacy.set_roster(c.records.principal("sam"), "name,email\nZora Okonkwo,z@a.example\n")
    old_keys = read_key_file(c.settings.key_file)
    write_key_file(c.settings.key_file, [new_key(), *old_keys])
    c.reload_keyring()
    assert c.privacy.stale_values() == 5 + 5 + 1 + 1  # originals, vaults, term, roster
    report = c.privacy.rotate()
    assert report.reencrypted == 12 and report.remaining == 0
    # retire: only the newest key stays; everything still opens
    write_key_file(c.settings.key_file, read_key_file(c.settings.key_file)[:1])
    c.reload_keyring()
    assert [c.privacy.original(ada, d) for d in docs] == [f"Note {i} for Tony." for i in range(5)]
    assert [t.term for t in c.privacy.terms(ada.user_id)] == ["Obi"]
    assert c.privacy.roster().people[0].full_name == "Zora Okonkwo"
    assert Keyring(old_keys).keys != c.keyring.keys


def test_rotation_replaces_a_value_only_while_it_is_the_one_read(c: Container) -> None:
    """The vault replaces an encrypted value only if it still holds the token read, so a
    draft saved during a rotation is never overwritten with an older one."""
    from playbook.store import SqlVault

    ada = c.records.principal("ada")
    c.reflection.save_draft(ada.user_id, "journal", {"text": "first"})
    vault = SqlVault(c.records.engine)
    [draft] = [
        v for batch in vault.sealed_values(batch=2) for v in batch if v.column == "drafts.data"
    ]
    c.reflection.save_draft(ada.user_id, "journal", {"text": "newer"})  # written meanwhile
    assert vault.replace_sealed([(draft, c.keyring.encrypt('{"text": "stale"}'))]) == 0
    assert c.reflection.draft(ada.user_id, "journal") == {"text": "newer"}
    assert vault.count_sealed(lambda token: True) == 1  # the draft is the only sealed value


def test_losing_the_keys_loses_originals_but_not_the_redacted_store(
    c: Container, tmp_path: Path
) -> None:
    doc = import_text(c, tmp_path, "ada", "Tony's plan for pricing.")
    c.settings.key_file.unlink()
    c.reload_keyring()  # a fresh key: the old one is gone
    with pytest.raises(DecryptionError, match="no longer has"):
        c.privacy.original(c.records.principal("ada"), doc)
    ada = c.records.principal("ada")
    hits = c.service.search(ada.username, "pricing")
    assert hits and "Tony" not in hits[0].snippet


def test_concurrent_sessions_write_terms_and_documents_while_keys_rotate(
    c: Container, tmp_path: Path
) -> None:
    ada = c.records.principal("ada")
    c.privacy.preview(ada.user_id, "warm up")  # build shared objects once, as the app does
    c.keyring  # noqa: B018 - the key file exists before anyone rotates it
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for k in range(5):
                c.privacy.add_term(ada.user_id, "deny", f"Name{n}x{k}")
                c.privacy.preview(ada.user_id, f"Name{n}x{k} met Tony")
            import_text(c, tmp_path, "ada", f"Thread {n} wrote about Tony.")
        except BaseException as exc:  # collected and re-raised in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    write_key_file(c.settings.key_file, [new_key(), *read_key_file(c.settings.key_file)])
    c.reload_keyring()
    c.privacy.rotate()
    for t in threads:
        t.join()
    assert not errors, errors
    c.privacy.rotate()  # what `keys retire` does first: catch values written with the old key
    assert c.privacy.stale_values() == 0
    assert len(c.privacy.terms(ada.user_id)) == 30
    docs = c.records.documents(owner_id=ada.user_id)
    assert len(docs) == 6
    assert sorted(c.privacy.original(ada, d.document_id) for d in docs) == sorted(
        f"Thread {n} wrote about Tony." for n in range(6)
    )


def test_re_redaction_applies_a_new_roster_to_stored_documents(
    c: Container, tmp_path: Path
) -> None:
    doc = import_text(c, tmp_path, "ada", "Zora and Tony reviewed the Lagos plan.", "shared")
    before = c.records.document(doc)
    assert before is not None and "Zora" in before.redacted_text
    c.privacy.set_roster(c.records.principal("sam"), "name,email\nZora Okonkwo,z@acme.example\n")
    changed = c.pipeline.reredact(c.keyring.decrypt)
    assert changed == 1
    after = c.records.document(doc)
    assert after is not None and "Zora" not in after.redacted_text
    assert "Lagos" in after.redacted_text and after.document_id == doc
    hits = c.service.search("ravi", "Lagos plan")
    assert hits and all("Zora" not in h.text for h in hits)
    ada = c.records.principal("ada")
    assert (
        c.privacy.reidentify(ada, doc, after.redacted_text)
        == "Zora and Tony reviewed the Lagos plan."
    )
    assert c.pipeline.reredact(c.keyring.decrypt) == 0  # nothing new to change


def test_the_key_file_is_created_once_under_concurrent_first_use(tmp_path: Path) -> None:
    from playbook.crypto import load_key_file

    path = tmp_path / "encryption.keys"
    seen: list[list[str]] = []
    threads = [threading.Thread(target=lambda: seen.append(load_key_file(path))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 8 and all(keys == seen[0] and len(keys) == 1 for keys in seen)
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert not list(tmp_path.glob("*.tmp"))
    path.write_text("# emptied by mistake\n")
    with pytest.raises(ValueError, match="holds no keys"):
        load_key_file(path)
