"""Freed memory is scrubbed, so a library that writes out buffers it never filled cannot put
text the process once held on disk.

Chroma's HNSW index allocates room for its next elements with ``malloc`` and writes the whole
allocation to ``data_level0.bin``, the unused slots too. Those slots hold whatever the process
freed there before: measured (``eval/bench_heap.py``), thousands of copies of text that went
through the process, such as a journal before redaction, in a new index with one vector.

glibc's ``M_PERTURB`` fills every block ``malloc`` hands out with a fixed byte (and every
block freed with another). It is turned on for the rest of the process when the embedded
index is opened. Pausing it while texts are embedded (where it costs most, 1.2x) except
during calls into Chroma was tried and dropped: in 1 provoked run of 12 a live index's
``length.bin`` still held freed text (blocks freed while paused can come back later
unfilled).

What it leaves: glibc's per-thread cache hands freed blocks of up to 1,032 bytes straight
back without filling them (25 provoked runs found no text, which is not a proof).
Elsewhere (musl, macOS) ``M_PERTURB`` is not available: the embedded index then warns. A
Chroma server, which is sent only vectors and hashed facets, avoids both.
"""

from __future__ import annotations

import ctypes
import logging
import sys
import threading

log = logging.getLogger(__name__)

M_PERTURB = -6  # glibc <malloc.h>
SCRUB_BYTE = 0xA5  # new blocks become 0x5A, freed ones 0xA5
_lock = threading.Lock()
_state: bool | None = None


def scrub_freed_memory() -> bool:
    """Turn scrubbing on for the rest of the process; True when the platform allows it."""
    global _state
    with _lock:
        if _state is None:
            _state = mallopt(M_PERTURB, SCRUB_BYTE)
            if not _state:
                log.warning(
                    "freed memory cannot be scrubbed on this platform (glibc's mallopt is "
                    "missing): the embedded Chroma index may keep fragments of text this "
                    "process handled; a Chroma server (PLAYBOOK_CHROMA_URL) avoids it"
                )
        return _state


def mallopt(option: int, value: int) -> bool:
    """glibc's ``mallopt``; False where there is none or it refuses."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        call = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    call.argtypes = [ctypes.c_int, ctypes.c_int]
    call.restype = ctypes.c_int
    return bool(call(option, value) == 1)
