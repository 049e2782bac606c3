"""Audit log API v1: entries of API changes, filters, sorting, paging, CSV, visibility, errors."""

from __future__ import annotations

import csv
import io

from conftest import Api, doc
from footfall.meta import services
from footfall.meta.permissions import set_user_permission
from footfall.meta.store import MetaStore

URL = "/api/audit-log/v1/entries"


def _changes(api: Api, owner: services.User) -> str:
    r = api.call(
        "POST", "/api/apps/v2", owner, doc("ppms/app", {"name": "A", "urls": ["a.example"]})
    )
    app_id = r.json()["data"]["id"]
    api.call(
        "PATCH", f"/api/apps/v2/{app_id}", owner, doc("ppms/app", {"urls": ["b.example"]}, app_id)
    )
    return str(app_id)


def test_entries_shape_filters_sort(api: Api, owner: services.User) -> None:
    app_id = _changes(api, owner)
    body = api.call("GET", URL, owner).json()
    assert body["meta"]["total"] == 3  # with the owner's own `user.added`
    newest = body["data"][0]
    assert newest["type"] == "ppms/audit-log-entry"
    attributes = newest["attributes"]
    assert attributes["type"] == "app.changed.urls"
    assert attributes["payload"] == {"old": ["a.example"], "new": ["b.example"]}
    assert (attributes["author_id"], attributes["author_email"], attributes["subject_id"]) == (
        owner.id,
        owner.email,
        app_id,
    )
    assert (attributes["ip"], attributes["version"]) == ("203.0.113.7", 1)
    added = api.call("GET", URL, owner, **{"filter[type]": "app.added"}).json()
    assert [e["attributes"]["type"] for e in added["data"]] == ["app.added"]
    both = api.call("GET", URL, owner, **{"filter[type]": "app.added,app.changed.urls"}).json()
    assert both["meta"]["total"] == 2
    assert api.call("GET", URL, owner, **{"filter[email]": "x@y.z"}).json()["meta"]["total"] == 0
    assert (
        api.call("GET", URL, owner, **{"filter[subject_id]": app_id}).json()["meta"]["total"] == 2
    )
    assert api.call("GET", URL, owner, **{"filter[ip]": "203.0.113.7"}).json()["meta"]["total"] == 2
    assert (
        api.call("GET", URL, owner, **{"filter[date_from]": "2999-01-01"}).json()["meta"]["total"]
        == 0
    )
    assert (
        api.call("GET", URL, owner, **{"filter[date_to]": "2999-01-01T00:00:00Z"}).json()["meta"][
            "total"
        ]
        == 3
    )
    by_type = api.call("GET", URL, owner, sort="type").json()["data"]
    assert [e["attributes"]["type"] for e in by_type] == [
        "app.added",
        "app.changed.urls",
        "user.added",
    ]
    paged = api.call("GET", URL, owner, sort="type", offset=1, limit=1).json()
    assert [e["attributes"]["type"] for e in paged["data"]] == ["app.changed.urls"]


def test_csv(api: Api, owner: services.User) -> None:
    app_id = _changes(api, owner)
    r = api.call("GET", URL, owner, headers={"Accept": "text/csv"})
    assert r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert list(rows[0]) == [
        "author_email",
        "author_id",
        "created_at",
        "id",
        "ip",
        "payload",
        "subject_id",
        "type",
        "version",
    ]
    assert {(row["type"], row["subject_id"]) for row in rows} == {
        ("app.added", app_id),
        ("app.changed.urls", app_id),
        ("user.added", owner.id),
    }


def test_errors(api: Api, owner: services.User) -> None:
    r = api.call("GET", URL, owner, **{"filter[ip]": "512.xxx.123"})
    assert r.status_code == 400
    assert r.json() == {
        "errors": [
            {
                "status": "400",
                "code": "invalid",
                "detail": "'512.xxx.123' does not appear to be an IPv4 or IPv6 address",
                "source": {"parameter": "filter[ip]"},
            }
        ]
    }
    assert api.call("GET", URL, owner, limit=101).status_code == 400
    assert api.call("GET", URL, owner, **{"filter[date_from]": "yesterday"}).status_code == 400
    r = api.call("GET", URL)
    assert (r.status_code, r.json()) == (401, {"error": "JWT not found"})


def test_users_see_entries_of_what_they_manage(
    api: Api, owner: services.User, meta: MetaStore
) -> None:
    app_id = _changes(api, owner)
    other = services.create_app(meta, name="B", urls=["c.example"]).id
    user = services.create_user(meta, "m@example.com").user
    own = api.call("GET", URL, user).json()["data"]  # only the entries about oneself
    assert [(e["attributes"]["type"], e["attributes"]["subject_id"]) for e in own] == [
        ("user.added", user.id)
    ]
    set_user_permission(meta, user.id, app_id, "view")
    assert api.call("GET", URL, user).json()["meta"]["total"] == 1
    set_user_permission(meta, user.id, app_id, "manage")
    subjects = {e["attributes"]["subject_id"] for e in api.call("GET", URL, user).json()["data"]}
    assert app_id in subjects and other not in subjects
