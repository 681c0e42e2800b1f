"""The inclusion audit as ``figures.Table`` rows: per attribute, members against writers,
people in a pairing and showcased authors (counts and shares of shown numbers only), and the
cross-tab of two attributes. A ``None`` cell was withheld."""

from __future__ import annotations

from playbook.ports.inclusion import AttributeSpec
from playbook.services.health.figures import Cell, Period, Table
from playbook.services.health.inclusion.audit import (
    METRICS,
    QuarterCells,
    Standing,
    member_value,
    share,
)

COLUMNS: tuple[str, ...] = (
    "Group",
    "Members",
    "% of members",
    *(c for _, label, of in METRICS for c in (label, of)),
)


def _note(k: int) -> str:
    return (
        f"Withheld cells describe fewer than {k} people, or would let such a group be worked "
        "out from the others. Counts are of people; shares are of the column's shown total."
    )


def attribute_tables(
    base: Standing, cells: QuarterCells, quarter: str, period: Period, programme: str, k: int
) -> list[Table]:
    """One table per attribute for the quarter.

    Args:
        base: The standing (groups and members columns).
        cells: The quarter's activity cells.
        quarter: The quarter's name ("2026-Q3").
        period: Its days.
        programme: The programme's display name.
        k: The minimum group size.

    Returns:
        The tables, in the configured order.
    """
    out: list[Table] = []
    members = base.members
    totals = {m: cells.value(("T", m)) for m, _, _ in METRICS}
    for name, rows in base.rows.items():
        lines: list[tuple[Cell, ...]] = []
        for g in rows.order:
            p = member_value(base, name, g)
            row: list[Cell] = [rows.labels[g], p, share(p, members)]
            for m, _, _ in METRICS:
                y = cells.value(("Y", name, m, g))
                row += [y, share(y, totals[m])]
            lines.append(tuple(row))
        total: list[Cell] = ["all members", members, 100.0]
        for m, _, _ in METRICS:
            total += [totals[m], share(totals[m], totals[m])]
        lines.append(tuple(total))
        out.append(
            Table(
                title=f"{rows.spec.label}: participation, pairing and showcase",
                columns=COLUMNS,
                rows=tuple(lines),
                period=f"{quarter} ({period.label})",
                population=(
                    f"the {members} members of {programme}, by the {rows.spec.label.lower()} "
                    "they declared (members: as declared today)"
                ),
                note=_note(k),
            )
        )
    return out


def crosstab_table(
    base: Standing, first: AttributeSpec, second: AttributeSpec, programme: str, k: int
) -> Table:
    """Members by two attributes (``first`` before ``second`` in the configured order)."""
    a, b = base.rows[first.name], base.rows[second.name]
    lines: list[tuple[Cell, ...]] = []
    for ga in a.order:
        row: list[Cell] = [a.labels[ga]]
        for gb in b.order:
            key = ("C", first.name, second.name, ga, gb)
            row.append(None if key in base.hidden else base.counts[key])
        row.append(member_value(base, first.name, ga))
        lines.append(tuple(row))
    margin: list[Cell] = ["all members"]
    margin += [member_value(base, second.name, gb) for gb in b.order]
    margin.append(base.members)
    lines.append(tuple(margin))
    return Table(
        title=f"Members by {first.label.lower()} and {second.label.lower()}",
        columns=(f"{first.label} \\ {second.label}", *(b.labels[g] for g in b.order), "all"),
        rows=tuple(lines),
        period="as declared today",
        population=f"the {base.members} members of {programme}",
        note=_note(k),
    )
