"""`playbook audit`: the append-only audit log, exported for an auditor."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from playbook.cli.common import AsUser, acting, container, err, friendly

audit_app = typer.Typer(help="The append-only audit log.", no_args_is_help=True)


@audit_app.command("export")
@friendly
def audit_export(
    out: Annotated[Path, typer.Option("--out", help="CSV file to write.")],
    action: Annotated[str | None, typer.Option(help="Only this action.")] = None,
    as_user: AsUser = None,
) -> None:
    """Export the audit log as CSV for an auditor (admins only)."""
    c = container()
    who = acting(c, as_user)
    text, lines = c.administration.audit_csv(who, action)  # admins only
    out.write_text(text, encoding="utf-8")
    c.administration.record_audit_export(who, str(out.name), lines)
    err.print(f"Wrote {lines} lines to {out}.", markup=False)
