"""AMP (seed 001 §2.4.1): the six ppasanalytics request kinds, sent as amp-analytics sends them
from a browser (beacon transport), stored as their event types."""

from __future__ import annotations

import json
from typing import Any

import pytest

from collect.amp import amp_params, amp_query

pytestmark = pytest.mark.browser


def test_amp_requests_are_stored_as_their_event_types(tab_factory: Any) -> None:
    tab = tab_factory("amp")
    goal = tab.footfall.goals["amp"]
    page = {
        "url": tab.pages.url("news.test", "/amp.html"),
        "title": "AMP example page",
        "visitor_id": "0a1b2c3d4e5f6a7b",
        "pv_id": "f00d42",
    }
    requests = [
        ("pageview", {}),
        (
            "customevent",
            {"event_category": "social", "event_action": "recommend", "event_name": "News letter"},
        ),
        ("download", {"download_url": "https://example.com/whitepaper.pdf"}),
        ("outlink", {"outlink_url": "https://another-site.com/"}),
        (
            "search",
            {"search_keyword": "apple", "search_category": "fruits", "search_result_count": "10"},
        ),
        ("goal", {"goal_id": str(goal), "revenue": "59.99"}),
    ]
    urls = [
        f"{tab.footfall.url}/ppms.php?" + amp_query(amp_params(kind, tab.app, page, vars))
        for kind, vars in requests
    ]
    tab.pages.pages["/amp.html"] = (
        "<!doctype html><html amp><head><title>AMP example page</title></head><body>amp</body></html>"
    )
    tab.page.goto(page["url"])
    sent = tab.run(f"() => {json.dumps(urls)}.map(u => navigator.sendBeacon(u, ''))")
    assert sent == [True] * 6
    tab.wait_hits(count=6)
    tab.footfall.expect(
        "SELECT event_type, event_title, custom_event_action, download_url, outlink_url,"
        " search_keyword, search_results_count, goal_id, goal_revenue FROM events"
        " WHERE website_id = ? ORDER BY event_type",
        [tab.app],
        [
            (1, "AMP example page", "", "", "", "", None, None, None),
            (2, "AMP example page", "", "", "https://another-site.com/", "", None, None, None),
            (
                3,
                "AMP example page",
                "",
                "https://example.com/whitepaper.pdf",
                "",
                "",
                None,
                None,
                None,
            ),
            (4, "AMP example page", "", "", "", "apple", 10, None, None),
            (5, "AMP example page", "recommend", "", "", "", None, None, None),
            (8, "AMP example page", "", "", "", "", None, goal, 59.99),
        ],
    )
    tab.footfall.expect(
        "SELECT count(DISTINCT session_id), min(visitor_id) FROM sessions WHERE website_id = ?",
        [tab.app],
        [(1, int(page["visitor_id"], 16))],
    )
