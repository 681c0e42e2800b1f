"""A fake health source for the report's front ends (CLI, API, page): one figure, a table
suppressed by ``figures.suppress`` and a note, with names that try to break out of plain
text and CSV cells, so each front end's tests see the same awkward section."""

from __future__ import annotations

from playbook.models import Principal
from playbook.permissions import Action, Target, check
from playbook.services.health.figures import TOO_FEW, Figure, Period, Section, Table, suppress
from playbook.services.health.report import HealthPart, HealthService
from playbook.wiring import Container

LEVELS = {"senior": 6, "junior": 2, "=HYPERLINK(x)": 5}


class FakeSource:
    """Counts as a source would give them: small cells withheld, the viewer checked."""

    def section(self, principal: Principal, programme_id: str, period: Period) -> Section:
        check(principal, Action.VIEW_HEALTH, Target.programme(programme_id))
        shown = suppress(LEVELS, 5)
        return Section(
            "fake",
            "Fake **source**",
            figures=(
                Figure("Respondents", 13, period.label, "13 respondents"),
                Figure("Open answers", None, period.label, "2 respondents", note=TOO_FEW),
            ),
            tables=(
                Table(
                    "By level",
                    ("level", "people"),
                    tuple((k, v) for k, v in shown.items()),
                    period.label,
                    "13 members who declared a level",
                ),
            ),
            notes=("<b>nothing</b> is read from journals",),
        )


def fake_health(c: Container) -> HealthService:
    """``c`` with its health report over the fake source only (returns the service)."""
    service = HealthService(
        [HealthPart("fake", "Fake source", FakeSource)], c.records, c.redactor, c.audit
    )
    c.override(health=service)
    return service
