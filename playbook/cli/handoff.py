"""`playbook handoff` and `playbook showcase`: packs of entries as Markdown or PDF."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from playbook.cli.common import AsUser, acting, container, err, friendly

if TYPE_CHECKING:
    from playbook.services.handoff import Pack
    from playbook.wiring import Container

Format = Annotated[str, typer.Option("--format", help="md or pdf.")]
Out = Annotated[
    Path | None, typer.Option("--out", help="Write here (default: Markdown to standard output).")
]


def _write(c: Container, pack: Pack, fmt: str, out: Path | None, who: str) -> None:
    if fmt not in {"md", "pdf"}:
        raise ValueError(f"--format should be md or pdf, not {fmt!r}")
    if fmt == "pdf" and out is None:
        raise ValueError("a PDF needs --out FILE")
    from playbook.services.handoff import to_markdown, to_pdf

    c.administration.record_export(who, pack.title, fmt)
    if out is None:
        sys.stdout.write(to_markdown(pack))
        return
    data = to_pdf(pack) if fmt == "pdf" else to_markdown(pack).encode("utf-8")
    out.write_bytes(data)
    err.print(f"Wrote {out} ({pack.subtitle}).", highlight=False, markup=False)


@friendly
def handoff(
    function: Annotated[str | None, typer.Option(help="The function handed over.")] = None,
    market: Annotated[str | None, typer.Option(help="The market handed over.")] = None,
    tag: Annotated[str | None, typer.Option(help="A role or track, by tag.")] = None,
    fmt: Format = "md",
    out: Out = None,
    as_user: AsUser = None,
) -> None:
    """A successor's handoff pack: entries, approved debriefs and open questions."""
    c = container()
    who = acting(c, as_user)
    pack = c.curation.handoff_pack(who, function, market, tag)
    pack = c.rotations.add_to_pack(who, pack, function, market)  # who rotates there next
    _write(c, pack, fmt, out, who.username)


@friendly
def showcase_cmd(
    start: Annotated[dt.datetime, typer.Option("--from", formats=["%Y-%m-%d"], help="First day.")],
    end: Annotated[dt.datetime, typer.Option("--to", formats=["%Y-%m-%d"], help="Last day.")],
    fmt: Format = "md",
    out: Out = None,
    as_user: AsUser = None,
) -> None:
    """Entries published in a period, grouped by theme, with counts."""
    c = container()
    who = acting(c, as_user)
    pack = c.curation.showcase(who, start.date(), end.date())
    pack = c.impact.add_to_showcase(who, pack, start.date(), end.date())  # shared ones only
    _write(c, pack, fmt, out, who.username)
