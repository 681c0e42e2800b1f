"""Curation: coordinators write, review, publish, verify and archive playbook entries.

``service`` holds the use cases (``CurationService``); ``forms`` the checks, redaction,
merge and text forms of entry content. The names below are the package's public surface, as
they were when curation was one module.
"""

from playbook.services.curation.forms import (
    MAX_SECTION,
    MAX_TITLE,
    EntryFormError,
    as_json,
    clean_content,
    merge,
    unique_tags,
)
from playbook.services.curation.service import FEEDBACK, CurationService

__all__ = [
    "FEEDBACK",
    "MAX_SECTION",
    "MAX_TITLE",
    "CurationService",
    "EntryFormError",
    "as_json",
    "clean_content",
    "merge",
    "unique_tags",
]
