"""Ask: questions answered from what the reader may read, with numbered citations."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

import streamlit as st

from playbook.models import Principal
from playbook.permissions import Action
from playbook.retrieval import QueryError
from playbook.services.ask import QUOTED, Answer
from playbook.ui import common
from playbook.ui.common import current_user, plain

LAST = "ask_last"  # session key: (user id, last answer, its text as shown)


def page() -> None:
    """Render the Ask page."""
    principal = current_user()
    if principal is None:
        st.stop()
    st.title("Ask the playbook")
    if not common.permitted(principal, Action.ASK):
        return
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
        # A later run (a feedback form sent, say) shows the last answer again, as text.
        last = st.session_state.get(LAST)
        if last is None or last[0] != principal.user_id:
            return
        _, answer, text = last
        if answer.grounded:
            _show(answer, text)
        else:
            st.info(f"{plain(answer.text)} The nearest items are below; none of them answers it.")
        _sources(principal, answer)
        return
    try:
        answer, chunks = c.assistant.stream(principal, question)
    except QueryError as exc:
        st.warning(plain(str(exc).capitalize()) + ".")
        return
    text = answer.text
    if not answer.grounded:
        st.info(f"{plain(answer.text)} The nearest items are below; none of them answers it.")
    elif chunks is not None:
        try:
            with st.container(border=True):
                # st.write_stream renders Markdown: each piece is shown as plain text; the
                # answer kept for later runs is the model's own text, not the escaped one
                pieces: list[str] = []
                st.write_stream(_as_text(chunks, pieces))
                text = "".join(pieces) or text
        except Exception as exc:  # the model failed mid-way: fall back to extraction
            answer = c.assistant.extractive(question, list(answer.passages))
            st.warning(f"The language model is unavailable ({type(exc).__name__}).")
            _show(answer, answer.text)
            text = answer.text
    else:
        if answer.note:
            st.warning(plain(answer.note))
        _show(answer, answer.text)
    st.session_state[LAST] = (principal.user_id, answer, text)
    _sources(principal, answer)


def _show(answer: Answer, text: str) -> None:
    """The answer in a frame: a model's text as plain text, or an extractive answer as what
    it is, quotations of members' words, each saying whose words they are."""
    with st.container(border=True):
        if not answer.quotes:
            st.markdown(plain(text, lines=True))
            return
        st.caption(plain(QUOTED))
        for q in answer.quotes:
            st.markdown(f"> “{plain(q.text)}” {plain(f'[{q.n}]')}")
            st.caption(f"— from {plain(q.attribution)}")
            if q.caution:
                st.warning(plain(q.caution), icon="⚠️")


def _as_text(chunks: Iterable[str], pieces: list[str]) -> Iterator[str]:
    """Each streamed piece as inert Markdown, keeping the pieces themselves in ``pieces``."""
    for piece in chunks:
        pieces.append(piece)
        yield plain(piece, lines=True)


def _sources(principal: Principal, answer: Answer) -> None:
    c = common.get_container()
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
    curated = c.curation.by_document(h.document_id for h in answer.passages)
    for n, hit in enumerate(answer.passages, start=1):
        flag = f" — past its review date ({hit.review_due})" if n in stale else ""
        with st.expander(f"[{n}] {plain(hit.title)}{flag}"):
            st.text(hit.text)
            entry = curated.get(hit.document_id)
            if entry is not None:
                _feedback(principal, entry.entry_id, n)


def _feedback(principal: Principal, entry_id: str, n: int) -> None:
    """Tell the coordinators whether a cited playbook entry helped or is outdated."""
    c = common.get_container()
    with st.form(f"feedback:{entry_id}:{n}"):
        verdict = st.radio(
            "Was this entry useful?",
            ["helped", "outdated"],
            format_func={"helped": "This helped", "outdated": "This is outdated"}.__getitem__,
            horizontal=True,
        )
        comment = st.text_input("Comment (optional; names are redacted)")
        if st.form_submit_button("Send to the coordinators"):
            try:
                c.curation.feedback(principal, entry_id, str(verdict), comment)
            except (ValueError, PermissionError) as exc:
                st.warning(plain(str(exc).capitalize()) + ".")
            else:
                st.success("Thank you: the coordinators will see it in their review queue.")
