"""Drafts that autosave: a form's content, sealed with the installation's keys because drafts
are not redacted yet, and only ever shown to their author."""

from __future__ import annotations

import json
from typing import Any

from playbook.ports import Drafts, Keys
from playbook.services.reflection.base import FORMS, ReflectionError


class DraftBook:
    """Save, read and discard a user's form drafts."""

    def __init__(self, drafts: Drafts, keys: Keys) -> None:
        self._drafts = drafts
        self._keys = keys

    def save_draft(self, user_id: str, form: str, data: dict[str, Any]) -> None:
        """Autosave a form's content (encrypted: drafts are not redacted yet)."""
        if form not in FORMS:
            raise ReflectionError(f"unknown form {form!r}")
        self._drafts.save(user_id, form, self._keys.encrypt(json.dumps(data, default=str)))

    def draft(self, user_id: str, form: str) -> dict[str, Any] | None:
        """The autosaved content of a form, if any."""
        sealed = self._drafts.get(user_id, form)
        if sealed is None:
            return None
        data: dict[str, Any] = json.loads(self._keys.decrypt(sealed))
        return data

    def discard_draft(self, user_id: str, form: str) -> None:
        """Forget a form's draft (after saving, or when the author starts over)."""
        self._drafts.discard(user_id, form)
