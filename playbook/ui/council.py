"""Advisor council: its charter, members, meetings (with their council notes) and the
options it raised, each tracked to a decision by its internal owner. Coordinators run it;
every member of the programme reads it; an option's owner decides it here."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from playbook.models import Principal
from playbook.permissions import Action, NotAllowedError, Target, allows
from playbook.ports.programme import CouncilOption, OptionStatus
from playbook.services.council import CouncilView
from playbook.ui import common
from playbook.ui.common import current_user, plain

KEY = "council-said"  # what the last change did, shown after the rerun
STATUS = {"open": "Open", "decided": "Decided", "declined": "Declined"}


def choose_programme(principal: Principal, key: str) -> str | None:
    """The programme a page is about: the person's only one, or the one they pick."""
    ids = sorted(principal.programme_ids)
    if not ids:
        st.info("You are not in a programme yet; ask an admin to add you.")
        return None
    if len(ids) == 1:
        return ids[0]
    names = common.get_container().administration.programme_names(ids)
    return st.selectbox("Programme", ids, format_func=names.__getitem__, key=key)


def page() -> None:
    """Render the council page."""
    principal = current_user()
    if principal is None:
        st.stop()
    st.title("Advisor council")
    st.caption("External advisors illuminate options; decisions stay with their internal owners.")
    pid = choose_programme(principal, "council-programme")
    if pid is None:
        return
    c = common.get_container()
    try:
        view = c.council.view(principal, pid)
    except NotAllowedError as exc:
        st.info(plain(str(exc).capitalize()) + ".")
        return
    runs = allows(principal, Action.COUNCIL, Target.programme(pid))
    _charter(view, runs, principal)
    _members(view, runs, principal)
    _meetings(view, runs, principal)
    _options(view, runs, principal)


def attempt(key: str, fn: object, *args: object, said: str, **kwargs: object) -> None:
    """Run a use case for a page; on success keep ``said`` for ``say(key)`` after the rerun,
    else say why it did not happen (nothing was stored then)."""
    try:
        fn(*args, **kwargs)  # type: ignore[operator]
    except (ValueError, NotAllowedError) as exc:
        st.warning(plain(str(exc)[:1].upper() + str(exc)[1:]) + ".")
        return
    st.session_state[key] = said
    st.rerun()


def say(key: str) -> None:
    """Show what the last ``attempt`` with this key did, once."""
    said = st.session_state.pop(key, None)
    if said:
        st.success(plain(said))


def _charter(view: CouncilView, runs: bool, principal: Principal) -> None:
    say(KEY)
    st.subheader("Charter", anchor=False)
    ch = view.charter
    if ch is None:
        st.info("No charter yet." + (" Write one below." if runs else ""))
    else:
        st.markdown(f"**Scope.** {plain(ch.scope, lines=True)}")
        st.markdown(f"**Decision rights.** {plain(ch.decision_rights, lines=True)}")
        st.markdown(f"**Meeting cadence.** {plain(ch.cadence)}")
    if not runs:
        return
    label = "Write the charter" if ch is None else "Edit the charter"
    with st.expander(label), st.form("charter"):
        scope = st.text_area("Scope", value=ch.scope if ch else "")
        rights = st.text_area("Decision rights", value=ch.decision_rights if ch else "")
        cadence = st.text_input("Meeting cadence", value=ch.cadence if ch else "")
        if st.form_submit_button("Save the charter"):
            c = common.get_container()
            attempt(
                KEY,
                c.council.set_charter,
                principal,
                view.programme_id,
                scope,
                rights,
                cadence,
                said="Charter saved.",
            )


