"""My reflections, one item at a time, and the follow-ups after a save.

Each item shows the author's own words beside the redacted text others would read once it
is shared, and sharing asks first with both in view. The author can edit an item (the new
text is redacted again; the earlier version is kept and listed) or delete it for good.
Follow-up questions stay on the page once answered, each with its answer.

Every piece of user text goes through ``st.text`` or ``plain``: never Markdown.
"""

from __future__ import annotations

import streamlit as st

from playbook.models import Principal, Visibility
from playbook.permissions import NotAllowedError
from playbook.services.privacy import PrivacyError
from playbook.services.reflection import HistoryItem, ReflectionError
from playbook.ui import common
from playbook.ui.common import plain
from playbook.ui.index_status import index_status

STATUS = {
    None: "private",
    "pending": "awaiting a coordinator",
    "approved": "shared with your programme",
    "declined": "sharing declined: private",
}


def status_of(item: HistoryItem) -> str:
    """Where the item stands, in words."""
    if item.visibility != Visibility.PRIVATE:
        return "shared with your programme"
    return STATUS.get(item.share_status, item.share_status or "private")


def _shared_view(principal: Principal, item: HistoryItem) -> str:
    """What others would read: the stored text once shared; for a private item, its text
    redacted under the rules for shared writing (personal allow terms not yet approved
    stay redacted), as a share would store it."""
    if item.visibility != Visibility.PRIVATE:
        return item.redacted
    try:
        return (
            common.get_container().privacy.preview(principal.user_id, item.original, True).redacted
        )
    except PrivacyError:  # longer than the preview takes: the stored text is the closest
        return item.redacted


def _side_by_side(principal: Principal, item: HistoryItem) -> None:
    cols = st.columns(2)
    with cols[0]:
        st.caption("As you wrote it (only you see this)")
        st.text(item.original)
    with cols[1]:
        st.caption("What others would read")
        st.text(_shared_view(principal, item))


def item(principal: Principal, entry: HistoryItem) -> None:
    """One of the author's items inside its expander: text, sharing, editing, deleting."""
    c = common.get_container()
    doc = entry.document_id
    mode = st.session_state.get(f"entry:mode:{doc}")
    if entry.visibility != Visibility.PRIVATE or mode == "share":
        _side_by_side(principal, entry)
    else:
        st.text(entry.original)
    if mode == "edit":
        _edit(principal, entry)
        return
    if mode == "delete":
        _confirm_delete(principal, entry)
        return
    cols = st.columns(4)
    if mode == "share":
        st.caption("Coordinators approve before your programme can read the redacted text.")
        if cols[0].button("Share this redacted text", key=f"share-ok:{doc}", type="primary"):
            _set_mode(doc, None)
            c.reflection.request_share(principal, doc)
            st.toast("Sent to your coordinators. Your programme sees it once approved.")
            st.rerun()
        if cols[1].button("Cancel", key=f"share-no:{doc}"):
            _set_mode(doc, None)
            st.rerun()
        return
    if entry.visibility == Visibility.PRIVATE and entry.share_status != "pending":
        if cols[0].button("Share with my programme…", key=f"share:{doc}"):
            _set_mode(doc, "share")
            st.rerun()
    elif cols[0].button("Withdraw", key=f"withdraw:{doc}"):
        c.reflection.withdraw(principal, doc)
        st.toast("Withdrawn: nobody else can find it now.")
        st.rerun()
    if cols[1].button("Edit", key=f"edit:{doc}", icon=":material/edit:"):
        _set_mode(doc, "edit")
        st.rerun()
    if cols[2].button("Delete…", key=f"delete:{doc}", icon=":material/delete:"):
        _set_mode(doc, "delete")
        st.rerun()
    if st.toggle("Earlier versions", key=f"versions:{doc}"):
        _versions(principal, doc)


def _set_mode(doc: str, mode: str | None) -> None:
    st.session_state[f"entry:mode:{doc}"] = mode


