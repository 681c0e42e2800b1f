"""``playbook.heap``: scrubbing is asked of glibc once per process, and a platform without it
gets one warning."""

from __future__ import annotations

import pytest

from playbook import heap


def test_it_is_asked_for_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, int]] = []
    monkeypatch.setattr(heap, "_state", None)
    monkeypatch.setattr(heap, "mallopt", lambda o, v: calls.append((o, v)) or True)
    assert heap.scrub_freed_memory() and heap.scrub_freed_memory()
    assert calls == [(heap.M_PERTURB, heap.SCRUB_BYTE)]


def test_without_glibc_it_warns_once(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(heap, "_state", None)
    monkeypatch.setattr(heap, "mallopt", lambda o, v: False)
    assert not heap.scrub_freed_memory() and not heap.scrub_freed_memory()
    assert sum("cannot be scrubbed" in r.message for r in caplog.records) == 1


def test_glibc_here_accepts_it() -> None:
    # This machine (and CI) run glibc: the real call succeeds, and is idempotent.
    assert heap.mallopt(heap.M_PERTURB, heap.SCRUB_BYTE)
