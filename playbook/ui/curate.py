"""Curate: coordinators promote shared items into entries, edit them, move them through review
and publication, verify them on time, and read what members say about them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import streamlit as st

from playbook import lifecycle
from playbook.lifecycle import content_of
from playbook.models import (
    SECTION_LABELS,
    SECTIONS,
    Entry,
    EntryConflictError,
    EntryContent,
    EntrySource,
    Principal,
)
from playbook.permissions import Action, NotAllowedError, read_scope
from playbook.services.curation import EntryFormError, merge
from playbook.services.curation.review import Declined
from playbook.ui import common
from playbook.ui.common import current_user, plain

OPEN = "curate_open"  # session key: the entry being edited
STATUS_LABEL = {
    "draft": "Draft",
    "in_review": "In review",
    "published": "Published",
    "archived": "Archived",
}


def page() -> None:
    """Render the curation workspace."""
    principal = current_user()
    if principal is None:
        st.stop()
    st.title("Curate the playbook")
    if not common.permitted(principal, Action.CURATE):
        return
    c = common.get_container()
    linked = st.query_params.get("entry")  # a link from a notification on Home
    if linked:
        del st.query_params["entry"]  # opened once: closing the editor stays closed
        _open(linked)
    if st.session_state.get(OPEN):
        _editor(principal, st.session_state[OPEN])
        return
    queue, entries, promote = st.tabs(["Review queue", "Entries", "Promote shared items"])
    with queue:
        _queue(principal)
    with entries:
        for e in c.curation.listing(principal):
            _entry_row(e, "list")
    with promote:
        _promote(principal)


def _open(entry_id: str) -> None:
    st.session_state[OPEN] = entry_id
    st.session_state.pop(f"loaded:{entry_id}", None)


def _close() -> None:
    st.session_state.pop(OPEN, None)


def _entry_row(e: Entry, where: str) -> None:
    cols = st.columns([5, 2, 2, 1])
    cols[0].markdown(f"**{plain(e.content.title.strip())}**")
    cols[1].caption(STATUS_LABEL[e.status.value])
    cols[2].caption(f"review by {e.review_due}" if e.review_due else "no review date")
    cols[3].button("Open", key=f"open:{where}:{e.entry_id}", on_click=_open, args=(e.entry_id,))


def _queue(principal: Principal) -> None:
    c = common.get_container()
    q = c.curation.review_queue(principal)
    declined = q.get("declined", [])
    if declined:
        st.subheader(f"Your submissions sent back ({len(declined)})")
        names = c.administration.usernames({d.by for _, d in declined})
        for e, d in declined:
            _declined_warning(d, names)
            _entry_row(e, "declined")
    st.subheader(f"Awaiting review ({len(q['in_review'])})")
    for e in q["in_review"]:
        _entry_row(e, "review")
    st.subheader(f"Due or overdue for verification ({len(q['due'])})")
    today = c.curation.today()
    for e in q["due"]:
        state = lifecycle.review_state(e.review_due, today)
        st.caption(f"{state}: {plain(e.content.title)}")
        _entry_row(e, "due")
    st.subheader(f"Reader feedback ({len(q['feedback'])})")
    for fb in q["feedback"]:
        verdict = "This helped" if fb["verdict"] == "helped" else "This is outdated"
        cols = st.columns([6, 1, 1])
        cols[0].markdown(f"**{verdict}** · {plain(fb['title'])}")
        cols[1].button("Open", key=f"fb-open:{fb['id']}", on_click=_open, args=(fb["entry_id"],))
        if cols[2].button("Resolve", key=f"fb-resolve:{fb['id']}"):
            _resolve(c.curation.resolve_feedback, principal, fb["id"])
        if fb["comment"]:
            st.text(fb["comment"])
    answers = q.get("answers", [])
    if answers:
        st.subheader(f"Feedback on answers ({len(answers)})")
        for v in answers:
            verdict = "This helped" if v.verdict == "helped" else "This is wrong"
            with st.expander(f"{verdict} · {plain(v.question)}"):
                st.caption(plain(f"Asked {v.created_at:%Y-%m-%d %H:%M} UTC. The answer given:"))
                st.text(v.answer)
                if v.comment:
                    st.caption("The reader's comment:")
                    st.text(v.comment)
                if v.document_ids:
                    st.caption(f"It cited {common.count(len(v.document_ids), 'source')}.")
                if st.button("Resolve", key=f"ans-resolve:{v.feedback_id}"):
                    _resolve(c.curation.resolve_answer, principal, v.feedback_id)


def _resolve(resolve: Callable[[Principal, Any], None], principal: Principal, item: Any) -> None:
    try:
        resolve(principal, item)
    except EntryFormError as exc:
        st.warning(plain(str(exc).capitalize()) + ".")
        return
    st.toast("Resolved: it has left the review queue.")
    st.rerun()


def _declined_warning(d: Declined, names: dict[str, str], tail: str = ".") -> None:
    """Who declined an entry, on which day, and why (their words as plain text)."""
    who = plain(names.get(d.by, "a reviewer"))
    when = plain(f"{d.at:%Y-%m-%d}")
    why = f": {plain(d.reason.rstrip('.'))}" if d.reason else " (no reason given)"
    st.warning(f"Declined by {who} on {when}{why}{plain(tail)}")


def _promote(principal: Principal) -> None:
    c = common.get_container()
    items = c.curation.promotable(principal, limit=500)
    if not items:
        st.info("Nothing shared yet: approved shared reflections and debriefs appear here.")
        return
    query = st.text_input("Find shared items", placeholder="e.g. distributor margins")
    if query.strip():
        try:
            hits = c.retriever.search(query, read_scope(principal), 50)
        except ValueError as exc:
            st.warning(plain(str(exc).capitalize()) + ".")
            return
        rank = {h.document_id: i for i, h in reversed(list(enumerate(hits)))}
        items = sorted(
            (d for d in items if d.document_id in rank), key=lambda d: rank[d.document_id]
        )
        if not items:
            st.info("No shared item matches; try other words.")
            return
    st.caption("Choose shared items about one decision; a draft entry is written from them.")
    with st.form("promote"):
        chosen = [
            d.document_id
            for d in items
            if st.checkbox(
                f"{plain(d.title)} · {d.kind.value.replace('_', ' ')}", key=f"pick:{d.document_id}"
            )
        ]
        go = st.form_submit_button("Draft an entry", type="primary")
    if go:
        limited = common.model_limit(principal)
        try:
            entry, mode = c.curation.promote(principal, chosen)
        except (EntryFormError, NotAllowedError) as exc:
            st.warning(plain(str(exc).capitalize()) + ".")
            return
        how = "by the language model" if mode == "llm" else "from the items' own sentences"
        st.toast(
            f"Draft written {how}." + (f" {limited[0].upper()}{limited[1:]}." if limited else "")
        )
        for doc_id in chosen:  # drafted: the next draft starts from an empty choice
            st.session_state.pop(f"pick:{doc_id}", None)
        _open(entry.entry_id)
        st.rerun()


def _editor(principal: Principal, entry_id: str) -> None:
    c = common.get_container()
    try:
        entry = c.curation.readable(principal, entry_id)
    except Exception as exc:  # gone, or no longer theirs to curate
        st.button("← All entries", on_click=_close)
        st.warning(f"This entry cannot be opened: {plain(str(exc))}.")
        return
    # The version this page loaded: a save made against it is refused if someone saved since.
    loaded = st.session_state.setdefault(f"loaded:{entry_id}", entry.version)
    st.subheader(plain(entry.content.title), anchor=False)  # no anchor named by user text
    due = f" · review by {entry.review_due}" if entry.review_due else ""
    st.caption(f"{STATUS_LABEL[entry.status.value]} · version {entry.version}{due}")
    decision = c.curation.declined(principal, entry_id)
    if decision is not None:
        names = c.administration.usernames({decision.by})
        _declined_warning(decision, names, ". Change it and submit it again.")
    conflict = st.session_state.get(f"conflict:{entry_id}")
    if conflict:
        _conflict(principal, entry, conflict)
    sources = c.curation.sources(principal, entry_id)
    # Every action is a button of this one form, so what was typed arrives with the click:
    # an action on an entry with unsaved changes saves them first (or says why it cannot).
    with st.form(f"entry:{entry_id}"):
        content = _fields(entry, sources)
        reason = ""
        if entry.status.value == "in_review":
            reason = st.text_area(
                "Reason, if you decline it (the author is shown it)", key=f"reason:{entry_id}"
            )
        pressed = _buttons(entry)
    if pressed == "close":
        if content != entry.content:
            st.session_state[f"leaving:{entry_id}"] = True
        else:
            _close()
            st.rerun()
    elif pressed == "save":
        _save(principal, entry_id, loaded, content)
    elif pressed:
        _act(principal, entry, loaded, content, pressed, reason)
    if st.session_state.get(f"leaving:{entry_id}"):
        changed = plain(", ".join(_changed(entry.content, content)))
        if not changed:  # the browser's widget values caught up in a later run: close
            st.session_state.pop(f"leaving:{entry_id}", None)
            _close()
            st.rerun()
        st.warning(f"You have unsaved changes ({changed}). Save them, or close without them.")
        if st.button("Close without saving", key=f"discard:{entry_id}"):
            st.session_state.pop(f"leaving:{entry_id}", None)
            _close()
            st.rerun()
    _history(principal, entry)


def _fields(entry: Entry, sources: list[EntrySource]) -> EntryContent:
    """The editor's fields, read back as the content they would save."""
    c = common.get_container()
    title = st.text_input("Title", value=entry.content.title)
    sections = {}
    for name in SECTIONS:
        sections[name] = st.text_area(
            SECTION_LABELS[name], value=entry.content.sections.get(name, ""), height=90
        )
        pointers = [(s.title, p) for s in sources for p in s.pointers if p.get("section") == name]
        for source_title, p in pointers:
            quoted = plain(str(p.get("text", "")))
            st.caption(f"↳ from “{plain(source_title)}”: {quoted}")
    cols = st.columns(4)
    function = cols[0].text_input("Function", value=entry.content.function or "")
    market = cols[1].text_input("Market", value=entry.content.market or "")
    competency = cols[2].text_input("Competency", value=entry.content.competency or "")
    interval = cols[3].number_input(
        "Review every (days)",
        min_value=1,
        max_value=3650,
        value=entry.content.review_interval_days,
    )
    tags = st.text_input("Tags", value=", ".join(entry.content.tags))
    candidates = c.administration.coordinators(entry.programme_id)
    options: list[str | None] = [None, *sorted(candidates, key=candidates.__getitem__)]
    current = entry.content.verifier_id
    verifier = st.selectbox(
        "Verifier (verifies it stays true; any coordinator when none)",
        options,
        index=options.index(current) if current in options else 0,
        format_func=lambda uid: "none" if uid is None else candidates[uid],
    )
    return EntryContent(
        title=title,
        sections={k: v for k, v in sections.items() if v.strip()},
        function=function or None,
        market=market or None,
        competency=competency or None,
        tags=tuple(t.strip() for t in tags.split(",") if t.strip()),
        verifier_id=verifier,
        review_interval_days=int(interval),
    )


