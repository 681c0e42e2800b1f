"""The mentoring programme (issue 20): profiles, explained matching with a balance check,
pairings, commitments and cadence. ``MentoringService`` is the facade front ends call; the
pure pieces (``matching``, ``pairings``, ``cadence``, ``profile_csv``) have no I/O."""

from playbook.services.mentoring.errors import MentoringError, PairingError
from playbook.services.mentoring.profiles import ImportReport, ProfileView
from playbook.services.mentoring.service import MentoringService, PairingView, SuggestionReport

__all__ = [
    "ImportReport",
    "MentoringError",
    "MentoringService",
    "PairingError",
    "PairingView",
    "ProfileView",
    "SuggestionReport",
]
