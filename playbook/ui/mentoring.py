"""Mentoring: pairings with their sessions against the commitment, explained suggestions for
a mentee (coordinators and stewards), and profiles: import from CSV, edit one. Every text a
person wrote is shown through ``plain``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import streamlit as st

from playbook.models import Principal
from playbook.permissions import Action, NotAllowedError
from playbook.ports.mentoring import GIVING_ROLES, Cycle, PairingState, ProfileRole
from playbook.services.mentoring import MentoringError, MentoringService, PairingView
from playbook.services.mentoring.cadence import CYCLE_LABELS
from playbook.services.mentoring.profile_csv import COLUMNS
from playbook.ui import common
from playbook.ui.common import current_user, plain

ROLE_LABELS = {
    ProfileRole.MENTOR: "Mentor",
    ProfileRole.REVERSE_MENTOR: "Reverse mentor",
    ProfileRole.ADVISOR: "External advisor",
    ProfileRole.MENTEE: "Mentee",
}
SUGGESTIONS = "mentoring_suggestions"  # session key: the last suggestion report shown
FLASH = "mentoring_flash"  # session key: what the last action did, shown once after a rerun


def _role_label(role: object) -> str:
    return ROLE_LABELS[ProfileRole(str(role))]


def _cycle_label(cycle: object) -> str:
    return CYCLE_LABELS[Cycle(str(cycle))]


def page() -> None:
    """Render the page."""
    principal = current_user()
    if principal is None:
        st.stop()
    st.title("Mentoring")
    m = common.get_container().mentoring
    slugs = m.my_programmes(principal)
    if not slugs:
        st.info("The mentoring programme is visible to its members; ask an admin to add you.")
        return
    slug = st.selectbox("Programme", slugs) if len(slugs) > 1 else slugs[0]
    if not slug or not m.may(principal, slug, Action.VIEW_PROGRAMME):
        st.info("The mentoring programme is visible to its members only.")
        return
    matcher = m.may(principal, slug, Action.MATCH)
    # Always one slot above the tabs, filled or not: an element appearing there would move
    # the tabs in the page, and Streamlit would open them on the first tab again.
    flash = st.empty()
    if FLASH in st.session_state:
        flash.success(plain(st.session_state.pop(FLASH)))
    tabs = st.tabs(["Pairings", "Suggestions", "Profiles"])
    with tabs[0]:
        _guarded(_pairings, principal, m, slug)
    with tabs[1]:
        if matcher:
            _guarded(_suggestions, principal, m, slug)
        else:
            st.info("Suggestions are for the programme's coordinators and stewards.")
    with tabs[2]:
        _guarded(_profiles, principal, m, slug)


def _guarded(
    part: Callable[[Principal, MentoringService, str], None],
    principal: Principal,
    m: MentoringService,
    slug: str,
) -> None:
    # A refusal or bad input is a sentence on the page; nothing was stored.
    try:
        part(principal, m, slug)
    except (MentoringError, NotAllowedError) as exc:
        st.error(plain(str(exc)[:1].upper() + str(exc)[1:]))


# -- pairings --------------------------------------------------------------------------------


def _pairings(principal: Principal, m: MentoringService, slug: str) -> None:
    manager = m.may(principal, slug, Action.MANAGE_PROGRAMME)
    views = m.pairings(principal, slug)
    if not views:
        st.caption("No pairings yet.")
    for view in views:
        with st.container(border=True):
            _pairing(principal, m, view, manager)
    st.download_button(
        "Download the touchpoint calendar (.ics)",
        m.calendar(principal, slug),
        file_name=f"mentoring-{slug}.ics",
        mime="text/calendar",
    )


def _pairing(principal: Principal, m: MentoringService, view: PairingView, manager: bool) -> None:
    p = view.pairing
    pid = p.pairing_id
    st.markdown(plain(f"{view.mentor} → {view.mentee} · {ROLE_LABELS[p.role]} · {p.state.value}"))
    st.caption(plain(f"Sessions: {view.progress.label} ({view.progress.quarter})"))
    for text in view.objectives:
        st.caption(plain(f"Objective: {text}"))
    party = principal.user_id in (p.mentor_id, p.mentee_id)
    mine_accepted = (principal.user_id == p.mentor_id and p.mentor_accepted) or (
        principal.user_id == p.mentee_id and p.mentee_accepted
    )
    cols = st.columns(4)
    proposed = p.state is PairingState.PROPOSED
    if manager and proposed and cols[0].button("Approve", key=f"approve:{pid}"):
        m.approve(principal, pid)
        st.rerun()
    can_accept = party and p.state is PairingState.APPROVED and not mine_accepted
    if can_accept and cols[1].button("Accept", key=f"accept:{pid}", type="primary"):
        m.accept(principal, pid)
        st.rerun()
    undecided = p.state in (PairingState.PROPOSED, PairingState.APPROVED)
    if party and undecided and cols[2].button("Decline", key=f"decline:{pid}"):
        m.decline(principal, pid)
        st.rerun()
    if p.state is PairingState.APPROVED and mine_accepted:
        st.caption("You accepted; waiting for the other person.")
    if (party or manager) and p.state is PairingState.ACTIVE:
        _session_forms(principal, m, view)
    if (party or manager) and p.state is PairingState.ACTIVE:
        with st.expander("End or rematch"), st.form(f"end:{pid}"):
            reason = st.text_area(
                "Private reason (only you and the programme's coordinators read it)",
                max_chars=2000,
            )
            if st.form_submit_button("End this pairing"):
                m.end(principal, pid, reason)
                st.rerun()
    # Reading a private reason is audited: only on request, never on every page run.
    if p.state is PairingState.ENDED and st.button("Private reasons", key=f"reasons:{pid}"):
        found = m.reasons(principal, pid)
        for r in found:
            st.caption(plain(f"Private reason ({r.created_at:%Y-%m-%d}): {r.text}"))
        if not found:
            st.caption("No reason you may read.")


def _session_forms(principal: Principal, m: MentoringService, view: PairingView) -> None:
    pid = view.pairing.pairing_id
    for s in view.sessions:
        note = f" · note {s.document_id}" if s.document_id else ""
        st.caption(plain(f"Session held {s.held_on:%Y-%m-%d}{note}"))
    for t in view.touchpoints:
        st.caption(plain(f"Touchpoint {t.day:%Y-%m-%d} · {CYCLE_LABELS[t.cycle]}: {t.title}"))
    with st.expander("Log a session"), st.form(f"log:{pid}"):
        held = st.date_input("Held on", value=dt.date.today(), max_value=dt.date.today())
        note_id = st.text_input("Session note document id (optional)")
        if st.form_submit_button("Log session"):
            day = held if isinstance(held, dt.date) else dt.date.today()
            m.log_session(principal, pid, day, note_id.strip() or None)
            st.rerun()
    with st.expander("Plan a touchpoint"), st.form(f"touch:{pid}"):
        day = st.date_input("Day", value=dt.date.today() + dt.timedelta(days=14))
        cycle = st.selectbox("Business cycle", list(Cycle), format_func=_cycle_label)
        title = st.text_input("Title", max_chars=200)
        if st.form_submit_button("Plan touchpoint"):
            when = day if isinstance(day, dt.date) else dt.date.today()
            m.plan_touchpoint(principal, pid, when, Cycle(cycle or Cycle.OTHER), title)
            st.rerun()


# -- suggestions -----------------------------------------------------------------------------


def _suggestions(principal: Principal, m: MentoringService, slug: str) -> None:
    mentees = [v.username for v in m.list_profiles(principal, slug, ProfileRole.MENTEE)]
    if not mentees:
        st.caption("No mentee profiles yet: import them on the Profiles tab.")
        return
    with st.form("suggest"):
        mentee = st.selectbox("Mentee", mentees, format_func=plain)
        role = st.selectbox(
            "Looking for",
            [r for r in ProfileRole if r in GIVING_ROLES],
            format_func=_role_label,
        )
        sessions = st.number_input("Sessions per quarter", 1, 12, 2)
        if st.form_submit_button("Suggest", type="primary") and mentee:
            st.session_state[SUGGESTIONS] = (
                m.suggest(principal, slug, mentee, ProfileRole(role or ProfileRole.MENTOR)),
                int(sessions),
            )
    shown = st.session_state.get(SUGGESTIONS)
    if not shown or shown[0].mentee not in mentees:
        return
    report, per_quarter = shown
    st.subheader(plain(f"Suggestions for {report.mentee}"))
    if not report.suggestions:
        st.info("Nobody of that role is free to pair with them (see who is ruled out below).")
    for rank, s in enumerate(report.suggestions, start=1):
        name = report.names.get(s.mentor_id, "?")
        with st.container(border=True):
            st.markdown(plain(f"{rank}. {name} · score {s.score:.2f}"))
            for reason in s.reasons:
                st.markdown(plain(f"· {reason}"))
            if st.button(plain(f"Propose {name}"), key=f"propose:{s.mentor_id}"):
                m.propose(principal, slug, name, report.mentee, s.role, per_quarter)
                st.session_state.pop(SUGGESTIONS, None)
                st.session_state[FLASH] = f"Proposed {name} for {report.mentee}: approve it below."
                st.rerun()
    for e in report.excluded:
        st.caption(plain(f"Not suggested: {report.names.get(e.mentor_id, '?')}: {e.reason}"))
    b = m.balance(principal, slug)
    st.caption(
        plain(
            f"Balance over 90 days: {b.suggestions} suggestions, the busiest fifth of "
            f"{b.givers} givers holds {b.top_share:.0%}"
            + (" — concentrated" if b.concentrated else "")
        )
    )


# -- profiles --------------------------------------------------------------------------------


def _profiles(principal: Principal, m: MentoringService, slug: str) -> None:
    views = m.list_profiles(principal, slug)
    for v in views:
        p = v.profile
        with st.expander(plain(f"{v.username} · {ROLE_LABELS[p.role]}")):
            known = ", ".join(p.functions + p.markets + p.industries) or "–"
            st.markdown(plain(f"Expertise: {p.expertise or '–'}"))
            st.caption(
                plain(
                    f"Knows: {known} · style: {p.style or '–'} · languages: "
                    f"{', '.join(p.languages) or '–'} · seniority {p.seniority} · capacity "
                    f"{p.capacity} · available: {p.availability or '–'}"
                )
            )
            if p.goals:
                st.caption(plain(f"Strategic goals: {p.goals}"))
            for o in p.objectives:
                st.markdown(plain(f"· {o.text}" + (f" (serves: {o.goal})" if o.goal else "")))
    if m.may(principal, slug, Action.MANAGE_PROGRAMME):
        _import(principal, m, slug)
    _edit(principal, m, slug, [v.username for v in views])


def _import(principal: Principal, m: MentoringService, slug: str) -> None:
    st.subheader("Import profiles")
    st.caption(plain("A CSV file with a header row; columns: " + ", ".join(COLUMNS) + "."))
    upload = st.file_uploader("Profiles CSV", type=["csv"], key="profiles_csv")
    if upload is not None and st.button("Import", type="primary", key="import_profiles"):
        report = m.import_profiles(principal, slug, upload.getvalue())
        if report.errors:
            st.error("Nothing was imported. Fix these rows and import the file again:")
            for error in report.errors:
                st.markdown(plain(f"· {error}"))
        else:
            # Run the page again, so every tab (the mentees to match) shows the new profiles.
            st.session_state[FLASH] = f"Imported {report.saved} profiles."
            st.rerun()


def _edit(principal: Principal, m: MentoringService, slug: str, known: list[str]) -> None:
    st.subheader("Edit a profile")
    anyone = m.may(principal, slug, Action.EDIT_PROFILE)
    people = sorted(set(known) | {principal.username}) if anyone else [principal.username]
    who = st.selectbox("Person", people, index=people.index(principal.username), format_func=plain)
    role = st.selectbox("Role", list(ProfileRole), format_func=_role_label, key="edit_role")
    view = next(
        (
            v
            for v in m.list_profiles(principal, slug, ProfileRole(role or "mentor"))
            if v.username == who
        ),
        None,
    )
    p = view.profile if view else None
    with st.form(f"edit_profile:{who}:{role}"):
        cells = {"username": who or "", "role": str(role)}
        for name, label in _TEXT_FIELDS:
            value = getattr(p, name) if p else ""
            shown = "; ".join(value) if isinstance(value, tuple) else str(value)
            # Keyed by person and role: choosing another one fills the form with theirs.
            cells[name] = st.text_input(label, value=shown, key=f"edit_{name}:{who}:{role}")
        cells["manager"] = st.text_input("Manager (username)", value=view.manager if view else "")
        cells["conflicts"] = st.text_input(
            "Declared conflicts (usernames, separate with ;)",
            value="; ".join(view.conflicts) if view else "",
        )
        capacity = st.number_input("Capacity (pairings)", 0, 20, p.capacity if p else 1)
        seniority = st.number_input(
            "Seniority (1 junior – 9 senior)", 1, 9, p.seniority if p else 5
        )
        cells["capacity"], cells["seniority"] = str(capacity), str(seniority)
        lines = [f"{o.text} | {o.goal}" if o.goal else o.text for o in (p.objectives if p else ())]
        cells["objectives"] = st.text_area(
            "Learning objectives (mentees): one a line, 'objective | strategic goal'",
            value="\n".join(lines),
        )
        if st.form_submit_button("Save profile"):
            m.save_profile(principal, slug, cells)
            st.session_state[FLASH] = "Profile saved."
            st.rerun()


_TEXT_FIELDS = (
    ("expertise", "Expertise"),
    ("functions", "Functions known (separate with ;)"),
    ("markets", "Markets known (separate with ;)"),
    ("industries", "Industry experience (separate with ;)"),
    ("style", "Leadership style"),
    ("languages", "Languages (separate with ;)"),
    ("availability", "Availability"),
    ("goals", "Strategic goals (mentees)"),
)
