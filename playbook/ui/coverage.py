"""Coverage: the strategic goals and knowledge domains a programme declares, how well its
shared and published writing covers them in a period (a table and a bar chart), the gaps in
words, and the private writing's prompt categories as counts only. Coordinators declare,
edit, import and remove goals and domains here; sponsors and the others who view health
read. Small groups are withheld; no writer is ever named."""

from __future__ import annotations

import altair as alt
import streamlit as st

from playbook.models import Principal
from playbook.permissions import Action, Target, allows
from playbook.ports.coverage import Declaration, DeclarationKind
from playbook.services.health.coverage import CoverageReport
from playbook.services.health.figures import TOO_FEW, Period, Table
from playbook.services.health.report import PERIOD_LABELS, HealthError
from playbook.ui import common
from playbook.ui.common import current_user, permitted, plain
from playbook.ui.council import attempt, choose_programme, say

KEY = "coverage-said"  # what the last change did, shown after the rerun
HELD = "coverage-report"  # the report on screen and what it was built for
NEW = "(a new goal or domain)"
KIND_NAMES = {
    DeclarationKind.GOAL: "Strategic goal",
    DeclarationKind.DOMAIN: "Knowledge domain",
    DeclarationKind.MARKET: "Market",
    DeclarationKind.FUNCTION: "Function",
}
SOURCES = ("Debriefs", "Notes", "Entries")


def page() -> None:
    """Render the coverage page."""
    principal = current_user()
    if principal is None:
        st.stop()
    st.title("Coverage")
    st.caption(
        "What the programme writes about against the goals and domains it declares: from "
        "shared debriefs, session and council notes and published playbook entries. Private "
        "writing counts only by prompt category, never by its text. Documents are counted "
        "over the period you pick; writers and private writing over a whole calendar quarter "
        "that has ended, so that no two periods differ by one person's writing."
    )
    if not permitted(principal, Action.VIEW_HEALTH):
        return
    say(KEY)
    pid = choose_programme(principal, "coverage-programme")
    if pid is None:
        return
    c = common.get_container()
    names = {v: k for k, v in PERIOD_LABELS.items()}
    picked = st.radio(
        "Period",
        list(names),
        horizontal=True,
        key="coverage-period",
        format_func=lambda v: plain(v),
    )
    try:
        period = c.health.period(names[picked].value)
    except HealthError as exc:
        st.warning(plain(str(exc)[:1].upper() + str(exc)[1:]) + ".")
        return
    report = _report(principal, pid, period)
    if report is None:
        return
    _gaps(report)
    _coverage(report.table())
    _chart(report)
    _categories(report.category_table())
    if allows(principal, Action.CONFIGURE_HEALTH, Target.programme(pid)):
        _declare(principal, pid)


def _report(principal: Principal, pid: str, period: Period) -> CoverageReport | None:
    # Built (and audited as a view) when the programme or the period changes, after a
    # change to the declarations, or when asked; other reruns keep the one on screen.
    c = common.get_container()
    return common.held_view(
        HELD,
        (pid, period),
        lambda: c.coverage.report(principal, pid, period),
        refresh="coverage-refresh",
    )


def _gaps(report: CoverageReport) -> None:
    st.header("Gaps", anchor=False)
    st.caption(plain(f"Period {report.period.label} · {report.population}"))
    for gap in report.gaps:
        st.markdown("- " + plain(gap))


def _coverage(t: Table) -> None:
    st.header("Coverage of goals and domains", anchor=False)
    st.caption(plain(f"{t.period} · {t.note}"))
    if not t.rows:
        st.caption("Nothing is declared yet.")
        return
    _grid(t, "withheld")


def _chart(report: CoverageReport) -> None:
    rows = [
        {"Goal or domain": r.declaration.name, "Source": label, "Documents": n}
        for r in report.rows
        for label, n in zip(SOURCES, (r.debriefs, r.notes, r.entries), strict=True)
    ]
    if not rows:
        return
    # Vega draws the names as text in the chart, never as Markdown or HTML; no tooltips.
    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar()
        .encode(
            x=alt.X(
                "sum(Documents):Q",
                title="Documents in the period",
                axis=alt.Axis(tickMinStep=1, format="d"),  # whole documents
            ),
            y=alt.Y("Goal or domain:N", sort=None, title=None, axis=alt.Axis(labelLimit=260)),
            color=alt.Color("Source:N", title=None),
        )
    )
    st.altair_chart(chart, width="stretch", alt="Documents per goal or domain, by source")


