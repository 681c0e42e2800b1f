"""The system of record as one object: every storage port over one engine.

Services receive the narrow ports (``Directory``, ``Documents``, ``IndexLedger`` in
``playbook.ports``) from wiring; this composite exists so wiring and tests can build all three
over one engine in one step.
"""

from __future__ import annotations

from playbook.store.directory import SqlDirectory
from playbook.store.documents import SqlDocuments
from playbook.store.ledger import SqlLedger


class SqlRecords(SqlDirectory, SqlDocuments, SqlLedger):
    """The directory, documents and index ledger over one SQLAlchemy engine."""
