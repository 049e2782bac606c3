"""User management, anonymous mode and cookies (seed 001 §2.1.2), in requests and in the store."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser


def _cookies(tab: Any) -> dict[str, dict[str, Any]]:
    return {c["name"]: c for c in tab.context.cookies()}


def test_user_id_visitor_info_and_cookie_settings(tab_factory: Any) -> None:
    tab = tab_factory("users")
    tab.open(
        "shop.test",
        "/users.html",
        "x",
        """_paq.push(["setCookieNamePrefix", "_ff_"]);
        _paq.push(["setUserId", "user-name@example.com"]);
        _paq.push(["trackPageView", "Logged in"]);
        _paq.push(["resetUserId"]);
        _paq.push(["trackEvent", "account", "logged-out"]);
        _paq.push([function () { window.info = this.getVisitorInfo(); window.vid = this.getVisitorId(); }]);""",
    )
    [login] = tab.wait_hits(lambda h: h.get("action_name") == "Logged in")
    [logout] = tab.wait_hits(lambda h: h.get("e_a") == "logged-out")
    assert login["uid"] == "user-name@example.com" and "uid" not in logout
    info = tab.run("() => window.info")
    assert info[1] == tab.run("() => window.vid") == login["_id"]
    assert info[0] == "0" and info[3] == "0" and len(info) == 7  # no visit before this one
    cookies = _cookies(tab)
    id_cookie = next(c for n, c in cookies.items() if n.startswith("_ff_id." + tab.app + "."))
    assert id_cookie["value"].split(".")[0] == login["_id"]
    assert any(n.startswith("_ff_ses." + tab.app) for n in cookies)
    assert not any(n.startswith("_pk_") for n in cookies)
    tab.footfall.expect(
        "SELECT user_id FROM sessions WHERE website_id = ? AND session_entry_title = 'Logged in'"
        " ORDER BY session_version DESC LIMIT 1",
        [tab.app],
        [("user-name@example.com",)],
    )


def test_anonymous_mode_strict_privacy_and_deanonymization(tab_factory: Any) -> None:
    tab = tab_factory("users")
    tab.open(
        "shop.test",
        "/anonymous.html",
        "x",
        """_paq.push(["setUserIsAnonymous", true]);
        _paq.push(["setSessionIdStrictPrivacyMode", true]);
        _paq.push(["setUserId", "hidden@example.com"]);
        _paq.push(["trackPageView", "Anonymous page"]);""",
    )
    [hit] = tab.wait_hits(lambda h: h.get("action_name") == "Anonymous page")
    assert hit["uia"] == "1"
    for absent in ("_id", "uid", "res", "_idvc"):
        assert absent not in hit, absent
    assert not any(n.startswith("_pk_") for n in _cookies(tab))
    tab.footfall.expect(
        "SELECT is_anonymous, resolution, ipv4_address, user_id FROM sessions WHERE website_id = ?"
        " AND session_entry_title = 'Anonymous page' ORDER BY session_version DESC LIMIT 1",
        [tab.app],
        [(1, None, "0.0.0.0", "")],
    )
    tab.run('() => _paq.push(["deanonymizeUser"])')
    [deanonymize] = tab.wait_hits(lambda h: h.get("ping") == "4")
    assert "uia" not in deanonymize and len(deanonymize["_id"]) == 16
    assert any(n.startswith("_pk_id.") for n in _cookies(tab))
    # the deanonymization joins the anonymous visit (found by its session hash)
    tab.footfall.expect(
        "SELECT count(*) FROM events WHERE website_id = ? AND event_type = 20 AND session_id IN"
        " (SELECT session_id FROM events WHERE event_title = 'Anonymous page' AND event_type = 1)",
        [tab.app],
        [(1,)],
    )


def test_disable_and_delete_cookies(tab_factory: Any) -> None:
    tab = tab_factory("users")
    tab.open("shop.test", "/c1.html", "x", '_paq.push(["trackPageView", "Cookies on"]);')
    [first] = tab.wait_hits(lambda h: h.get("action_name") == "Cookies on")
    assert any(n.startswith("_pk_id.") for n in _cookies(tab))
    tab.open(
        "shop.test",
        "/c2.html",
        "x",
        '_paq.push(["deleteCookies"]); _paq.push(["trackPageView", "Cookies deleted"]);',
    )
    [second] = tab.wait_hits(lambda h: h.get("action_name") == "Cookies deleted")
    assert second["_id"] != first["_id"] and second["_idn"] == "1"  # a new visitor after deletion
    tab.open(
        "shop.test",
        "/c3.html",
        "x",
        '_paq.push(["disableCookies"]); _paq.push(["trackPageView", "Cookies off"]);',
    )
    [third] = tab.wait_hits(lambda h: h.get("action_name") == "Cookies off")
    assert "_id" not in third and third["cookie"] == "1"  # the browser still supports cookies
    assert not any(n.startswith("_pk_") for n in _cookies(tab))
    assert tab.run("() => Piwik.getAsyncTracker().hasCookies()") is True
