"""`playbook audit`: the append-only audit log, exported for an auditor."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from playbook.cli.common import AsUser, acting, container, err, friendly
from playbook.permissions import Action, check

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
    check(who, Action.VIEW_AUDIT)
    events = c.audit.events(action=action, limit=1_000_000)
    out.write_text(c.audit.to_csv(events), encoding="utf-8")
    c.audit.record(who.username, "audit exported", str(out.name), f"{len(events)} lines")
    err.print(f"Wrote {len(events)} lines to {out}.", markup=False)
