"""The one place that builds adapters from settings. Heavy models load lazily, once."""

from __future__ import annotations

import atexit
import functools
import logging
import os
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ingest.chunk import Chunker
from ingest.loaders import LoadOptions
from ingest.pipeline import IngestPipeline
from playbook.crypto import Keyring, legacy_key, load_key_file
from playbook.models import NewDocument, Redaction, RedactionPolicy, Visibility
from playbook.private_files import restrict_umask, tighten
from playbook.pseudonyms import Finding, Pseudonymizer, Roster
from playbook.retrieval import Retriever
from playbook.services.documents import PlaybookService
from playbook.services.privacy import PrivacyService
from playbook.settings import Settings
from playbook.store import SqlRecords, make_engine, migrate, scrub_files_once

if TYPE_CHECKING:  # built lazily below; the names are for the properties' types
    from playbook.ports import RedactionEngine
    from playbook.services.accounts import Accounts, AuditLog
    from playbook.services.reflection import ReflectionService

log = logging.getLogger(__name__)
_HEAL_LOCK = threading.Lock()


def offline_environment() -> None:
    """Nothing may reach a model hub at run time: models come from installed packages."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")


@functools.lru_cache(maxsize=4)
def spacy_pipeline(model: str) -> Any:
    """The spaCy pipeline, loaded once per process."""
    from ingest.redact import load_spacy

    return load_spacy(model)


@functools.lru_cache(maxsize=4)
def sentence_model(path: str) -> Any:
    """The sentence-embedding model, loaded once per process."""
    from ingest.embed import load_sentence_transformer

    return load_sentence_transformer(path)


class _LazyRedactor:
    """Loads the redaction engine on first use: searching or re-importing unchanged content
    never needs it, and loading spaCy costs seconds."""

    def __init__(self, container: Container) -> None:
        self._container = container

    def redact_batch(
        self, texts: Sequence[str], policy: RedactionPolicy | None = None
    ) -> list[Redaction]:
        result: list[Redaction] = self._container.redactor.redact_batch(texts, policy)
        return result

    @property
    def pseudonymizer(self) -> Pseudonymizer:
        result: Pseudonymizer = self._container.redactor.pseudonymizer
        return result

    def analyze_batch(
        self, texts: Sequence[str], policy: RedactionPolicy | None = None
    ) -> list[list[Finding]]:
        result: list[list[Finding]] = self._container.redactor.analyze_batch(texts, policy)
        return result

    def set_roster(self, roster: Roster) -> None:
        self._container.redactor.set_roster(roster)


class _CurrentKeyring:
    """The container's keyring as it is now (it changes when keys rotate)."""

    def __init__(self, container: Container) -> None:
        self._container = container

    def encrypt(self, text: str) -> bytes:
        return self._container.keyring.encrypt(text)

    def decrypt(self, token: bytes) -> str:
        return self._container.keyring.decrypt(token)

    def rotate(self, token: bytes) -> bytes:
        return self._container.keyring.rotate(token)

    def is_current(self, token: bytes) -> bool:
        return self._container.keyring.is_current(token)


