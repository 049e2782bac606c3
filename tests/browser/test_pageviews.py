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
    tab.footfall.expect(
        "SELECT event_type, event_url, event_title FROM events WHERE website_id = ?"
        " AND event_type = 1 AND event_title = 'Snippet page'",
        [tab.app],
        [(1, tab.pages.url("shop.test", "/snippet.html"), "Snippet page")],
    )


def test_visitor_and_session_continue_across_page_loads(tab_factory: Any) -> None:
    tab = tab_factory("pageviews")
    tab.open(
        "shop.test",
        "/first.html",
        "one",
        '_paq.push(["setDocumentTitle", "Continuity 1"]); _paq.push(["trackPageView"]);',
    )
    [first] = tab.wait_hits(lambda h: h.get("action_name") == "Continuity 1")
    tab.open(
        "shop.test",
        "/second.html",
        "two",
        '_paq.push(["setDocumentTitle", "Continuity 2"]); _paq.push(["trackPageView"]);',
    )
    [second] = tab.wait_hits(lambda h: h.get("action_name") == "Continuity 2")
    assert first["_id"] == second["_id"]
    assert (first["_idvc"], second["_idvc"]) == ("1", "1")  # one visit: the _pk_ses cookie held
    assert (first["_idn"], second["_idn"]) == ("1", "0")
    assert first["pv_id"] != second["pv_id"]
    tab.footfall.expect(
        "SELECT count(DISTINCT session_id), count(*), min(event_title) FROM events"
        " WHERE website_id = ? AND event_type = 1 AND event_title LIKE 'Continuity %'",
        [tab.app],
        [(1, 2, "Continuity 1")],
    )
    tab.footfall.expect(
        "SELECT session_total_page_views, visitor_id FROM sessions WHERE website_id = ?"
        " AND session_entry_title = 'Continuity 1' ORDER BY session_version DESC LIMIT 1",
        [tab.app],
        [(2, int(first["_id"], 16))],
    )


def test_custom_url_title_referrer_and_spa_virtual_page_views(tab_factory: Any) -> None:
    tab = tab_factory("pageviews")
    tab.open(
        "shop.test",
        "/spa.html",
        "spa",
        """_paq.push(["setCustomUrl", "/app/#/home"]);
           _paq.push(["setReferrerUrl", "https://search.example.org/?q=shoes"]);
           _paq.push(["trackPageView", "SPA home"]);""",
    )
    tab.wait_hits(lambda h: h.get("action_name") == "SPA home")
    # a virtual page view, as an SPA router would send it
    tab.run(
        """() => {
        _paq.push(["setReferrerUrl", location.origin + "/app/#/home"]);
        _paq.push(["setCustomUrl", "/app/#/cart"]);
        _paq.push(["setDocumentTitle", "SPA cart"]);
        _paq.push(["trackPageView"]);
    }"""
    )
    [home] = tab.wait_hits(lambda h: h.get("action_name") == "SPA home")
    [cart] = tab.wait_hits(lambda h: h.get("action_name") == "SPA cart")
    origin = tab.pages.url("shop.test", "")
    assert home["url"] == origin + "/app/#/home"
    assert home["urlref"] == "https://search.example.org/?q=shoes"
    assert cart["url"] == origin + "/app/#/cart"
    assert cart["urlref"] == origin + "/app/#/home"
    assert home["pv_id"] != cart["pv_id"]
    tab.footfall.expect(
        "SELECT event_title, page_view_index FROM events WHERE website_id = ?"
        " AND event_type = 1 AND event_title LIKE 'SPA %' ORDER BY timestamp, event_index",
        [tab.app],
        [("SPA home", 0), ("SPA cart", 1)],
    )


@pytest.mark.parametrize("script", ["piwik.js", "matomo.js"])
def test_piwik_and_matomo_paths_serve_the_same_tracker(tab_factory: Any, script: str) -> None:
    tab = tab_factory("pageviews")
    tab.open(
        "shop.test",
        f"/{script}.html",
        "x",
        f'_paq.push(["trackPageView", "via {script}"]);',
        script=script,
    )
    tab.wait_hits(lambda h: h.get("action_name") == f"via {script}")


def test_function_commands_and_tracker_objects(tab_factory: Any) -> None:
    tab = tab_factory("pageviews")
    tab.open(
        "shop.test",
        "/objects.html",
        "x",
        """_paq.push([function () { window.boundSite = this.getSiteId(); }]);""",
    )
    tab.page.wait_for_function("() => window.boundSite !== undefined")
    assert tab.run("() => window.boundSite") == tab.app
    same = tab.run(
        """() => Piwik.getAsyncTracker() === Piwik.getAsyncTracker()
                 && Piwik.getAsyncTracker().getSiteId() === window.boundSite"""
    )
    assert same is True
    tab.run(
        f"""() => {{
        var t = Piwik.getTracker("{tab.footfall.url}/ppms.php", "{tab.app}");
        t.trackEvent("object", "getTracker", "direct call");
    }}"""
    )
    [hit] = tab.wait_hits(lambda h: h.get("e_a") == "getTracker")
    assert hit["e_n"] == "direct call" and hit["idsite"] == tab.app
    # after loading, push runs at once
    tab.run("""() => _paq.push(["trackEvent", "queue", "sync push"])""")
    tab.wait_hits(lambda h: h.get("e_a") == "sync push")
