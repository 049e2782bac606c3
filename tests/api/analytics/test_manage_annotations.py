"""User and system annotations over HTTP (api-notes §2): visibility, authorship, date ranges."""

from __future__ import annotations

from typing import Any

import pytest

from api.platform.conftest import Api
from footfall.meta import services
from footfall.meta.audit import list_entries
from footfall.meta.store import MetaStore

USER = "/api/analytics/v1/manage/annotation/user/"
SYSTEM = "/api/analytics/v1/manage/annotation/system/"


def _body(app_id: str, **attributes: Any) -> dict[str, Any]:
    base = {"website_id": app_id, "date": "2026-11-02", "content": "Launch"}
    return {"data": {"type": "UserAnnotation", "attributes": {**base, **attributes}}}


def _make(api: Api, user: services.User, app_id: str, **attributes: Any) -> dict[str, Any]:
    r = api.call("POST", USER, user, _body(app_id, **attributes))
    assert r.status_code == 201, r.text
    return r.json()["data"]  # type: ignore[no-any-return]


def test_private_by_default_and_seen_by_the_author_only(
    api: Api, editor: services.User, other_editor: services.User, app_id: str, meta: MetaStore
) -> None:
    other = other_editor
    mine = _make(api, editor, app_id)
    assert mine["attributes"]["visibility"] == "private"
    assert mine["attributes"]["author"] == {"email": "editor@example.com"}
    assert mine["attributes"]["is_author"] is True
    public = _make(api, other, app_id, visibility="public", content="Sale")
    seen = api.call("GET", USER, editor, website_id=app_id).json()
    assert seen["meta"] == {"total": 2}
    by_id = {a["id"]: a["attributes"] for a in seen["data"]}
    assert by_id[public["id"]]["is_author"] is False
    theirs = api.call("GET", USER, other, website_id=app_id).json()
    assert [a["id"] for a in theirs["data"]] == [public["id"]]
    assert api.call("GET", USER + mine["id"] + "/", other, website_id=app_id).status_code == 404


def test_only_the_author_changes_or_deletes(
    api: Api, editor: services.User, other_editor: services.User, app_id: str, meta: MetaStore
) -> None:
    other = other_editor
    note = _make(api, editor, app_id, visibility="public")
    path = USER + note["id"] + "/"
    patch = {
        "data": {
            "type": "UserAnnotation",
            "id": note["id"],
            "attributes": {"website_id": app_id, "content": "Moved"},
        }
    }
    assert api.call("PATCH", path, other, patch).status_code == 403
    assert api.call("DELETE", path, other, website_id=app_id).status_code == 403
    r = api.call("PATCH", path, editor, patch)
    assert r.status_code == 200, r.text
    assert r.json()["data"]["attributes"]["content"] == "Moved"
    assert r.json()["data"]["attributes"]["date"] == "2026-11-02"
    assert api.call("DELETE", path, editor, website_id=app_id).status_code == 204
    assert api.call("GET", path, editor, website_id=app_id).status_code == 404
    kinds = {e.type for e in list_entries(meta)}
    assert {"annotation.added", "annotation.changed", "annotation.deleted"} <= kinds


def test_date_ranges_filter_in_pairs(api: Api, editor: services.User, app_id: str) -> None:
    for day in ("2026-10-01", "2026-10-15", "2026-11-01", "2026-12-01"):
        _make(api, editor, app_id, date=day)
    query = "website_id=" + app_id
    query += (
        "&date_from[]=2026-10-10&date_to[]=2026-10-20&date_from[]=2026-11-01&date_to[]=2026-11-30"
    )
    r = api.http.request("GET", USER + "?" + query, headers=api.token(editor))
    assert r.status_code == 200
    assert [a["attributes"]["date"] for a in r.json()["data"]] == ["2026-10-15", "2026-11-01"]
    bad = "website_id=" + app_id + "&date_from[]=2026-10-10"
    r = api.http.request("GET", USER + "?" + bad, headers=api.token(editor))
    assert r.status_code == 400
    bad = "website_id=" + app_id + "&date_from[]=2026-13-10&date_to[]=2026-10-10"
    r = api.http.request("GET", USER + "?" + bad, headers=api.token(editor))
    assert r.status_code == 400 and r.json()["errors"][0]["source"]["parameter"] == "date_from[]"


@pytest.mark.parametrize(
    ("attributes", "field"),
    [
        ({"date": "02.11.2026"}, "date"),
        ({"date": None}, "date"),
        ({"content": ""}, "content"),
        ({"content": "x" * 151}, "content"),
        ({"visibility": "team"}, "visibility"),
    ],
)
def test_bad_annotations_are_400_naming_the_field(
    api: Api, editor: services.User, app_id: str, attributes: dict[str, Any], field: str
) -> None:
    r = api.call("POST", USER, editor, _body(app_id, **attributes))
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["source"]["pointer"] == f"/data/attributes/{field}"


def test_viewers_read_but_do_not_write(
    api: Api, editor: services.User, viewer: services.User, app_id: str
) -> None:
    _make(api, editor, app_id, visibility="public")
    assert api.call("GET", USER, viewer, website_id=app_id).json()["meta"] == {"total": 1}
    assert api.call("POST", USER, viewer, _body(app_id)).status_code == 403


def test_system_annotations_are_an_empty_checked_list(api: Api, viewer: services.User) -> None:
    r = api.call("GET", SYSTEM, viewer, date_from="2026-01-01", date_to="2026-02-01")
    assert r.status_code == 200 and r.json() == {"data": [], "meta": {"total": 0}}
    r = api.call("GET", SYSTEM, viewer, date_from="yesterday")
    assert r.status_code == 400 and r.json()["errors"][0]["source"]["parameter"] == "date_from"
    assert api.call("GET", SYSTEM, None).status_code == 401
