"""What the browser sends while the author types: only the watched boxes of the form as it is
now, cut to a bound; anything else is ignored (the browser walk is tests/e2e/)."""

from __future__ import annotations

from playbook.ui.autosave import MAX_TYPED_CHARS, typed_values

LABELS = {"title": "Title (optional)", "text": "Your reflection"}


def test_the_watched_boxes_by_field() -> None:
    payload = {"generation": 2, "values": {"Your reflection": "half a thought", "Other": "x"}}
    assert typed_values(payload, LABELS, 2) == {"text": "half a thought"}


def test_a_pause_from_before_the_last_save_is_ignored() -> None:
    payload = {"generation": 1, "values": {"Your reflection": "already saved"}}
    assert typed_values(payload, LABELS, 2) is None


def test_what_the_component_never_sends_is_ignored() -> None:
    for payload in (None, "text", {"generation": 0}, {"generation": 0, "values": ["a"]}):
        assert typed_values(payload, LABELS, 0) is None
    assert typed_values({"generation": 0, "values": {"Your reflection": 3}}, LABELS, 0) is None


def test_a_runaway_box_is_cut_to_the_bound() -> None:
    huge = "x" * (MAX_TYPED_CHARS + 10)
    out = typed_values({"generation": 0, "values": {"Your reflection": huge}}, LABELS, 0)
    assert out is not None and len(out["text"]) == MAX_TYPED_CHARS
