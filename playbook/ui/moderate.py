"""Moderation: coordinators approve what members share and the business terms they restore."""

from __future__ import annotations

import streamlit as st

from playbook.permissions import Action
from playbook.ui import common
from playbook.ui.common import current_user, plain


def page() -> None:
    """Render the moderation queue."""
    principal = current_user()
    if principal is None:
        st.stop()
    st.title("Moderation")
    if not common.permitted(principal, Action.MODERATE):
        return
    c = common.get_container()
    queue = c.reflection.moderation_queue(principal)
    st.subheader(f"Shared items awaiting approval ({len(queue)})")
    st.caption("You see redacted text only. Approved items become visible to the programme.")
    names = c.administration.usernames(d.owner_id for d in queue)
    for d in queue:
        with st.container(border=True):
            st.markdown(f"**{plain(d.title.strip())}**")
            who = plain(names.get(d.owner_id, "?"))
            st.caption(f"{d.kind.value.replace('_', ' ')} by {who}")
            st.text(d.redacted_text)
            reason = st.text_input(
                "Reason, if you decline (optional; the author is told, redacted)",
                key=f"decline-reason:{d.document_id}",
                max_chars=500,
            )
            cols = st.columns(2)
            if cols[0].button("Approve", key=f"approve:{d.document_id}", type="primary"):
                c.reflection.decide_share(principal, d.document_id, approve=True)
                st.toast("Approved: programme members can now find it. The author is told.")
                st.rerun()
            if cols[1].button("Decline", key=f"decline:{d.document_id}"):
                c.reflection.decide_share(principal, d.document_id, approve=False, reason=reason)
                st.toast("Declined: it stays private. The author is told.")
                st.rerun()
    terms = c.privacy.pending_terms(principal)
    st.subheader(f"Terms members asked to keep ({len(terms)})")
    st.caption("Approve a term only if it is never personal data (a product, a codename).")
    term_names = c.administration.usernames(t.user_id for t in terms if t.user_id)
    for t in terms:
        row = st.columns([3, 1, 1])
        who = plain(term_names.get(t.user_id or "", "?"))
        row[0].markdown(f"**{plain(t.term.strip())}** · from {who}")
        if row[1].button("Approve", key=f"term-ok:{t.id}"):
            c.privacy.decide_term(principal, t.id, approve=True)
            st.rerun()
        if row[2].button("Decline", key=f"term-no:{t.id}"):
            c.privacy.decide_term(principal, t.id, approve=False)
            st.rerun()
