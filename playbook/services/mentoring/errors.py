"""The refusals of the mentoring programme: input it cannot take, and state changes a
pairing does not allow. Both are ``ValueError``s whose message says what would work."""

from __future__ import annotations


class MentoringError(ValueError):
    """Input the mentoring programme cannot take; the message says what to change."""


class PairingError(MentoringError):
    """A change this pairing's state does not allow; the message says what would."""
