"""Owner-only files: the data directory is 700 and everything in it (the store with its -wal
and -shm, the keyword index, the key files, embedded Chroma's database and segment folders)
600 or 700, whatever the umask the process started with; an older installation's readable
files are fixed on the next start."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from playbook import settings as settings_module
from playbook.models import ChunkRecord, Kind, Role, Visibility
from playbook.private_files import tighten
from playbook.settings import Settings
from playbook.wiring import Container


@pytest.fixture(autouse=True)
def usual_umask() -> Iterator[None]:
    """Start from the common 022 umask (files 644 by default); restore the caller's after."""
    old = os.umask(0o022)
    yield
    os.umask(old)


def _modes(root: Path) -> dict[str, str]:
    """Every path under ``root`` (and root itself) with its permission bits, in octal."""
    found = {".": oct(stat.S_IMODE(root.stat().st_mode))}
    for path in root.rglob("*"):
        found[str(path.relative_to(root))] = oct(stat.S_IMODE(path.lstat().st_mode))
    return found


def _too_open(root: Path) -> dict[str, str]:
    return {p: m for p, m in _modes(root).items() if int(m, 8) & 0o077}


def _use_everything(c: Container) -> None:
    """Make the container write every file it has: store, keys, both indexes."""
    c.records.add_user("ada", roles=[Role.LEADER])
    c.keyring.encrypt("something")
    c.settings.key_bytes()
    chunk = ChunkRecord(
        chunk_id="c1",
        document_id="d1",
        ordinal=0,
        text="pricing decision under time pressure",
        owner_id="ada",
        visibility=Visibility.SHARED,
        programme_id="p1",
        kind=Kind.JOURNAL,
        title="t",
        source_id="s",
    )
    c.keywords.upsert([chunk])
    c.vectors.upsert([chunk], [[1.0, 0.0, 0.5]])
    c.vectors.delete_documents(["d1"])
    c.keywords.delete_documents(["d1"])


def test_a_new_installation_is_owner_only(tmp_path: Path) -> None:
    data = tmp_path / "data"
    c = Container(Settings(data_dir=data))
    _use_everything(c)
    names = set(_modes(data))
    # What this test checks is really there: the store's log files, keys, both indexes.
    expected = {"playbook.sqlite3", "playbook.sqlite3-wal", "playbook.sqlite3-shm"}
    expected |= {"keyword.sqlite3", "secret.key", "encryption.keys", "chroma/chroma.sqlite3"}
    assert expected <= names
    assert any(n.startswith("chroma/") and n.count("/") == 2 for n in names), names
    assert _too_open(data) == {}
    assert _modes(data)["."] == "0o700"
    assert _modes(data)["playbook.sqlite3-wal"] == "0o600"


def test_an_older_installation_is_fixed_on_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    _use_everything(Container(Settings(data_dir=data)))
    for path in [data, *data.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)  # as version 0.x left them
    assert _too_open(data)
    os.umask(0o022)  # a new process, with the usual umask, that has not looked yet
    settings_module._tighten_once.cache_clear()
    c = Container(Settings(data_dir=data))
    c.records.principal("ada")
    c.vectors.count()
    c.keywords.count()
    assert _too_open(data) == {}


def test_tighten_keeps_the_owners_bits_and_skips_links(tmp_path: Path) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("x")
    outside.chmod(0o644)
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "ro").write_text("x")
    (folder / "ro").chmod(0o444)
    (folder / "link").symlink_to(outside)
    tighten(folder)
    assert oct(stat.S_IMODE((folder / "ro").stat().st_mode)) == "0o400"
    assert oct(stat.S_IMODE(outside.stat().st_mode)) == "0o644"  # not followed
    assert oct(stat.S_IMODE(folder.stat().st_mode)) == "0o700"
