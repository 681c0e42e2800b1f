"""Fixtures the contract suites share: the real parts their integration subclasses run on.

The Chroma server and the spaCy and sentence-transformers models are the integration suite's
own fixtures (``tests/integration/conftest.py``), taken from there rather than written twice;
the models are cached per process by ``playbook.wiring``, so both directories share one load.
"""

from __future__ import annotations

from tests.integration.conftest import chroma_server, nlp, st_model

__all__ = ["chroma_server", "nlp", "st_model"]