class Container:
    """Builds each adapter on first use from one ``Settings``."""

    def __init__(self, settings: Settings | None = None) -> None:
        offline_environment()
        # Every file the product makes (store, indexes, keys, Chroma's) is the owner's alone.
        restrict_umask()
        self.settings = settings or Settings()

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
            _CurrentKeyring(self),
            self.settings.key_bytes(),
            _LazyRedactor(self),
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
    def curation(self) -> Any:
        """Playbook entries: writing, lifecycle, versions, review queue, feedback."""
        from playbook.services.curation import CurationService
        from playbook.store.entries import SqlEntries

        return CurationService(
            SqlEntries(self.records.engine),
            self.pipeline,
            self.redactor,
            self.records.coordinated_programmes,
            llm=lambda: self.llm,
            audit=self.audit,
            limiter=self.limiter,
            max_tags=self.settings.max_tags,
            max_tag_chars=self.settings.max_tag_chars,
        )

    @functools.cached_property
    def library(self) -> Any:
        """The reflection prompt library, loaded and checked once (broken files reported)."""
        from prompts import load_library

        lib = load_library()
        for error in lib.errors:
            log.error("prompt library: %s", error)
        return lib

    @functools.cached_property
    def llm(self) -> Any | None:
        """The configured chat model (``PLAYBOOK_LLM``), or None for the extractive mode."""
        if not self.settings.llm:
            return None
        from langchain.chat_models import init_chat_model

        if self.settings.llm_base_url:
            return init_chat_model(self.settings.llm, base_url=self.settings.llm_base_url)
        return init_chat_model(self.settings.llm)

    @functools.cached_property
    def assistant(self) -> Any:
        """Cited answers over what the asker may read (LLM or extractive)."""
        from playbook.services.ask import Assistant

        return Assistant(
            self.retriever, _LazyRedactor(self), self.llm, self.embedder, limiter=self.limiter
        )

    @functools.cached_property
    def limiter(self) -> Any:
        """Per-user limit on language-model requests (shared by every LLM-backed action)."""
        from playbook.ratelimit import RateLimiter

        return RateLimiter(self.settings.llm_requests_per_hour)

    @functools.cached_property
    def reflection(self) -> ReflectionService:
        """The reflection studio's use cases."""
        from playbook.services.reflection import ReflectionService
        from playbook.store import SqlDrafts

        # The prompt library, the embedding model and the chat model are asked for on use:
        # a studio that never suggests a follow-up never loads them.
        return ReflectionService(
            SqlDrafts(self.records.engine),
            self.records,
            self.pipeline,
            self.privacy,
            _CurrentKeyring(self),
            lambda: self.library,
            lambda: self.embedder,
            lambda: self.llm,
            audit=self.audit,
            limiter=self.limiter,
        )

    def policy_for(self, doc: NewDocument) -> RedactionPolicy:
        """The author's lists, as they apply to this document's visibility."""
        return self.privacy.policy(doc.owner_id, shared=doc.visibility != Visibility.PRIVATE)

    @functools.cached_property
    def embedder(self) -> Any:
        """sentence-transformers from the local model folder."""
        from ingest.embed import SentenceTransformerEmbedder, native_bf16

        precision = self.settings.embedding_precision
        bf16 = precision == "bfloat16" or (precision == "auto" and native_bf16())
        return SentenceTransformerEmbedder(
            sentence_model(self.settings.embedding_model), self.settings.embedding_batch_size, bf16
        )

    def chroma_client(self) -> Any:
        """A new Chroma client: embedded, or a server when a URL is set (the dense index
        makes one each time it opens its files; this is for tools and tests)."""
        from ingest.chroma_index import make_client

        if self.settings.chroma_url:
            return make_client(url=self.settings.chroma_url)
        return make_client(path=self.settings.resolved_chroma_path)

    def _open_vectors(self) -> Any:
        from ingest.chroma_index import ChromaVectorIndex, release

        client = self.chroma_client()
        try:
            index = ChromaVectorIndex(
                client,
                self.settings.chroma_collection,
                owner_buckets=self.settings.chroma_owner_buckets,
                # Chroma keeps no text: hits are filled in from the store.
                chunks=self.records.chunks_by_id,
            )
        except BaseException:
            release(client)  # its files may be moved aside next
            raise
        if index.legacy_dropped:
            # A layout from an earlier version or bucket count: rebuilt from the store on repair.
            log.info("the dense index changed layout; re-indexing everything")
            self.records.mark_all_unindexed()
        return index

    def _open_keywords(self) -> Any:
        from ingest.keyword_index import Fts5KeywordIndex

        self.settings.ensure_data_dir()
        index = Fts5KeywordIndex(
            self.settings.resolved_keyword_index_path, chunks=self.records.chunks_by_id
        )
        if index.legacy_dropped:
            log.info("the keyword index gained access tokens; re-indexing everything")
            self.records.mark_all_unindexed()
        return index

    @functools.cached_property
    def vectors(self) -> Any:
        """The dense index (Chroma), re-opened after a rebuild by another process and
        healed from the store when its files are damaged (``ingest.index_health``)."""
        from ingest.index_health import GuardedIndex

        return GuardedIndex(
            "dense",
            self._open_vectors,
            self.records,
            path=None if self.settings.chroma_url else self.settings.resolved_chroma_path,
            on_damage=self._heal_later,
        )

    @functools.cached_property
    def keywords(self) -> Any:
        """The keyword index (SQLite FTS5), guarded like the dense one."""
        from ingest.index_health import GuardedIndex

        return GuardedIndex(
            "keyword",
            self._open_keywords,
            self.records,
            path=self.settings.resolved_keyword_index_path,
            on_damage=self._heal_later,
        )

    @functools.cached_property
    def pipeline(self) -> IngestPipeline:
        """redact → store → chunk → embed → index."""
        return IngestPipeline(
            records=self.records,
            redactor=_LazyRedactor(self),
            chunker=Chunker(self.settings.chunk_tokens, self.settings.chunk_overlap_tokens),
            embedder=self.embedder,
            vectors=self.vectors,
            keywords=self.keywords,
            cipher=_CurrentKeyring(self),
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
            redact=lambda q: str(self.redactor.redact_batch([q])[0].text),
        )

    @functools.cached_property
    def service(self) -> PlaybookService:
        """The use cases."""
        return PlaybookService(self.records, self.pipeline, self.retriever)

    def repair(self) -> None:
        """Finish indexing interrupted by a crash, and rebuild an index found missing, stale
        or damaged (cheap when all is well: a few small queries; see ``index_health``)."""
        if not self.settings.repair_on_start:
            return
        if self.pipeline.upgrade_source_ids():
            log.info("source ids are now kept as keyed hashes with redacted labels")
        self.heal_indexes()
        # One indexed lookup, not the full counts of stats(): this runs on every start.
        stale, gone = self.records.stale_documents(limit=1)
        if stale or gone:
            log.info("repairing the indexes: some documents were not indexed")
            self.pipeline.sync()
        self._discard_quarantined()

    def index_problems(self) -> dict[str, str]:
        """Each index that must be rebuilt, with why (opening one whose files are damaged
        moves them aside, which is then the reason)."""
        problems: dict[str, str] = {}
        for index in (self.vectors, self.keywords):
            check = getattr(index, "check", None)
            reason = check() if check is not None else None
            if reason is None and getattr(index, "quarantined", None):
                reason = f"the {index.name} index was damaged and has been replaced"
            if reason is not None:
                problems[getattr(index, "name", "search")] = reason
        return problems

    def heal_indexes(self) -> bool:
        """Empty each index that must be rebuilt (they are filled by the next sync); True
        when one was."""
        problems = self.index_problems()
        for name, reason in problems.items():
            log.warning("%s: rebuilding it from the store", reason)
            index = self.vectors if name == self.vectors.name else self.keywords
            if not getattr(index, "quarantined", None):
                index.reset()
        if problems:
            self.records.mark_all_unindexed()
        return bool(problems)

    def _discard_quarantined(self) -> None:
        stale, gone = self.records.stale_documents(limit=1)
        if stale or gone:
            return  # not rebuilt yet: keep the damaged files until it is
        for index in (self.vectors, self.keywords):
            discard = getattr(index, "discard_quarantined", None)
            if discard is not None:
                discard()

    def _heal_later(self, reason: str) -> None:
        """An index was found damaged while in use and replaced by an empty one: rebuild it
        from the store in the background (once at a time); until then searches find less,
        never more, than the store allows."""
        with _HEAL_LOCK:
            if self.__dict__.get("_healing"):
                self.__dict__["_heal_again"] = True
                return
            self.__dict__["_healing"] = True

        def run() -> None:
            try:
                while True:
                    self.__dict__["_heal_again"] = False
                    self.pipeline.sync()
                    if not self.__dict__.get("_heal_again"):
                        break
                self._discard_quarantined()
                log.warning("the search indexes are rebuilt from the store")
            except Exception:
                log.warning(
                    "rebuilding the search indexes failed; run `playbook reindex`", exc_info=True
                )
            finally:
                with _HEAL_LOCK:
                    self.__dict__["_healing"] = False

        if not self.__dict__.get("_heal_at_exit"):
            # A short-lived command waits for the rebuild rather than die inside it.
            atexit.register(self.wait_for_heal, 600.0)
            self.__dict__["_heal_at_exit"] = True
        threading.Thread(target=run, name="index-heal", daemon=True).start()

    def wait_for_heal(self, timeout: float = 120.0) -> None:
        """Wait until a background rebuild (``_heal_later``) is done (for tests and the CLI)."""
        deadline = time.monotonic() + timeout
        while self.__dict__.get("_healing") and time.monotonic() < deadline:
            time.sleep(0.05)
