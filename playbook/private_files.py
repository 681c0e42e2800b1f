"""Owner-only files: everything the product keeps on disk (the store and its -wal/-shm, the
keyword index, the key files, Chroma's database and segment folders) is readable by the
account that runs it and nobody else.

New files get it from the process's umask (SQLite gives -wal and -shm the database file's
mode; Chroma creates its files itself, so only the umask reaches them); files made before
this rule are fixed by ``tighten`` on start.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

FILE_MODE = 0o600
DIR_MODE = 0o700
OWNER_ONLY_UMASK = 0o077


def restrict_umask() -> None:
    """From now on this process creates files 600 and folders 700 (at most)."""
    current = os.umask(OWNER_ONLY_UMASK)
    os.umask(current | OWNER_ONLY_UMASK)


def tighten(path: Path) -> None:
    """Take group and other access off ``path``, and everything under it if it is a folder
    (folders 700, files 600 at most; an owner's own bits are kept). Symbolic links are not
    followed, and paths that vanish meanwhile are skipped."""
    if not path.exists():
        return
    _tighten_one(path)
    if path.is_dir() and not path.is_symlink():
        for root, dirs, files in os.walk(path):
            for name in [*dirs, *files]:
                _tighten_one(Path(root) / name)


def _tighten_one(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        st = path.lstat()
        if stat.S_ISLNK(st.st_mode):
            return
        limit = DIR_MODE if stat.S_ISDIR(st.st_mode) else FILE_MODE
        mode = stat.S_IMODE(st.st_mode)
        if mode & ~limit:
            path.chmod(mode & limit)
