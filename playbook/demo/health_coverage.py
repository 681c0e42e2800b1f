"""Demo goals and domains for knowledge coverage (issue 21, item 3): declared as Cora
(coordinator) so that the demo's writing covers some of them and the gaps show: no debrief
of the Nordics market, two strategic goals without a playbook entry."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playbook.wiring import Container

# kind, name, description, keywords: chosen against playbook/demo/demo.jsonl and the
# rotation plans of playbook/demo/programme.py.
DECLARED: tuple[tuple[str, str, str, str], ...] = (
    (
        "goal",
        "Reduce cost-to-serve by 8% in APAC",
        "Serve distributors across Asia-Pacific at a lower cost per order",
        "cost-to-serve; distributors",
    ),
    ("goal", "Grow share in Latin America", "Win share in Brazil and the region", "Latin America"),
    (
        "goal",
        "Enter Indonesia profitably",
        "A profitable entry into Indonesia",
        "Indonesia; Jakarta",
    ),
    (
        "domain",
        "Decision quality",
        "Deciding well under uncertainty and time pressure",
        "decision timeline; assumption",
    ),
    (
        "domain",
        "AI and technology adoption",
        "How teams take up AI tools and new technology",
        "AI; technology",
    ),
    ("market", "Nordics market", "Norway, Sweden, Denmark and Finland", "Norway; Sweden; Denmark"),
    ("market", "Brazil market", "", ""),
    ("function", "Supply chain", "Logistics, warehousing and distribution", "logistics"),
)


def seed_coverage(c: Container, programme: str = "default") -> bool:
    """Declare the demo goals and domains once (nothing when any are declared already).

    Args:
        c: The container of the demo store.
        programme: The demo programme's slug.

    Returns:
        True when anything was added.
    """
    cora = c.administration.principal("cora")
    pid = c.coverage.programme(cora, programme)
    if c.coverage.declarations(cora, pid):
        return False
    lines = ["kind,name,description,keywords"]
    for kind, name, description, keywords in DECLARED:
        lines.append(",".join(f'"{v}"' for v in (kind, name, description, keywords)))
    report = c.coverage.import_csv(cora, pid, ("\n".join(lines) + "\n").encode())
    if report.problems:
        raise RuntimeError(f"demo coverage declarations failed: {report.problems[0]}")
    return report.saved > 0
