"""Demo content that makes a few early-warning signals fire (issue 21, item 1), dated from
today so they fire on any day the demo is seeded: Lena advises Noor and they last met six
weeks ago (a quiet pairing), Kai's rotation ended three weeks ago with no debrief, and Kai
wrote a reflection most weeks until a month ago and none since (a rhythm drop). Written
through the services (the journals through the import, so they are redacted like any
other); seeding again adds nothing."""

from __future__ import annotations

import datetime as dt
import json
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from playbook.ports.mentoring import PairingState, ProfileRole
from playbook.services.documents import ImportOptions

if TYPE_CHECKING:
    from playbook.wiring import Container

# Kai's journal: private, dated by how many days before today each was written.
JOURNALS = (
    (33, "Annual terms: what I conceded too early", "I opened with our floor price."),
    (41, "Preparing the retailer review", "I listed the three asks and the one I can drop."),
    (52, "Margin versus volume", "I argued for volume and could not say why it was worth it."),
    (60, "After the category meeting", "I spoke less than I planned; the data carried it."),
    (71, "What the buyer cared about", "Shelf space mattered more to them than price."),
    (85, "First week on the account", "I mapped who decides and who only advises."),
)


def seed_signals(c: Container, programme: str = "default") -> bool:
    """Add the demo's quiet pairing, overdue debrief and dropping rhythm once.

    Args:
        c: The container of the demo store (the mentoring demo already seeded).
        programme: The demo programme's slug.

    Returns:
        True when anything was added.
    """
    pid = c.administration.programme_id(programme)
    ids = c.records.user_ids(["kai", "lena", "noor", "cora"])
    if len(ids) < 4 or c.rotations.rotations.listing([pid], ids["kai"]):
        return False  # the mentoring demo is missing, or this was seeded already
    today = dt.date.today()
    cora = c.administration.principal("cora")
    _quiet_pairing(c, programme, today)
    end = today - dt.timedelta(days=21)
    c.rotations.plan(
        cora,
        pid,
        "kai",
        function="Sales",
        market="Vietnam",
        start=end - dt.timedelta(days=18),
        end=end,
        anchor_project="Distributor terms for the Ho Chi Minh City launch",
        strategic_goal="Grow margin in APAC",
        host_sponsor="maya",
    )
    _journals(c, programme, today)
    return True


def _quiet_pairing(c: Container, programme: str, today: dt.date) -> None:
    m = c.mentoring
    cora = c.administration.principal("cora")
    pairing = m.propose(cora, programme, "lena", "noor", ProfileRole.ADVISOR, 2)
    m.approve(cora, pairing)
    accepted = [m.accept(c.administration.principal(u), pairing) for u in ("lena", "noor")]
    if accepted[-1].state is not PairingState.ACTIVE:
        raise RuntimeError("the demo's advisor pairing did not become active")
    m.log_session(c.administration.principal("noor"), pairing, today - dt.timedelta(days=43))


def _journals(c: Container, programme: str, today: dt.date) -> None:
    lines = [
        json.dumps(
            {
                "id": f"demo-signals-k{i}",
                "author": "kai",
                "kind": "journal",
                "title": title,
                "created_at": (today - dt.timedelta(days=ago)).isoformat(),
                "tags": ["negotiation"],
                "text": text,
            }
        )
        for i, (ago, title, text) in enumerate(JOURNALS, 1)
    ]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "kai.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        report = c.service.import_paths(
            [path], ImportOptions(programme=programme, load=c.load_options)
        )
    if report.failed:
        problems = [p for f in report.files.values() for p in f.problems]
        raise RuntimeError(f"demo journals failed to import: {problems[0].message}")
