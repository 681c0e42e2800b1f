"""The container: builds every part from one ``Settings``, lazily, once, and lets tests
replace parts by name (``override``)."""

from __future__ import annotations

import functools
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.chunk import Chunker
from ingest.importers.base import LoadOptions
from ingest.pipeline import IngestPipeline
from playbook.crypto import Keyring, legacy_key, load_key_file
from playbook.models import NewDocument, RedactionPolicy, Visibility
from playbook.ports import ChatModel
from playbook.private_files import restrict_umask, tighten
from playbook.pseudonyms import Pseudonymizer
from playbook.retrieval import Retriever
from playbook.services.documents import PlaybookService
from playbook.services.indexing import IndexingService
from playbook.services.privacy import PrivacyService
from playbook.settings import Settings
from playbook.store import SqlRecords, make_engine, migrate, scrub_files_once
from playbook.wiring.health import HealthParts
from playbook.wiring.indexes import IndexParts
from playbook.wiring.lazy import CurrentKeyring, LazyRedactor
from playbook.wiring.models import offline_environment, sentence_model, spacy_pipeline
from playbook.wiring.programme import ProgrammeParts

if TYPE_CHECKING:  # built lazily below; the names are for the properties' types
    from playbook.ports import Embedder, RedactionEngine
    from playbook.ports.feedback import AnswerFeedback
    from playbook.ports.limits import RateEvents
    from playbook.ratelimit import RateLimiter
    from playbook.services.accounts import Accounts, AuditLog
    from playbook.services.administration import AdministrationService
    from playbook.services.ask import Assistant
    from playbook.services.curation import CurationService
    from playbook.services.notifications import NotificationService
    from playbook.services.reflection import ReflectionService
    from playbook.services.sessions import Sessions
    from playbook.services.tokens import Tokens
    from playbook.services.transfer import StoreMove
    from prompts import Library

log = logging.getLogger(__name__)


