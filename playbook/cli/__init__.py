"""The `playbook` command line: the Typer app, with every command and group registered here.

Each module of this package holds one command group and imports only ``common``, never this
package, so there is no import cycle; ``python -m playbook.cli`` runs this same app.
"""

from __future__ import annotations

import typer

from playbook.cli import (
    ask,
    audit,
    common,
    council,
    coverage,
    data,
    documents,
    entries,
    handoff,
    impact,
    inclusion,
    keys,
    mentoring,
    privacy,
    programme,
    rotations,
    serve,
    signals,
    surveys,
    tokens,
    users,
)
from playbook.cli.common import build_container

__all__ = ["app", "container"]

# The container every command acts on; replace it (tests do, with one built on fakes) and the
# next command uses the replacement.
container = build_container

app = typer.Typer(
    help="Living Playbook: import, redact, search and manage reflections.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _choose_container() -> None:
    # Looked up at every run, not at import, so a replaced `container` takes effect.
    common.use_container(container)


# Top-level commands, in the order `playbook --help` lists them.
app.command("import")(documents.import_)
app.command("redact")(privacy.redact)
app.command("search")(documents.search)
app.command("ask")(ask.ask)
app.command("reindex")(data.reindex)
app.command("stats")(data.stats)
app.command("migrate-to")(data.migrate_to)
app.command("export")(documents.export)
app.command("delete")(documents.delete)
app.command("init")(data.init)
app.command("handoff")(handoff.handoff)
app.command("showcase")(handoff.showcase_cmd)
app.command("serve")(serve.serve)

# Command groups.
app.add_typer(users.users_app, name="users")
app.add_typer(privacy.privacy_app, name="privacy")
app.add_typer(privacy.roster_app, name="roster")
app.add_typer(keys.keys_app, name="keys")
app.add_typer(entries.entries_app, name="entries")
app.add_typer(audit.audit_app, name="audit")
app.add_typer(tokens.tokens_app, name="tokens")
app.add_typer(council.council_app, name="council")
app.add_typer(rotations.rotations_app, name="rotations")
app.add_typer(impact.impact_app, name="impact")
app.add_typer(mentoring.mentoring_app, name="mentoring")
app.add_typer(programme.programme_app, name="programme")
app.add_typer(signals.signals_app, name="signals")
app.add_typer(surveys.surveys_app, name="surveys")
app.add_typer(coverage.coverage_app, name="coverage")
app.add_typer(inclusion.inclusion_app, name="inclusion")
