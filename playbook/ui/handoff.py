"""Handoff pack: what a successor in a function, market or track inherits; and, for
coordinators, the quarterly showcase. Both download as Markdown and PDF."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from playbook.models import SECTION_LABELS, SECTIONS
from playbook.permissions import Action, allows
from playbook.services.handoff import Pack, to_markdown, to_pdf
from playbook.ui import common
from playbook.ui.common import current_user, plain

PACKS = {"handoff": "handoff_pack", "showcase": "showcase_pack"}  # session keys


def page() -> None:
    """Render the handoff pack builder (and the showcase for coordinators)."""
    principal = current_user()
    if principal is None:
        st.stop()
    st.title("Handoff pack")
    if not common.permitted(principal, Action.HANDOFF):
        return
    st.caption(
        "For whoever takes over a role, a function, a market or a rotation track (roles and "
        "tracks are tags): the published playbook entries and approved debriefs, grouped, "
        "with the open questions."
    )
    c = common.get_container()
    with st.form("handoff"):
        cols = st.columns(3)
        function = cols[0].text_input("Function", placeholder="e.g. Supply chain")
        market = cols[1].text_input("Market", placeholder="e.g. Singapore")
        tag = cols[2].text_input("Role or track (tag)", placeholder="e.g. country-manager")
        built = st.form_submit_button("Build the pack", type="primary")
    if built:
        st.session_state.pop(PACKS["handoff"], None)
        try:
            st.session_state[PACKS["handoff"]] = c.curation.handoff_pack(
                principal,
                function=function.strip() or None,
                market=market.strip() or None,
                tag=tag.strip() or None,
            )
            # Who rotates into that function or market next (planned rotations).
            st.session_state[PACKS["handoff"]] = c.rotations.add_to_pack(
                principal, st.session_state[PACKS["handoff"]], function.strip(), market.strip()
            )
        except ValueError as exc:
            st.warning(plain(str(exc).capitalize()) + ".")
    # Kept in the session: a download reruns the page, and the pack stays on it.
    if PACKS["handoff"] in st.session_state:
        _show(st.session_state[PACKS["handoff"]], "handoff")
    if allows(principal, Action.SHOWCASE):
        st.divider()
        st.subheader("Quarterly showcase")
        today = dt.date.today()
        quarter_start = dt.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        with st.form("showcase"):
            period = st.columns(2)
            start = period[0].date_input("From", value=quarter_start, format="YYYY-MM-DD")
            end = period[1].date_input("Until", value=today, format="YYYY-MM-DD")
            shown = st.form_submit_button("Build the showcase")
        if shown and isinstance(start, dt.date) and isinstance(end, dt.date):
            st.session_state.pop(PACKS["showcase"], None)
            try:
                st.session_state[PACKS["showcase"]] = c.curation.showcase(principal, start, end)
                # The period's shared impact reports, recounts and validations.
                st.session_state[PACKS["showcase"]] = c.impact.add_to_showcase(
                    principal, st.session_state[PACKS["showcase"]], start, end
                )
            except ValueError as exc:
                st.warning(plain(str(exc).capitalize()) + ".")
        if PACKS["showcase"] in st.session_state:
            _show(st.session_state[PACKS["showcase"]], "showcase")


def _show(pack: Pack, name: str) -> None:
    # Headings of user text get no anchor: its link and id would be named by that text.
    st.header(plain(pack.title), anchor=False)
    st.caption(plain(pack.subtitle))
    slug = "".join(ch if ch.isalnum() else "-" for ch in pack.title.lower()).strip("-")[:60]
    who = st.session_state.get("username")
    c = common.get_container()
    formats: list[tuple[str, str | bytes, str, str]] = [
        ("Download Markdown", to_markdown(pack), "md", "text/markdown"),
        ("Download PDF", to_pdf(pack), "pdf", "application/pdf"),
    ]
    for col, (label, data, ext, mime) in zip(st.columns(2), formats, strict=True):
        col.download_button(
            label,
            data,
            f"{slug}.{ext}",
            mime,
            key=f"{name}-{ext}",
            on_click=c.administration.record_export,
            args=(who, pack.title, ext),
        )
    if not pack.groups and not pack.debriefs:
        st.info("Nothing published matches yet.")
    for theme, items in pack.groups:
        st.subheader(plain(theme), anchor=False)
        for e in items:
            with st.expander(plain(e.content.title)):
                for section in SECTIONS:
                    text = e.content.sections.get(section, "").strip()
                    if text:
                        st.markdown(f"**{SECTION_LABELS[section]}.** {plain(text, lines=True)}")
                st.caption(f"Review by {e.review_due}" if e.review_due else "No review date")
    if pack.debriefs:
        st.subheader("Rotation debriefs", anchor=False)
        for d in pack.debriefs:
            with st.expander(plain(d.title)):
                st.text(d.redacted_text)
    for heading, paragraphs in pack.sections:
        st.subheader(plain(heading), anchor=False)
        for text in paragraphs:
            st.markdown(plain(text, lines=True))
    if pack.open_questions:
        st.subheader("Open questions", anchor=False)
        for q, src in pack.open_questions:
            st.markdown(f"- {plain(q)} _(from {plain(src)})_")