def _edit(principal: Principal, entry: HistoryItem) -> None:
    doc = entry.document_id
    if entry.visibility != Visibility.PRIVATE or entry.share_status == "pending":
        st.caption("Saving the change makes it private again until a coordinator approves it.")
    with st.form(f"edit-form:{doc}", border=False):
        title = st.text_input("Title", value=entry.title, key=f"edit:title:{doc}")
        text = st.text_area("Text", value=entry.original, height=220, key=f"edit:text:{doc}")
        cols = st.columns(2)
        save = cols[0].form_submit_button("Save changes", type="primary")
        cancel = cols[1].form_submit_button("Cancel")
    if cancel:
        _set_mode(doc, None)
        st.rerun()
    if not save:
        return
    try:
        out = common.get_container().reflection.edit(principal, doc, text, title)
    except (ReflectionError, NotAllowedError) as exc:
        st.error(f"Not saved: {plain(str(exc))}. Nothing was changed.")
        return
    _set_mode(doc, None)
    if not out.changed:
        st.toast("Nothing changed.")
    elif out.resubmitted:
        st.toast(
            f"Saved; version {plain(out.version)} kept. Private until a coordinator approves it."
        )
    else:
        st.toast(f"Saved; the earlier text is kept as version {plain(out.version)}.")
    st.rerun()


def _confirm_delete(principal: Principal, entry: HistoryItem) -> None:
    doc = entry.document_id
    st.warning(
        "Delete this for good? It leaves search, Ask and your history, with its earlier "
        "versions. This cannot be undone."
    )
    cols = st.columns(2)
    if cols[0].button("Delete for good", key=f"delete-ok:{doc}", type="primary"):
        try:
            common.get_container().reflection.delete(principal, doc)
        except (ReflectionError, NotAllowedError) as exc:
            st.error(plain(str(exc)))
            return
        _set_mode(doc, None)
        st.toast("Deleted.")
        st.rerun()
    if cols[1].button("Keep it", key=f"delete-no:{doc}"):
        _set_mode(doc, None)
        st.rerun()


def _versions(principal: Principal, doc: str) -> None:
    earlier = common.get_container().reflection.versions(principal, doc)
    if not earlier:
        st.caption("No earlier versions: it has not been edited.")
    for v in earlier:
        when = plain(f"{v.replaced_at:%d %b %Y %H:%M}")
        st.caption(f"Version {plain(v.number)}, replaced {when} UTC")
        st.text(f"{v.title}\n\n{v.text}")


# -- follow-ups -------------------------------------------------------------------------------


def followups(principal: Principal, document_id: str) -> None:
    """The follow-up questions of an entry just saved: a form for each one still open, and
    each one answered shown with its answer (read back from the stored entry)."""
    c = common.get_container()
    st.success("Saved. It is private to you.")
    index_status(document_id)
    limited = common.model_limit(principal)
    key = f"followups:{document_id}"
    if key not in st.session_state:  # asked once, so a model's questions stay the same
        try:
            st.session_state[key] = c.reflection.followups(principal, document_id)
        except Exception as exc:  # an LLM that is down must not lose the saved entry
            st.warning(f"No follow-up questions right now ({type(exc).__name__}).")
            return
    questions: list[str] = st.session_state[key]
    if not questions:
        return
    answered = c.reflection.answered_followups(principal, document_id, questions)
    st.subheader("Follow-up questions")
    if limited:
        st.caption(limited[0].upper() + limited[1:] + "; these come from the prompt library.")
    for n, q in enumerate(questions):
        if q.strip() in answered:
            with st.container(border=True):
                st.markdown(f"**{plain(q.strip())}**")
                st.caption("Answered, added to your entry")
                st.text(answered[q.strip()])
            continue
        with st.form(f"followup:{n}", clear_on_submit=True):
            st.markdown(f"**{plain(q.strip())}**")
            answer = st.text_area("Your answer", key=f"followup:answer:{n}", height=100)
            if st.form_submit_button("Add to my entry"):
                try:
                    c.reflection.answer_followup(principal, document_id, q, answer)
                except ReflectionError as exc:
                    st.error(plain(str(exc)))
                else:
                    st.toast("Added to your entry.")
                    st.rerun()
