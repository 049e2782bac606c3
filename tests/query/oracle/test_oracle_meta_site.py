"""A meta site over the four apps (api-notes §7, §1.1 `website_id`: "app or meta-site id"): its
numbers are those of the union of the apps' sessions, days taken in the meta site's timezone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from query.oracle.world import Oracle
from scenarios.oracle_traffic import APPS, DAYS, FIRST_DAY

pytestmark = pytest.mark.e2e

LAST_DAY = FIRST_DAY + timedelta(days=DAYS - 1)
JSONAPI = "application/vnd.api+json"


def _meta_site(oracle: Oracle) -> str:
    """Create a UTC meta site holding the four apps, through the Meta Sites API."""
    headers = {"Authorization": f"Bearer {oracle.token}", "Content-Type": JSONAPI}
    body = {"data": {"type": "ppms/meta-site", "attributes": {"name": "All oracle apps"}}}
    r = oracle.client.post("/api/meta-sites/v1", json=body, headers=headers)
    assert r.status_code == 201, r.text[:300]
    site_id = str(r.json()["data"]["id"])
    apps = {"data": [{"type": "ppms/app", "id": i} for i in (oracle.app_ids[a.key] for a in APPS)]}
    r = oracle.client.post(
        f"/api/meta-sites/v1/{site_id}/relationships/apps", json=apps, headers=headers
    )
    assert r.status_code == 204, r.text[:300]
    return site_id


def test_meta_site_sums_its_apps(oracle: Oracle) -> None:
    site_id = _meta_site(oracle)
    sessions = [
        s
        for a in APPS
        for s in oracle.sessions(a.key)
        if FIRST_DAY.isoformat() <= _utc_day(s.plan.start) <= LAST_DAY.isoformat()
    ]
    body: dict[str, Any] = {
        "website_id": site_id,
        "date_from": FIRST_DAY.isoformat(),
        "date_to": LAST_DAY.isoformat(),
        "columns": [{"column_id": c} for c in ("sessions", "visitors", "page_views")],
    }
    r = oracle.post("/api/analytics/v1/query/", body)
    assert r.status_code == 200, r.text[:300]
    assert r.json()["data"] == [
        [
            len(sessions),
            len({s.visitor_key for s in sessions}),
            sum(s.values["page_views"] for s in sessions),
        ]
    ]


def _utc_day(ts: int) -> str:
    return datetime.fromtimestamp(ts, UTC).date().isoformat()
