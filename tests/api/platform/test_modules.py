"""Modules API v1: licensed modules, access per user, errors."""

from __future__ import annotations

from conftest import Api
from footfall.meta import services
from footfall.meta.store import MetaStore

BASE = "/api/modules/v1"


def test_modules_and_access(api: Api, owner: services.User, meta: MetaStore) -> None:
    listed = api.call("GET", BASE, owner).json()["data"]
    assert [m["id"] for m in listed] == [
        "analytics",
        "consent_manager",
        "customer_data_platform",
        "tag_manager",
        "administration",
    ]
    assert api.call("GET", f"{BASE}/analytics", owner).json() == {
        "data": {"type": "ppms/module", "id": "analytics"}
    }
    r = api.call("GET", f"{BASE}/heatmaps", owner)
    assert r.status_code == 403
    assert r.json()["errors"][0] == {
        "status": "403",
        "code": "modules.error.unlicensed-module",
        "title": "Missing license for: heatmaps",
    }
    user = services.create_user(meta, "u@example.com").user
    body = {
        "data": [{"type": "module/access", "id": "tag_manager", "attributes": {"access": False}}]
    }
    assert api.call("PUT", f"{BASE}/access/user/{user.id}", owner, body).status_code == 204
    access = api.call("GET", f"{BASE}/access/user/{user.id}", user).json()["data"]
    assert {a["id"]: a["attributes"]["access"] for a in access}["tag_manager"] is False
    assert access[0]["type"] == "module/access/user"
    by_users = api.call(
        "POST", f"{BASE}/by-users", owner, {"data": [{"type": "ppms/user", "id": user.id}]}
    ).json()
    assert "tag_manager" not in by_users["data"][0]["attributes"]["modules"]
    too_many = {"data": [{"type": "ppms/user", "id": user.id}] * 101}
    r = api.call("POST", f"{BASE}/by-users", owner, too_many)
    assert r.json()["errors"][0]["code"] == "modules.error.too-many-users"
    r = api.http.request(
        "PUT", f"{BASE}/access/user/{user.id}", json=body, headers=api.token(owner)
    )
    assert r.status_code == 415
    assert api.call("GET", f"{BASE}/access/user/{owner.id}", user).status_code == 403
    bad = {"data": [{"type": "module/access", "id": "chess", "attributes": {"access": True}}]}
    r = api.call("PUT", f"{BASE}/access/user/{user.id}", owner, bad)
    assert r.json()["errors"][0]["source"] == {"pointer": "/data/0/id"}
    r = api.call("GET", BASE)
    assert (r.status_code, r.json()) == (401, {"message": "JWT not found"})
