"""Admin: users and their roles per programme, passwords, the redaction roster and terms that
apply to everyone, and the audit log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from playbook.models import Principal, Role, StoreError
from playbook.permissions import Action
from playbook.services.privacy import PrivacyError
from playbook.ui import common
from playbook.ui.common import current_user, plain


def page() -> None:
    """Render the admin page (admins only)."""
    principal = current_user()
    if principal is None:
        st.stop()
    st.title("Administration")
    if not common.permitted(principal, Action.MANAGE_USERS):
        return
    users, privacy, audit = st.tabs(["Users and roles", "Roster and terms", "Audit log"])
    with users:
        _users(principal)
    with privacy:
        if common.permitted(principal, Action.MANAGE_PRIVACY):
            _privacy(principal)
    with audit:
        if common.permitted(principal, Action.VIEW_AUDIT):
            _audit(principal)


def _users(admin: Principal) -> None:
    c = common.get_container()
    rows = [
        {
            "user": u.username,
            "name": u.display_name,
            "roles": "; ".join(
                f"{p}: {', '.join(r.value for r in rs)}" for p, rs in u.roles.items()
            ),
            "status": "active" if u.active else "deactivated",
        }
        for u in c.administration.users(admin)
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    st.dataframe(
        [
            {"programme": s, "name": n, "people": k}
            for s, n, k in c.administration.programmes(admin)
        ],
        hide_index=True,
        width="stretch",
    )
    st.caption("A programme is created when someone is first given a role in it.")
    names = [u.username for u in c.administration.users(admin)]
    _add_user(admin)
    with st.form("roles"):
        st.markdown("**Set a user's roles in a programme**")
        cols = st.columns(3)
        who = cols[0].selectbox("User", names, key="roles:user")
        programme = cols[1].text_input("Programme", value="default", key="roles:programme")
        roles = cols[2].multiselect("Roles", list(Role), key="roles:roles")
        if st.form_submit_button("Save roles") and _apply(
            lambda: c.administration.set_roles(
                admin, str(who), roles, programme.strip() or "default"
            )
        ):
            st.success(f"Saved the roles of {plain(who)}.")
    with st.form("deactivate"):
        st.markdown("**Deactivate an account** (it cannot sign in; its open sessions end)")
        left, right = st.columns([3, 1])
        who = left.selectbox("Account to deactivate or reactivate", names, key="active:user")
        undo = right.checkbox("Reactivate instead", key="active:undo")
        if st.form_submit_button("Apply") and _apply(
            lambda: c.administration.set_active(admin, str(who), active=undo)
        ):
            st.success(f"{plain(who)} is {'active again' if undo else 'deactivated'}.")
    with st.form("link-sso"):
        st.markdown("**Single sign-on**: link a user to the e-mail their provider vouches for")
        left, right = st.columns(2)
        who = left.selectbox("User to link", names, key="sso:user")
        email = right.text_input("E-mail (leave empty to unlink)", key="sso:email")
        if st.form_submit_button("Link"):
            done = "Linked" if email.strip() else "Unlinked"
            if _apply(lambda: c.administration.link_sso(admin, str(who), email.strip() or None)):
                st.success(f"{done} {plain(who)}.")


def _add_user(admin: Principal) -> None:
    c = common.get_container()
    with st.form("add-user", clear_on_submit=False):
        st.markdown("**Add a user**")
        cols = st.columns(3)
        username = cols[0].text_input("Username", autocomplete="off")
        display_name = cols[1].text_input("Display name (optional)")
        email = cols[2].text_input("E-mail for single sign-on (optional)")
        cols = st.columns(3)
        programme = cols[0].text_input("Programme", value="default")
        roles = cols[1].multiselect("Roles", list(Role), default=[Role.LEADER])
        password = cols[2].text_input(
            "Password (optional)", type="password", autocomplete="new-password"
        )
        if st.form_submit_button("Add user", type="primary"):
            name = username.strip().lower()
            # Every field is checked before the account exists: a refusal creates nothing.
            if _apply(
                lambda: c.administration.create_user(
                    admin,
                    name,
                    roles,
                    programme,
                    display_name=display_name,
                    email=email.strip() or None,
                    password=password or None,
                )
            ):
                st.success(f"Saved {plain(name)}.")


def _apply(change: Callable[[], object]) -> bool:
    """Make ``change``; True when it was made, else say why it was refused (the caller then
    says what was done, its user text through ``plain``)."""
    try:
        change()
    except (StoreError, ValueError) as exc:
        st.warning(plain(str(exc)[:1].upper() + str(exc)[1:]) + ".")
        return False
    return True


def _privacy(principal: Principal) -> None:
    c = common.get_container()
    caption = st.empty()  # filled last, so it counts the roster an upload just replaced
    upload = st.file_uploader(
        "Upload a roster (CSV with a name column, optional email)", type="csv"
    )
    if upload is not None and st.button("Replace the roster", type="primary"):
        try:
            n = c.privacy.set_roster(principal, upload.getvalue().decode("utf-8-sig"))
        except (PrivacyError, ValueError, UnicodeDecodeError) as exc:
            st.warning(f"The roster was not changed: {plain(str(exc))}.")
        else:
            c.administration.record_roster_upload(principal, n)
            st.success(
                f"Roster replaced: {common.count(n, 'person', 'people')}. Run "
                "`playbook reindex --re-redact` to apply it to what is already stored."
            )
    people = len(c.privacy.roster().people)
    caption.caption(
        f"The roster holds {common.count(people, 'person', 'people')}; every form of their "
        "names is always redacted. It is stored encrypted; names are not shown here."
    )
    settings = c.settings
    with st.expander("Redaction settings from the server's environment (read only)"):
        st.markdown(
            f"- spaCy model: {plain(Path(settings.spacy_model).name)}\n"
            f"- allow terms (`PLAYBOOK_ALLOW_TERMS`): {len(settings.allow_terms)}\n"
            "- employee-id patterns (`PLAYBOOK_EMPLOYEE_ID_PATTERNS`): "
            f"{len(settings.employee_id_patterns)}"
        )
    st.markdown("**Terms for everyone**")
    for t in c.privacy.terms(None):
        st.markdown(f"- {plain(t.kind)}: {plain(t.term)}")
    with st.form("term"):
        cols = st.columns([1, 3])
        kind = cols[0].selectbox("List", ["deny", "allow"])
        term = cols[1].text_input("Term")
        if st.form_submit_button("Add"):
            try:
                c.privacy.add_term(None, str(kind), term)
            except (PrivacyError, ValueError) as exc:
                st.warning(plain(str(exc).capitalize()) + ".")
            else:
                c.administration.record_term_added(principal, str(kind))
                st.rerun()


def _audit(principal: Principal) -> None:
    c = common.get_container()
    anyone = "Anyone"
    cols = st.columns(4)
    person = cols[0].selectbox(
        "Person (who acted, or whom it was about)",
        [anyone, *c.administration.audit_people(principal)],
        key="audit:person",
    )
    action = cols[1].text_input("Action contains (e.g. sign-in)", key="audit:action")
    since = cols[2].date_input("From", value=None, key="audit:since")
    until = cols[3].date_input("To", value=None, key="audit:until")
    events = c.administration.audit_events(
        principal,
        action.strip() or None,
        limit=500,
        person=None if person == anyone else str(person),
        since=since if isinstance(since, dt.date) else None,
        until=until if isinstance(until, dt.date) else None,
    )
    shown = len(events)
    st.caption(f"{common.count(shown, 'line')} (the newest 500 at most).")
    st.dataframe(
        [
            {
                "at": e.at.strftime("%Y-%m-%d %H:%M:%S"),
                "actor": e.actor or "",
                "action": e.action,
                "subject": e.subject,
                "detail": e.detail,
            }
            for e in events
        ],
        hide_index=True,
        width="stretch",
    )
    everything, lines = c.administration.audit_csv(principal)
    st.download_button(
        "Download the audit log (CSV)",
        everything,
        "audit-log.csv",
        "text/csv",
        on_click=c.administration.record_audit_export,
        args=(principal, "audit-log.csv", lines),
    )
