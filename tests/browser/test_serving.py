"""Over real HTTP from `footfall serve`: the tracker's headers and GET /api/apps/v2/{id}/tracking-code."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from e2e.server import access_token
from footfall.web.snippet import tracking_code
from footfall.web.tracker_script import TrackerScript

pytestmark = pytest.mark.e2e


def test_tracker_is_served_compressed_with_validators(footfall: Any) -> None:
    script = TrackerScript.load()
    with httpx.Client(base_url=footfall.url) as http:
        r = http.get("/ppms.js", headers={"accept-encoding": "gzip"})
        assert r.status_code == 200 and r.headers["content-encoding"] == "gzip"
        assert r.content == script.identity  # httpx decoded the gzip body
        assert int(r.headers["content-length"]) == len(script.gzip)
        again = http.get("/piwik.js", headers={"if-none-match": r.headers["etag"]})
        assert again.status_code == 304


def test_tracking_code_route(footfall: Any) -> None:
    p = footfall.provisioned
    app = footfall.apps["pageviews"]
    with httpx.Client(base_url=footfall.url) as http:
        token = access_token(footfall.url, p.client_id, p.client_secret)
        auth = {"authorization": f"Bearer {token}"}
        r = http.get(f"/api/apps/v2/{app}/tracking-code", headers=auth)
        assert r.status_code == 200 and r.headers["content-type"] == "application/vnd.api+json"
        data = r.json()["data"]
        assert data["id"] == app and data["type"] == "ppms/tracking-code"
        assert data["attributes"]["code"] == tracking_code(footfall.url, app)
        missing = http.get(f"/api/apps/v2/{app}/tracking-code")
        assert missing.status_code == 401
        assert missing.json()["errors"][0]["code"] == "not_authenticated"
        bad = http.get(
            f"/api/apps/v2/{app}/tracking-code", headers={"authorization": "Bearer nope"}
        )
        assert bad.status_code == 403
        unknown = http.get(
            "/api/apps/v2/00000000-0000-0000-0000-000000000000/tracking-code", headers=auth
        )
        assert unknown.status_code == 404
        assert unknown.json()["errors"][0]["title"].startswith("App with id: 00000000")
