"""Pirsch authentication and scopes: tokens, access keys, scope denials, domain binding."""

from __future__ import annotations

import json

import pytest

from api.pirsch.conftest import Pirsch
from footfall.meta import pirsch, services

HIT = {"url": "https://shop.example.com/", "ip": "198.51.100.7", "user_agent": "UA/1.0"}


def test_token_parses_json_whatever_the_content_type(api: Pirsch) -> None:
    client_id, secret = api.client(api.shop_id, "hit")
    for content_type in ("application/x-www-form-urlencoded", "text/plain", None):
        headers = {"Content-Type": content_type} if content_type else {}
        body = {"grant_type": "whatever", "client_id": client_id, "client_secret": secret}
        r = api.request("POST", "/api/v1/token", content=json.dumps(body), headers=headers)
        assert r.status_code == 200, r.text
        assert set(r.json()) == {"access_token", "expires_at"}
        assert r.json()["expires_at"].endswith("Z")


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({}, {"client_id", "client_secret"}),
        ({"client_id": "x" * 31, "client_secret": "y" * 64}, {"client_id"}),
        ({"client_id": "x" * 32, "client_secret": 5}, {"client_secret"}),
    ],
)
def test_token_validation_names_the_fields(
    api: Pirsch, body: dict[str, object], fields: set[str]
) -> None:
    r = api.request("POST", "/api/v1/token", json=body)
    assert r.status_code == 400
    assert set(r.json()["validation"]) == fields and r.json()["error"] == []


def test_token_refuses_a_wrong_secret_and_garbage(api: Pirsch) -> None:
    client_id, _ = api.client(api.shop_id, "hit")
    r = api.request(
        "POST", "/api/v1/token", json={"client_id": client_id, "client_secret": "z" * 64}
    )
    assert r.status_code == 401 and r.json()["error"]
    r = api.request("POST", "/api/v1/token", content=b"{nope")
    assert r.status_code == 400 and "body" in r.json()["validation"]


def test_platform_credential_works_on_both_token_endpoints(api: Pirsch) -> None:
    new = services.create_credential(api.meta, api.owner_id, "plain")
    body = {"client_id": new.credential.client_id, "client_secret": new.client_secret}
    token = api.request("POST", "/api/v1/token", json=body).json()["access_token"]
    # no Pirsch row: a user client with every scope on the user's apps
    assert api.request("POST", "/api/v1/hit", token, json=HIT).status_code == 200
    assert api.request("GET", "/api/v1/domain", token).status_code == 200


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer ", "Basic abc", "Bearer eyJ.x.y", "Bearer pa_" + "x" * 45]
)
def test_a_missing_empty_or_invalid_bearer_is_401(api: Pirsch, header: str) -> None:
    headers = {"Authorization": header} if header else {}
    for method, path in (
        ("POST", "/api/v1/hit"),
        ("GET", "/api/v1/domain"),
        ("POST", "/api/v1/event/batch"),
    ):
        r = api.request(method, path, json=HIT, headers=headers)
        assert r.status_code == 401, (method, path, header)
        assert set(r.json()) == {"validation", "error"}


def test_each_write_scope_is_enforced(api: Pirsch) -> None:
    token = api.token(api.shop_id, "hit,statistics")
    assert api.request("POST", "/api/v1/hit", token, json=HIT).status_code == 200
    event = {**HIT, "event_name": "x"}
    assert api.request("POST", "/api/v1/event", token, json=event).status_code == 403
    assert api.request("POST", "/api/v1/session", token, json=HIT).status_code == 403
    assert api.request("POST", "/api/v1/event/batch", token, json=[]).status_code == 403


def test_a_statistics_only_client_cannot_write(api: Pirsch) -> None:
    token = api.token(api.shop_id, "statistics")
    for kind in ("hit", "event", "session"):
        r = api.request("POST", f"/api/v1/{kind}", token, json=HIT)
        assert r.status_code == 403 and kind in r.json()["error"][0]
    assert api.spooled() == []


def test_an_access_key_sends_data_and_reads_nothing(api: Pirsch) -> None:
    key = pirsch.create_access_key(api.meta, api.owner_id, api.shop_id, "k")
    assert key.startswith("pa_") and len(key) == 48
    assert api.request("POST", "/api/v1/hit", key, json=HIT).status_code == 200
    batch = [{**HIT, "event_name": "e", "time": "2026-01-01T00:00:00Z"}]
    assert api.request("POST", "/api/v1/event/batch", key, json=batch).status_code == 200
    assert api.request("GET", "/api/v1/domain", key).status_code == 403
    assert (
        api.request(
            "POST", "/api/v1/goal/regex", key, json={"regex": "a", "sample": "a"}
        ).status_code
        == 403
    )
    r = api.request(
        "GET", f"/api/v1/statistics/visitor?id={api.shop_id}&from=2026-01-01&to=2026-01-02", key
    )
    assert r.status_code == 403
    assert [r.website_id for r in api.spooled()] == [api.shop_id, api.shop_id]


