"""Ask: questions answered from what the reader may read, with numbered citations."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from playbook.retrieval import QueryError
from playbook.ui import common
from playbook.ui.common import current_user, escape_md


def page() -> None:
    """Render the Ask page."""
    principal = current_user()
    if principal is None:
        st.stop()
    st.title("Ask the playbook")
    c = common.get_container()
    mode = "a language model" if c.llm is not None else "the most relevant sentences"
    st.caption(
        f"Answers come from what you may read, quoted with their sources ({mode}). "
        "Names stay as placeholders."
    )
    with st.form("ask"):
        question = st.text_input("Your question", placeholder="e.g. How do we decide prices fast?")
        asked = st.form_submit_button("Ask", type="primary")
    if not asked:
        return
    try:
        answer, chunks = c.assistant.stream(principal, question)
    except QueryError as exc:
        st.warning(str(exc).capitalize() + ".")
        return
    if not answer.grounded:
        st.info(f"{answer.text} The nearest items are below; none of them answers it.")
    elif chunks is not None:
        try:
            with st.container(border=True):
                # st.write_stream renders Markdown; escape each piece so model output stays text
                st.write_stream(escape_md(piece) for piece in chunks)
        except Exception as exc:  # the model failed mid-way: fall back to extraction
            fallback = c.assistant.extractive(question, list(answer.passages))
            st.warning(f"The language model is unavailable ({type(exc).__name__}).")
            st.markdown(escape_md(fallback.text))
    else:
        with st.container(border=True):
            st.markdown(escape_md(answer.text))
    st.subheader("Sources" if answer.grounded else "Nearest items")
    today = dt.date.today()
    stale = [n for n, h in enumerate(answer.passages, start=1) if h.past_review(today)]
    if stale:
        marks = ", ".join(f"[{n}]" for n in stale)
        verb = "is past its" if len(stale) == 1 else "are past their"
        st.warning(
            f"{marks} {verb} review date: check with the programme coordinator that the "
            "lesson still holds."
        )
    for n, hit in enumerate(answer.passages, start=1):
        flag = f" — past its review date ({hit.review_due})" if n in stale else ""
        with st.expander(f"[{n}] {hit.title}{flag}"):
            st.text(hit.text)
