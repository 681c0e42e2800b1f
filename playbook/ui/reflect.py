"""Reflect: guided journals, rotation debriefs and session notes, with a redaction preview,
autosaved drafts, follow-up questions and the author's own history.

Drafts are saved (encrypted, on the server) whenever a field changes, so a reload, a lost
connection or a session timeout loses nothing that reached the server; text typed into a box
that still has the focus reaches it when the box loses the focus.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import altair as alt
import pandas as pd
import streamlit as st

from playbook.models import Principal
from playbook.permissions import Action, programmes
from playbook.pseudonyms import TOKEN_PATTERN
from playbook.services.privacy import PrivacyError
from playbook.services.reflection import MENTORING_TOPICS, FormError, HistoryItem, ReflectionError
from playbook.services.reflection.forms import MAX_ROTATION_SPAN
from playbook.ui import autosave, common, reflect_entries
from playbook.ui.common import current_user, plain

FREE = "Write freely"
# The labels of the boxes autosaved while typing (the page shows the same words).
JOURNAL_LABELS = {"title": "Title (optional)", "text": "Your reflection"}
NOTE_LABELS = {
    "session_note": {
        "mentor": "Mentor",
        "learned": "What I learned",
        "change": "What I will change",
    },
    "council_note": {
        "charter_topic": "Charter topic",
        "assumptions": "Assumptions challenged",
        "options": "Options raised",
        "decided": "What we decided and who owns it",
    },
}
DATES = ("start_date", "end_date")
DEBRIEF_FIELDS = (
    "function",
    "market",
    "start_date",
    "end_date",
    "anchor_project",
    "surprised",
    "decisions",
    "lessons",
    "strategic_goal",
    "advice",
)


def highlighted(redacted: str) -> str:
    """Redacted text as safe Markdown with each placeholder highlighted."""
    out, cursor = [], 0
    for m in TOKEN_PATTERN.finditer(redacted):
        out.append(plain(redacted[cursor : m.start()], lines=True))
        out.append(f":orange-background[{plain(m.group(0)[1:-1])}]")
        cursor = m.end()
    out.append(plain(redacted[cursor:], lines=True))
    return "".join(out)


def _restore(principal: Principal, form: str, keys: tuple[str, ...]) -> None:
    """Fill the form's widgets from its saved draft once per session."""
    flag = f"_restored_{form}"
    if st.session_state.get(flag):
        return
    st.session_state[flag] = True
    draft = common.get_container().reflection.draft(principal.user_id, form) or {}
    for key in keys:
        if key in draft and draft[key] not in (None, ""):
            value = draft[key]
            if key.endswith("_date") and isinstance(value, str):
                value = dt.date.fromisoformat(value)
            st.session_state[f"{form}:{key}"] = value
    if draft:
        st.session_state[f"{form}:restored"] = True


def _autosave(principal: Principal, form: str, keys: tuple[str, ...]) -> None:
    autosave.save(principal, form, keys)


# -- journal ------------------------------------------------------------------------------


