"""Meta sites API v1: create with defaults, get, patch, delete, apps relationships, listings."""

from __future__ import annotations

from conftest import Api, doc
from footfall.meta import services
from footfall.meta.store import MetaStore

T = "ppms/meta-site"
BASE = "/api/meta-sites/v1"


def test_crud_and_defaults(api: Api, owner: services.User) -> None:
    r = api.call("POST", BASE, owner, doc(T, {"name": "All shops"}))
    assert r.status_code == 201
    data = r.json()["data"]
    attributes = data["attributes"]
    assert {
        k: attributes[k]
        for k in (
            "name",
            "currency",
            "timezone",
            "e_commerce_tracking",
            "sharepoint_integration",
            "cnil",
            "organization",
        )
    } == {
        "name": "All shops",
        "currency": "USD",
        "timezone": "UTC",
        "e_commerce_tracking": False,
        "sharepoint_integration": False,
        "cnil": False,
        "organization": "default",
    }
    site_id = data["id"]
    assert api.call("GET", f"{BASE}/{site_id}", owner).json()["data"] == data
    body = doc(T, {"timezone": "UTC+1", "currency": "eur", "e_commerce_tracking": True}, site_id)
    assert api.call("PATCH", f"{BASE}/{site_id}", owner, body).status_code == 204
    got = api.call("GET", f"{BASE}/{site_id}", owner).json()["data"]["attributes"]
    assert (got["timezone"], got["currency"], got["e_commerce_tracking"]) == ("UTC+1", "EUR", True)
    r = api.call("POST", BASE, owner, doc(T, {"name": "All shops"}))
    assert r.status_code == 400 and r.json()["errors"][0]["source"] == {
        "pointer": "/data/attributes/name"
    }
    r = api.call("POST", BASE, owner, doc(T, {"name": "x" * 192}))
    assert r.json()["errors"][0]["source"] == {"pointer": "/data/attributes/name"}
    r = api.call("PATCH", f"{BASE}/{site_id}", owner, doc(T, {"cnil": True}, site_id))
    assert r.json()["errors"][0]["source"] == {"pointer": "/data/attributes/cnil"}
    assert api.call("DELETE", f"{BASE}/{site_id}", owner).status_code == 204
    r = api.call("GET", f"{BASE}/{site_id}", owner)
    assert r.status_code == 404
    assert r.json() == {
        "errors": [
            {
                "status": "404",
                "code": "meta-site.error.not-exists",
                "title": f'Meta site with id "{site_id}" does not exist',
            }
        ]
    }
    r = api.call("GET", BASE)
    assert (r.status_code, r.json()) == (401, {"message": "JWT not found"})


def test_apps_relationships_and_lists(api: Api, owner: services.User, meta: MetaStore) -> None:
    a = services.create_app(meta, name="Alpha", urls=["a.example"], timezone="Europe/Paris").id
    b = services.create_app(meta, name="Beta", urls=["b.example"]).id
    site_id = api.call("POST", BASE, owner, doc(T, {"name": "Group"})).json()["data"]["id"]
    body = {"data": [{"type": "ppms/app", "id": a}, {"type": "ppms/app", "id": b}]}
    assert api.call("POST", f"{BASE}/{site_id}/relationships/apps", owner, body).status_code == 204
    inside = api.call("GET", f"{BASE}/{site_id}/apps", owner, sort="-name").json()
    assert [x["attributes"]["name"] for x in inside["data"]] == ["Beta", "Alpha"]
    assert inside["data"][1]["attributes"] == {
        "name": "Alpha",
        "timezone": "Europe/Paris",
        "currency": "USD",
        "cnil": False,
    }
    body = {"data": [{"type": "ppms/app", "id": b}]}
    assert (
        api.call("DELETE", f"{BASE}/{site_id}/relationships/apps", owner, body).status_code == 204
    )
    assert api.call("GET", f"{BASE}/{site_id}/apps", owner).json()["meta"] == {"total": 1}
    excluded = api.call("GET", f"{BASE}/{site_id}/apps/excluded", owner).json()
    assert [x["id"] for x in excluded["data"]] == [b]
    r = api.call(
        "POST",
        f"{BASE}/{site_id}/relationships/apps",
        owner,
        {"data": [{"type": "ppms/user", "id": a}]},
    )
    assert r.status_code == 409
    r = api.call(
        "POST",
        f"{BASE}/{site_id}/relationships/apps",
        owner,
        {"data": [{"type": "ppms/app", "id": "x"}]},
    )
    assert r.json()["errors"][0]["source"] == {"pointer": "/data/0/id"}
    mixed = api.call("GET", f"{BASE}/apps-with-meta-sites", owner, sort="type").json()
    assert mixed["meta"] == {"total": 3}
    assert [x["type"] for x in mixed["data"]] == ["ppms/app", "ppms/app", "ppms/meta-site"]
    listed = api.call("GET", BASE, owner).json()
    assert set(listed["data"][0]["attributes"]) == {"name", "created_at", "updated_at"}