def _changed(stored: EntryContent, typed: EntryContent) -> list[str]:
    """The names of the fields ``typed`` changes, for a warning that names them."""
    names = ["Title"] if stored.title != typed.title else []
    names += [
        SECTION_LABELS[n] for n in SECTIONS if stored.sections.get(n) != typed.sections.get(n)
    ]
    for label, field in (
        ("Function", "function"),
        ("Market", "market"),
        ("Competency", "competency"),
        ("Tags", "tags"),
        ("Verifier", "verifier_id"),
        ("Review interval", "review_interval_days"),
    ):
        if getattr(stored, field) != getattr(typed, field):
            names.append(label)
    return names


LABELS = {
    "submit": "Submit for review",
    "return": "Decline",
    "publish": "Publish",
    "revise": "Start a revision",
    "archive": "Archive",
    "restore": "Restore as draft",
    "verify": "Verify: still holds",
}


def _buttons(entry: Entry) -> str | None:
    """The form's buttons; which one was pressed ("save", "close", an action), if any."""
    names = [a.value for a in lifecycle.allowed(entry.status)]
    if entry.status.value == "published":
        names.append("verify")
    cols = st.columns(len(names) + 2)
    pressed = None
    if cols[0].form_submit_button("Save", type="primary"):
        pressed = "save"
    for col, name in zip(cols[1:], names, strict=False):
        if col.form_submit_button(plain(LABELS[name]), key=f"act:{name}:{entry.entry_id}"):
            pressed = name
    if cols[-1].form_submit_button("← All entries", key=f"close:{entry.entry_id}"):
        pressed = "close"
    return pressed


