"""Nothing reaches the network at run time."""

from __future__ import annotations

import pytest
import requests
import tldextract.tldextract as tld
from tldextract.cache import DiskCache

from ingest.redact import make_offline


def test_tldextract_uses_its_bundled_snapshot(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []

    def no_network(*args: object, **kwargs: object) -> None:
        calls.append(args)
        raise AssertionError("tldextract tried the network")

    monkeypatch.setattr(requests.Session, "get", no_network)
    monkeypatch.setattr(requests, "get", no_network)
    make_offline()
    # A cold extractor with no disk cache: it must build its list without fetching.
    monkeypatch.setattr(tld.TLD_EXTRACTOR, "_extractor", None)
    monkeypatch.setattr(tld.TLD_EXTRACTOR, "_cache", DiskCache(None))
    assert tld.extract("mail.example.co.uk").suffix == "co.uk"
    assert calls == []


def test_the_test_suite_itself_cannot_open_outside_connections() -> None:
    import socket

    with pytest.raises(Exception, match=r"(?i)socket|blocked|allowed"):
        socket.create_connection(("198.51.100.1", 80), timeout=1)
