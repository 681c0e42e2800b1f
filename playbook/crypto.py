"""Encryption at rest of authors' original text (Fernet, key derived from the secret key)."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken


class OriginalsCipher:
    """Encrypts and decrypts originals; the key is derived, never stored beside the data."""

    def __init__(self, secret: bytes) -> None:
        key = hashlib.sha256(b"living-playbook/originals/v1:" + secret).digest()
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def encrypt(self, text: str) -> bytes:
        """Encrypt text."""
        return self._fernet.encrypt(text.encode())

    def decrypt(self, token: bytes) -> str:
        """Decrypt text; a clear error when the key does not match."""
        try:
            return self._fernet.decrypt(token).decode()
        except InvalidToken:
            raise ValueError("this original was encrypted with another key") from None