def _act(
    principal: Principal,
    entry: Entry,
    loaded: int,
    content: EntryContent,
    action: str,
    reason: str,
) -> None:
    """Save what was typed (when it differs from the stored entry), then act on that
    version; a save that fails stops the action, so nothing is acted on unseen."""
    c = common.get_container()
    refused = c.curation.refusal(principal, entry.entry_id, action)
    if action == "return" and not reason.strip():
        refused = "say why you decline it, in the reason box: its author is shown it"
    if refused:
        unsaved = " Your changes are not saved yet." if content != entry.content else ""
        st.warning(plain(refused[:1].upper() + refused[1:]) + "." + unsaved)
        return
    version = entry.version
    saved_note = ""
    if content != entry.content:
        saved = _save(principal, entry.entry_id, loaded, content, rerun=False)
        if saved is None:
            return
        version, saved_note = saved.version, f"Saved as version {saved.version}, then "
    try:
        if action == "verify":
            c.curation.verify(principal, entry.entry_id, version)
        elif action == "return":
            c.curation.decline(principal, entry.entry_id, version, reason)
        else:
            c.curation.act(principal, entry.entry_id, version, action)
    except (
        EntryConflictError,
        EntryFormError,
        lifecycle.TransitionError,
        NotAllowedError,
    ) as exc:
        st.warning(plain(str(exc).capitalize()) + ".")
        return
    st.session_state.pop(f"loaded:{entry.entry_id}", None)
    done = plain(DONE[action])
    st.toast(f"{saved_note}{done}" if saved_note else plain(DONE[action].capitalize()))
    st.rerun()


