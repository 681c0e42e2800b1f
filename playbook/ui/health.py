"""Programme health: the report that gathers early-warning signals, pulse surveys, coverage
and the inclusion audit for a period, as the reader may see it (coordinators, stewards,
sponsors and champions), with CSV and PDF downloads. Every figure states its period and
population; a group too small to show reads "too few answers to show"."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

import streamlit as st

from playbook.models import Principal
from playbook.permissions import Action
from playbook.services.health.export import caption, shown_value, to_csv, to_pdf
from playbook.services.health.figures import TOO_FEW, Figure, Period, Section, Table
from playbook.services.health.report import (
    PERIOD_LABELS,
    HealthError,
    HealthReport,
    HealthService,
)
from playbook.ui import common
from playbook.ui.common import current_user, permitted, plain
from playbook.ui.council import choose_programme

KEY = "health-report"  # the report this session last built, with what it was built for
DATES = "Dates of my choosing"


def page() -> None:
    """Render the programme health page."""
    principal = current_user()
    if principal is None:
        st.stop()
    st.title("Programme health")
    st.caption(
        "How the programme is doing, from activity, counts, anonymous answers and consented "
        "attributes; never from anyone's private writing. Groups too small to show are "
        "withheld."
    )
    if not permitted(principal, Action.VIEW_HEALTH):
        return
    pid = choose_programme(principal, "health-programme")
    if pid is None:
        return
    c = common.get_container()
    try:
        period = _period(c.health.today())
    except HealthError as exc:
        st.warning(plain(str(exc)[:1].upper() + str(exc)[1:]) + ".")
        return
    # A report is built (and audited as a view) when the programme or period changes or the
    # reader asks again; a rerun for a download or a widget keeps the one on screen.

    def build() -> HealthReport:
        # Coverage's first view in a process embeds the declarations: it can take a while.
        with st.spinner("Putting the report together…"):
            return c.health.report(principal, pid, period, "page")

    report = common.held_view(KEY, (pid, period), build)
    if report is not None:
        _show(principal, report)


def _period(today: dt.date) -> Period:
    c = common.get_container()
    choices = [*PERIOD_LABELS.values(), DATES]
    picked = st.radio(
        "Period", choices, horizontal=True, key="health-period", format_func=lambda v: plain(v)
    )
    if picked != DATES:
        name = next(k for k, v in PERIOD_LABELS.items() if v == picked)
        return c.health.period(name.value)
    first, last = st.columns(2)
    start = first.date_input(
        "First day", value=today - dt.timedelta(days=29), max_value=today, key="health-from"
    )
    end = last.date_input("Last day", value=today, max_value=today, key="health-to")
    # A cleared date input gives None: the period's own check says what is missing.
    return c.health.period(
        None,
        start if isinstance(start, dt.date) else None,
        end if isinstance(end, dt.date) else None,
    )


def _show(principal: Principal, report: HealthReport) -> None:
    c = common.get_container()
    st.caption(
        plain(
            f"{report.programme} · period {report.period.label} · "
            f"{report.population_label} · generated {report.generated_at:%Y-%m-%d %H:%M} UTC"
        )
    )
    name = f"health-{report.period.start}-{report.period.end}"
    # The files are made when a button is clicked (a PDF takes a second to lay out), and
    # the making is what is audited as the export.
    downloads: list[tuple[str, Callable[[], str | bytes], str, str]] = [
        ("Download CSV", functools.partial(_export, c.health, principal, report, "csv"), "csv",
         "text/csv"),
        ("Download PDF", functools.partial(_export, c.health, principal, report, "pdf"), "pdf",
         "application/pdf"),
    ]  # fmt: skip
    for col, (label, data, ext, mime) in zip(st.columns(2), downloads, strict=True):
        col.download_button(label, data, f"{name}.{ext}", mime, key=f"health-{ext}")
    if not report.sections:
        st.info("No health source is installed yet; there is nothing to report.")
    for s in report.sections:
        _section(s)


def _export(
    health: HealthService, principal: Principal, report: HealthReport, ext: str
) -> str | bytes:
    # Runs on a thread of its own when the button is clicked: it is handed the service.
    health.exported(principal, report, f"page {ext}")
    return to_csv(report) if ext == "csv" else to_pdf(report)


def _section(s: Section) -> None:
    st.header(plain(s.title), anchor=False)
    for note in s.notes:
        st.caption(plain(note))
    columns = st.columns(min(3, len(s.figures))) if s.figures else []
    for i, f in enumerate(s.figures):
        with columns[i % len(columns)]:
            _figure(f)
    for t in s.tables:
        _table(t)


def _figure(f: Figure) -> None:
    if f.value is None:
        # The sentence in a metric's large type would be cut off: it is said in words.
        st.markdown(f"{plain(f.label)}  \n**{plain(TOO_FEW)}**")
    else:
        # The value is the report's own number, never user text; it goes through plain()
        # all the same, as a metric's value is Markdown.
        st.metric(plain(f.label), plain(shown_value(f.value)))
    st.caption(plain(caption(f.period, f.population, f.note)))


def _table(t: Table) -> None:
    st.subheader(plain(t.title), anchor=False)
    st.caption(plain(caption(t.period, t.population, t.note)))
    if not t.rows:
        st.caption("Nothing to count in this period.")
        return
    # A static table (an HTML table a screen reader reads, unlike the data grid's canvas).
    # Its cells are Markdown, so every header and cell goes through plain(); headers are
    # made unique (the table keys on them), and a withheld cell reads as the sentence.
    headers = [plain(h) for h in _unique(t.columns)]
    rows = [
        {h: plain(shown_value(r[i]) if i < len(r) else "") for i, h in enumerate(headers)}
        for r in t.rows
    ]
    st.table(rows, width="content")


def _unique(columns: tuple[str, ...]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for col in columns:
        seen[col] = seen.get(col, 0) + 1
        out.append(col if seen[col] == 1 else f"{col} ({seen[col]})")
    return out