def _members(view: CouncilView, runs: bool, principal: Principal) -> None:
    st.subheader("Members", anchor=False)
    active = [m for m in view.members if m.active]
    if not active:
        st.info("Nobody is seated on the council yet.")
    c = common.get_container()
    for m in active:
        cols = list(st.columns([5, 1])) if runs else [st.container()]
        extra = " · ".join(x for x in (m.affiliation, m.expertise) if x)
        cols[0].markdown(
            f"- {plain(view.member_label(m))}" + (f" — {plain(extra)}" if extra else "")
        )
        if runs and cols[1].button("Retire", key=f"retire:{m.member_id}"):
            attempt(
                KEY,
                c.council.set_member_active,
                principal,
                view.programme_id,
                m.member_id,
                False,
                said="Member retired.",
            )
    if not runs:
        return
    with st.expander("Seat an advisor"), st.form("member"):
        st.caption("An advisor with an account (username), or an external name.")
        left, right = st.columns(2)
        username = left.text_input("Username")
        name = right.text_input("External advisor's name")
        affiliation = st.text_input("Affiliation")
        expertise = st.text_input("Expertise")
        if st.form_submit_button("Seat them"):
            attempt(
                KEY,
                c.council.add_member,
                principal,
                view.programme_id,
                username=username,
                name=name,
                affiliation=affiliation,
                expertise=expertise,
                said="Advisor seated.",
            )


def _meetings(view: CouncilView, runs: bool, principal: Principal) -> None:
    st.subheader("Meetings", anchor=False)
    if not view.meetings:
        st.info("No meetings recorded yet.")
    for mt in view.meetings:
        notes = [view.note_titles[n] for n in mt.note_ids if n in view.note_titles]
        linked = "; ".join(plain(t) for t in notes) if notes else "no notes linked"
        st.markdown(f"- **{plain(f'{mt.held_on:%d %b %Y}')}** {plain(mt.topic)} — {linked}")
    if not runs:
        return
    c = common.get_container()
    choices = dict(c.council.note_choices(principal, view.programme_id))
    with st.expander("Record a meeting"), st.form("meeting"):
        held_on = st.date_input("Held on", value=dt.date.today(), format="YYYY-MM-DD")
        topic = st.text_input("Topic")
        picked = st.multiselect("Council notes", list(choices), format_func=choices.__getitem__)
        if st.form_submit_button("Record it") and isinstance(held_on, dt.date):
            attempt(
                KEY,
                c.council.add_meeting,
                principal,
                view.programme_id,
                held_on,
                topic,
                picked,
                said="Meeting recorded.",
            )


def _options(view: CouncilView, runs: bool, principal: Principal) -> None:
    st.subheader("Options raised", anchor=False)
    if not view.options:
        st.info("No options tracked yet.")
    for o in view.options:
        _option(view, o, principal)
    if not runs:
        return
    c = common.get_container()
    owners = c.council.owner_choices(principal, view.programme_id)
    meetings = {m.meeting_id: f"{m.held_on} {m.topic}" for m in view.meetings}
    with st.expander("Track an option the council raised"), st.form("option"):
        text = st.text_area("Option")
        owner = st.selectbox("Owner (decides; not on the council)", owners)
        meeting = st.selectbox(
            "Raised at",
            ["", *meetings],
            format_func=lambda m: meetings.get(m, "no meeting"),
        )
        if st.form_submit_button("Track it"):
            attempt(
                KEY,
                c.council.raise_option,
                principal,
                view.programme_id,
                text,
                owner or "",
                meeting or None,
                said="Option tracked.",
            )


def _option(view: CouncilView, o: CouncilOption, principal: Principal) -> None:
    owner = view.names.get(o.owner_id, "?")
    with st.container(border=True):
        st.markdown(f"**{plain(STATUS[o.status.value])}** · owner {plain(owner)}")
        st.markdown(plain(o.text, lines=True))
        if o.status is not OptionStatus.OPEN:
            st.caption(plain(f"{STATUS[o.status.value]} {o.decided_at:%d %b %Y}: {o.decision}"))
            return
        if o.owner_id != principal.user_id:
            return
        with st.form(f"decide:{o.option_id}"):
            text = st.text_area("Your decision, or why you decline", key=f"text:{o.option_id}")
            cols = st.columns(2)
            adopt = cols[0].form_submit_button("Decide")
            decline = cols[1].form_submit_button("Decline")
            if adopt or decline:
                c = common.get_container()
                attempt(
                    KEY, c.council.decide, principal, o.option_id, adopt, text, said="Recorded."
                )
