"""SQLAlchemy adapters of the storage ports, one module per concept, and the schema.

The package's public names are the ones wiring and the adapters' own tests use; services
never import from here (they see ``playbook.ports``).
"""

from playbook.store.records import (
    MIGRATIONS_DIR,
    SqlRecords,
    StoreError,
    index_hash,
    make_engine,
    migrate,
    scrub_files,
    scrub_files_once,
)

__all__ = [
    "MIGRATIONS_DIR",
    "SqlRecords",
    "StoreError",
    "index_hash",
    "make_engine",
    "migrate",
    "scrub_files",
    "scrub_files_once",
]
