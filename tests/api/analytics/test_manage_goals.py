"""Goals over HTTP (api-notes §2 `Goal`): create, list, get, replace, delete, with the rules."""

from __future__ import annotations

from typing import Any

import pytest

from api.platform.conftest import Api
from footfall.meta import services
from footfall.meta.audit import list_entries
from footfall.meta.store import MetaStore
from footfall.meta.tracker import effective_settings

GOALS = "/api/analytics/v1/manage/goals/"


def _body(app_id: str, **attributes: Any) -> dict[str, Any]:
    base = {
        "website_id": app_id,
        "name": "Signup",
        "trigger": "url",
        "pattern_type": "contains",
        "pattern": "/thanks",
        "revenue": "10.22",
    }
    return {"data": {"type": "Goal", "attributes": {**base, **attributes}}}


def test_goal_lifecycle(api: Api, editor: services.User, app_id: str, meta: MetaStore) -> None:
    r = api.call("POST", GOALS, editor, _body(app_id, description="first"))
    assert r.status_code == 201, r.text
    goal = r.json()["data"]
    assert goal["type"] == "Goal"
    assert goal["attributes"] == {
        "website_id": app_id,
        "name": "Signup",
        "description": "first",
        "trigger": "url",
        "pattern_type": "contains",
        "pattern": "/thanks",
        "allow_multiple": False,
        "case_sensitive": False,
        "revenue": "10.22",
    }
    path = GOALS + goal["id"] + "/"
    assert api.call("GET", path, editor, website_id=app_id).json()["data"] == goal

    body = _body(app_id, name="Order", trigger="manually", revenue=5, pattern=None)
    body["data"]["attributes"]["pattern_type"] = None
    body["data"]["id"] = goal["id"]
    r = api.call("PUT", path, editor, body)
    assert r.status_code == 200, r.text
    attrs = r.json()["data"]["attributes"]
    assert (attrs["name"], attrs["trigger"], attrs["revenue"]) == ("Order", "manually", "5.00")
    assert attrs["pattern_type"] is None
    settings = effective_settings(meta, app_id)
    assert settings is not None
    assert [(g.id, g.name, g.revenue) for g in settings.goals] == [(1, "Order", 5.0)]

    listed = api.call("GET", GOALS, editor, website_id=app_id).json()
    assert listed["meta"] == {"total": 1} and listed["data"][0]["id"] == goal["id"]
    assert api.call("DELETE", path, editor, website_id=app_id).status_code == 204
    assert api.call("GET", path, editor, website_id=app_id).status_code == 404
    assert api.call("DELETE", path, editor, website_id=app_id).status_code == 404
    kinds = [e.type for e in list_entries(meta) if e.subject_id == app_id]
    assert {"goal.added", "goal.changed", "goal.deleted"} <= set(kinds)


def test_list_pages(api: Api, editor: services.User, app_id: str) -> None:
    for name in ("a", "b", "c"):
        assert api.call("POST", GOALS, editor, _body(app_id, name=name)).status_code == 201
    r = api.call("GET", GOALS, editor, website_id=app_id, offset=1, limit=1)
    assert r.json()["meta"] == {"total": 3}
    assert [g["attributes"]["name"] for g in r.json()["data"]] == ["b"]
    assert api.call("GET", GOALS, editor, website_id=app_id, limit=0).status_code == 400
    assert api.call("GET", GOALS, editor, website_id=app_id, limit=100001).status_code == 400


@pytest.mark.parametrize(
    ("attributes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": None}, "name"),
        ({"trigger": "click"}, "trigger"),
        ({"pattern_type": "glob"}, "pattern_type"),
        ({"pattern_type": "regex", "pattern": "(a"}, "pattern"),
        ({"pattern": ""}, "pattern"),
        ({"revenue": "ten"}, "revenue"),
        ({"revenue": "-1"}, "revenue"),
        ({"revenue": True}, "revenue"),
        ({"allow_multiple": "yes"}, "allow_multiple"),
        ({"website_id": ""}, "website_id"),
    ],
)
def test_bad_goals_are_400_naming_the_field(
    api: Api, editor: services.User, app_id: str, attributes: dict[str, Any], field: str
) -> None:
    r = api.call("POST", GOALS, editor, _body(app_id, **attributes))
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["source"]["pointer"] == f"/data/attributes/{field}"


def test_revenue_is_required(api: Api, editor: services.User, app_id: str) -> None:
    body = _body(app_id)
    del body["data"]["attributes"]["revenue"]
    r = api.call("POST", GOALS, editor, body)
    assert r.status_code == 400
    assert r.json()["errors"][0]["source"]["pointer"] == "/data/attributes/revenue"


def test_permissions(
    api: Api, viewer: services.User, editor: services.User, stranger: services.User, app_id: str
) -> None:
    goal = api.call("POST", GOALS, editor, _body(app_id)).json()["data"]
    path = GOALS + goal["id"] + "/"
    assert api.call("GET", path, viewer, website_id=app_id).status_code == 200
    assert api.call("POST", GOALS, viewer, _body(app_id)).status_code == 403
    assert api.call("DELETE", path, viewer, website_id=app_id).status_code == 403
    assert api.call("GET", GOALS, stranger, website_id=app_id).status_code == 403
    body = _body(app_id)
    body["data"]["id"] = "00000000-0000-0000-0000-000000000000"
    assert api.call("PUT", path, editor, body).status_code == 409
