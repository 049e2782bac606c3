"""Cross-domain linking (seed 001 "Tracking multiple domains as one site"): pk_vid across sites."""

from __future__ import annotations

import time
from typing import Any

import pytest

from conftest import page_html

pytestmark = pytest.mark.browser

SETUP = """
_paq.push(["setDomains", ["*.shop.test", "blog.test"]]);
_paq.push(["enableCrossDomainLinking"]);
_paq.push(["trackPageView", document.title]);
_paq.push(["enableLinkTracking"]);
"""


def test_pk_vid_carries_the_visitor_to_the_other_domain(tab_factory: Any) -> None:
    tab = tab_factory("crossdomain")
    target = tab.pages.url("blog.test", "/landing.html")
    tab.pages.pages["/landing.html"] = ""  # filled below, once the tracker URL is known
    tab.open("shop.test", "/start.html", f'<a id="go" href="{target}">blog</a>', SETUP)
    [start] = tab.wait_hits(lambda h: h["url"].endswith("/start.html") and "action_name" in h)
    tab.pages.pages["/landing.html"] = page_html(tab.footfall.url, tab.app, "landed", SETUP)
    with tab.page.expect_navigation():
        tab.page.click("#go")
    assert "pk_vid=" + start["_id"] in tab.page.url
    [landed] = tab.wait_hits(lambda h: "/landing.html" in h["url"] and "action_name" in h)
    assert landed["_id"] == start["_id"]  # blog.test had no cookie: the id came with the link
    assert not any(h.get("link") for h in tab.hits())  # a linked domain is not an outlink
    [blog_cookie] = [
        c
        for c in tab.context.cookies()
        if c["name"].startswith("_pk_id.") and c["domain"] == "blog.test"
    ]
    assert blog_cookie["value"].startswith(start["_id"])
    tab.footfall.expect(
        "SELECT count(DISTINCT visitor_id), min(visitor_id) FROM sessions WHERE website_id = ?",
        [tab.app],
        [(1, int(start["_id"], 16))],
    )


def test_expired_pk_vid_is_ignored_and_custom_decorator(tab_factory: Any) -> None:
    tab = tab_factory("crossdomain")
    stale = "0123456789abcdef" + str(int(time.time()) - 600)
    tab.open(
        "blog.test",
        f"/stale.html?pk_vid={stale}",
        "",
        SETUP.replace("document.title", '"Stale link"'),
    )
    [hit] = tab.wait_hits(lambda h: h.get("action_name") == "Stale link")
    assert hit["_id"] != "0123456789abcdef"
    tab.open(
        "www.shop.test",
        "/custom.html",
        '<a id="go" href="http://blog.test/x">blog</a>',
        """_paq.push(["customCrossDomainLinkDecorator", function (url, value, name) {
              return url + "#" + name + "=" + value; }]);
           _paq.push(["customCrossDomainLinkVisitorIdGetter", function (url, name) {
              var m = new RegExp("#" + name + "=([^&]*)").exec(url); return m ? m[1] : ""; }]);"""
        + SETUP.replace("document.title", '"Custom decorator"'),
    )
    [own] = tab.wait_hits(lambda h: h.get("action_name") == "Custom decorator")
    tab.run(
        "() => document.getElementById('go').addEventListener('click', e => e.preventDefault())"
    )
    tab.page.click("#go")
    href = tab.run("() => document.getElementById('go').href")
    assert href.startswith("http://blog.test/x#pk_vid=" + own["_id"])
    assert tab.run("() => Piwik.getAsyncTracker().isCrossDomainLinkingEnabled()") is True
    parameter = tab.run("() => Piwik.getAsyncTracker().getCrossDomainLinkingUrlParameter()")
    assert parameter.startswith("pk_vid=" + own["_id"])