def test_a_deleted_app_revokes_its_access_key(api: Pirsch) -> None:
    key = pirsch.create_access_key(api.meta, api.owner_id, api.blog_id, "k")
    assert api.request("POST", "/api/v1/hit", key, json=HIT).status_code == 200
    services.delete_app(api.meta, api.blog_id)
    assert api.request("POST", "/api/v1/hit", key, json=HIT).status_code == 401


def test_a_domain_client_writes_only_to_its_domain_and_sees_no_other(api: Pirsch) -> None:
    token = api.token(api.shop_id, "hit,statistics")
    # the URL names the blog, but a domain client always writes to its own domain
    r = api.request("POST", "/api/v1/hit", token, json={**HIT, "url": "https://blog.example.org/"})
    assert r.status_code == 200
    assert [r.website_id for r in api.spooled()] == [api.shop_id]
    [domain] = api.request("GET", "/api/v1/domain", token).json()
    assert domain["id"] == api.shop_id
    r = api.request(
        "GET", f"/api/v1/statistics/visitor?id={api.blog_id}&from=2026-01-01&to=2026-01-02", token
    )
    assert r.status_code == 404


def test_a_user_client_writes_to_the_app_matching_the_host(api: Pirsch) -> None:
    token = api.token(None, "hit")
    urls = [
        "https://shop.example.com/a",
        "https://blog.example.org/b",
        "https://www.blog.example.org/c",
    ]
    batch = [{**HIT, "url": u, "time": "2026-01-01T00:00:00Z"} for u in urls]
    assert api.request("POST", "/api/v1/hit/batch", token, json=batch).status_code == 200
    assert [r.website_id for r in api.spooled()] == [api.shop_id, api.blog_id, api.blog_id]
    r = api.request("POST", "/api/v1/hit", token, json={**HIT, "url": "https://elsewhere.test/"})
    assert r.status_code == 404


def test_a_user_client_of_a_viewer_cannot_write(api: Pirsch) -> None:
    viewer = services.create_user(api.meta, "viewer@example.com").user
    services.set_permission(api.meta, viewer.id, api.shop_id, "view")
    token = api.token(None, "hit,statistics", user_id=viewer.id)
    assert api.request("POST", "/api/v1/hit", token, json=HIT).status_code == 404
    [domain] = api.request("GET", "/api/v1/domain", token).json()
    assert (domain["id"], domain["user_role"]) == (api.shop_id, "Viewer")


def test_a_revoked_client_gets_401(api: Pirsch) -> None:
    client_id, secret = api.client(api.shop_id, "hit")
    token = api.request(
        "POST", "/api/v1/token", json={"client_id": client_id, "client_secret": secret}
    ).json()["access_token"]
    services.revoke_credential(api.meta, client_id)
    assert api.request("POST", "/api/v1/hit", token, json=HIT).status_code == 401


def test_scopes_parse_and_refuse_unknown_names() -> None:
    assert pirsch.parse_scopes("hit,statistics,domains:w") == {
        "hit": "w",
        "event": "",
        "session": "",
        "statistics": "r",
        "domains": "w",
    }
    with pytest.raises(services.ValidationError):
        pirsch.parse_scopes("hit,billing")
    with pytest.raises(services.ValidationError):
        pirsch.parse_scopes({"hit": "x"})


def test_a_domain_client_stops_writing_when_its_user_loses_edit(api: Pirsch) -> None:
    editor = services.create_user(api.meta, "editor@example.com").user
    services.set_permission(api.meta, editor.id, api.shop_id, "edit")
    token = api.token(api.shop_id, "hit", user_id=editor.id)
    key = pirsch.create_access_key(api.meta, editor.id, api.shop_id, "k")
    assert api.request("POST", "/api/v1/hit", token, json=HIT).status_code == 200
    assert api.request("POST", "/api/v1/hit", key, json=HIT).status_code == 200
    services.set_permission(api.meta, editor.id, api.shop_id, "view")
    assert api.request("POST", "/api/v1/hit", token, json=HIT).status_code == 403
    assert api.request("POST", "/api/v1/hit", key, json=HIT).status_code == 403
    assert len(api.spooled()) == 2
