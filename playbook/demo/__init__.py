"""Demo users and content for trying the product (demo mode only)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from playbook.models import Role, StoreError
from playbook.services.documents import ImportOptions

if TYPE_CHECKING:
    from playbook.wiring import Container

DEMO_FILE = Path(__file__).parent / "demo.jsonl"
PROGRAMME = "default"
DEMO_USERS: tuple[tuple[str, str, tuple[Role, ...]], ...] = (
    ("ada", "Ada (leader)", (Role.LEADER,)),
    ("ravi", "Ravi (rotation participant)", (Role.PARTICIPANT,)),
    ("cora", "Cora (coordinator)", (Role.COORDINATOR,)),
    ("sam", "Sam (admin)", (Role.ADMIN,)),
    ("sofia", "Sofia (sponsor)", (Role.SPONSOR,)),  # reads programme health summaries only
)


def seed_demo(c: Container) -> bool:
    """Create demo users and import the demo content once. True when anything was added."""
    added = False
    for username, name, roles in DEMO_USERS:
        try:
            c.records.add_user(username, name, roles, PROGRAMME, is_demo=True)
            added = True
        except StoreError:
            pass  # already there: seeding is idempotent
    report = c.service.import_paths(
        [DEMO_FILE], ImportOptions(programme=PROGRAMME, load=c.load_options)
    )
    if report.failed:
        problems = [p for f in report.files.values() for p in f.problems]
        raise RuntimeError(f"demo content failed to import: {problems[0].message}")
    from playbook.demo.programme import seed_programme  # the council, rotations, impact

    added |= seed_programme(c, PROGRAMME)
    from playbook.demo.mentoring import seed_mentoring  # profiles, pairings, sessions

    added |= seed_mentoring(c, PROGRAMME)
    from playbook.demo.health_signals import seed_signals  # signals that fire

    added |= seed_signals(c, PROGRAMME)
    from playbook.demo.health_coverage import seed_coverage  # declared goals, gaps

    added |= seed_coverage(c, PROGRAMME)
    from playbook.demo.health_surveys import seed_surveys  # a pulse survey, two rounds

    added |= seed_surveys(c, PROGRAMME)
    from playbook.demo.health_inclusion import seed_inclusion  # declared attributes

    added |= seed_inclusion(c, PROGRAMME)
    return added or report.total("created") > 0
