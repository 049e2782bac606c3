"""End to end: Pirsch clients and access keys made by the CLI, data sent over HTTP to a live
`footfall serve`, and what the pipeline wrote to the DuckDB store."""

from __future__ import annotations

import json
import re
from typing import Any

import httpx
import pytest

from e2e.conftest import Provisioned
from e2e.server import Server, cli, store_counts

pytestmark = pytest.mark.e2e

UA_FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"
UA_CHROME = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Safari/537.36"
)


def _client(p: Provisioned, scopes: str) -> dict[str, Any]:
    out: dict[str, Any] = cli(
        p.data_dir, "credentials", "create", "--app", p.app_id, "--scopes", scopes, "--json"
    )
    return out


def _token(http: httpx.Client, client: dict[str, Any]) -> str:
    # the PHP SDK's quirk: a JSON body labelled as a form, with a grant_type to ignore
    body = {
        "grant_type": "client_credentials",
        "client_id": client["client_id"],
        "client_secret": client["client_secret"],
    }
    r = http.post(
        "/api/v1/token",
        content=json.dumps(body),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 200, r.text
    answer = r.json()
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", answer["expires_at"])
    return str(answer["access_token"])


def _hit(path: str, ip: str, ua: str, **extra: Any) -> dict[str, Any]:
    return {
        "url": f"https://shop.example.com{path}",
        "ip": ip,
        "user_agent": ua,
        "accept_language": "de-DE,de;q=0.9",
        "title": f"Page {path}",
        "referrer": "https://news.example.org/story",
        "screen_width": 1920,
        "screen_height": 1080,
        "Hostname": "",  # the Go SDK's untagged field: ignored
        **extra,
    }


def test_clients_keys_and_every_write_endpoint_reach_the_store(
    provisioned: Provisioned, server: Server
) -> None:
    writer = _client(provisioned, "hit,event,session,statistics")
    reader = _client(provisioned, "statistics")
    key = cli(
        provisioned.data_dir,
        "credentials",
        "create",
        "--app",
        provisioned.app_id,
        "--access-key",
        "--json",
    )["access_key"]
    assert key.startswith("pa_") and len(key) == 48
    with httpx.Client(base_url=server.url, timeout=10) as http:
        # the JS SDK's first write carries an empty Bearer and expects 401 (httpx strips the
        # trailing space), as do a missing and a forged one
        for header in ({"Authorization": "Bearer"}, {}, {"Authorization": "Bearer eyJx.y.z"}):
            r = http.post("/api/v1/hit", json=_hit("/", "198.51.100.1", UA_FIREFOX), headers=header)
            assert r.status_code == 401
            assert set(r.json()) == {"validation", "error"} and r.json()["error"]
        # the init credential is a user client of the owner: it may manage domains
        assert provisioned.client_secret is not None
        owner = {"client_id": provisioned.client_id, "client_secret": provisioned.client_secret}
        goal = {"domain_id": provisioned.app_id, "name": "Pricing", "path_pattern": "/pricing"}
        r = http.post(
            "/api/v1/goal", json=goal, headers={"Authorization": f"Bearer {_token(http, owner)}"}
        )
        assert r.status_code == 200, r.text
        token = _token(http, writer)
        auth = {"Authorization": f"Bearer {token}"}
        # Go SDK: no Content-Type at all
        r = http.post(
            "/api/v1/hit", content=json.dumps(_hit("/", "198.51.100.1", UA_FIREFOX)), headers=auth
        )
        assert (r.status_code, r.content) == (200, b"")
        r = http.post(
            "/api/v1/hit", json=_hit("/pricing", "198.51.100.1", UA_FIREFOX), headers=auth
        )
        assert r.status_code == 200
        event = {
            **_hit("/pricing", "198.51.100.1", UA_FIREFOX),
            "event_name": "Signup",
            "event_duration": 12,
            "event_meta": {"plan": "pro", "seats": 3, "trial": True},
        }
        r = http.post("/api/v1/event", json=event, headers=auth)
        assert r.status_code == 200, r.text
        r = http.post(
            "/api/v1/session", json={"ip": "198.51.100.1", "user_agent": UA_FIREFOX}, headers=auth
        )
        assert r.status_code == 200
        # a batch back-dated by days: authenticated clients may
        batch = [
            {**_hit("/a", "203.0.113.9", UA_CHROME), "time": "2026-01-02T10:00:00Z"},
            {**_hit("/b", "203.0.113.9", UA_CHROME), "time": "2026-01-02T10:01:00Z"},
            {
                **_hit("/c", "203.0.113.10", UA_CHROME),
                "time": "2026-01-02T10:02:00Z",
                "tags": {"author": "kim"},
            },
        ]
        assert http.post("/api/v1/hit/batch", json=batch, headers=auth).status_code == 200
        events = [
            {
                **_hit("/b", "203.0.113.9", UA_CHROME),
                "time": "2026-01-02T10:01:30Z",
                "event_name": "Download",
                "event_duration": 0,
                "event_meta": {"file": "x.pdf"},
            },
            {  # metadata and tags on one event: each keeps its own custom variable slots
                **_hit("/c", "203.0.113.10", UA_CHROME),
                "time": "2026-01-02T10:03:00Z",
                "event_name": "Share",
                "event_meta": {"network": "mastodon"},
                "tags": {"author": "kim", "lang": "de"},
            },
        ]
        assert http.post("/api/v1/event/batch", json=events, headers=auth).status_code == 200
        sessions = [{"ip": "203.0.113.9", "user_agent": UA_CHROME, "time": "2026-01-02T10:05:00Z"}]
        assert http.post("/api/v1/session/batch", json=sessions, headers=auth).status_code == 200
        # a bad item names its field, nothing of the batch is stored
        bad = [batch[0], {**batch[1], "url": "not a url"}]
        r = http.post("/api/v1/hit/batch", json=bad, headers=auth)
        assert r.status_code == 400 and "1.url" in r.json()["validation"]
        # the access key sends data, and may read nothing
        key_auth = {"Authorization": f"Bearer {key}"}
        r = http.post("/api/v1/hit", json=_hit("/key", "192.0.2.44", UA_CHROME), headers=key_auth)
        assert r.status_code == 200
        r = http.get("/api/v1/domain", headers=key_auth)
        assert r.status_code == 403
        # a statistics-only client may not write
        r = http.post(
            "/api/v1/hit",
            json=_hit("/", "192.0.2.45", UA_CHROME),
            headers={"Authorization": f"Bearer {_token(http, reader)}"},
        )
        assert r.status_code == 403
        # a yearly-ish report (52 weeks up to yesterday) covers the January batch only
        owner_auth = {"Authorization": f"Bearer {_token(http, owner)}"}
        report = {"domain_id": provisioned.app_id, "emails": ["o@example.com"], "interval": 52}
        server.wait_idle()
        [made] = http.post("/api/v1/report", json=report, headers=owner_auth).json()
        preview = http.get(f"/api/v1/report/preview?id={made['id']}", headers=owner_auth)
        assert preview.status_code == 200, preview.text
        assert "<tr><th>Visitors</th><td>2</td></tr>" in preview.text
        assert "<tr><th>Page views</th><td>3</td></tr>" in preview.text
        # the day of the batches, as the statistics read it back
        day = {"id": provisioned.app_id, "from": "2026-01-02", "to": "2026-01-02"}

        def stats(name: str, **extra: str) -> Any:
            r = http.get(f"/api/v1/statistics/{name}", params={**day, **extra}, headers=auth)
            assert r.status_code == 200, r.text
            return r.json()

        # tags are counted on page views (/c); the Share event's tags are no page view's
        [tag] = stats("tags")
        assert (tag["key"], tag["value"], tag["visitors"], tag["views"]) == ("author", "", 1, 1)
        assert [(d["key"], d["value"]) for d in stats("tag/details", search="author")] == [
            ("author", "kim")
        ]
        listed = {e["name"]: e["meta"] for e in stats("event/list")}
        assert listed == {"Download": {"file": "x.pdf"}, "Share": {"network": "mastodon"}}
        assert [(e["name"], e["count"]) for e in stats("events", tag_lang="de")] == [("Share", 1)]
        assert [e["meta_keys"] for e in stats("events", event="Share")] == [["network"]]
        [domain] = http.get("/api/v1/domain", headers=auth).json()
        assert (domain["id"], domain["hostname"]) == (provisioned.app_id, "shop.example.com")
        server.wait_idle()
    server.stop()
    d = provisioned.data_dir
    by_type = dict(store_counts(d, "SELECT event_type, count(*) FROM events GROUP BY 1"))
    assert by_type.get(1) == 6  # page views: 2 live, 3 in the batch, 1 by access key
    assert by_type.get(5) == 3  # custom events
    assert by_type.get(8) == 1  # the Pirsch goal's conversion, once per session
    [(visitors, sessions)] = store_counts(
        d, "SELECT count(DISTINCT visitor_id), count(*) FROM sessions"
    )
    # cookieless: same IP and browser on a day = one visitor; the access-key hit is a third IP
    assert (visitors, sessions) == (4, 4)
    [(name, value, k1, v1, k2, v2, k3, v3)] = store_counts(
        d,
        "SELECT custom_event_name, custom_event_value, event_custom_variable_key_1, "
        "event_custom_variable_value_1, event_custom_variable_key_2, "
        "event_custom_variable_value_2, event_custom_variable_key_3, "
        "event_custom_variable_value_3 FROM events WHERE custom_event_name = 'Signup'",
    )
    assert (name, value) == ("Signup", 12)
    assert {(k1, v1), (k2, v2), (k3, v3)} == {("plan", "pro"), ("seats", "3"), ("trial", "true")}
    backdated = store_counts(
        d,
        "SELECT strftime(timestamp, '%Y-%m-%d %H:%M') FROM events "
        "WHERE event_type = 1 AND event_url LIKE '%/a'",
    )
    assert backdated == [("2026-01-02 10:00",)]
    [(tag_key, tag_value)] = store_counts(
        d,
        "SELECT event_custom_variable_key_6, event_custom_variable_value_6 FROM events "
        "WHERE event_url LIKE '%/c' AND event_type = 1",
    )
    assert (tag_key, tag_value) == ("author", "kim")
