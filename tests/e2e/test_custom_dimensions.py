"""End to end: custom dimensions defined through the object management API reach the store, from
`dimensionN` and from extractions, and come back through the analytics query API."""

from __future__ import annotations

import time
from datetime import date, timedelta
from typing import Any

import httpx
import pytest

from e2e.conftest import Provisioned
from e2e.server import Server, access_token

pytestmark = pytest.mark.e2e

MANAGE = "/api/analytics/v1/manage/custom-dimensions/"
SITE = "https://shop.example.com"


def _dimension(http: httpx.Client, app_id: str, **attributes: Any) -> dict[str, Any]:
    base = {"website_id": app_id, "active": True, "case_sensitive": False}
    body = {"data": {"type": "CustomDimension", "attributes": {**base, **attributes}}}
    r = http.post(MANAGE, json=body, headers={"Content-Type": "application/vnd.api+json"})
    assert r.status_code == 201, r.text
    return r.json()["data"]["attributes"]  # type: ignore[no-any-return]


def _hit(http: httpx.Client, app_id: str, visitor: str, url: str, **extra: str) -> None:
    params = {"idsite": app_id, "rec": "1", "_id": visitor, "url": url, "action_name": "Page"}
    r = http.get("/ppms.php", params={**params, **extra})
    assert r.status_code in (200, 202, 204), r.text


def _rows(http: httpx.Client, app_id: str, columns: list[str]) -> list[list[Any]]:
    today = date.today()
    body = {
        "website_id": app_id,
        "date_from": (today - timedelta(days=1)).isoformat(),
        "date_to": (today + timedelta(days=1)).isoformat(),
        "columns": [{"column_id": c} for c in columns],
        "order_by": [[0, "asc"]],
    }
    r = http.post("/api/analytics/v1/query/", json=body)
    assert r.status_code == 200, r.text
    return r.json()["data"]  # type: ignore[no-any-return]


def test_dimensions_from_the_api_reach_the_store(provisioned: Provisioned, server: Server) -> None:
    app_id = provisioned.app_id
    with httpx.Client(base_url=server.url, timeout=30) as http:
        token = access_token(server.url, provisioned.client_id, provisioned.client_secret)
        http.headers["Authorization"] = f"Bearer {token}"
        plan = _dimension(http, app_id, name="Plan", scope="session")
        product = _dimension(
            http,
            app_id,
            name="Product",
            scope="event",
            extractions=[{"target": "page_url_regex", "pattern": r"/products/(\w+)"}],
        )
        color = _dimension(
            http,
            app_id,
            name="Color",
            scope="event",
            extractions=[{"target": "page_query_parameter", "pattern": "color"}],
        )
        assert (plan["tracking_id"], plan["slot"]) == (1, 1)
        assert (product["tracking_id"], product["slot"]) == (2, 1)
        assert (color["tracking_id"], color["slot"]) == (3, 2)

        a, b = "a" * 16, "b" * 16
        _hit(http, app_id, a, SITE + "/products/lamp?color=red", dimension1="pro")
        _hit(http, app_id, a, SITE + "/about", dimension2="sent")
        _hit(http, app_id, b, SITE + "/products/desk?Color=Oak")
        _hit(http, app_id, b, SITE + "/", dimension2="", dimension9="unknown")
        server.wait_idle()
        time.sleep(1.5)  # session rows of active sessions are rewritten at most every 0.8 s

        sessions = _rows(http, app_id, ["session_custom_dimension_1", "sessions"])
        assert sessions == [["", 1], ["pro", 1]]
        events = _rows(
            http, app_id, ["event_custom_dimension_1", "event_custom_dimension_2", "page_views"]
        )
        assert events == [["", "", 1], ["desk", "Oak", 1], ["lamp", "red", 1], ["sent", "", 1]]