def journal(principal: Principal) -> None:
    c = common.get_container()
    lib = c.library
    keys = ("set", "prompt", "title", "text")
    _restore(principal, "journal", keys)
    sets = [s for s in lib.sets.values() if s.kind != "debrief"]
    options = [FREE, *[s.id for s in sets]]
    titles = {s.id: s.title for s in sets}

    def save() -> None:
        _autosave(principal, "journal", keys)

    set_id = st.selectbox(
        "Prompt set",
        options,
        format_func=lambda x: titles.get(x, x),
        key="journal:set",
        on_change=save,
    )
    prompt = None
    if set_id != FREE:
        ps = lib.sets[set_id]
        st.caption(plain(ps.description))
        ids = [p.id for p in ps.prompts]
        if st.session_state.get("journal:prompt") not in ids:
            st.session_state["journal:prompt"] = ids[0]
        texts = {p.id: p.text for p in ps.prompts}
        prompt_id: str = st.radio(
            "Prompt",
            ids,
            format_func=lambda i: plain(texts[i]),  # radio options are Markdown
            key="journal:prompt",
            on_change=save,
        )
        prompt = lib.prompt(set_id, prompt_id)
        if prompt is not None:
            st.info(f"**Why this matters:** {plain(prompt.why)}")
    st.text_input("Title (optional)", key="journal:title", on_change=save)
    st.text_area(
        "Your reflection",
        key="journal:text",
        height=260,
        on_change=save,
        placeholder="Private to you. Names are replaced before anything is stored or shared.",
    )
    autosave.watch(principal, "journal", keys, JOURNAL_LABELS)
    text = st.session_state.get("journal:text") or ""
    cols = st.columns(2)
    if cols[0].button("Preview redaction", key="journal:preview", icon=":material/visibility:"):
        st.session_state["journal:show_preview"] = True
    if st.session_state.get("journal:show_preview") and text.strip():
        _preview(principal, text)

    def save_entry() -> None:
        # A callback runs before the widgets are drawn, so it may clear them after saving.
        try:
            doc = c.reflection.save_journal(
                principal,
                st.session_state.get("journal:text") or "",
                title=st.session_state.get("journal:title") or "",
                prompt_set=None if set_id == FREE else set_id,
                prompt_id=prompt.id if prompt else None,
                programme_id=st.session_state.get("reflect:programme"),
            )
        except (ReflectionError, ValueError) as exc:
            st.session_state["journal:error"] = str(exc)
            return
        st.session_state["journal:text"] = ""
        st.session_state["journal:title"] = ""
        autosave.saved("journal")
        for k in ("journal:show_preview", "journal:restored", "journal:saved_at", "journal:error"):
            st.session_state.pop(k, None)
        st.session_state["last_entry"] = doc

    cols[1].button(
        "Save entry",
        type="primary",
        key="journal:save",
        icon=":material/save:",
        on_click=save_entry,
    )
    if st.session_state.get("journal:error"):
        error = plain(st.session_state.pop("journal:error"))
        st.error(f"Not saved: {error}. Your draft is kept.")
    if st.session_state.get("last_entry"):
        _followups(principal, st.session_state["last_entry"])


def _preview(principal: Principal, text: str) -> None:
    c = common.get_container()
    try:
        preview = c.privacy.preview(principal.user_id, text)
    except PrivacyError as exc:
        st.error(plain(str(exc)))
        return
    with st.container(border=True):
        st.markdown("**What will be stored and shared**")
        st.markdown(highlighted(preview.redacted))
        st.caption(
            f"{len(preview.spans)} replaced. Only you can ever see the original; placeholders "
            "stay the same for the same person."
        )
        cols = st.columns(2)
        with cols[0].form("mark_missed", clear_on_submit=True, border=False):
            missed = st.text_input("A name we missed", placeholder="e.g. Obi")
            if st.form_submit_button("Always redact it"):
                try:
                    c.privacy.add_term(principal.user_id, "deny", missed)
                except PrivacyError as exc:
                    st.error(plain(str(exc)))
                else:
                    st.rerun()
        replaced = sorted({text[s.start : s.end] for s in preview.spans})
        if replaced:
            with cols[1].form("restore_term", border=False):
                term = st.selectbox("Not personal data", replaced)
                if st.form_submit_button("Keep this word"):
                    c.privacy.add_term(principal.user_id, "allow", term)
                    st.toast(
                        "Kept in your private writing. Shared writing keeps it redacted until a "
                        "coordinator approves."
                    )
                    st.rerun()


def _followups(principal: Principal, document_id: str) -> None:
    reflect_entries.followups(principal, document_id)


# -- debrief ------------------------------------------------------------------------------


