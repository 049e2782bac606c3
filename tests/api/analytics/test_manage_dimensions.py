"""Custom dimensions, slots and product custom dimensions over HTTP (api-notes §2)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.platform.conftest import Api
from footfall.meta import services
from footfall.meta.audit import list_entries
from footfall.meta.store import MetaStore
from footfall.meta.tracker import effective_settings
from footfall.model.settings import Extraction

CD = "/api/analytics/v1/manage/custom-dimensions/"
PCD = "/api/analytics/v1/manage/product-custom-dimensions/"


def _body(app_id: str, **attributes: Any) -> dict[str, Any]:
    base = {"website_id": app_id, "name": "Plan", "active": True, "case_sensitive": False}
    return {"data": {"type": "CustomDimension", "attributes": {**base, **attributes}}}


def _create(api: Api, user: services.User, app_id: str, **attributes: Any) -> dict[str, Any]:
    r = api.call("POST", CD, user, _body(app_id, **attributes))
    assert r.status_code == 201, r.text
    return r.json()["data"]  # type: ignore[no-any-return]


def test_create_numbers_tracking_ids_across_scopes_and_slots_per_scope(
    api: Api, editor: services.User, app_id: str, meta: MetaStore
) -> None:
    a = _create(api, editor, app_id, scope="session")
    b = _create(api, editor, app_id, scope="event", name="Category")
    c = _create(api, editor, app_id, scope="session", name="Tier")
    assert a["type"] == "CustomDimension"
    got = [(d["attributes"]["tracking_id"], d["attributes"]["slot"]) for d in (a, b, c)]
    assert got == [(1, 1), (2, 1), (3, 2)]
    assert a["attributes"]["website_id"] == app_id and a["attributes"]["extractions"] == []
    settings = effective_settings(meta, app_id)
    assert settings is not None
    assert settings.custom_dimensions == {1: ("session", 1), 2: ("event", 1), 3: ("session", 2)}
    kinds = [e.type for e in list_entries(meta) if e.subject_id == app_id]
    assert kinds.count("custom_dimension.added") == 3


def test_slots_report_available_used_left(api: Api, editor: services.User, app_id: str) -> None:
    _create(api, editor, app_id, scope="event")
    _create(api, editor, app_id, scope="event", slot=4)
    r = api.call("GET", CD + "slots/", editor, website_id=app_id)
    assert r.status_code == 200
    data = r.json()["data"]
    assert data["type"] == "CustomDimensionSlots" and data["id"] == app_id
    assert data["attributes"]["event"] == {"available": 5, "used": 2, "left": 3}
    assert data["attributes"]["session"] == {"available": 5, "used": 0, "left": 5}
    assert data["attributes"]["product"]["used"] == 0


def test_slots_run_out_and_a_taken_slot_is_refused(
    api: Api, editor: services.User, app_id: str
) -> None:
    _create(api, editor, app_id, scope="session", slot=2)
    r = api.call("POST", CD, editor, _body(app_id, scope="session", slot=2))
    assert r.status_code == 400
    assert r.json()["errors"][0]["source"]["pointer"] == "/data/attributes/slot"
    for _ in range(4):
        _create(api, editor, app_id, scope="session")
    r = api.call("POST", CD, editor, _body(app_id, scope="session"))
    assert r.status_code == 400
    assert r.json()["errors"][0]["source"]["pointer"] == "/data/attributes/scope"


def test_extractions_are_stored_and_reach_the_settings(
    api: Api, editor: services.User, app_id: str, meta: MetaStore
) -> None:
    rules = [
        {"target": "page_url_regex", "pattern": r"/products/(\w+)"},
        {"target": "page_query_parameter", "pattern": "cat"},
    ]
    made = _create(api, editor, app_id, scope="event", extractions=rules, case_sensitive=True)
    assert made["attributes"]["extractions"] == rules
    settings = effective_settings(meta, app_id)
    assert settings is not None
    assert settings.custom_dimension_extractions == (
        Extraction(1, 1, "page_url_regex", r"/products/(\w+)", True),
        Extraction(1, 1, "page_query_parameter", "cat", True),
    )


def test_put_changes_attributes_but_not_scope_or_slot(
    api: Api, editor: services.User, app_id: str, meta: MetaStore
) -> None:
    made = _create(api, editor, app_id, scope="event")
    path = CD + made["id"] + "/"
    body = _body(app_id, name="Renamed", active=False, description="d")
    body["data"]["id"] = made["id"]
    r = api.call("PUT", path, editor, body)
    assert r.status_code == 200, r.text
    attrs = r.json()["data"]["attributes"]
    assert (attrs["name"], attrs["active"], attrs["description"]) == ("Renamed", False, "d")
    assert (attrs["tracking_id"], attrs["slot"], attrs["scope"]) == (1, 1, "event")
    settings = effective_settings(meta, app_id)
    assert settings is not None and settings.custom_dimensions == {}  # inactive: nothing stored
    body["data"]["attributes"]["scope"] = "session"
    r = api.call("PUT", path, editor, body)
    assert r.status_code == 400
    assert r.json()["errors"][0]["source"]["pointer"] == "/data/attributes/scope"
    got = api.call("GET", path, editor, website_id=app_id).json()["data"]["attributes"]
    assert got["name"] == "Renamed" and got["scope"] == "event"


def test_list_pages_and_get_checks_the_website(
    api: Api, editor: services.User, app_id: str, meta: MetaStore
) -> None:
    for scope in ("session", "event", "session"):
        _create(api, editor, app_id, scope=scope)
    r = api.call("GET", CD, editor, website_id=app_id, limit=2, offset=1)
    assert r.json()["meta"] == {"total": 3}
    assert [d["attributes"]["tracking_id"] for d in r.json()["data"]] == [2, 3]
    other = services.create_app(meta, name="Other", urls=["https://o.example.com"]).id
    dimension = r.json()["data"][0]["id"]
    owner = services.create_user(meta, "o@example.com", role="OWNER").user
    assert api.call("GET", CD + dimension + "/", owner, website_id=other).status_code == 404


@pytest.mark.parametrize(
    ("attributes", "pointer"),
    [
        ({"scope": "visit"}, "/data/attributes/scope"),
        ({"scope": "event", "name": ""}, "/data/attributes/name"),
        ({"scope": "event", "active": "yes"}, "/data/attributes/active"),
        ({"scope": "event", "description": "x" * 301}, "/data/attributes/description"),
        ({"scope": "event", "slot": 6}, "/data/attributes/slot"),
        ({"scope": "event", "slot": "1"}, "/data/attributes/slot"),
        ({"scope": "event", "extractions": {}}, "/data/attributes/extractions"),
        (
            {"scope": "event", "extractions": [{"target": "x", "pattern": "a"}]},
            "/data/attributes/extractions/0/target",
        ),
        (
            {"scope": "event", "extractions": [{"target": "page_url_regex", "pattern": "(a"}]},
            "/data/attributes/extractions/0/pattern",
        ),
        (
            {"scope": "event", "extractions": [{"target": "page_url_regex", "pattern": "abc"}]},
            "/data/attributes/extractions/0/pattern",
        ),
        (
            {
                "scope": "session",
                "extractions": [{"target": "page_query_parameter", "pattern": "a"}],
            },
            "/data/attributes/extractions",
        ),
        ({"scope": "event", "website_id": "nope"}, "/data/attributes/website_id"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(
    api: Api, editor: services.User, app_id: str, attributes: dict[str, Any], pointer: str
) -> None:
    r = api.call("POST", CD, editor, _body(app_id, **attributes))
    assert r.status_code == 400, r.text
    assert r.json()["errors"][0]["source"]["pointer"] == pointer


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    attributes=st.dictionaries(
        st.sampled_from(
            ["name", "scope", "active", "case_sensitive", "slot", "extractions", "description"]
        ),
        st.one_of(
            st.none(),
            st.booleans(),
            st.integers(-3, 9),
            st.text(max_size=8),
            st.lists(
                st.dictionaries(st.sampled_from(["target", "pattern"]), st.text(max_size=6)),
                max_size=2,
            ),
        ),
    )
)
def test_random_attributes_never_give_a_5xx(
    api: Api, editor: services.User, app_id: str, attributes: dict[str, Any]
) -> None:
    body = {"data": {"type": "CustomDimension", "attributes": {"website_id": app_id, **attributes}}}
    r = api.call("POST", CD, editor, body)
    assert r.status_code in (201, 400), r.text


def test_permissions_view_reads_edit_writes(
    api: Api, viewer: services.User, stranger: services.User, app_id: str
) -> None:
    assert api.call("GET", CD, viewer, website_id=app_id).status_code == 200
    assert api.call("POST", CD, viewer, _body(app_id, scope="event")).status_code == 403
    assert api.call("GET", CD, stranger, website_id=app_id).status_code == 403
    assert api.call("GET", CD + "slots/", stranger, website_id=app_id).status_code == 403
    assert api.call("GET", CD, None, website_id=app_id).status_code == 401
    r = api.call("GET", CD, viewer)
    assert r.status_code == 400 and r.json()["errors"][0]["source"]["parameter"] == "website_id"


def test_wrong_type_and_content_type(api: Api, editor: services.User, app_id: str) -> None:
    body = _body(app_id, scope="event")
    body["data"]["type"] = "Goal"
    assert api.call("POST", CD, editor, body).status_code == 409
    r = api.call(
        "POST", CD, editor, None, content=b"{}", headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 400


def _product(app_id: str, **attributes: Any) -> dict[str, Any]:
    base = {"website_id": app_id, "name": "Color", "slot": 1}
    return {"data": {"type": "ProductCustomDimension", "attributes": {**base, **attributes}}}


def test_product_custom_dimensions(
    api: Api, editor: services.User, viewer: services.User, app_id: str, meta: MetaStore
) -> None:
    r = api.call("POST", PCD, editor, _product(app_id))
    assert r.status_code == 201, r.text
    made = r.json()["data"]
    assert made["type"] == "ProductCustomDimension"
    assert made["attributes"]["slot"] == 1 and made["attributes"]["created_at"]
    r = api.call("POST", PCD, editor, _product(app_id, name="Size"))
    assert r.status_code == 400
    assert r.json()["errors"][0]["source"]["pointer"] == "/data/attributes/slot"
    assert api.call("POST", PCD, editor, _product(app_id, slot=None)).status_code == 400
    assert api.call("POST", PCD, viewer, _product(app_id, slot=2)).status_code == 403
    body = _product(app_id, name="Colour", slot=3)
    body["data"]["id"] = made["id"]
    r = api.call("PUT", PCD + made["id"] + "/", editor, body)
    assert r.status_code == 200 and r.json()["data"]["attributes"]["slot"] == 3
    listed = api.call("GET", PCD, viewer, website_id=app_id).json()
    assert listed["meta"] == {"total": 1}
    assert listed["data"][0]["attributes"]["name"] == "Colour"
    slots = api.call("GET", CD + "slots/", viewer, website_id=app_id).json()["data"]["attributes"]
    assert slots["product"]["used"] == 1
    kinds = {e.type for e in list_entries(meta)}
    assert {"product_custom_dimension.added", "product_custom_dimension.changed"} <= kinds
