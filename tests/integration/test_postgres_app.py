"""The app's pages on PostgreSQL and a Chroma server (Streamlit's AppTest): the demo seeded
into a PostgreSQL store, searched and asked from the pages as ada, with no SQLite file made
in the data directory."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from playbook.settings import Settings
from playbook.wiring import Container
from tests.conftest import page_as
from tests.fakes import FakeEmbedder, FakeRedactor
from tests.integration.test_postgres_deployment import sqlite_like_files

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def test_search_and_ask_pages_on_postgres(
    data_dir: Path, pg_database: str, chroma_server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playbook.demo import seed_demo
    from playbook.ui import common

    settings = Settings(
        data_dir=data_dir,
        secret_key="pg-app",
        database_url=pg_database,
        chroma_url=chroma_server,
        chroma_collection=f"pgapp{abs(hash(str(data_dir))) % 10**9}",
        demo=True,
    )
    c = Container(settings, redactor=FakeRedactor(), embedder=FakeEmbedder())
    assert seed_demo(c)
    monkeypatch.setattr(common, "get_container", lambda: c)

    at = AppTest.from_function(page_as, args=("ada", "search"), default_timeout=60).run()
    assert not at.exception
    assert "pricing" not in " ".join(m.value for m in at.markdown).lower()  # before searching
    at.text_input[0].input("pricing")
    at.button[0].click().run()
    assert not at.exception
    shown = " ".join(m.value for m in at.markdown)
    assert "pricing" in shown.lower(), shown[:500]

    at = AppTest.from_function(page_as, args=("ada", "ask"), default_timeout=60).run()
    assert not at.exception
    assert sqlite_like_files(data_dir) == []
