"""Two processes opening one new index at the same moment agree on its token: the store's
claim comes first and the index carries whatever the store kept, so the next start does not
take the index for a replaced one and rebuild everything (seen once in CI: two
`playbook import` runs into a new data folder left `stats` reporting all 40 documents
pending)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from ingest.index_health import GuardedIndex
from playbook.store.records import SqlRecords


class _Index:
    """An index's token and chunk count, shared by both "processes" (one set of files)."""

    def __init__(self) -> None:
        self.stamped: str | None = None
        self.stamps = 0

    def token(self) -> str | None:
        return self.stamped

    def stamp(self, token: str) -> None:
        self.stamped, self.stamps = token, self.stamps + 1

    def count(self) -> int:
        return 0


class _Stale:
    """What process B read before A wrote anything: no token in the store or the index.
    B's own writes go through to the shared store and files."""

    def __init__(self, target: Any, **stale: Any) -> None:
        self._target, self._stale = target, stale

    def __getattr__(self, name: str) -> Any:
        if name in self._stale:
            return lambda *_args: self._stale[name]
        return getattr(self._target, name)


class _Writes:
    """Process A's writes (to the store and to the index), counted: just before write
    number ``at``, B's whole start runs, on what B read before A wrote anything."""

    def __init__(self, at: int, race: Callable[[], None]) -> None:
        self.at, self.race, self.done = at, race, 0

    def view(self, target: Any) -> Any:
        writes = self

        class View:
            def __getattr__(self, name: str) -> Any:
                found = getattr(target, name)
                if name not in ("claim_index_token", "stamp"):
                    return found

                def write(*args: Any) -> Any:
                    writes.done += 1
                    if writes.done == writes.at:
                        writes.race()
                    return found(*args)

                return write

        return View()


# B cannot write between A's claim and A's stamp any more: the stamp runs inside the claim's
# locked transaction (B would wait on the lock), so only "before" can be played in one thread.
@pytest.mark.parametrize("at", [1], ids=["before A's first write"])
def test_two_first_opens_at_once_leave_one_token(records: SqlRecords, at: int) -> None:
    files = _Index()
    b = GuardedIndex("vectors", lambda: _Stale(files, token=None), _Stale(records, index_states={}))
    ran: list[bool] = []

    def b_starts() -> None:
        assert b.check() is None  # B: a new index, nothing to rebuild
        ran.append(True)

    writes = _Writes(at, b_starts)
    a_files, a_records = writes.view(files), writes.view(records)
    assert GuardedIndex("vectors", lambda: a_files, a_records).check() is None
    assert ran  # B did start in between
    kept = records.index_states()["vectors"][1]
    assert kept is not None and files.stamped == kept  # one token, in both places
    # The next start finds the index the store describes: no rebuild.
    assert GuardedIndex("vectors", lambda: files, records).check() is None
    assert records.index_generation() == 0


def test_an_index_stamped_before_the_store_knew_it_keeps_its_token(records: SqlRecords) -> None:
    files = _Index()
    files.stamp("from-an-earlier-version")
    assert GuardedIndex("vectors", lambda: files, records).check() is None
    assert records.index_states()["vectors"][1] == "from-an-earlier-version"
    assert files.stamps == 1  # not stamped again