def _categories(t: Table) -> None:
    st.header("Private writing by prompt category", anchor=False)
    st.caption(plain(f"{t.period} · {t.population}"))
    if not t.rows:
        st.caption("No private writing in the quarter counted.")
        return
    _grid(t, TOO_FEW)


def _grid(t: Table, withheld: str) -> None:
    # st.dataframe shows cells as plain text: declared names stay data. A withheld cell
    # reads as words, never as a blank that could pass for zero.
    st.dataframe(
        [
            {col: withheld if v is None else str(v) for col, v in zip(t.columns, row, strict=True)}
            for row in t.rows
        ],
        hide_index=True,
        width="stretch",
    )


def _declare(principal: Principal, pid: str) -> None:
    c = common.get_container()
    st.header("Declared goals and domains", anchor=False)
    declared = c.coverage.declarations(principal, pid)
    by_id = {d.declaration_id: d for d in declared}
    choice = st.selectbox(
        "Edit",
        [NEW, *by_id],
        format_func=lambda i: i if i == NEW else f"{by_id[i].name} ({by_id[i].kind.value})",
        key="coverage-edit",
    )
    current = by_id.get(choice)
    _form(principal, pid, current)
    if current is not None and st.button("Remove it", key=f"coverage-remove:{choice}"):
        attempt(
            KEY,
            _removed,
            principal,
            pid,
            current.declaration_id,
            said=f"Removed “{current.name}”.",
        )
    with st.expander("Import from a CSV file"):
        st.caption(
            "Columns kind,name,description,keywords (kind: goal, domain, market or function; "
            "keywords separated by semicolons). Every row is stored, or none when any is wrong."
        )
        upload = st.file_uploader("CSV file", type=["csv"], key="coverage-csv")
        if upload is not None and st.button("Import", key="coverage-import"):
            report = c.coverage.import_csv(principal, pid, upload.getvalue())
            if report.problems:
                st.warning("Nothing was imported; fix these rows and import the file again.")
                for problem in report.problems:
                    st.markdown("- " + plain(problem))
            else:
                _forget_report()
                st.session_state[KEY] = f"Declared {report.saved} goal(s) and domain(s)."
                st.rerun()


def _form(principal: Principal, pid: str, current: Declaration | None) -> None:
    # The widgets' keys follow the declaration being edited, so their values start from it.
    tag = current.declaration_id if current else "new"
    kinds = list(KIND_NAMES)
    with st.form(f"coverage-declare-{tag}"):
        kind = st.selectbox(
            "Kind",
            kinds,
            index=kinds.index(current.kind) if current else 0,
            format_func=KIND_NAMES.__getitem__,
            key=f"coverage-kind-{tag}",
        )
        name = st.text_input(
            "Name", value=current.name if current else "", key=f"coverage-name-{tag}"
        )
        description = st.text_area(
            "Description (optional)",
            value=current.description if current else "",
            key=f"coverage-description-{tag}",
        )
        keywords = st.text_input(
            "Keywords (optional, separated by semicolons)",
            value="; ".join(current.keywords) if current else "",
            key=f"coverage-keywords-{tag}",
        )
        if st.form_submit_button("Save", type="primary"):
            if current is not None:
                # A new kind or name is a new declaration: the old one goes.
                attempt(
                    KEY,
                    _renamed,
                    principal,
                    pid,
                    current,
                    kind,
                    name,
                    description,
                    keywords,
                    said="Saved.",
                )
            else:
                attempt(
                    KEY,
                    _declared,
                    principal,
                    pid,
                    kind,
                    name,
                    description,
                    keywords,
                    said="Saved.",
                )


def _forget_report() -> None:
    st.session_state.pop(HELD, None)


def _declared(
    principal: Principal, pid: str, kind: str, name: str, description: str, keywords: str
) -> None:
    common.get_container().coverage.declare(principal, pid, kind, name, description, keywords)
    _forget_report()
    # The form for a new one starts empty again after the rerun.
    for field in ("kind", "name", "description", "keywords"):
        st.session_state.pop(f"coverage-{field}-new", None)


def _renamed(
    principal: Principal,
    pid: str,
    old: Declaration,
    kind: str,
    name: str,
    description: str,
    keywords: str,
) -> None:
    service = common.get_container().coverage
    # Declared first: a refused name leaves the old declaration in place. The same kind and
    # name (in any case) is the same declaration, updated: nothing to remove then.
    saved = service.declare(principal, pid, kind, name, description, keywords)
    if saved.declaration_id != old.declaration_id:
        service.remove(principal, pid, old.declaration_id)
    _forget_report()


def _removed(principal: Principal, pid: str, declaration_id: str) -> None:
    common.get_container().coverage.remove(principal, pid, declaration_id)
    _forget_report()
