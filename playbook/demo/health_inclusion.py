"""Demo inclusion audit (issue 21, item 4): the programme asks for function, level and
location (value lists), and ten of the eleven demo people declare, through the service, with
consent. With the minimum group of five, some groups show (Sales, Executive, Singapore) and
the rest are withheld (too few, or they would give a small one away). Sam declares nothing.
Declarations count in batches of five per attribute, so each attribute has ten declarers
(two whole batches, all counted). Seeding again adds nothing.

No demo members are added for it: the eleven people of the other demo modules suffice."""

from __future__ import annotations

from typing import TYPE_CHECKING

from playbook.ports.inclusion import AttributeSpec

if TYPE_CHECKING:
    from playbook.wiring import Container

ATTRIBUTES = (
    AttributeSpec(
        "function",
        "Function",
        ("Sales", "Finance", "Technology", "Strategy", "Marketing", "Operations"),
    ),
    AttributeSpec("level", "Level", ("Manager", "Director", "Executive")),
    # A list, not free choice: answers stay groupable ("Singapore", not "singapore office").
    AttributeSpec("location", "Location", ("Singapore", "London", "Dubai", "Jakarta")),
)
# username -> (function, level, location); sam declares nothing.
DECLARED = {
    "ada": ("Sales", "Executive", "Singapore"),
    "maya": ("Sales", "Executive", "Singapore"),
    "kai": ("Sales", "Director", "Singapore"),
    "ravi": ("Sales", "Manager", "Singapore"),
    "sofia": ("Sales", "Executive", "London"),
    "tariq": ("Technology", "Executive", "London"),
    "noor": ("Technology", "Director", "Dubai"),
    "lena": ("Strategy", "Executive", "Singapore"),
    "cora": ("Strategy", "Director", "London"),
    "zoe": ("Marketing", "Manager", "Singapore"),
}


def seed_inclusion(c: Container, programme: str = "default") -> bool:
    """Configure the demo attributes and declare the demo people's values, once.

    Args:
        c: The container of the demo store (the other demo modules' people added).
        programme: The demo programme's slug.

    Returns:
        True when anything was added.
    """
    known = c.records.user_ids(list(DECLARED))
    if len(known) < len(DECLARED):
        return False  # the mentoring demo's people are missing
    cora = c.records.principal("cora")
    pid = c.inclusion.programme(cora, programme)
    if c.inclusion.mine(cora, pid):
        return False  # seeded already
    c.inclusion.configure(cora, pid, ATTRIBUTES)
    for username, (function, level, location) in DECLARED.items():
        values = {"function": function, "level": level, "location": location}
        c.inclusion.declare(c.records.principal(username), pid, values, consent=True)
    return True
