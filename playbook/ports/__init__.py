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
from playbook.ports.coverage import CoverageSources, Declarations
from playbook.ports.importers import Importers
from playbook.ports.inclusion import InclusionActivity, InclusionAttributes
from playbook.ports.indexes import (
    ChunkVectors,
    Embedder,
    KeywordIndex,
    Scope,
    SpanEmbedder,
    VectorIndex,
)
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
from playbook.ports.signals import ActivityFacts, ShareWait, SignalState, SignalStates
from playbook.ports.storage import Directory, Documents, Drafts, Entries, IndexLedger, Records
from playbook.ports.surveys import Surveys
from playbook.ports.tokens import AccessToken, TokenStore

__all__ = [
    "AccessToken",
    "AccountKeeper",
    "ActivityFacts",
    "Audit",
    "AuditEvent",
    "AuditStore",
    "AuditTrail",
    "ChatModel",
    "ChunkVectors",
    "CoverageSources",
    "Credential",
    "Credentials",
    "Declarations",
    "Directory",
    "Documents",
    "Drafts",
    "Embedder",
    "Entries",
    "Importers",
    "InclusionActivity",
    "InclusionAttributes",
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
    "ShareWait",
    "SignInSession",
    "SignalState",
    "SignalStates",
    "SpanEmbedder",
    "StoredTerm",
    "Surveys",
    "TokenStore",
    "VectorIndex",
]
