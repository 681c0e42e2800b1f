"""Ask: questions answered from what the reader may read, with citations that open the
passage they cite, follow-up questions in a thread, and "this helped / this is wrong"."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator

import streamlit as st

from playbook.models import Principal, SearchHit
from playbook.permissions import Action
from playbook.retrieval import QueryError
from playbook.services.ask import QUOTED, Answer
from playbook.ui import common
from playbook.ui.common import current_user, plain

THREAD = "ask_thread"  # session key: (user id, [(answer, its text as shown)], oldest first)
# A citation in a model's text: [2]
_CITATION = re.compile(r"\[(\d{1,2})\]")


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
    thread = _thread(principal)
    with st.form("ask"):
        # The placeholder stays the same: a widget whose arguments change is a new widget,
        # and what was typed into the old one would be lost.
        question = st.text_input("Your question", placeholder="e.g. How do we decide prices fast?")
        asked = st.form_submit_button("Ask", type="primary")
    if thread:
        st.caption("A new question follows up on this conversation and keeps its context.")
        st.button("New conversation", on_click=_new_conversation)
    if asked:
        try:
            with st.spinner("Reading what you may read…"):
                answer, chunks = c.assistant.stream(
                    principal, question, history=[a for a, _ in thread]
                )
        except QueryError as exc:
            st.warning(plain(str(exc).capitalize()) + ".")
        else:
            kept = _show_new(principal, len(thread), question, answer, chunks)
            st.session_state[THREAD] = (principal.user_id, [*thread, kept])
    # Earlier turns, newest first: the page shows them as text again on every run.
    for t in range(len(thread) - 1, -1, -1):
        answer, text = thread[t]
        st.divider()
        _turn(principal, t, answer, text)


def _thread(principal: Principal) -> list[tuple[Answer, str]]:
    held = st.session_state.get(THREAD)
    if held is None or held[0] != principal.user_id:
        return []
    return list(held[1])


def _new_conversation() -> None:
    st.session_state.pop(THREAD, None)


def _show_new(
    principal: Principal, t: int, question: str, answer: Answer, chunks: Iterator[str] | None
) -> tuple[Answer, str]:
    """The answer just asked for: streamed when a model writes it. Returns the answer as
    kept for the thread (an extractive one when the model failed) and its text."""
    c = common.get_container()
    if chunks is None:
        _turn(principal, t, answer, answer.text)
        return answer, answer.text
    _asked(t, answer)
    try:
        with st.container(border=True):
            # st.write_stream renders Markdown: each piece is shown as plain text; the
            # answer kept for later runs is the model's own text, not the escaped one
            pieces: list[str] = []
            st.write_stream(_as_text(chunks, pieces))
            text = "".join(pieces) or answer.text
    except Exception as exc:  # the model failed mid-way: fall back to extraction
        answer = c.assistant.extractive(
            answer.question or question, list(answer.passages), principal=principal
        )
        st.warning(f"The language model is unavailable ({type(exc).__name__}).")
        _show(t, answer, answer.text)
        text = answer.text
    else:
        answer = Answer(
            text, answer.passages, answer.grounded, answer.mode, question=answer.question
        )
    _verdict(principal, t, answer)
    _sources(principal, t, answer)
    return answer, text


def _asked(t: int, answer: Answer) -> None:
    if t and answer.question:  # a follow-up says which question it answers
        st.markdown(f"**Follow-up:** {plain(answer.question)}")


def _turn(principal: Principal, t: int, answer: Answer, text: str) -> None:
    """One question's answer, its verdict buttons and its sources."""
    _asked(t, answer)
    if answer.grounded:
        if answer.note:
            st.warning(plain(answer.note))
        _show(t, answer, text)
    else:
        st.info(f"{plain(answer.text)} The nearest items are below; none of them answers it.")
    _verdict(principal, t, answer)
    _sources(principal, t, answer)


def _cite(t: int, ns: Iterable[int]) -> None:
    """Citations as links to their sources on this page. The HTML is fixed (a turn and a
    number, never user text), so it is built here and not from anything stored."""
    links = " ".join(
        f'<a href="#source-{t}-{n}" class="citation" data-n="{n}">[{n}]</a>' for n in ns
    )
    if links:
        st.html(f'<div class="citations" style="font-size: 0.9em">Open source {links}</div>')


