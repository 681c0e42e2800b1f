"""Encryption at rest of what only an author may see: originals, the placeholder vault, the
roster and personal term lists (Fernet from ``cryptography``, several keys for rotation).

Keys, newest first, come from ``PLAYBOOK_ENCRYPTION_KEYS`` (comma-separated Fernet keys) or
from the owner-only file ``data_dir/encryption.keys`` (created with one fresh key on first
use). The first key encrypts; every key decrypts. Rotation (``playbook keys rotate``) puts a
new key first and re-encrypts every stored value; ``playbook keys retire`` re-encrypts what
any process still wrote with an old key and then removes the old keys.

The pseudonym key (``secret_key``) is separate and never rotates: rotating it would change
every placeholder. Losing the encryption keys loses originals, never the redacted store.
"""

from __future__ import annotations

import base64
import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

KEY_FILE = "encryption.keys"


class DecryptionError(ValueError):
    """A value cannot be decrypted with any key we hold."""


def new_key() -> str:
    """A fresh Fernet key (URL-safe base64, 32 bytes)."""
    return Fernet.generate_key().decode()


def legacy_key(secret: bytes) -> str:
    """The key version 0.1 derived from the secret key; kept so its originals stay readable."""
    digest = hashlib.sha256(b"living-playbook/originals/v1:" + secret).digest()
    return base64.urlsafe_b64encode(digest).decode()


class Keyring:
    """Encrypts with the first key, decrypts with any; safe to share between threads."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("a keyring needs at least one key")
        try:
            self._fernets = [Fernet(k.strip().encode()) for k in keys]
        except (ValueError, TypeError) as exc:
            raise ValueError(
                "an encryption key is not a valid Fernet key (32 url-safe base64 bytes); "
                "make one with `playbook keys new`"
            ) from exc
        self.keys = tuple(k.strip() for k in keys)
        self._multi = MultiFernet(self._fernets)

    def encrypt(self, text: str) -> bytes:
        """Encrypt text with the newest key."""
        return self._multi.encrypt(text.encode())

    def decrypt(self, token: bytes) -> str:
        """Decrypt with whichever key made the token; a clear error when none did."""
        try:
            return self._multi.decrypt(token).decode()
        except InvalidToken:
            raise DecryptionError(
                "this value was encrypted with a key this installation no longer has"
            ) from None

    def rotate(self, token: bytes) -> bytes:
        """Re-encrypt a token with the newest key (unchanged content)."""
        try:
            return self._multi.rotate(token)
        except InvalidToken:
            raise DecryptionError("cannot re-encrypt: no key we hold opens this value") from None

    def is_current(self, token: bytes) -> bool:
        """True when the newest key made this token."""
        try:
            self._fernets[0].decrypt(token)
        except InvalidToken:
            return False
        return True


_FILE_LOCK = threading.Lock()


def read_key_file(path: Path) -> list[str]:
    """Keys in a key file, newest first."""
    return [
        line.strip()
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]


def write_key_file(path: Path, keys: Sequence[str]) -> None:
    """Replace the key file atomically, readable by its owner only."""
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("# Living Playbook encryption keys, newest first. Back this file up.\n")
        fh.write("\n".join(keys) + "\n")
    tmp.replace(path)


def load_key_file(path: Path) -> list[str]:
    """Keys from the file, creating it with one fresh key the first time. Creation is atomic
    across threads and processes: the key is written to a private temporary file that is then
    hard-linked into place, so nobody ever reads a half-written or empty key file."""
    with _FILE_LOCK:
        if not path.exists():
            tmp = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write("# Living Playbook encryption keys, newest first. Back this file up.\n")
                fh.write(new_key() + "\n")
            try:
                os.link(tmp, path)
            except FileExistsError:
                pass  # another process created it first: use theirs
            finally:
                tmp.unlink()
        keys = read_key_file(path)
        if not keys:
            raise ValueError(f"{path} holds no keys; restore it from your backup")
        return keys
