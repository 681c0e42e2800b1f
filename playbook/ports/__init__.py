"""Interfaces the services depend on, one module per family of seams. Adapters implement
them; only ``playbook.wiring`` picks which. Import them from here: ``from playbook.ports
import Documents``."""

from playbook.ports.accounts import (
    AccountKeeper,
    Audit,
    AuditEvent,
    AuditStore,
    AuditTrail,
    Credential,
    Credentials,
)
from playbook.ports.chat import ChatModel, Message
from playbook.ports.importers import Importers
from playbook.ports.indexes import ChunkVectors, Embedder, KeywordIndex, Scope, VectorIndex
from playbook.ports.limits import RateEvents
from playbook.ports.privacy import (
    Keys,
    PrivacyVault,
    RedactionEngine,
    Redactor,
    SealedDocument,
    SealedValue,
    StoredTerm,
)
from playbook.ports.sessions import SessionRevoker, SessionStore, SignInSession
from playbook.ports.storage import Directory, Documents, Drafts, Entries, IndexLedger, Records
from playbook.ports.tokens import AccessToken, TokenStore

__all__ = [
    "AccessToken",
    "AccountKeeper",
    "Audit",
    "AuditEvent",
    "AuditStore",
    "AuditTrail",
    "ChatModel",
    "ChunkVectors",
    "Credential",
    "Credentials",
    "Directory",
    "Documents",
    "Drafts",
    "Embedder",
    "Entries",
    "Importers",
    "IndexLedger",
    "Keys",
    "KeywordIndex",
    "Message",
    "PrivacyVault",
    "RateEvents",
    "Records",
    "RedactionEngine",
    "Redactor",
    "Scope",
    "SealedDocument",
    "SealedValue",
    "SessionRevoker",
    "SessionStore",
    "SignInSession",
    "StoredTerm",
    "TokenStore",
    "VectorIndex",
]