def debrief(principal: Principal) -> None:
    c = common.get_container()
    _restore(principal, "debrief", DEBRIEF_FIELDS)
    errors: dict[str, str] = st.session_state.get("debrief:errors", {})

    def save(*fields: str) -> None:
        # A field the person changed no longer shows the error it had (the dates together).
        for name in fields:
            errors.pop(name, None)
        _autosave(principal, "debrief", DEBRIEF_FIELDS)

    def field_error(name: str) -> None:
        if name in errors:
            st.error(plain(errors[name].capitalize()) + ".", icon=":material/error:")

    cols = st.columns(2)
    with cols[0]:
        st.text_input("Function", key="debrief:function", on_change=save, args=("function",))
        field_error("function")
    with cols[1]:
        st.text_input("Market", key="debrief:market", on_change=save, args=("market",))
    cols = st.columns(2)
    with cols[0]:
        st.date_input("First day", value=None, key="debrief:start_date", on_change=save, args=DATES)
        field_error("start_date")
    with cols[1]:
        st.date_input("Last day", value=None, key="debrief:end_date", on_change=save, args=DATES)
        field_error("end_date")
    start, end = (
        st.session_state.get("debrief:start_date"),
        st.session_state.get("debrief:end_date"),
    )
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end >= start:
        days = (end - start).days + 1
        if (end - start).days > MAX_ROTATION_SPAN:
            # Said here, where the dates are, in the words the refusal uses.
            st.warning(
                f"{common.count(days, 'day')}: rotations last weeks, not months, so this "
                "cannot be saved; check the dates.",
                icon=":material/event_busy:",
            )
        elif not 14 <= days <= 28:
            st.caption(f"{common.count(days, 'day')}: rotations usually last two to four weeks.")
    labels = {
        "anchor_project": "Anchor project (a cross-functional launch, a cost-to-serve analysis…)",
        "surprised": "What surprised me",
        "decisions": "Decisions and trade-offs I saw",
        "lessons": "Lessons",
        "strategic_goal": "The strategic goal it links to",
        "advice": "Advice for the next person",
    }
    for key, label in labels.items():
        if key in {"anchor_project", "strategic_goal"}:
            st.text_input(label, key=f"debrief:{key}", on_change=save, args=(key,))
        else:
            st.text_area(label, key=f"debrief:{key}", height=110, on_change=save, args=(key,))
        field_error(key)
    typed = {"function": "Function", "market": "Market", **labels}
    autosave.watch(principal, "debrief", DEBRIEF_FIELDS, typed)

    def save_debrief() -> None:
        form = {k: st.session_state.get(f"debrief:{k}") for k in DEBRIEF_FIELDS}
        form["programme_id"] = st.session_state.get("reflect:programme")
        try:
            doc = c.reflection.save_debrief(principal, form)
        except FormError as exc:
            st.session_state["debrief:errors"] = exc.errors
            return
        except (ReflectionError, ValueError) as exc:
            st.session_state["debrief:errors"] = {"function": f"not saved: {exc}"}
            return
        for k in DEBRIEF_FIELDS:
            st.session_state[f"debrief:{k}"] = None if k.endswith("_date") else ""
        autosave.saved("debrief")
        for k in ("debrief:errors", "debrief:restored", "debrief:saved_at"):
            st.session_state.pop(k, None)
        st.session_state["last_debrief"] = doc

    if errors:  # beside the button too: the fields may be far above it
        st.error(
            f"Not saved: {common.count(len(errors), 'field')} above "
            f"{'needs' if len(errors) == 1 else 'need'} a change.",
            icon=":material/error:",
        )
    st.button(
        "Save debrief",
        type="primary",
        key="debrief:save",
        icon=":material/save:",
        on_click=save_debrief,
    )
    if st.session_state.get("last_debrief"):
        st.success("Debrief saved, private to you. Share it from My reflections.")


# -- session notes --------------------------------------------------------------------------


def notes(principal: Principal) -> None:
    c = common.get_container()
    kind = st.radio(
        "Session", ["Reverse mentoring", "Advisor council"], horizontal=True, key="notes:kind"
    )
    if kind == "Reverse mentoring":
        keys = ("mentor", "topic", "learned", "change")
        form_name = "session_note"
    else:
        keys = ("charter_topic", "assumptions", "options", "decided")
        form_name = "council_note"
    _restore(principal, form_name, keys)
    errors: dict[str, str] = st.session_state.get(f"{form_name}:errors", {})

    def save() -> None:
        _autosave(principal, form_name, keys)

    def show(name: str) -> None:
        if name in errors:
            st.error(plain(errors[name].capitalize()) + ".", icon=":material/error:")

    if form_name == "session_note":
        st.text_input("Mentor", key="session_note:mentor", on_change=save)
        st.selectbox("Topic", MENTORING_TOPICS, key="session_note:topic", on_change=save)
        show("topic")
        st.text_area("What I learned", key="session_note:learned", on_change=save)
        show("learned")
        st.text_area("What I will change", key="session_note:change", on_change=save)
        show("change")
    else:
        st.text_input("Charter topic", key="council_note:charter_topic", on_change=save)
        show("charter_topic")
        st.text_area("Assumptions challenged", key="council_note:assumptions", on_change=save)
        st.text_area("Options raised", key="council_note:options", on_change=save)
        st.text_area("What we decided and who owns it", key="council_note:decided", on_change=save)
        show("decided")
    autosave.watch(principal, form_name, keys, NOTE_LABELS[form_name])

    def save_note() -> None:
        form = {k: st.session_state.get(f"{form_name}:{k}") for k in keys}
        form["programme_id"] = st.session_state.get("reflect:programme")
        save_fn = (
            c.reflection.save_session_note
            if form_name == "session_note"
            else c.reflection.save_council_note
        )
        try:
            save_fn(principal, form)
        except FormError as exc:
            st.session_state[f"{form_name}:errors"] = exc.errors
            return
        except (ReflectionError, ValueError) as exc:
            st.session_state[f"{form_name}:errors"] = {keys[-1]: f"not saved: {exc}"}
            return
        for k in keys:
            st.session_state[f"{form_name}:{k}"] = MENTORING_TOPICS[0] if k == "topic" else ""
        autosave.saved(form_name)
        for k in (f"{form_name}:errors", f"{form_name}:restored", f"{form_name}:saved_at"):
            st.session_state.pop(k, None)
        st.session_state["notes:saved"] = True

    st.button(
        "Save note",
        type="primary",
        key=f"{form_name}:save",
        icon=":material/save:",
        on_click=save_note,
    )
    if st.session_state.pop("notes:saved", False):
        st.success("Note saved, private to you. Share it from My reflections.")


