"""The analytics API over HTTP: a real `footfall serve`, real traffic, exact numbers."""

from __future__ import annotations

import io
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pyarrow.parquet as pq
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from e2e.conftest import provision
from e2e.server import Server, access_token, cli
from scenarios.traffic import Truth, generate

pytestmark = pytest.mark.e2e

PERIOD = {"date_from": "2026-10-31", "date_to": "2026-11-07"}


@dataclass
class World:
    """A server with the generated traffic of one app, a bearer token and the truth."""

    server: Server
    app_id: str
    token: str
    truth: Truth

    def post(self, path: str, body: dict[str, Any], token: str | None = None) -> httpx.Response:
        headers = {"authorization": f"Bearer {token or self.token}"}
        return httpx.post(self.server.url + path, json=body, headers=headers, timeout=60)

    def query(self, body: dict[str, Any], path: str = "/api/analytics/v1/query/") -> Any:
        r = self.post(path, {"website_id": self.app_id, **PERIOD, **body})
        assert r.status_code == 200, r.text
        return r.json()


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    data = tmp_path_factory.mktemp("analytics") / "data"
    prov = provision(data)
    server = Server(data)
    server.start()
    try:
        requests, truth = generate(prov.app_id)
        with httpx.Client(timeout=30) as client:
            for i in range(0, len(requests), 50):
                body = {"requests": requests[i : i + 50], "token_auth": prov.token_auth}
                assert client.post(server.url + "/matomo.php", json=body).status_code == 200
            token = access_token(server.url, prov.client_id, prov.client_secret)
        server.wait_idle()
        # session rows of active sessions are rewritten at most every 0.8 s: let the last land
        time.sleep(1.5)
        yield World(server, prov.app_id, token, truth)
    finally:
        server.stop()


def test_totals_are_exact(world: World) -> None:
    t = world.truth
    answer = world.query(
        {
            "columns": [
                {"column_id": "sessions"},
                {"column_id": "visitors"},
                {"column_id": "page_views"},
                {"column_id": "bounces"},
                {"column_id": "bounce_rate"},
                {"column_id": "ecommerce_conversions"},
                {"column_id": "revenue", "transformation_id": "sum"},
            ]
        }
    )
    assert answer["meta"] == {
        "columns": [
            "sessions",
            "visitors",
            "page_views",
            "bounces",
            "bounce_rate",
            "ecommerce_conversions",
            "revenue",
        ],
        "count": 1,
    }
    [row] = answer["data"]
    assert row[:4] == [t.sessions, t.visitors, t.page_views, t.bounces]
    assert row[4] == pytest.approx(t.bounces / t.sessions)
    assert row[5] == t.events_by_type.get(9, 0)
    assert row[6] == pytest.approx(t.revenue)


def test_event_types_and_legacy_names(world: World) -> None:
    answer = world.query({"columns": [{"column_id": "event_type"}, {"column_id": "nb_hits"}]})
    # nb_hits is legacy page views: only the page-view row has them
    rows = {r[0][0]: r for r in answer["data"]}
    assert set(rows) == set(world.truth.events_by_type)
    assert rows[1][0] == [1, "Page view"]
    assert rows[1][1] == world.truth.events_by_type[1]
    assert answer["meta"]["columns"] == ["event_type", "page_views"]


def test_daily_rows_sum_to_the_total_and_page_through(world: World) -> None:
    body = {
        "columns": [
            {"column_id": "timestamp", "transformation_id": "to_date"},
            {"column_id": "sessions"},
        ],
        "order_by": [[0, "asc"]],
        "limit": 2,
    }
    first = world.query(body)
    days = first["meta"]["count"]
    rows = list(first["data"])
    while len(rows) < days:
        rows += world.query({**body, "offset": len(rows)})["data"]
    assert [r[0] for r in rows] == sorted(r[0] for r in rows)
    assert sum(r[1] for r in rows) == world.truth.sessions


def test_raw_sessions_prepend_identifiers_and_export_csv_and_parquet(world: World) -> None:
    body = {"columns": [{"column_id": "device_type"}], "limit": 100_000}
    answer = world.query(body, "/api/analytics/v1/sessions/")
    assert answer["meta"]["columns"] == ["session_id", "visitor_id", "timestamp", "device_type"]
    assert answer["meta"]["count"] == world.truth.sessions == len(answer["data"])
    assert all(len(r[1]) == 16 for r in answer["data"])
    r = world.post(
        "/api/analytics/v1/sessions/",
        {"website_id": world.app_id, **PERIOD, **body, "format": "csv", "column_format": "name"},
    )
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    lines = r.text.strip().splitlines()
    assert lines[0] == "Session ID,Visitor ID,Timestamp,Device type"
    assert len(lines) == world.truth.sessions + 1
    r = world.post(
        "/api/analytics/v1/events/",
        {
            "website_id": world.app_id,
            **PERIOD,
            "columns": [{"column_id": "event_url"}],
            "format": "parquet",
            "limit": 100_000,
        },
    )
    assert r.status_code == 200
    table = pq.read_table(io.BytesIO(r.content))
    assert table.column_names == ["session_id", "event_id", "visitor_id", "timestamp", "event_url"]
    assert table.num_rows == world.truth.events


