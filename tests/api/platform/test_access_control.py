"""Access control API v2: actions per level, grants for users and groups, listings, legacy paths."""

from __future__ import annotations

from conftest import Api, doc
from footfall.meta import services
from footfall.meta.groups import add_members, create_group
from footfall.meta.permissions import effective_level, set_group_permission
from footfall.meta.store import MetaStore

BASE = "/api/access-control/v2"


def test_grants_and_listings(api: Api, owner: services.User, meta: MetaStore, app_id: str) -> None:
    user = services.create_user(meta, "u@example.com").user
    body = doc("app/permission/user", {"permission": "edit-publish"})
    assert (
        api.call("POST", f"{BASE}/app/{app_id}/permission/user/{user.id}", owner, body).status_code
        == 204
    )
    assert effective_level(meta, user.id, app_id) == "edit-publish"
    actions = api.call("GET", f"{BASE}/entry/{app_id}", user).json()["data"]
    assert actions == {
        "type": "ppms/permission/entity/actions",
        "id": app_id,
        "attributes": {"actions": ["view", "edit", "publish"]},
    }
    group = create_group(meta, {"name": "Team"})
    add_members(meta, group.id, [user.id])
    set_group_permission(meta, group.id, app_id, "manage")
    listed = api.call("GET", f"{BASE}/app/{app_id}/permission/user", owner, search="u@").json()
    assert listed["data"] == [
        {
            "type": "app/permission/user",
            "id": user.id,
            "attributes": {
                "email": "u@example.com",
                "permission": "edit-publish",
                "group_permissions": {"group_names": ["Team"], "permission": "manage"},
            },
        }
    ]
    groups = api.call("GET", f"{BASE}/app/{app_id}/permission/user-group", owner).json()
    assert groups["data"][0]["attributes"] == {"name": "Team", "permission": "manage"}
    entries = api.call("GET", f"{BASE}/entry/ppms/app/action/manage", user).json()
    assert entries == {
        "data": [
            {
                "type": "ppms/permission/entity",
                "id": app_id,
                "attributes": {"entityType": "ppms/app"},
            }
        ],
        "meta": {"total": 1},
    }
    bad = doc("app/permission/user", {"permission": "owner"})
    r = api.call("POST", f"{BASE}/app/{app_id}/permission/user/{user.id}", owner, bad)
    assert r.json()["errors"][0]["source"] == {"pointer": "/data/attributes/permission"}
    site = api.call(
        "POST", "/api/meta-sites/v1", owner, doc("ppms/meta-site", {"name": "S"})
    ).json()["data"]["id"]
    publish = doc("meta-site/permission/user", {"permission": "edit-publish"})
    r = api.call("POST", f"{BASE}/meta-site/{site}/permission/user/{user.id}", owner, publish)
    assert r.status_code == 400  # no publishing on meta sites
    view = doc("meta-site/permission/user", {"permission": "view"})
    assert (
        api.call(
            "POST", f"{BASE}/meta-site/{site}/permission/user/{user.id}", owner, view
        ).status_code
        == 204
    )
    assert effective_level(meta, user.id, site) == "view"
    legacy = doc(
        "ppms/permissions/group",
        {"entity": "ppms/app", "entityId": app_id, "group": "view", "targetUserId": user.id},
    )
    assert api.call("POST", f"{BASE}/entry/group", owner, legacy).status_code == 204
    rows = api.call("GET", f"{BASE}/entry/groups/ppms/app/{app_id}", owner).json()["data"]
    mine = next(r for r in rows if r["id"] == user.id)
    assert mine["attributes"]["permissions"] == ["view"]
    globals_ = api.call("GET", f"{BASE}/global/actions", user).json()["data"]
    assert {g["id"]: g["attributes"]["permissions"] for g in globals_}["ppms/app"] == []
    owner_globals = api.call("GET", f"{BASE}/global/actions", owner).json()["data"]
    assert {g["id"]: g["attributes"]["permissions"] for g in owner_globals}["ppms/app"] == ["add"]
    assert (
        api.call("GET", f"{BASE}/entry/00000000-0000-4000-8000-000000000000", owner).status_code
        == 404
    )
    types = {e.type for e in services.list_audit_entries(meta)}
    assert {
        "permission.user.changed.app",
        "permission.user.changed.meta_site",
        "permission.user_group.changed.app",
    } <= types
