"""Tracker settings API v2: global and app settings, fallbacks, revert, app by URL, errors."""

from __future__ import annotations

from conftest import Api, doc
from footfall.meta import services
from footfall.meta.attributes import TRACKER_ATTRIBUTES
from footfall.meta.store import MetaStore

G = "tracker/settings/app/global"
A = "tracker/settings/app"
BASE = "/api/tracker/v2/settings/app"


def test_global_get_patch(api: Api, owner: services.User) -> None:
    r = api.call("GET", f"{BASE}/global", owner)
    data = r.json()["data"]
    assert (data["type"], data["id"]) == (G, "global")
    assert set(TRACKER_ATTRIBUTES) | {"updated_at"} == set(data["attributes"])
    assert data["attributes"]["updated_at"] is None
    body = doc(G, {"anonymize_visitor_ip_level": 3, "excluded_ips": ["10.0.0.1"]}, "global")
    assert api.call("PATCH", f"{BASE}/global", owner, body).status_code == 204
    attributes = api.call("GET", f"{BASE}/global", owner).json()["data"]["attributes"]
    assert (attributes["anonymize_visitor_ip_level"], attributes["excluded_ips"]) == (
        3,
        ["10.0.0.1"],
    )
    assert attributes["updated_at"].endswith("+00:00")


def test_app_falls_back_to_global_and_reverts(api: Api, owner: services.User, app_id: str) -> None:
    api.call("PATCH", f"{BASE}/global", owner, doc(G, {"session_max_event_count": 100}, "global"))
    data = api.call("GET", f"{BASE}/{app_id}", owner).json()["data"]
    assert (data["type"], data["id"]) == (A, app_id)
    assert data["attributes"]["session_max_event_count"] == 100
    assert data["attributes"]["urls"] == ["https://shop.example.com"]
    body = doc(
        A,
        {"session_max_event_count": 7, "urls": ["shop.example.com", "m.shop.example.com"]},
        app_id,
    )
    assert api.call("PATCH", f"{BASE}/{app_id}", owner, body).status_code == 204
    data = api.call("GET", f"{BASE}/{app_id}", owner).json()["data"]["attributes"]
    assert (data["session_max_event_count"], data["urls"]) == (
        7,
        ["shop.example.com", "m.shop.example.com"],
    )
    assert api.call("DELETE", f"{BASE}/{app_id}/session_max_event_count", owner).status_code == 204
    assert (
        api.call("GET", f"{BASE}/{app_id}", owner).json()["data"]["attributes"][
            "session_max_event_count"
        ]
        == 100
    )
    assert api.call("DELETE", f"{BASE}/global/session_max_event_count", owner).status_code == 204
    default = TRACKER_ATTRIBUTES["session_max_event_count"].default
    assert (
        api.call("GET", f"{BASE}/{app_id}", owner).json()["data"]["attributes"][
            "session_max_event_count"
        ]
        == default
    )
    r = api.call("DELETE", f"{BASE}/{app_id}/no_such_setting", owner)
    assert r.status_code == 400


def test_errors(api: Api, owner: services.User, app_id: str) -> None:
    r = api.call("GET", f"{BASE}/invalid", owner)
    assert (
        r.status_code == 400 and r.json()["errors"][0]["title"] == '"invalid" is not a valid UUID.'
    )
    r = api.call(
        "PATCH", f"{BASE}/{app_id}", owner, doc(A, {"anonymize_visitor_ip_level": 9}, app_id)
    )
    error = r.json()["errors"][0]
    assert r.status_code == 400 and error["source"] == {
        "pointer": "/data/attributes/anonymize_visitor_ip_level"
    }
    r = api.call("PATCH", f"{BASE}/{app_id}", owner, {"data": {"id": app_id, "attributes": {}}})
    assert r.json()["errors"][0] == {
        "status": "400",
        "code": "error.not-blank",
        "title": "This value should not be blank.",
        "source": {"pointer": "/data/type"},
    }
    r = api.call("PATCH", f"{BASE}/{app_id}", owner, doc(G, {}, app_id))
    assert r.status_code == 409
    r = api.call("GET", f"{BASE}/global")
    assert (r.status_code, r.json()) == (401, {"error": "JWT not found"})
    r = api.call("GET", f"{BASE}/global", headers={"Authorization": "Bearer abc.def.ghi"})
    assert (r.status_code, r.json()) == (401, {"error": "access token not authorized"})


def test_app_by_url(api: Api, owner: services.User, app_id: str, meta: MetaStore) -> None:
    for given in (
        "shop.example.com",
        "https://shop.example.com/some/page?x=1",
        "www.shop.example.com",
    ):
        r = api.call("GET", f"{BASE}/url", owner, app_url=given)
        assert r.status_code == 200, given
        data = r.json()["data"]
        assert (data["type"], data["id"], data["attributes"]["urls"][0]) == (
            A,
            app_id,
            "https://shop.example.com",
        )
    assert api.call("GET", f"{BASE}/url", owner, appUrl="shop.example.com").status_code == 200
    r = api.call("GET", f"{BASE}/url", owner, app_url="http://example.com")
    assert r.status_code == 404
    assert r.json() == {
        "errors": [
            {
                "status": "404",
                "code": "error.resource-not-found",
                "title": "App with given url 'http://example.com' doesn't exist",
            }
        ]
    }
    r = api.call("GET", f"{BASE}/url", owner)
    assert r.status_code == 400 and r.json()["errors"][0]["source"] == {"parameter": "app_url"}
    stranger = services.create_user(meta, "s@example.com").user
    assert api.call("GET", f"{BASE}/url", stranger, app_url="shop.example.com").status_code == 404
