"""Inclusion: everyone may declare their own optional attributes here, with consent, see
them and withdraw them; coordinators configure what the programme asks; those who view
programme health see the inclusion audit (aggregates only, small groups withheld, whole
quarters) as tables and a chart, and a cross-tab of two attributes when it is safe."""

from __future__ import annotations

import datetime as dt

import altair as alt
import streamlit as st

from playbook.models import Principal
from playbook.permissions import Action, NotAllowedError, Target, allows
from playbook.ports.inclusion import AttributeSpec
from playbook.ports.programme import quarter_days, quarter_of
from playbook.services.health.figures import Table
from playbook.services.health.inclusion import AuditView
from playbook.services.health.inclusion.config import parse_spec, standing_note
from playbook.ui import common
from playbook.ui.common import current_user, plain
from playbook.ui.council import attempt, choose_programme, say

KEY = "inclusion-said"  # what the last change did, shown after the rerun
HELD = "inclusion-audit"  # the audit on screen and what it was built for
NONE = "(not declared)"


def page() -> None:
    """Render the inclusion page."""
    principal = current_user()
    if principal is None:
        st.stop()
    st.title("Inclusion")
    st.caption(
        "Optional, self-declared details used only in aggregate: whether participation, "
        "pairing and the showcase reach every group of the programme. Nobody else can see "
        "what you declare."
    )
    say(KEY)
    pid = choose_programme(principal, "inclusion-programme")
    if pid is None:
        return
    _mine(principal, pid)
    target = Target.programme(pid)
    if allows(principal, Action.CONFIGURE_HEALTH, target):
        _configure(principal, pid)
    if allows(principal, Action.VIEW_HEALTH, target):
        _audit(principal, pid)


# -- my attributes ---------------------------------------------------------------------------


