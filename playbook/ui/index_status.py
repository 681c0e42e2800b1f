"""The line under "Saved" that says where a saved entry is on its way into search:
"Indexing…" with its progress, then "Searchable now" (or that indexing will be retried).

A save returns once the entry is redacted and stored; the indexing service embeds and
indexes it on its own thread (``IndexingService.index_later``). While that runs, a fragment
polls the state once a second, so the rest of the page (follow-up questions) is not redrawn.
"""

from __future__ import annotations

import streamlit as st

from playbook.ui import common

POLL_SECONDS = 1.0


def index_status(document_id: str) -> None:
    """Show whether ``document_id`` is searchable yet; poll while it is being indexed.

    Args:
        document_id: the document the studio just saved.
    """
    state = common.get_container().indexing.state(document_id)
    if state.searchable or state.failed:
        _final(state.failed)
    else:
        _indexing(document_id)


def _final(failed: bool) -> None:
    if failed:
        st.caption(
            ":material/sync_problem: Saved, but not searchable yet: indexing failed and will "
            "be retried when the app restarts."
        )
    else:
        st.caption(":material/search: Searchable now.")


@st.fragment(run_every=POLL_SECONDS)
def _indexing(document_id: str) -> None:
    state = common.get_container().indexing.state(document_id)
    if state.searchable or state.failed:
        _final(state.failed)
        return
    if state.total:
        st.progress(
            state.done / state.total,
            text=f"Indexing… {state.done:,} of {state.total:,} passages and sentences embedded.",
        )
    else:
        st.caption(":material/hourglass_top: Indexing… it will be searchable in a moment.")
