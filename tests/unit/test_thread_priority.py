"""Background indexing threads yield the cores to the sessions of the same process (issue 17):
``lower_this_thread`` lowers the calling thread's priority only."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from playbook.services.indexing import lower_this_thread

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice")


def _niceness_in_a_thread(nice: int) -> int:
    seen: list[int] = []

    def run() -> None:
        lower_this_thread(nice)
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))

    t = threading.Thread(target=run)
    t.start()
    t.join()
    return seen[0]


def test_a_background_thread_lowers_only_its_own_priority() -> None:
    main = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    assert _niceness_in_a_thread(5) == min(19, main + 5)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == main
    assert _niceness_in_a_thread(0) == main  # 0 leaves it alone
