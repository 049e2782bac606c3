"""AMP's `ppasanalytics` requests (seed 001 §2.4.1) through the collector and the parser.

AMP sends them with its beacon transport (a POST with an empty body), its xhrpost transport
(a credentialed CORS POST from the AMP cache's origin) or as an image (GET); the collector needs
nothing AMP-specific, and these tests keep it so.
"""

from __future__ import annotations

import pytest

from footfall.collect.params import parse_hit

from .amp import amp_params, amp_query
from .conftest import APP, Harness

PAGE = {
    "url": "https://news.example.com/article.html",
    "title": "AMP article",
    "visitor_id": "5f3e2d1c0b9a8776",
    "pv_id": "a1b2c3",
}


@pytest.mark.parametrize(
    ("kind", "vars", "expected"),
    [
        ("pageview", {}, {"action_name": "AMP article"}),
        (
            "customevent",
            {"event_category": "social", "event_action": "recommend", "event_name": "News letter"},
            {
                "event_category": "social",
                "event_action": "recommend",
                "event_name": "News letter",
                "event_value": 0.0,
            },
        ),
        (
            "download",
            {"download_url": "https://example.com/whitepaper.pdf"},
            {"download_url": "https://example.com/whitepaper.pdf"},
        ),
        (
            "outlink",
            {"outlink_url": "https://another-site.com/"},
            {"outlink_url": "https://another-site.com/"},
        ),
        (
            "search",
            {"search_keyword": "apple", "search_category": "fruits", "search_result_count": "10"},
            {"search_keyword": "apple", "search_category": "fruits", "search_count": 10},
        ),
        ("goal", {"goal_id": "1", "revenue": "59.99"}, {"goal_ref": "1", "revenue": 59.99}),
        ("goal", {"goal_id": "1"}, {"goal_ref": "1", "revenue": None}),
    ],
)
@pytest.mark.parametrize("transport", ["beacon", "xhrpost", "image"])
def test_amp_requests_are_accepted_and_parsed(
    harness: Harness, kind: str, vars: dict[str, str], expected: dict[str, object], transport: str
) -> None:
    query = amp_query(amp_params(kind, APP, PAGE, vars))
    origin = {"origin": "https://news-example-com.cdn.ampproject.org"}
    if transport == "image":
        r = harness.get("/ppms.php?" + query)
    elif transport == "beacon":
        r = harness.post(
            "/ppms.php?" + query, content=b"", headers={"content-type": "text/plain;charset=UTF-8"}
        )
    else:
        r = harness.post("/ppms.php?" + query, content=b"", headers=origin)
        assert r.headers["access-control-allow-origin"] == origin["origin"]
        assert r.headers["access-control-allow-credentials"] == "true"
    assert r.status_code == 202
    [record] = harness.spool.records
    hit = parse_hit(record)
    assert (hit.url, hit.cookie_visitor_id, hit.pv_id) == (
        PAGE["url"],
        PAGE["visitor_id"],
        "a1b2c3",
    )
    assert hit.resolution == "412x915"
    for field, value in expected.items():
        assert getattr(hit, field) == value, field
