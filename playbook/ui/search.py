"""Search page: hybrid search over what the signed-in user may read, one row per document
(its best passage with the matched sentence highlighted, who wrote it, when, where, and for
playbook entries their status); no internal ids are shown."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from playbook.models import EntryStatus, Kind, SearchFilters
from playbook.services.results import DocumentResult
from playbook.ui import common
from playbook.ui.common import current_user, plain

KIND_LABELS = {
    Kind.JOURNAL: "Journal",
    Kind.DEBRIEF: "Rotation debrief",
    Kind.SESSION_NOTE: "Reverse-mentoring note",
    Kind.COUNCIL_NOTE: "Advisor council note",
    Kind.ENTRY: "Playbook entry",
}
STATUS_LABELS = {
    EntryStatus.DRAFT: "Draft entry",
    EntryStatus.IN_REVIEW: "Entry in review",
    EntryStatus.PUBLISHED: "Published entry",
    EntryStatus.ARCHIVED: "Archived entry",
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
        results = c.service.search_documents(principal, query, int(k), filters)
    except ValueError as exc:  # a QueryError, or a date range that ends before it starts
        st.warning(plain(str(exc).capitalize()) + ".")
        return
    if not results:
        st.info("Nothing matched. Try other words or fewer filters.")
        return
    for i, result in enumerate(results, 1):
        _row(i, result)


def _row(i: int, r: DocumentResult) -> None:
    """One document: title, what and whose it is, and its passage with the sentence that
    matched in bold (each piece escaped first, so the bold cannot reopen Markdown)."""
    with st.container(border=True):
        try:
            label = KIND_LABELS[Kind(r.kind)]
        except ValueError:
            label = r.kind
        badge = " · ✅ verified" if r.verified else ""
        st.markdown(f"**{i}. {plain(r.title.strip())}**{badge}")
        facts = [label, f"by {r.author}", r.programme]
        if r.written:
            facts.append(f"{r.written.day} {r.written:%b %Y}")
        if r.entry_status is not None:
            facts.append(STATUS_LABELS.get(r.entry_status, r.entry_status.value))
        if r.hit.source_label:  # where it came from (a file, a record), redacted
            facts.append(f"from {r.hit.source_label}")
        if r.passages > 1:
            facts.append(f"{r.passages} matching passages")
        st.caption(" · ".join(plain(f) for f in facts))
        before, sentence, after = r.excerpt()
        bold = f"**{plain(sentence)}**" if sentence else ""
        st.markdown(f"{plain(before)} {bold} {plain(after)}")  # extra spaces collapse
        with st.expander("Full passage"):
            st.text(r.hit.text)