def _show(t: int, answer: Answer, text: str) -> None:
    """The answer in a frame: a model's text as plain text with its [n] as links, or an
    extractive answer as what it is: a lead, then one quotation per source saying whose
    words they are, each with its citation link."""
    with st.container(border=True):
        if not answer.quotes:
            st.markdown(plain(text, lines=True))
            count = len(answer.passages)
            cited = sorted({int(n) for n in _CITATION.findall(text)} & set(range(1, count + 1)))
            _cite(t, cited)
            return
        if answer.lead:
            st.markdown(f"**{plain(answer.lead)}**")
        st.caption(plain(QUOTED))
        for q in answer.quotes:
            st.markdown(f"> “{plain(q.text)}” {plain(f'[{q.n}]')}")
            st.caption(f"— from {plain(q.attribution)}")
            _cite(t, [q.n])
            if q.caution:
                st.warning(plain(q.caution), icon="⚠️")


def _as_text(chunks: Iterable[str], pieces: list[str]) -> Iterator[str]:
    """Each streamed piece as inert Markdown, keeping the pieces themselves in ``pieces``."""
    for piece in chunks:
        pieces.append(piece)
        yield plain(piece, lines=True)


def _verdict(principal: Principal, t: int, answer: Answer) -> None:
    """ "This helped" or "this is wrong" on the answer, for the coordinators' review queue."""
    if not answer.question:
        return
    c = common.get_container()
    with st.form(f"verdict:{t}"):
        comment = st.text_area("What was right or wrong? (optional; names are redacted)", height=68)
        cols = st.columns(2)
        helped = cols[0].form_submit_button("This helped")
        wrong = cols[1].form_submit_button("This is wrong")
    if helped or wrong:
        try:
            c.assistant.rate(principal, answer, "helped" if helped else "wrong", comment)
        except (ValueError, PermissionError) as exc:
            st.warning(plain(str(exc).capitalize()) + ".")
        else:
            st.success("Thank you: the coordinators will see it in their review queue.")


def _sources(principal: Principal, t: int, answer: Answer) -> None:
    """Each passage under an anchor its citation links to; a cited one is open, with the
    sentences the answer quotes in bold."""
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
    quoted = {q.n: q for q in answer.quotes}
    for n, hit in enumerate(answer.passages, start=1):
        flag = f" — past its review date ({hit.review_due})" if n in stale else ""
        q = quoted.get(n)
        # The anchor a citation links to (fixed: turn and number, never user text).
        heading = f"[{n}] from {q.attribution}" if q is not None else f"[{n}] {hit.title}"
        st.subheader(plain(heading), anchor=f"source-{t}-{n}")
        with st.expander(f"[{n}] {plain(hit.title)}{flag}", expanded=q is not None):
            if q is not None and q.sentences:
                st.markdown(_highlighted(hit, q.sentences))
            else:
                st.text(hit.text)
            entry = curated.get(hit.document_id)
            if entry is not None:
                _feedback(principal, entry.entry_id, n, t)


def _highlighted(hit: SearchHit, sentences: Iterable[str]) -> str:
    """The passage as inert Markdown with the quoted sentences in bold (each piece escaped
    on its own, so the bold markers are the only Markdown in it)."""
    text = hit.text
    spans = sorted((at, at + len(s)) for s in dict.fromkeys(sentences) if (at := text.find(s)) >= 0)
    out, cursor = [], 0
    for start, end in spans:
        if start < cursor:
            continue
        out.append(plain(text[cursor:start], lines=True))
        out.append(f"**{plain(text[start:end])}**")
        cursor = end
    out.append(plain(text[cursor:], lines=True))
    return "".join(out)


def _feedback(principal: Principal, entry_id: str, n: int, t: int) -> None:
    """Tell the coordinators whether a cited playbook entry helped or is outdated."""
    c = common.get_container()
    with st.form(f"feedback:{entry_id}:{t}:{n}"):
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