def _mine(principal: Principal, pid: str) -> None:
    c = common.get_container()
    st.header("My attributes", anchor=False)
    specs = c.inclusion.attributes(principal, pid)
    held = {d.attribute: d for d in c.inclusion.mine(principal, pid)}
    # Only the person's own waiting declarations get a count of people waiting: it tells
    # nothing of anyone's values.
    more = c.inclusion.still_needed(principal, pid)
    if held:
        st.dataframe(
            [
                {
                    "Attribute": _label(specs, d.attribute),
                    "Value": d.value,
                    "Consented": f"{d.consented_at:%Y-%m-%d %H:%M} UTC",
                    "In the audit": standing_note(more.get(d.attribute)),
                }
                for d in held.values()
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption("You have declared nothing.")
    with st.form("inclusion-declare"):
        chosen: dict[str, str] = {}
        for s in specs:
            now = held[s.name].value if s.name in held else ""
            if s.values:
                options = [NONE, *s.values]
                pick = st.selectbox(
                    plain(s.label),
                    options,
                    index=options.index(now) if now in options else 0,
                    key=f"inclusion-value-{s.name}",
                )
                chosen[s.name] = "" if pick == NONE else pick
            else:
                chosen[s.name] = st.text_input(
                    plain(f"{s.label} (free choice; leave empty to declare nothing)"),
                    value=now,
                    key=f"inclusion-value-{s.name}",
                )
        st.caption(plain(c.inclusion.consent_text()))
        agreed = st.checkbox("I agree to the text above", key="inclusion-consent")
        if st.form_submit_button("Save my attributes", type="primary"):
            attempt(KEY, _declare, principal, pid, chosen, set(held), agreed, said="Saved.")
    if held and st.button("Withdraw everything I declared", key="inclusion-withdraw"):
        attempt(
            KEY,
            c.inclusion.withdraw,
            principal,
            pid,
            said="Withdrawn: your attributes were deleted.",
        )


def _label(specs: list[AttributeSpec], name: str) -> str:
    return next((s.label for s in specs if s.name == name), name)


def _declare(
    principal: Principal, pid: str, chosen: dict[str, str], held: set[str], agreed: bool
) -> None:
    inclusion = common.get_container().inclusion
    given = {k: v for k, v in chosen.items() if v.strip()}
    cleared = sorted(k for k, v in chosen.items() if not v.strip() and k in held)
    if given:
        inclusion.declare(principal, pid, given, agreed)
    elif not cleared:
        raise ValueError("choose at least one value, or withdraw what you declared")
    if cleared:
        inclusion.withdraw(principal, pid, cleared)  # set back to "not declared": deleted
    st.session_state.pop(HELD, None)


# -- configuration ---------------------------------------------------------------------------


def _configure(principal: Principal, pid: str) -> None:
    c = common.get_container()
    st.header("What the programme asks", anchor=False)
    specs = c.inclusion.attributes(principal, pid)
    st.caption(
        "One attribute a line: key:Label=value,value,... (no values: free choice, redacted "
        "before it is stored). Declarations of attributes or values no longer asked are "
        "deleted."
    )
    current = "\n".join(
        f"{s.name}:{s.label}" + (f"={','.join(s.values)}" if s.values else "") for s in specs
    )
    with st.form("inclusion-configure"):
        text = st.text_area("Attributes", value=current, key="inclusion-config")
        if st.form_submit_button("Save the attributes"):
            attempt(KEY, _configured, principal, pid, text, said="Saved the attributes.")


def _configured(principal: Principal, pid: str, text: str) -> None:
    specs = [parse_spec(line) for line in text.splitlines() if line.strip()]
    common.get_container().inclusion.configure(principal, pid, specs)
    st.session_state.pop(HELD, None)


# -- the audit -------------------------------------------------------------------------------


def _quarters() -> list[str]:
    # The four latest whole quarters that have ended: the audit covers no other period.
    latest = common.get_container().inclusion.latest_quarter()
    out = [latest]
    while len(out) < 4:
        start, _ = quarter_days(out[-1])
        out.append(quarter_of(start - dt.timedelta(days=1)))
    return out


def _audit(principal: Principal, pid: str) -> None:
    st.header("Inclusion audit", anchor=False)
    quarter = st.selectbox("Quarter", _quarters(), key="inclusion-quarter")
    view = _view(principal, pid, quarter)
    if view is None:
        return
    st.caption(plain(f"{view.quarter}: {view.period.label} · {view.members} members"))
    for note in view.notes:
        st.info(plain(note))
    for t in view.tables:
        _table(t)
    if view.tables:
        _chart(view)
        _crosstab(principal, pid, view)


def _view(principal: Principal, pid: str, quarter: str) -> AuditView | None:
    # Built (and audited as a view) when the programme or quarter changes, or when asked;
    # other reruns keep the one on screen.
    c = common.get_container()
    return common.held_view(
        HELD,
        (pid, quarter),
        lambda: c.inclusion.audit_view(principal, pid, quarter),
        refresh="inclusion-refresh",
        refusals=(NotAllowedError, ValueError),
    )


def _cell(value: object) -> str:
    return "withheld" if value is None else str(value)


def _table(t: Table) -> None:
    st.subheader(plain(t.title), anchor=False)
    st.caption(plain(f"{t.period} · {t.population}"))
    # st.dataframe shows cells as plain text: group names stay data.
    st.dataframe(
        [{col: _cell(v) for col, v in zip(t.columns, row, strict=True)} for row in t.rows],
        hide_index=True,
        width="stretch",
    )
    st.caption(plain(t.note))


def _chart(view: AuditView) -> None:
    titles = [t.title for t in view.tables]
    picked = st.selectbox("Chart of shares", titles, key="inclusion-chart")
    t = view.tables[titles.index(picked)]
    shares = [i for i, col in enumerate(t.columns) if col.startswith("%")]
    rows = [
        {"Group": row[0], "Share of": t.columns[i][5:], "Percent": row[i]}
        for row in t.rows[:-1]  # the last row is everyone
        for i in shares
        if isinstance(row[i], float)
    ]
    if not rows:
        st.caption("Every share is withheld this quarter.")
        return
    # Vega draws the group names as text, never as Markdown or HTML; withheld shares are
    # left out, not drawn as zero.
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X("Percent:Q", title="Percent of the column's shown total"),
            y=alt.Y("Group:N", sort=None, title=None),
            color=alt.Color("Share of:N", title=None),
            yOffset="Share of:N",
        )
    )
    st.altair_chart(chart, width="stretch", alt="Shares of each group, by what is counted")


def _crosstab(principal: Principal, pid: str, view: AuditView) -> None:
    c = common.get_container()
    specs = c.inclusion.attributes(principal, pid)
    if len(specs) < 2:
        return
    with st.expander("Cross-tab of two attributes"):
        st.caption(
            "Shown only when no combination needs withholding: a cross-tab with withheld "
            "cells could be worked back from the tables above."
        )
        names = [s.name for s in specs]
        first = st.selectbox("First", names, key="inclusion-x1")
        second = st.selectbox("Second", names, index=1, key="inclusion-x2")
        if st.button("Show the cross-tab", key="inclusion-crosstab"):
            try:
                _table(c.inclusion.crosstab(principal, pid, first, second))
            except (NotAllowedError, ValueError) as exc:
                st.info(plain(str(exc)[:1].upper() + str(exc)[1:]) + ".")
