"""Model loading shared by every container in a process: offline, lazily, once."""

from __future__ import annotations

import functools
import os
from typing import Any


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
