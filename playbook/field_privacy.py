"""Which fields of the models people and files fill in are free text (redacted before they
are stored), identities (kept only as keyed hashes) or structured values; a test checks that
every field of those models is listed and that every redacted one really is redacted."""

from __future__ import annotations

from enum import StrEnum

from playbook.models import DebriefFields, EntryContent, NewDocument


class FieldPrivacy(StrEnum):
    """What the redaction boundary does with a field a person or a file can set."""

    REDACTED = "redacted"  # free text: through the redaction engine before it is stored
    IDENTITY = "identity"  # kept only as a keyed hash (with a redacted label beside it)
    STRUCTURED = "structured"  # ids the system set, enums, dates, numbers: no free text


_R, _I, _S = FieldPrivacy.REDACTED, FieldPrivacy.IDENTITY, FieldPrivacy.STRUCTURED

# Every field of the models people and files fill in. A test checks that each model's fields
# are all listed here and that every REDACTED one really is redacted on its way to the store,
# so a field added later cannot bypass redaction unnoticed.
FIELD_PRIVACY: dict[type, dict[str, FieldPrivacy]] = {
    NewDocument: {
        "owner_id": _S,
        "programme_id": _S,
        "kind": _S,
        "visibility": _S,
        "title": _R,
        "text": _R,
        "source_id": _I,
        "tags": _R,
        "created_at": _S,
        "debrief": _S,  # its own fields are listed under DebriefFields
        "prompt_set": _S,
        "source_label": _R,
        "aliases": _I,
    },
    DebriefFields: {
        "function": _R,
        "market": _R,
        "start_date": _S,
        "end_date": _S,
        "anchor_project": _R,
        "strategic_goal": _R,
    },
    EntryContent: {
        "title": _R,
        "sections": _R,
        "function": _R,
        "market": _R,
        "competency": _R,
        "tags": _R,
        "verifier_id": _S,
        "review_interval_days": _S,
    },
}
