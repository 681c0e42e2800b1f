"""The HTTP API over the fake container (FastAPI's TestClient): tokens and scopes, every
route through the services, the permission module's answers, redacted text only, and JSON
errors with the right status for every kind of bad request."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from playbook.api import create_app
from playbook.models import EntryContent, Role, Visibility
from playbook.ratelimit import RateLimiter
from playbook.services.tokens import Tokens
from playbook.wiring import Container


@pytest.fixture
def client(demo: Container) -> Iterator[TestClient]:
    with TestClient(create_app(demo)) as tc:
        yield tc


def token(c: Container, user: str, *scopes: str, name: str = "test") -> dict[str, str]:
    """The Authorization header of a new token of ``user``."""
    _, secret = c.tokens.create(user, name, scopes or ("read",))
    return {"Authorization": f"Bearer {secret}"}


def audit_actions(c: Container) -> list[tuple[str, str, str]]:
    return [(e.action, e.subject, e.detail) for e in c.audit.events()]


def test_health_needs_no_token(client: TestClient) -> None:
    r = client.get("/health")
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_docs_and_openapi_are_served(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    # Everything the page loads comes from this server: no CDN an offline site cannot reach.
    assert "cdn" not in page.text.casefold() and "https://" not in page.text
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert len(assets) >= 3, assets  # the script, the styles, the icon
    for asset in assets:
        got = client.get(asset)
        assert got.status_code == 200 and got.content, asset
    spec = client.get("/openapi.json").json()
    assert {"/search", "/ask", "/journal", "/debriefs", "/entries", "/handoff"} <= set(
        spec["paths"]
    )
    assert "HTTPBearer" in spec["components"]["securitySchemes"]


def test_search_returns_what_the_reader_may_read_redacted(
    client: TestClient, demo: Container
) -> None:
    r = client.get("/search", params={"q": "pricing assumptions"}, headers=token(demo, "ravi"))
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    assert results and {"document_id", "title", "kind", "author", "sentence"} <= set(results[0])
    # Exactly what the service gives ravi, nobody's private writing, and no raw name.
    ravi = demo.records.principal("ravi")
    expected = demo.service.search_documents(ravi, "pricing assumptions", k=10)
    assert [x["document_id"] for x in results] == [d.hit.document_id for d in expected]
    for x in results:
        info = demo.records.document(x["document_id"])
        assert info is not None
        assert info.visibility != Visibility.PRIVATE or info.owner_id == ravi.user_id
    assert "Priya" not in r.text and "Marcus" not in r.text
    same = client.post(
        "/search", json={"q": "pricing assumptions"}, headers=token(demo, "ravi", name="b")
    )
    assert same.json() == r.json()


def test_ask_answers_from_redacted_passages(client: TestClient, demo: Container) -> None:
    r = client.post(
        "/ask", json={"question": "what did Priya do about pricing?"}, headers=token(demo, "ada")
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["mode"] in {"extractive", "none"} and "sources" in body
    assert "Priya" not in r.text  # the question comes back redacted, as searched


def test_write_share_and_withdraw_through_the_api(client: TestClient, demo: Container) -> None:
    ada = token(demo, "ada", "read", "write")
    r = client.post(
        "/journal",
        json={"text": "Zebra offsite lesson: ask Tony about the zebra budget."},
        headers=ada,
    )
    assert r.status_code == 201, r.text
    doc = r.json()["document_id"]
    ravi = token(demo, "ravi")
    found = client.get("/search", params={"q": "zebra offsite"}, headers=ravi).json()["results"]
    assert doc not in [x["document_id"] for x in found]  # private
    mine = client.get("/search", params={"q": "zebra offsite"}, headers=ada).json()["results"]
    assert doc in [x["document_id"] for x in mine]
    assert "Tony" not in str(mine)
    assert client.post(f"/documents/{doc}/share", headers=ada).json()["share_status"] == "pending"
    # Asking twice is answered; sharing another's item is refused by the permission module.
    assert client.post(f"/documents/{doc}/share", headers=ada).status_code == 200
    other = client.post(
        f"/documents/{doc}/withdraw", headers=token(demo, "ravi", "write", name="w")
    )
    assert other.status_code == 403 and "error" in other.json()
    r = client.post(f"/documents/{doc}/withdraw", headers=ada)
    assert r.status_code == 200 and r.json()["visibility"] == "private"
    missing = client.post("/documents/nosuchdoc/share", headers=ada)
    assert missing.status_code == 404 and missing.json() == {"error": "No such document"}


def test_a_debrief_is_checked_whole(client: TestClient, demo: Container) -> None:
    ravi = token(demo, "ravi", "write")
    r = client.post("/debriefs", json={"function": "Finance"}, headers=ravi)
    assert r.status_code == 422
    assert {"start_date", "end_date", "lessons", "advice"} <= set(r.json()["fields"])
    good = {
        "function": "Finance",
        "start_date": "2026-09-01",
        "end_date": "2026-10-15",
        "anchor_project": "pricing review",
        "surprised": "how fast decisions were made",
        "lessons": "name the weakest assumption first",
        "advice": "meet the controllers early",
    }
    r = client.post("/debriefs", json=good, headers=ravi)
    assert r.status_code == 201 and r.json()["document_id"]
    bad_date = client.post("/debriefs", json={**good, "end_date": "not a date"}, headers=ravi)
    assert bad_date.status_code == 422 and "end_date" in bad_date.json()["error"]


def publish_entry(c: Container) -> str:
    """A published entry in the demo programme (cora writes and submits, cleo publishes:
    whoever submits may not have to be the one who publishes)."""
    cora = c.administration.principal("cora")
    c.records.add_user("cleo", roles=[Role.COORDINATOR])
    cleo = c.administration.principal("cleo")
    content = EntryContent("Name the weakest assumption", {"lesson": "Say it on day one."})
    entry = c.curation.create(cora, next(iter(cora.programme_ids)), content)
    entry = c.curation.act(cora, entry.entry_id, entry.version, "submit")
    return c.curation.act(cleo, entry.entry_id, entry.version, "publish").entry_id


def test_entries_and_handoff_packs(client: TestClient, demo: Container) -> None:
    published = publish_entry(demo)
    ravi = token(demo, "ravi")
    listing = client.get("/entries", headers=ravi)
    assert listing.status_code == 200
    entries = listing.json()["entries"]
    assert published in [e["id"] for e in entries]
    assert entries and all(e["status"] == "published" for e in entries)
    one = client.get(f"/entries/{entries[0]['id']}", headers=ravi)
    assert one.status_code == 200 and one.json()["title"] == entries[0]["title"]
    assert client.get("/entries/nope", headers=ravi).status_code == 404
    bad = client.get("/entries", params={"status": "shiny"}, headers=ravi)
    assert bad.status_code == 400 and "Unknown status" in bad.json()["error"]
    unnamed = client.get("/handoff", headers=ravi)
    assert unnamed.status_code == 400 and "function" in unnamed.json()["error"]
    pack = client.get("/handoff", params={"function": "Finance"}, headers=ravi)
    assert pack.status_code == 200 and {"title", "groups", "debriefs"} <= set(pack.json())
    md = client.get("/handoff", params={"function": "Finance", "format": "md"}, headers=ravi)
    assert md.status_code == 200 and md.headers["content-type"].startswith("text/markdown")
    assert ("export", pack.json()["title"], "api json") in audit_actions(demo)


def test_scopes_a_read_token_cannot_write(client: TestClient, demo: Container) -> None:
    read_only = token(demo, "ada", "read")
    r = client.post("/journal", json={"text": "hello there"}, headers=read_only)
    assert r.status_code == 403 and "write" in r.json()["error"]
    write_only = token(demo, "ada", "write", name="w")
    assert client.get("/search", params={"q": "x"}, headers=write_only).status_code == 403


def test_unauthenticated_requests_are_refused_and_audited(
    client: TestClient, demo: Container
) -> None:
    for headers in ({}, {"Authorization": "Bearer nonsense"}, {"Authorization": "Basic eDp5"}):
        r = client.get("/search", params={"q": "pricing"}, headers=headers)
        assert r.status_code == 401 and r.headers["www-authenticate"] == "Bearer"
        assert set(r.json()) == {"error"}
    refused = [a for a in audit_actions(demo) if a[0] == "api token refused"]
    # Newest first: the Basic header, the unknown token, no header at all.
    assert [a[2] for a in refused] == ["no token", "unknown", "no token"]
    assert "nonsense" not in str(audit_actions(demo))


def test_a_revoked_or_expired_token_stops_working(client: TestClient, demo: Container) -> None:
    made, secret = demo.tokens.create("ravi", "bot", ["read"], expires_days=1)
    headers = {"Authorization": f"Bearer {secret}"}
    assert client.get("/entries", headers=headers).status_code == 200
    demo.tokens.revoke("ravi", "bot")
    assert client.get("/entries", headers=headers).status_code == 401
    assert ("api token revoked", "ravi", made.token_id) in audit_actions(demo)
    _, later = demo.tokens.create("ravi", "bot", ["read"], expires_days=1)
    demo.tokens.now = lambda: dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    assert client.get("/entries", headers={"Authorization": f"Bearer {later}"}).status_code == 401
    assert ("api token refused", "ravi", "expired") in audit_actions(demo)


def test_a_deactivated_users_token_is_refused(client: TestClient, demo: Container) -> None:
    headers = token(demo, "ravi")
    demo.administration.set_active(demo.administration.principal("sam"), "ravi", False)
    r = client.get("/entries", headers=headers)
    assert r.status_code == 401 and "deactivated" in r.json()["error"]


def test_the_per_token_limit_answers_429_with_retry_after(demo: Container) -> None:
    demo.override(
        tokens=Tokens(
            demo.tokens._store,  # the same store, a limit of 3 a minute
            demo.records,
            demo.audit,
            limiter=RateLimiter(3, dt.timedelta(minutes=1), events=demo.rate_events, bucket="api"),
        )
    )
    client = TestClient(create_app(demo))
    headers = token(demo, "ravi")
    assert [client.get("/entries", headers=headers).status_code for _ in range(3)] == [200] * 3
    r = client.get("/entries", headers=headers)
    assert r.status_code == 429 and 1 <= int(r.headers["retry-after"]) <= 60
    assert "3 requests" in r.json()["error"]
    # Another token of the same user has its own allowance.
    assert client.get("/entries", headers=token(demo, "ravi", name="b")).status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "kwargs", "status"),
    [
        ("get", "/no/such/route", {}, 404),
        ("delete", "/search", {}, 405),
        (
            "post",
            "/journal",
            {"content": b"{not json", "headers": {"content-type": "application/json"}},
            400,
        ),
        ("post", "/journal", {"json": {"title": "no text"}}, 422),
        ("post", "/journal", {"json": {"text": "x" * 20_001}}, 422),
        ("post", "/journal", {"json": {"text": "   "}}, 400),
        ("get", "/search", {"params": {"q": ""}}, 422),
        ("get", "/search", {"params": {"q": "a", "k": 0}}, 422),
        (
            "post",
            "/journal",
            {"content": b"x" * 300_000, "headers": {"content-type": "application/json"}},
            413,
        ),
    ],
)
def test_every_error_is_json_with_its_status(
    client: TestClient, demo: Container, method: str, path: str, kwargs: dict, status: int
) -> None:
    headers = {**token(demo, "ada", "read", "write"), **kwargs.pop("headers", {})}
    r = getattr(client, method)(path, headers=headers, **kwargs)
    assert r.status_code == status, r.text
    body = r.json()
    assert isinstance(body["error"], str) and body["error"][:1].isupper()
    assert "x" * 50 not in r.text  # an error never repeats what was sent


def test_nothing_is_lost_when_a_write_is_refused(client: TestClient, demo: Container) -> None:
    ada = token(demo, "ada", "read", "write")
    before = client.get("/search", params={"q": "pricing"}, headers=ada).json()
    assert client.post("/journal", json={"text": ""}, headers=ada).status_code == 422
    assert client.get("/search", params={"q": "pricing"}, headers=ada).json() == before


def test_the_store_being_down_is_a_503(client: TestClient, demo: Container) -> None:
    class Down:
        def get(self, token_id: str) -> None:
            raise OSError("disk gone")

    demo.tokens._store = Down()  # type: ignore[assignment]
    r = client.get("/health")
    assert r.status_code == 503 and r.json()["status"] == "unavailable"


def test_a_coordinator_moderates_share_requests(client: TestClient, demo: Container) -> None:
    ada = token(demo, "ada", "read", "write")
    doc = client.post(
        "/journal", json={"text": "Quokka pilot: what the quokka launch taught me."}, headers=ada
    ).json()["document_id"]
    client.post(f"/documents/{doc}/share", headers=ada)
    cora = token(demo, "cora", "read", "write")
    assert doc in [
        d["document_id"] for d in client.get("/moderation", headers=cora).json()["pending"]
    ]
    ravi = token(demo, "ravi", "read", "write")
    assert client.get("/moderation", headers=ravi).status_code == 403
    assert (
        client.post(f"/moderation/{doc}", json={"approve": True}, headers=ravi).status_code == 403
    )
    r = client.post(f"/moderation/{doc}", json={"approve": True}, headers=cora)
    assert r.status_code == 200 and r.json()["share_status"] == "approved"
    found = client.get("/search", params={"q": "quokka launch"}, headers=ravi).json()["results"]
    assert doc in [x["document_id"] for x in found]
    client.post(f"/documents/{doc}/withdraw", headers=ada)
    found = client.get("/search", params={"q": "quokka launch"}, headers=ravi).json()["results"]
    assert doc not in [x["document_id"] for x in found]


def test_a_body_sent_in_chunks_is_held_to_the_limit_too(
    client: TestClient, demo: Container
) -> None:
    def chunks() -> Iterator[bytes]:
        yield b'{"text": "'
        for _ in range(40):
            yield b"y" * 10_000
        yield b'"}'

    headers = {**token(demo, "ada", "write"), "content-type": "application/json"}
    r = client.post("/journal", content=chunks(), headers=headers)
    assert r.status_code == 413 and "256 KiB" in r.json()["error"]
    bad = client.post("/journal", content=b"{}", headers={**headers, "content-length": "x1"})
    assert bad.status_code == 400


def test_an_operational_failure_is_a_503_sentence(
    client: TestClient, demo: Container, caplog: pytest.LogCaptureFixture
) -> None:
    class Broken:
        def search_documents(self, *args: object, **kwargs: object) -> None:
            raise OSError("Priya's text in a message")

    headers = token(demo, "ravi")
    demo.override(service=Broken())
    r = client.get("/search", params={"q": "pricing"}, headers=headers)
    assert r.status_code == 503 and "could not read or write its files" in r.json()["error"]
    assert "Priya" not in r.text and "Priya" not in caplog.text

    class Strange:
        def search_documents(self, *args: object, **kwargs: object) -> None:
            raise KeyError("Priya")

    demo.override(service=Strange())
    r = client.get("/search", params={"q": "pricing"}, headers=headers)
    assert r.status_code == 503 and "KeyError" in r.json()["error"]
    assert "Priya" not in r.text and "Priya" not in caplog.text