class Container(IndexParts, ProgrammeParts, HealthParts):
    """Builds each adapter on first use from one ``Settings``."""

    def __init__(self, settings: Settings | None = None, **overrides: Any) -> None:
        offline_environment()
        # Every file the product makes (store, indexes, keys, Chroma's) is the owner's alone.
        restrict_umask()
        self.settings = settings or Settings()
        self.override(**overrides)

    @classmethod
    def components(cls) -> frozenset[str]:
        """The names of the parts the container builds (and tests may replace)."""
        return frozenset(
            name
            for klass in cls.__mro__
            for name, value in vars(klass).items()
            if isinstance(value, functools.cached_property)
        )

    def override(self, **components: Any) -> Container:
        """Use these objects instead of building them: fakes in tests, a model shared between
        containers in tools. Replace a part before anything built from it is first used (a
        built service keeps what it was given). An unknown name is an error, so a renamed
        part cannot leave a test silently on the real one."""
        unknown = sorted(set(components) - self.components())
        if unknown:
            raise TypeError(
                f"not parts of the container: {', '.join(unknown)}; "
                f"the parts are: {', '.join(sorted(self.components()))}"
            )
        self.__dict__.update(components)
        return self

    def rebuild(self, *names: str) -> None:
        """Drop these built parts so the next use builds them again (after an override of
        something they were built from)."""
        unknown = sorted(set(names) - self.components())
        if unknown:
            raise TypeError(f"not parts of the container: {', '.join(unknown)}")
        for name in names:
            self.__dict__.pop(name, None)

    @functools.cached_property
    def records(self) -> SqlRecords:
        """The system of record, migrated to the newest schema."""
        self.settings.ensure_data_dir()
        engine = make_engine(self.settings.resolved_database_url)
        migrate(engine)
        scrub_files_once(engine)
        if engine.dialect.name == "sqlite" and engine.url.database:
            db = Path(engine.url.database)  # may sit outside the data directory
            for part in (db, *(db.with_name(db.name + s) for s in ("-wal", "-shm"))):
                tighten(part)
        return SqlRecords(engine)

    @functools.cached_property
    def keyring(self) -> Keyring:
        """Encryption keys, newest first, plus version 0.1's derived key to read old rows."""
        if self.settings.encryption_keys is not None:
            keys = [k for k in self.settings.encryption_keys.get_secret_value().split(",") if k]
        else:
            keys = load_key_file(self.settings.key_file)
        return Keyring([*keys, legacy_key(self.settings.key_bytes())])

    def reload_keyring(self) -> Keyring:
        """Read the keys again (after `playbook keys rotate` changed them)."""
        self.__dict__.pop("keyring", None)
        return self.keyring

    @functools.cached_property
    def redactor(self) -> RedactionEngine:
        """The tuned Presidio engine over the installed spaCy model, with keyed pseudonyms,
        the stored roster and the configured allow terms and employee-ID patterns."""
        from ingest.redact import (
            DEFAULT_ALLOW_TERMS,
            EngineConfig,
            PresidioRedactor,
            Pseudonymizer,
        )

        config = EngineConfig(
            roster=self.privacy.roster(),
            allow_terms=(*DEFAULT_ALLOW_TERMS, *self.settings.allow_terms),
            employee_id_patterns=tuple(self.settings.employee_id_patterns),
        )
        return PresidioRedactor(
            spacy_pipeline(self.settings.spacy_model),
            Pseudonymizer(self.settings.key_bytes()),
            config,
        )

    @functools.cached_property
    def privacy(self) -> PrivacyService:
        """Preview and correction, term lists, roster, originals, key rotation."""
        from playbook.store import SqlVault

        # The redaction engine is built from this service's roster, so the service gets it
        # through a proxy that loads it on first use (a preview, a roster upload).
        return PrivacyService(
            SqlVault(self.records.engine),
            CurrentKeyring(self),
            self.settings.key_bytes(),
            LazyRedactor(self),
            audit=self.audit,
        )

    @functools.cached_property
    def audit(self) -> AuditLog:
        """The append-only audit log."""
        from playbook.services.accounts import AuditLog
        from playbook.store import SqlAuditLog

        return AuditLog(SqlAuditLog(self.records.engine))

    @functools.cached_property
    def accounts(self) -> Accounts:
        """Local accounts: passwords, sign-in with throttling, the first admin."""
        from playbook.services.accounts import Accounts
        from playbook.store import SqlCredentials

        return Accounts(
            SqlCredentials(self.records.engine), self.audit, key=self.settings.key_bytes()
        )

    @functools.cached_property
    def administration(self) -> AdministrationService:
        """Accounts, roles, passwords and the audit log, the same for the CLI and the pages."""
        from playbook.services.administration import AdministrationService

        return AdministrationService(self.records, self.audit, self.accounts, self.sessions)

    @functools.cached_property
    def sessions(self) -> Sessions:
        """Server-side sign-in sessions (the browser's cookie holds the token, the store a
        keyed hash of it), lasting ``session_hours``."""
        from playbook.services.sessions import Sessions
        from playbook.store import SqlSessions

        return Sessions(
            SqlSessions(self.records.engine),
            key=self.settings.key_bytes(),
            hours=self.settings.session_hours,
        )

    def bootstrap_admin(self) -> str | None:
        """Create the first admin when none can sign in (outside demo mode); returns a
        generated password to show once, "" when the configured one was used, else None."""
        if self.settings.demo:
            return None
        configured = self.settings.admin_password
        return self.accounts.bootstrap_admin(
            self.records, configured.get_secret_value() if configured else None
        )

    @functools.cached_property
    def load_options(self) -> LoadOptions:
        """The import limits from settings (CSV column choices are the caller's)."""
        mb = 1024 * 1024
        s = self.settings
        return LoadOptions(
            max_file_bytes=int(s.max_file_mb * mb),
            max_document_chars=s.max_document_chars,
            max_archive_bytes=int(s.max_archive_mb * mb),
            max_archive_entries=s.max_archive_parts,
            max_compression_ratio=s.max_compression_ratio,
            max_pdf_pages=s.max_pdf_pages,
            max_json_depth=s.max_json_depth,
            max_line_bytes=int(s.max_line_mb * mb),
            max_tags=s.max_tags,
            max_tag_chars=s.max_tag_chars,
        )

    @functools.cached_property
    def curation(self) -> CurationService:
        """Playbook entries: writing, lifecycle, versions, review queue, feedback."""
        from playbook.services.curation import CurationService
        from playbook.store import SqlEntries

        return CurationService(
            SqlEntries(self.records.engine),
            self.pipeline,
            self.redactor,
            self.records.coordinated_programmes,
            self.records,
            llm=lambda: self.llm,
            audit=self.audit,
            limiter=self.limiter,
            max_tags=self.settings.max_tags,
            max_tag_chars=self.settings.max_tag_chars,
            answers=self.answer_feedback,
            separate_duties=self.settings.curation_separate_duties,
            notices=self.notifications,
        )

    @functools.cached_property
    def library(self) -> Library:
        """The reflection prompt library, loaded and checked once (broken files reported)."""
        from prompts import load_library

        lib = load_library()
        for error in lib.errors:
            log.error("prompt library: %s", error)
        return lib

    @functools.cached_property
    def chat_model(self) -> Any | None:
        """The configured LangChain chat model (``PLAYBOOK_LLM``), or None."""
        if not self.settings.llm:
            return None
        from langchain.chat_models import init_chat_model

        if self.settings.llm_base_url:
            return init_chat_model(self.settings.llm, base_url=self.settings.llm_base_url)
        return init_chat_model(self.settings.llm)

    @functools.cached_property
    def llm(self) -> ChatModel | None:
        """The chat model as the services see it, or None for the extractive mode."""
        if self.chat_model is None:
            return None
        from ingest.chat_model import LangChainChatModel

        return LangChainChatModel(self.chat_model)

    @functools.cached_property
    def assistant(self) -> Assistant:
        """Cited answers over what the asker may read (LLM or extractive)."""
        from playbook.services.ask import Assistant

        return Assistant(
            self.retriever,
            LazyRedactor(self),
            self.llm,
            self.embedder,
            limiter=self.limiter,
            documents=self.records,
            feedback=self.answer_feedback,
        )

    @functools.cached_property
    def answer_feedback(self) -> AnswerFeedback:
        """Readers' "this helped / this is wrong" on answers, for the review queue."""
        from playbook.store.answer_feedback import SqlAnswerFeedback

        return SqlAnswerFeedback(self.records.engine)

    @functools.cached_property
    def limiter(self) -> RateLimiter:
        """Per-user limit on language-model requests (shared by every LLM-backed action),
        counted in the store so every process of the installation shares it."""
        from playbook.ratelimit import RateLimiter

        return RateLimiter(self.settings.llm_requests_per_hour, events=self.rate_events)

    @functools.cached_property
    def rate_events(self) -> RateEvents:
        """Where rate limits count requests: the store's ``rate_events`` table."""
        from playbook.store.limits import SqlRateEvents

        return SqlRateEvents(self.records.engine)

    @functools.cached_property
    def tokens(self) -> Tokens:
        """Personal access tokens for the HTTP API, with its per-token request limit."""
        import datetime as dt

        from playbook.ratelimit import RateLimiter
        from playbook.services.tokens import Tokens
        from playbook.store.tokens import SqlTokens

        per_minute = RateLimiter(
            self.settings.api_requests_per_minute,
            dt.timedelta(minutes=1),
            events=self.rate_events,
            bucket="api",
        )
        return Tokens(SqlTokens(self.records.engine), self.records, self.audit, limiter=per_minute)

    @functools.cached_property
    def reflection(self) -> ReflectionService:
        """The reflection studio's use cases."""
        from playbook.services.reflection import ReflectionService
        from playbook.store import SqlDrafts
        from playbook.store.document_versions import SqlDocumentVersions

        # The prompt library, the embedding model and the chat model are asked for on use:
        # a studio that never suggests a follow-up never loads them. A save returns once the
        # entry is redacted and stored; indexing follows on the indexing service's thread.
        return ReflectionService(
            SqlDrafts(self.records.engine),
            self.records,
            self.indexing.later(),
            self.privacy,
            CurrentKeyring(self),
            lambda: self.library,
            lambda: self.embedder,
            lambda: self.llm,
            audit=self.audit,
            limiter=self.limiter,
            versions=SqlDocumentVersions(self.records.engine),
            notices=self.notifications,
        )

    @functools.cached_property
    def notifications(self) -> NotificationService:
        """What became of what people wrote (approved, declined, promoted, feedback)."""
        from playbook.services.notifications import NotificationService
        from playbook.store.notifications import SqlNotifications

        return NotificationService(SqlNotifications(self.records.engine), LazyRedactor(self))

    def policy_for(self, doc: NewDocument) -> RedactionPolicy:
        """The author's lists, as they apply to this document's visibility."""
        return self.privacy.policy(doc.owner_id, shared=doc.visibility != Visibility.PRIVATE)

    @functools.cached_property
    def embedder(self) -> Embedder:
        """sentence-transformers from the local model folder."""
        from ingest.embed import SentenceTransformerEmbedder, native_bf16, set_torch_threads

        set_torch_threads(self.settings.torch_threads)
        precision = self.settings.embedding_precision
        bf16 = precision == "bfloat16" or (precision == "auto" and native_bf16())
        return SentenceTransformerEmbedder(
            sentence_model(self.settings.embedding_model), self.settings.embedding_batch_size, bf16
        )

    @functools.cached_property
    def pipeline(self) -> IngestPipeline:
        """redact → store → chunk → embed → index."""
        return IngestPipeline(
            records=self.records,
            redactor=LazyRedactor(self),
            chunker=Chunker(self.settings.chunk_tokens, self.settings.chunk_overlap_tokens),
            embedder=self.embedder,
            vectors=self.vectors,
            keywords=self.keywords,
            cipher=CurrentKeyring(self),
            policy_for=self.policy_for,
            source_key=self.settings.key_bytes(),
        )

    @functools.cached_property
    def retriever(self) -> Retriever:
        """Hybrid retrieval over both indexes; queries are redacted like stored text."""
        return Retriever(
            self.embedder,
            self.vectors,
            self.keywords,
            fusion=self.settings.search_fusion,
            dense_weight=self.settings.search_dense_weight,
            sentence_weight=self.settings.search_sentence_weight,
            adaptive_coverage=self.settings.search_adaptive_coverage,
            adaptive_dense_weight=self.settings.search_adaptive_dense_weight,
            redact=lambda q: str(self.redactor.redact_batch([q])[0].text),
        )

    @functools.cached_property
    def service(self) -> PlaybookService:
        """The use cases."""
        from ingest.importers import REGISTRY
        from playbook.store import SqlEntries

        return PlaybookService(
            self.records,
            self.records,
            self.pipeline,
            self.retriever,
            importers=REGISTRY,
            entries=SqlEntries(self.records.engine),
            # Authors are shown by the placeholder their name gets, without the engine.
            pseudonyms=Pseudonymizer(self.settings.key_bytes()),
        )

    @functools.cached_property
    def store_move(self) -> StoreMove:
        """Copying the whole store to another database (``playbook migrate-to``)."""
        from playbook.services.transfer import StoreMove
        from playbook.store.transfer import SqlStoreCopy

        return StoreMove(SqlStoreCopy(self.records.engine))

    @functools.cached_property
    def indexing(self) -> IndexingService:
        """Repair on start, rebuilds, background healing and the store's figures."""
        return IndexingService(
            self.pipeline,
            self.records,
            lambda: {"vector": self.vectors, "keyword": self.keywords},
            decrypt=CurrentKeyring(self).decrypt,
            repair_on_start=self.settings.repair_on_start,
            background_nice=self.settings.batch_nice,
        )
