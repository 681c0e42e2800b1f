"""``GET /programmes/{programme}/health`` over the demo (FastAPI's TestClient) with a fake
source: JSON and CSV, small groups withheld, refusals and bad periods as JSON errors with the
right status, tokens and their rate limit, and each request audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from playbook.api import create_app
from playbook.demo import PROGRAMME
from playbook.models import Role
from playbook.ratelimit import RateLimiter
from playbook.services.health.figures import TOO_FEW
from playbook.wiring import Container
from tests.unit.health_fakes import fake_health
from tests.unit.test_api import token

URL = f"/programmes/{PROGRAMME}/health"


@pytest.fixture
def client(demo: Container) -> Iterator[TestClient]:
    fake_health(demo)
    with TestClient(create_app(demo)) as tc:
        yield tc


def test_json_report_withholds_small_groups(client: TestClient, demo: Container) -> None:
    r = client.get(URL, params={"period": "last-quarter"}, headers=token(demo, "cora"))
    assert r.status_code == 200, r.text
    body = r.json()
    pid = demo.records.programme_id(PROGRAMME)
    assert body["programme_id"] == pid
    assert body["population"] == len(demo.records.member_ids(pid))
    (section,) = body["sections"]
    assert section["tables"][0]["rows"] == [
        ["senior", 6],
        ["junior", None],
        ["=HYPERLINK(x)", None],
    ]
    assert section["figures"][1] == {
        "label": "Open answers",
        "value": None,
        "period": body["period"]["label"],
        "population": "2 respondents",
        "note": TOO_FEW,
    }
    (line,) = demo.audit.events("health viewed")
    assert (line.actor, line.subject) == ("cora", pid)
    assert line.detail.endswith("format api json")


def test_csv_report(client: TestClient, demo: Container) -> None:
    params = {"from": "2026-01-01", "to": "2026-03-31", "format": "csv"}
    r = client.get(URL, params=params, headers=token(demo, "cora"))
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"].startswith('attachment; filename="health-')
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert {row["period"] for row in rows} == {"2026-01-01 to 2026-03-31"}
    assert [row["value"] for row in rows if row["row"] == "junior"] == [TOO_FEW]
    assert "'=HYPERLINK(x)" in {row["row"] for row in rows}


def test_a_sponsor_reads_it(client: TestClient, demo: Container) -> None:
    demo.records.add_user("sofia-api", "Sofia", [Role.SPONSOR], PROGRAMME)
    r = client.get(URL, headers=token(demo, "sofia-api"))
    assert r.status_code == 200, r.text


@pytest.mark.parametrize(
    ("user", "url", "params", "status", "says"),
    [
        ("ravi", URL, {}, 403, "Programme health needs the coordinator"),
        ("cora", "/programmes/nowhere/health", {}, 404, "is not one of your programmes"),
        ("cora", URL, {"period": "next-year"}, 400, "is not a period"),
        ("cora", URL, {"from": "2026-02-30"}, 400, "is not a date"),
        ("cora", URL, {"from": "2026-03-01", "to": "2026-01-01"}, 400, "before it starts"),
        ("cora", URL, {"from": "2999-01-01"}, 400, "after today"),
        ("cora", URL, {"format": "xlsx"}, 422, "format"),
        ("cora", URL, {"period": "x" * 41}, 422, "period"),
    ],
)
def test_refusals_are_json_errors(
    client: TestClient,
    demo: Container,
    user: str,
    url: str,
    params: dict[str, str],
    status: int,
    says: str,
) -> None:
    r = client.get(url, params=params, headers=token(demo, user))
    assert r.status_code == status, r.text
    assert says in r.json()["error"]
    assert demo.audit.events("health viewed") == []


def test_needs_a_token_and_keeps_to_its_rate_limit(client: TestClient, demo: Container) -> None:
    assert client.get(URL).status_code == 401
    demo.tokens.limiter = RateLimiter(2, dt.timedelta(minutes=1))
    headers = token(demo, "cora")
    assert [client.get(URL, headers=headers).status_code for _ in range(3)] == [200, 200, 429]
