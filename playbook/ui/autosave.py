"""Autosave while typing: a form's draft reaches the server a moment after the author stops
typing, while the box still has the focus.

Streamlit sends a text box's value only when the box loses the focus (or on Ctrl+Enter), so
text typed since then was lost by a reload. A small ``st.components.v2`` component (built
into Streamlit: no new dependency) listens in the page for ``input`` events on the form's
own boxes, found by their labels, and, once the author has paused for ``DELAY_MS``, sends
those boxes' current text as a trigger value. It runs inside an ``st.fragment``, so the
rerun it causes redraws only the "Draft saved" note, never the box being typed in.

What "while typing" means here: about one and a half seconds after the last keystroke (a
debounce), and on leaving the box as before. A reload within that pause loses the text typed
in it. The text goes only to the author's own draft, sealed like every draft.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import streamlit as st

from playbook.models import Principal
from playbook.services.reflection import MAX_ENTRY_CHARS
from playbook.ui import common

DELAY_MS = 1500
# A box holds at most this much from the browser: a longer entry is refused on saving anyway
# (its draft is kept), and this keeps a runaway page from filling the store.
MAX_TYPED_CHARS = 2 * MAX_ENTRY_CHARS

# Trusted code (no user text in it). ``generation`` is the form's save counter when the
# author last typed: a pause that ends after the entry was saved carries the old number,
# and the server drops it rather than bring back a draft of what was just saved. The
# cleanup removes the listeners when Streamlit mounts the component again.
_JS = """
export default function (component) {
  const { data, setTriggerValue } = component;
  if (!data || !data.labels) return;
  const labels = new Set(data.labels);
  let timer = null;
  let generation = data.generation;
  // The newest data Streamlit gave the component (it may update it in place on a rerun).
  const current = () => (component.data && component.data.generation !== undefined
    ? component.data : data);
  const watched = (el) => !!el && !!el.getAttribute && labels.has(el.getAttribute("aria-label"));
  const send = () => {
    timer = null;
    const values = {};
    for (const el of document.querySelectorAll("textarea, input")) {
      if (watched(el)) values[el.getAttribute("aria-label")] = el.value;
    }
    setTriggerValue("typed", { generation: generation, values: values });
  };
  const onInput = (event) => {
    if (!watched(event.target)) return;
    generation = current().generation;
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(send, data.delay);
  };
  document.addEventListener("input", onInput, true);
  return () => {
    document.removeEventListener("input", onInput, true);
    if (timer !== null) clearTimeout(timer);
  };
}
"""
_listener = st.components.v2.component("playbook_autosave", js=_JS)


def save(
    principal: Principal,
    form: str,
    keys: tuple[str, ...],
    typed: Mapping[str, str] | None = None,
) -> None:
    """Save the form's draft from its widgets' values, with ``typed`` (by field) in place of
    the values of boxes the browser has not sent yet.

    Args:
        principal: the author.
        form: the form's name (``journal``, ``debrief``...).
        keys: the form's fields; widget ``key``s are ``"{form}:{field}"``.
        typed: text the browser sent while the author was typing, by field.
    """
    data: dict[str, Any] = {k: st.session_state.get(f"{form}:{k}") for k in keys}
    data.update(typed or {})
    common.get_container().reflection.save_draft(principal.user_id, form, data)
    st.session_state[f"{form}:saved_at"] = dt.datetime.now().strftime("%H:%M:%S")


def typed_values(
    payload: object, labels: Mapping[str, str], generation: int
) -> dict[str, str] | None:
    """The fields' texts in what the browser sent, or None when it is not for this form as
    it is now (another save since, or not the shape the component sends).

    Args:
        payload: the component's trigger value.
        labels: the watched boxes' labels, by field.
        generation: the form's save counter now.

    Returns:
        The text of each watched field the payload holds (longer ones cut to
        ``MAX_TYPED_CHARS``), or None to ignore the payload.
    """
    if not isinstance(payload, dict) or payload.get("generation") != generation:
        return None
    values = payload.get("values")
    if not isinstance(values, dict):
        return None
    out: dict[str, str] = {}
    for field, label in labels.items():
        value = values.get(label)
        if isinstance(value, str):
            out[field] = value[:MAX_TYPED_CHARS]
    return out or None


def generation(form: str) -> int:
    """The form's save counter (it goes up each time the form's entry is saved)."""
    return int(st.session_state.get(f"{form}:generation", 0))


def saved(form: str) -> None:
    """Count a save of the form, so a pause in typing from before it is ignored."""
    st.session_state[f"{form}:generation"] = generation(form) + 1


@st.fragment
def watch(
    principal: Principal, form: str, keys: tuple[str, ...], labels: Mapping[str, str]
) -> None:
    """Save the form's draft while the author types in the boxes labelled ``labels`` (by
    field), and show when the draft was last saved.

    Args:
        principal: the author.
        form: the form's name.
        keys: every field of the form (the draft holds them all).
        labels: the boxes to watch, field -> the label the page shows.
    """
    result = _listener(
        key=f"{form}:autosave",
        data={
            "labels": list(labels.values()),
            "delay": DELAY_MS,
            "generation": generation(form),
        },
        on_typed_change=lambda: None,
    )
    typed = typed_values(getattr(result, "typed", None), labels, generation(form))
    if typed is not None:
        save(principal, form, keys, typed)
    if st.session_state.get(f"{form}:restored"):
        st.caption("Restored your unsaved draft.")
    at = st.session_state.get(f"{form}:saved_at")
    if at:
        st.caption(f"Draft saved at {at}.")