DONE = {
    "submit": "submitted for review.",
    "return": "declined: the author is shown your reason.",
    "publish": "published.",
    "revise": "a revision is started.",
    "archive": "archived.",
    "restore": "restored as a draft.",
    "verify": "verified: the review date moved on.",
}


def _save(
    principal: Principal,
    entry_id: str,
    version: int,
    content: EntryContent,
    rerun: bool = True,
) -> Entry | None:
    c = common.get_container()
    try:
        saved = c.curation.edit(principal, entry_id, version, content)
    except EntryConflictError as exc:
        st.session_state[f"conflict:{entry_id}"] = content
        st.session_state[f"loaded:{entry_id}"] = version
        st.warning(plain(str(exc).capitalize()) + f" (by {exc.current.updated_at:%H:%M} UTC).")
        st.rerun()
    except (EntryFormError, lifecycle.TransitionError) as exc:
        st.warning("Not saved, nothing else done: " + plain(str(exc)) + ".")
        return None
    st.session_state[f"loaded:{entry_id}"] = saved.version
    st.session_state.pop(f"leaving:{entry_id}", None)
    if rerun:
        st.toast(f"Saved as version {saved.version}.")
        st.rerun()
    return saved


def _conflict(principal: Principal, current: Entry, mine: EntryContent) -> None:
    """Someone saved first: merge field by field, or reload theirs. Nothing is overwritten
    without the coordinator choosing it."""
    c = common.get_container()
    st.error("Someone else saved this entry after you opened it. Your changes are not saved yet.")
    loaded = st.session_state.get(f"loaded:{current.entry_id}", current.version)
    base = next(
        (v for v in c.curation.versions(principal, current.entry_id) if v.number == loaded),
        None,
    )
    merged, clashes = merge(
        content_of(base.snapshot) if base else current.content, mine, current.content
    )
    st.caption(
        "Merging keeps their changes where you changed nothing"
        + (
            f"; you both changed {', '.join(clashes)}: yours would be kept there."
            if clashes
            else "."
        )
    )
    cols = st.columns(2)
    if cols[0].button("Merge and save", key=f"merge:{current.entry_id}", type="primary"):
        st.session_state.pop(f"conflict:{current.entry_id}", None)
        _save(principal, current.entry_id, current.version, merged)
    if cols[1].button("Reload theirs (drop my changes)", key=f"reload:{current.entry_id}"):
        st.session_state.pop(f"conflict:{current.entry_id}", None)
        st.session_state[f"loaded:{current.entry_id}"] = current.version
        st.rerun()


def _history(principal: Principal, entry: Entry) -> None:
    c = common.get_container()
    versions = c.curation.versions(principal, entry.entry_id)
    names = c.administration.usernames({v.author_id for v in versions})
    with st.expander(f"History ({common.count(len(versions), 'version')})"):
        for v in reversed(versions):
            when = v.created_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M")
            who = plain(names.get(v.author_id, "?"))
            st.caption(f"v{v.number} · {who} · {when} UTC · {plain(v.note)}")
        if len(versions) > 1:
            numbers = [v.number for v in versions]
            cols = st.columns(2)
            a = cols[0].selectbox("From", numbers, index=len(numbers) - 2, key="diff-a")
            b = cols[1].selectbox("To", numbers, index=len(numbers) - 1, key="diff-b")
            st.code(c.curation.diff(principal, entry.entry_id, int(a), int(b)) or "(no change)")
            if st.button(f"Restore version {a}", key=f"restore:{entry.entry_id}"):
                c.curation.restore_version(principal, entry.entry_id, entry.version, int(a))
                st.session_state.pop(f"loaded:{entry.entry_id}", None)
                st.rerun()
