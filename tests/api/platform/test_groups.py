"""User groups API v1: CRUD, members, and a group permission reaching its members."""

from __future__ import annotations

from conftest import Api, doc
from footfall.meta import services
from footfall.meta.permissions import effective_level
from footfall.meta.store import MetaStore

T = "ppms/user-group"
BASE = "/api/user-groups/v1"


def test_groups_members_and_permissions(
    api: Api, owner: services.User, meta: MetaStore, app_id: str
) -> None:
    r = api.call("POST", BASE, owner, doc(T, {"name": "Analysts"}))
    assert r.status_code == 201
    group = r.json()["data"]
    assert (group["type"], group["attributes"]["name"], group["attributes"]["external_id"]) == (
        T,
        "Analysts",
        None,
    )
    gid = group["id"]
    body = doc(T, {"name": "Data team", "external_id": "sso-42"}, gid)
    assert api.call("PATCH", f"{BASE}/{gid}", owner, body).status_code == 204
    got = api.call("GET", f"{BASE}/{gid}", owner).json()["data"]["attributes"]
    assert (got["name"], got["external_id"]) == ("Data team", "sso-42")
    assert api.call("GET", BASE, owner, search="sso-4").json()["meta"] == {"total": 1}
    user = services.create_user(meta, "u@example.com").user
    add = {"data": [{"type": "ppms/user", "id": user.id}]}
    assert api.call("POST", f"{BASE}/{gid}/relationships/users", owner, add).status_code == 204
    members = api.call("GET", f"{BASE}/{gid}/users", owner).json()
    assert members == {
        "data": [{"type": "ppms/user", "id": user.id, "attributes": {"email": "u@example.com"}}],
        "meta": {"total": 1},
    }
    outside = api.call("GET", f"{BASE}/{gid}/users/excluded", owner).json()
    assert [u["id"] for u in outside["data"]] == [owner.id]
    grant = doc("ppms/permissions/group", {"entity_id": app_id, "group": "edit"})
    assert api.call("POST", f"{BASE}/{gid}/permissions", owner, grant).status_code == 204
    assert effective_level(meta, user.id, app_id) == "edit"
    assert api.call("GET", f"/api/apps/v2/{app_id}", user).status_code == 200
    bad = doc("ppms/permissions/group", {"entity_id": app_id, "group": "admin"})
    r = api.call("POST", f"{BASE}/{gid}/permissions", owner, bad)
    assert r.json()["errors"][0]["source"] == {"pointer": "/data/attributes/group"}
    assert api.call("DELETE", f"{BASE}/{gid}/relationships/users", owner, add).status_code == 204
    assert effective_level(meta, user.id, app_id) == "no-access"
    assert api.call("DELETE", f"{BASE}/{gid}", owner).status_code == 204
    assert api.call("GET", f"{BASE}/{gid}", owner).status_code == 404
    r = api.call("POST", BASE, owner, doc(T, {}))
    assert r.json()["errors"][0]["source"] == {"pointer": "/data/attributes/name"}
