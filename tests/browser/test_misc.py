"""Custom variables and dimensions, configuration and miscellaneous functions (seed 001 §2.1.2)."""

from __future__ import annotations

import json
from typing import Any

import pytest

pytestmark = pytest.mark.browser


def test_custom_variables_and_dimensions(tab_factory: Any) -> None:
    tab = tab_factory("custom")
    tab.open(
        "shop.test",
        "/custom.html",
        "x",
        """_paq.push(["setCustomVariable", 1, "AspectRatio", "16:9", "visit"]);
        _paq.push(["setCustomVariable", 2, "Section", "News", "page"]);
        _paq.push(["setCustomVariable", 3, "Gone", "soon"]);
        _paq.push(["deleteCustomVariable", 3]);
        _paq.push(["setCustomDimensionValue", 3, "logged in"]);
        _paq.push(["setCustomDimension", 4, "caf%C3%A9"]);
        _paq.push(["setCustomDimensionValue", 5, "x"]);
        _paq.push(["deleteCustomDimension", 5]);
        _paq.push([function () {
            window.got = [this.getCustomVariable(1), this.getCustomVariable(3), this.getCustomDimensionValue(3),
                          this.getCustomDimension(4), this.getCustomDimensionValue(4)];
        }]);
        _paq.push(["trackPageView", "Custom page"]);
        _paq.push(["trackEvent", "c", "with dimensions", "n", 1, {dimension6: "Äpfel%3F", other: "ignored"}]);""",
    )
    [view] = tab.wait_hits(lambda h: h.get("action_name") == "Custom page")
    assert json.loads(view["_cvar"]) == {"1": ["AspectRatio", "16:9"]}
    assert json.loads(view["cvar"]) == {"2": ["Section", "News"]}
    assert (view["dimension3"], view["dimension4"]) == ("logged in", "café")
    assert "dimension5" not in view
    [event] = tab.wait_hits(lambda h: h.get("e_a") == "with dimensions")
    assert (event["dimension3"], event["dimension6"]) == ("logged in", "Äpfel?")
    assert "cvar" not in event and "other" not in event
    assert tab.run("() => window.got") == [
        ["AspectRatio", "16:9"],
        False,
        "logged in",
        "caf%C3%A9",
        "café",
    ]
    tab.footfall.expect(
        "SELECT event_custom_variable_key_2, event_custom_variable_value_2 FROM events"
        " WHERE website_id = ? AND event_title = 'Custom page' AND event_type = 1",
        [tab.app],
        [("Section", "News")],
    )
    # the values reach the store in the slots the app's dimension definitions give them
    tab.footfall.expect(
        "SELECT event_type, event_custom_dimension_1, event_custom_dimension_3 FROM events"
        " WHERE website_id = ? AND event_type IN (1, 5) ORDER BY event_index",
        [tab.app],
        [(1, "café", ""), (5, "café", "Äpfel?")],
    )
    tab.footfall.expect(
        "SELECT session_custom_dimension_3 FROM sessions"
        " WHERE website_id = ? ORDER BY session_version DESC LIMIT 1",
        [tab.app],
        [("logged in",)],
    )
    tab.footfall.expect(
        "SELECT session_custom_variable_key_1, session_custom_variable_value_1 FROM sessions"
        " WHERE website_id = ? ORDER BY session_version DESC LIMIT 1",
        [tab.app],
        [("AspectRatio", "16:9")],
    )


def test_post_requests_custom_processing_ping_and_tracking_source(tab_factory: Any) -> None:
    tab = tab_factory("misc")
    tab.open(
        "shop.test",
        "/post.html",
        "x",
        """_paq.push(["setRequestMethod", "POST"]);
        _paq.push(["setRequestContentType", "text/plain"]);
        _paq.push(["setTrackingSource", "custom-source", "2.0.1"]);
        _paq.push(["setCustomRequestProcessing", function (q) { return q + "&dimension9=processed"; }]);
        _paq.push(["trackPageView", "Posted page"]);
        _paq.push(["ping"]);
        _paq.push([function () { window.source = this.getTrackingSource(); }]);""",
    )
    [view] = tab.wait_hits(lambda h: h.get("action_name") == "Posted page")
    [sent] = [s for s in tab.sent if view in s.hits]
    assert sent.method == "POST" and sent.content_type == "text/plain"
    assert (view["ts_n"], view["ts_v"], view["dimension9"]) == (
        "custom-source",
        "2.0.1",
        "processed",
    )
    tab.wait_hits(lambda h: h.get("ping") == "6")
    assert tab.run("() => window.source") == ["custom-source", "2.0.1"]
    assert (
        tab.run("() => document.querySelector('meta[name=ppms-site-inspector]') !== null") is True
    )
    tab.footfall.expect(
        "SELECT tracking_source FROM sessions WHERE website_id = ? AND session_entry_title = 'Posted page'"
        " ORDER BY session_version DESC LIMIT 1",
        [tab.app],
        [("custom-source/2.0.1",)],
    )
    tab.footfall.expect(
        "SELECT count(*) FROM events e JOIN (SELECT DISTINCT session_id FROM events"
        " WHERE website_id = ? AND event_title = 'Posted page') s USING (session_id) WHERE e.event_type = 15",
        [tab.app],
        [(1,)],
    )


