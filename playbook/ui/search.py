"""Search page: hybrid search over what the signed-in user may read."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from playbook.models import EntryStatus, Kind, SearchFilters
from playbook.permissions import read_scope
from playbook.retrieval import highlight
from playbook.ui import common
from playbook.ui.common import current_user, plain

KIND_LABELS = {
    Kind.JOURNAL: "Journal",
    Kind.DEBRIEF: "Rotation debrief",
    Kind.SESSION_NOTE: "Reverse-mentoring note",
    Kind.COUNCIL_NOTE: "Advisor council note",
    Kind.ENTRY: "Playbook entry",
}


def page() -> None:
    """Render the search page."""
    principal = current_user()
    if principal is None:
        st.stop()
    st.title("Search")
    st.caption("Searches your own writing and what your programmes have shared or published.")
    with st.form("search"):
        query = st.text_input("Search for", placeholder="e.g. cost of exceptions in distribution")
        cols = st.columns([3, 1, 1])
        kinds = cols[0].multiselect("Kinds", list(KIND_LABELS), format_func=KIND_LABELS.__getitem__)
        k = cols[1].number_input("Results", min_value=1, max_value=50, value=10)
        mine = cols[2].checkbox("Only mine")
        place = st.columns(2)
        function = place[0].text_input(
            "Function (rotation debriefs)", placeholder="e.g. Supply chain"
        )
        market = place[1].text_input("Market", placeholder="e.g. Singapore")
        more = st.columns(4)
        tags = more[0].text_input("Tags (all of)", placeholder="e.g. pricing, launch")
        since = more[1].date_input("Written from", value=None, format="YYYY-MM-DD")
        until = more[2].date_input("Written until", value=None, format="YYYY-MM-DD")
        statuses = more[3].multiselect(
            "Entry status",
            list(EntryStatus),
            format_func=lambda s: s.value.replace("_", " ").capitalize(),
            help="Only playbook entries in these states.",
        )
        submitted = st.form_submit_button("Search", type="primary")
    if not submitted:
        return
    c = common.get_container()
    try:
        filters = SearchFilters(
            kinds=tuple(kinds),
            only_mine=mine,
            function=function or None,
            market=market or None,
            tags=tuple(t.strip() for t in tags.split(",") if t.strip()),
            since=since if isinstance(since, dt.date) else None,
            until=until if isinstance(until, dt.date) else None,
            entry_statuses=tuple(statuses),
        )
        hits = c.retriever.search(query, read_scope(principal, filters), int(k))
    except ValueError as exc:  # a QueryError, or a date range that ends before it starts
        st.warning(plain(str(exc).capitalize()) + ".")
        return
    if not hits:
        st.info("Nothing matched. Try other words or fewer filters.")
        return
    for i, hit in enumerate(hits, 1):
        with st.container(border=True):
            label = KIND_LABELS.get(Kind(hit.kind), hit.kind) if hit.kind else ""
            st.markdown(f"**{i}. {plain(hit.title.strip())}**")
            st.caption(f"{plain(label)} · {plain(hit.source_id)}")
            st.markdown(
                "".join(
                    f"**{plain(piece)}**" if match else plain(piece)
                    for piece, match in highlight(hit.snippet, query)
                )
            )
            with st.expander("Full passage"):
                st.text(hit.text)