def test_json_kv_and_catalog(world: World) -> None:
    answer = world.query({"columns": [{"column_id": "sessions"}], "format": "json-kv"})
    assert answer["data"] == [{"sessions": world.truth.sessions}]
    r = httpx.get(
        world.server.url + "/analytics/api/engine/metrics/",
        params={"website_id": world.app_id},
        headers={"authorization": f"Bearer {world.token}"},
    )
    ids = {m["column_id"] for m in r.json()}
    assert {"sessions", "bounce_rate", "consents_first", "google_ads_clicks"} <= ids


@pytest.mark.parametrize(
    ("body", "status", "parameter"),
    [
        ({"columns": [{"column_id": "example"}]}, 400, "columns.column_id"),
        ({"columns": [{"column_id": "google_ads_clicks"}]}, 400, "columns.column_id"),
        (
            {"columns": [{"column_id": "sessions"}], "relative_date": "last_7_days"},
            400,
            "relative_date",
        ),
        ({"columns": [{"column_id": "sessions"}], "format": "pdf"}, 400, "format"),
        ({"columns": [{"column_id": "sessions"}], "limit": 0}, 400, "limit"),
    ],
)
def test_bad_queries_name_the_parameter(
    world: World, body: dict[str, Any], status: int, parameter: str
) -> None:
    r = world.post("/api/analytics/v1/query/", {"website_id": world.app_id, **PERIOD, **body})
    assert r.status_code == status
    [err] = r.json()["errors"]
    assert err["status"] == str(status)
    assert err["source"]["parameter"] == parameter


def test_credentials_are_required(world: World) -> None:
    body = {"website_id": world.app_id, **PERIOD, "columns": [{"column_id": "sessions"}]}
    r = httpx.post(world.server.url + "/api/analytics/v1/query/", json=body)
    assert r.status_code == 401
    assert r.json()["errors"][0]["detail"] == "No valid credentials provided."
    r = world.post("/api/analytics/v1/query/", body, token="not.a.jwt")
    assert r.status_code == 401


def _user_token(world: World, email: str, level: str | None) -> str:
    """A bearer token of a new USER holding `level` on the app (None: no grant)."""
    data = world.server.data_dir
    cli(data, "users", "create", "--email", email, "--role", "USER", "--json")
    if level is not None:
        cli(
            data,
            "permissions",
            "set",
            "--user",
            email,
            "--app",
            world.app_id,
            "--level",
            level,
            "--json",
        )
    cred = cli(data, "credentials", "create", "--user", email, "--name", email, "--json")
    r = httpx.post(
        world.server.url + "/auth/token",
        json={
            "grant_type": "client_credentials",
            "client_id": cred["client_id"],
            "client_secret": cred["client_secret"],
        },
        timeout=30,
    )
    assert r.status_code == 200, r.text
    return str(r.json()["access_token"])


def test_permissions_decide_who_reads_the_app(world: World) -> None:
    body = {"website_id": world.app_id, **PERIOD, "columns": [{"column_id": "sessions"}]}
    viewer = _user_token(world, "viewer@example.com", "view")
    r = world.post("/api/analytics/v1/query/", body, token=viewer)
    assert r.status_code == 200, r.text
    assert r.json()["data"] == [[world.truth.sessions]]
    stranger = _user_token(world, "stranger@example.com", None)
    r = world.post("/api/analytics/v1/query/", body, token=stranger)
    assert r.status_code == 403
    assert r.json()["errors"][0]["source"]["parameter"] == "website_id"
    r = world.post("/api/analytics/v1/sessions/", body, token=stranger)
    assert r.status_code == 403


def test_a_meta_site_answers_over_its_apps(world: World) -> None:
    other = cli(
        world.server.data_dir,
        "apps",
        "create",
        "--name",
        "Empty",
        "--url",
        "https://empty.example",
        "--json",
    )["id"]
    headers = {
        "authorization": f"Bearer {world.token}",
        "content-type": "application/vnd.api+json",
    }
    created = httpx.post(
        world.server.url + "/api/meta-sites/v1",
        json={
            "data": {
                "type": "ppms/meta-site",
                "attributes": {"name": "All", "timezone": "Europe/Warsaw"},
            }
        },
        headers=headers,
        timeout=30,
    )
    assert created.status_code == 201, created.text
    site_id = created.json()["data"]["id"]
    body = {"data": [{"type": "ppms/app", "id": world.app_id}, {"type": "ppms/app", "id": other}]}
    r = httpx.post(
        f"{world.server.url}/api/meta-sites/v1/{site_id}/relationships/apps",
        json=body,
        headers=headers,
        timeout=30,
    )
    assert r.status_code == 204, r.text
    columns = [{"column_id": "sessions"}, {"column_id": "visitors"}, {"column_id": "page_views"}]
    alone = world.query({"columns": columns})["data"]
    rolled = world.post(
        "/api/analytics/v1/query/", {"website_id": site_id, **PERIOD, "columns": columns}
    )
    assert rolled.status_code == 200, rolled.text
    assert rolled.json()["data"] == alone
    assert alone[0][0] == world.truth.sessions
