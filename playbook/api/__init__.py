"""The HTTP API (FastAPI): search, Ask, writing, sharing, playbook entries and handoff packs
for integrations, with personal access tokens. ``create_app(container)`` builds it;
``playbook serve`` runs it. One module per router; every route calls services only, and the
services decide what the token's user may read or do (``playbook.permissions``).

FastAPI is imported only when this package is, never by ``playbook --help``.
"""

from playbook.api.app import create_app

__all__ = ["create_app"]
