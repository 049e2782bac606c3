"""Page views (seed 001 §2.1.2 "Page views"), the command queue and the Piwik object."""

from __future__ import annotations

from typing import Any

import pytest

from footfall.web.snippet import tracking_code

pytestmark = pytest.mark.browser


def test_documented_snippet_tracks_a_page_view(tab_factory: Any) -> None:
    tab = tab_factory("pageviews")
    snippet = tracking_code(tab.footfall.url, tab.app)
    tab.pages.pages["/snippet.html"] = (
        f"<!doctype html><html><head><title>Snippet page</title>{snippet}</head><body>hi</body></html>"
    )
    tab.page.goto(tab.pages.url("shop.test", "/snippet.html"))
    [hit] = tab.wait_hits(lambda h: h.get("action_name") == "Snippet page")
    assert hit["idsite"] == tab.app
    assert hit["url"] == tab.pages.url("shop.test", "/snippet.html")
    assert len(hit["_id"]) == 16 and len(hit["pv_id"]) == 6
    assert tab.sent[0].method == "GET"
    rows = tab.footfall.rows(
        "SELECT event_type, event_url, event_title FROM events WHERE website_id = ? AND event_title = 'Snippet page'",
        [tab.app],
    )
    assert rows == [(1, tab.pages.url("shop.test", "/snippet.html"), "Snippet page")]
