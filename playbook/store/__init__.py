"""SQLAlchemy adapters of the storage ports, one module per concept, and the schema.

The package's public names are the ones wiring and the adapters' own tests use; services
never import from here (they see ``playbook.ports``).
"""

from playbook.models import StoreError
from playbook.store.audit import SqlAuditLog
from playbook.store.credentials import SqlCredentials
from playbook.store.directory import SqlDirectory
from playbook.store.documents import SqlDocuments, index_hash
from playbook.store.drafts import SqlDrafts
from playbook.store.engine import (
    MIGRATIONS_DIR,
    make_engine,
    migrate,
    scrub_files,
    scrub_files_once,
)
from playbook.store.entries import SqlEntries
from playbook.store.ledger import SqlLedger
from playbook.store.records import SqlRecords
from playbook.store.sessions import SqlSessions
from playbook.store.vault import SqlVault

__all__ = [
    "MIGRATIONS_DIR",
    "SqlAuditLog",
    "SqlCredentials",
    "SqlDirectory",
    "SqlDocuments",
    "SqlDrafts",
    "SqlEntries",
    "SqlLedger",
    "SqlRecords",
    "SqlSessions",
    "SqlVault",
    "StoreError",
    "index_hash",
    "make_engine",
    "migrate",
    "scrub_files",
    "scrub_files_once",
]