# -- history --------------------------------------------------------------------------------


def history(principal: Principal) -> None:
    c = common.get_container()
    query = st.text_input("Search my reflections", key="history:query")
    items = c.reflection.history(principal, query=query)
    opened = st.query_params.get("open")  # a link from Home or a notification
    if not items:
        st.info("Nothing here yet." if not query else "Nothing matched.")
        return
    frame = pd.DataFrame(
        {
            "date": [i.created_at for i in items],
            "kind": [i.kind.value.replace("_", " ") for i in items],
            "doc": [i.document_id for i in items],
        }
    )
    # Clicking a tick opens that item below (no tooltip: it covered the search box).
    pick = alt.selection_point(fields=["doc"], name="pick")
    chart = (
        alt.Chart(frame)
        .mark_tick(thickness=3, size=24, cursor="pointer")
        .encode(x=alt.X("date:T", title=None), y=alt.Y("kind:N", title=None), color="kind:N")
        .add_params(pick)
        .properties(height=140)
    )
    event = st.altair_chart(chart, width="stretch", on_select="rerun", key="history:timeline")
    opened = picked_document(event.selection) or opened
    for item in items:
        status = reflect_entries.status_of(item)
        label = f"{plain(item.title)} · {_when(item)} · {plain(status)}"
        with st.expander(label, expanded=item.document_id == opened):
            reflect_entries.item(principal, item)


def picked_document(selection: Any) -> str | None:
    """The document id of the timeline tick a click selected, from Streamlit's selection
    state (``{"pick": [{"doc": id}]}``), or None."""
    points = selection.get("pick") if hasattr(selection, "get") else None
    for point in points or []:
        if isinstance(point, dict) and isinstance(point.get("doc"), str):
            return str(point["doc"])
    return None


def _when(item: HistoryItem) -> str:
    """A debrief by its rotation's days, anything else by the day it was written."""
    if item.rotation is not None:
        first, last = item.rotation
        return f"rotation {first:%d %b} – {last:%d %b %Y}"
    return f"{item.created_at:%d %b %Y}"


def page() -> None:
    """Render the Reflect page."""
    principal = current_user()
    if principal is None:
        st.stop()
    st.title("Reflect")
    if not common.permitted(principal, Action.WRITE):
        return
    lib = common.get_container().library
    for error in lib.errors:
        st.warning(f"A prompt file could not be loaded and is left out: {plain(error)}")
    mine = programmes(principal, Action.WRITE)
    if len(mine) > 1:
        c = common.get_container()
        names = c.administration.programme_names(mine)
        st.selectbox(
            "Programme for what you save here",
            sorted(names, key=names.__getitem__),
            format_func=names.__getitem__,
            key="reflect:programme",
        )
    tab_names = ["Journal", "Rotation debrief", "Session notes", "My reflections"]
    # A link to one of the person's items opens on their reflections.
    tabs = st.tabs(tab_names, default=tab_names[3] if st.query_params.get("open") else None)
    with tabs[0]:
        journal(principal)
    with tabs[1]:
        debrief(principal)
    with tabs[2]:
        notes(principal)
    with tabs[3]:
        history(principal)