def test_js_errors_unique_and_manual(tab_factory: Any) -> None:
    tab = tab_factory("misc")
    tab.open(
        "shop.test",
        "/errors.html",
        "x",
        """_paq.push(["setSiteInspectorSetup", false]);
        _paq.push(["trackError", new Error("before enabling")]);
        _paq.push(["enableJSErrorTracking"]);
        _paq.push(["trackPageView", "Errors page"]);""",
    )
    tab.wait_hits(lambda h: h.get("action_name") == "Errors page")
    for _ in range(2):
        tab.run("() => setTimeout(function boom() { undefinedFunction(); }, 0)")
    tab.run("""() => _paq.push(["trackError", new Error("Manual failure")])""")
    tab.wait_hits(lambda h: h.get("e_c") == "JavaScript Errors", 2)
    tab.page.wait_for_timeout(300)
    errors = [h for h in tab.hits() if h.get("e_c") == "JavaScript Errors"]
    names = sorted(h["e_n"] for h in errors)
    assert len(names) == 2 and "Manual failure" in names  # the repeated error is sent once
    assert any("undefinedFunction" in n for n in names)
    assert all(":" in h["e_a"] for h in errors)
    assert tab.run("() => document.querySelector('meta[name=ppms-site-inspector]')") is None


def test_page_performance_is_sampled(tab_factory: Any) -> None:
    tab = tab_factory("misc")
    tab.open(
        "shop.test",
        "/timing.html",
        "x",
        """_paq.push(["setTimingDataSamplingOnPageLoad", 100]);
        _paq.push(["trackPageView", "Timing page"]);
        _paq.push([function () { window.sampling = this.getTimingDataSamplingOnPageLoad(); }]);""",
    )
    [view] = tab.wait_hits(lambda h: h.get("action_name") == "Timing page")
    [timing] = tab.wait_hits(lambda h: h.get("ping") == "5")
    assert timing["pv_id"] == view["pv_id"] and int(timing["t_ee"]) >= int(timing["t_di"]) > 0
    assert tab.run("() => window.sampling") == 100
    tab.footfall.expect(
        "SELECT event_type, timing_event_end > 0 FROM events WHERE website_id = ? AND pv_id = ?"
        " ORDER BY event_type",
        [tab.app, view["pv_id"]],
        [(1, None), (21, True)],
    )


def test_heartbeat_backs_off_and_stops(tab_factory: Any) -> None:
    tab = tab_factory("misc")
    tab.page.clock.install()
    tab.open(
        "shop.test",
        "/heartbeat.html",
        "x",
        """_paq.push(["setTimingDataSamplingOnPageLoad", 0]);
        _paq.push(["enableHeartBeatTimer"]);
        _paq.push(["trackPageView", "Heartbeat page"]);""",
    )
    [view] = tab.wait_hits(lambda h: h.get("action_name") == "Heartbeat page")
    beats = []
    elapsed = 0
    # beats are due at 15, 45, 105, 225, 465 and 765 s: look 5 s before and after each
    for at in (10, 20, 40, 50, 100, 110, 220, 230, 460, 470, 760, 770):
        tab.page.clock.run_for((at - elapsed) * 1000)
        elapsed = at
        tab.page.wait_for_timeout(100)
        beats.append(len([h for h in tab.hits() if h.get("ping") == "1"]))
    assert beats == [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6]
    tab.page.clock.run_for(3600 * 1000)
    tab.page.wait_for_timeout(300)
    heartbeats = [h for h in tab.hits() if h.get("ping") == "1"]
    # 5 minutes apart from then on, the last one 30 minutes after the page view
    assert len(heartbeats) == 10
    assert all(h["pv_id"] == view["pv_id"] for h in heartbeats)
    tab.footfall.expect(
        "SELECT count(*) FROM events WHERE website_id = ? AND pv_id = ? AND event_type = 19",
        [tab.app, view["pv_id"]],
        [(10,)],
    )
