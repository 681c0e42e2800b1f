"""Unit-test fixtures for the app: a failure no page expected is raised, not shown.

``app.py`` turns such a failure into one sentence on the page (``common.show_failure``),
which would let an AppTest pass over a broken page; here it is re-raised so ``at.exception``
sees it. Tests of the sentence itself ask for ``shown_failures``.
"""

from __future__ import annotations

import pytest

from playbook.ui import common


@pytest.fixture(autouse=True)
def _page_failures_raise(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if "shown_failures" in request.fixturenames:
        return

    def reraise(exc: Exception) -> None:
        raise exc

    monkeypatch.setattr(common, "show_failure", reraise)


@pytest.fixture
def shown_failures() -> None:
    """Failures the app did not expect are shown as a sentence, as in production."""
