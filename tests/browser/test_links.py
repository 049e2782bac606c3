"""Downloads and outlinks (seed 001 "Downloads and Outlinks"): automatic link tracking by rule."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

LINKS = """
<a id="pdf" href="/files/guide.pdf">pdf</a>
<a id="query" href="/get?file=report.xlsx&page=3">query value</a>
<a id="attr" href="/target-file" download>download attribute</a>
<a id="cls" href="/target-file-2" class="piwik-download">download class</a>
<a id="custom-dl" href="/target-file-3" class="custom-download-class">custom download class</a>
<a id="webp" href="/images/photo.webp">webp</a>
<a id="jpg" href="/images/photo.jpg">jpg</a>
<a id="external" href="https://piwik.example.org/pricing">external</a>
<a id="sub" href="http://blog.shop.test/post">wildcard subdomain</a>
<a id="internal" href="/about">internal</a>
<a id="outcls" href="/partner" class="custom-link-class">forced outlink</a>
<a id="ignored" href="https://piwik.example.org/doc.pdf" class="dont-track-this">ignored</a>
<a id="ignored2" href="https://piwik.example.org/" class="piwik_ignore">ignored by default class</a>
<span id="dynamic"></span>
"""

SETUP = """
_paq.push(["trackPageView", "Links page"]);
_paq.push(["enableLinkTracking"]);
_paq.push(["setDomains", ["*.shop.test"]]);
_paq.push(["setDownloadClasses", ["custom-download-class"]]);
_paq.push(["setLinkClasses", "custom-link-class"]);
_paq.push(["setIgnoreClasses", ["dont-track-this"]]);
_paq.push(["addDownloadExtensions", "webp|svg"]);
_paq.push(["removeDownloadExtensions", "jpg|jpeg"]);
"""


def _click(tab: Any, selector: str) -> None:
    # why: stop navigation so the page (and its listeners) stay; the tracker acts on the click.
    tab.run(
        f"() => document.querySelector('{selector}').addEventListener('click', e => e.preventDefault())"
    )
    tab.page.click(selector)


def test_downloads_and_outlinks_by_rule(tab_factory: Any) -> None:
    tab = tab_factory("links")
    tab.open("www.shop.test", "/links.html", LINKS, SETUP)
    tab.page.wait_for_function("() => window.Piwik !== undefined")
    base = tab.pages.url("www.shop.test", "")
    for selector in (
        "#pdf",
        "#query",
        "#attr",
        "#cls",
        "#custom-dl",
        "#webp",
        "#jpg",
        "#external",
        "#sub",
        "#internal",
        "#outcls",
        "#ignored",
        "#ignored2",
    ):
        _click(tab, selector)
    # a link added later is tracked once it gets a listener
    tab.run(
        """() => {
        var a = document.createElement('a'); a.id = 'late'; a.href = '/late.zip'; a.textContent = 'late';
        document.getElementById('dynamic').appendChild(a);
        _paq.push(["addListener", a]);
    }"""
    )
    _click(tab, "#late")
    tab.run(
        """() => _paq.push(["trackLink", "https://piwik.example.org/support", "link", {dimension2: "manual"}])"""
    )
    tab.wait_hits(lambda h: "link" in h, 3)
    tab.wait_hits(lambda h: "download" in h, 7)
    tab.page.wait_for_timeout(300)
    downloads = sorted(h["download"].removeprefix(base) for h in tab.hits() if "download" in h)
    outlinks = sorted(h["link"].removeprefix(base) for h in tab.hits() if "link" in h)
    assert downloads == sorted(
        [
            "/files/guide.pdf",
            "/get?file=report.xlsx&page=3",
            "/target-file",
            "/target-file-2",
            "/target-file-3",
            "/images/photo.webp",
            "/late.zip",
        ]
    )
    assert outlinks == [
        "/partner",
        "https://piwik.example.org/pricing",
        "https://piwik.example.org/support",
    ]
    assert all(s.resource_type == "ping" for s in tab.sent if any("download" in h for h in s.hits))
    [manual] = [h for h in tab.hits() if h.get("link", "").endswith("/support")]
    assert manual["dimension2"] == "manual"
    tab.footfall.expect(
        "SELECT event_type, count(*) FROM events WHERE website_id = ? AND event_type IN (2, 3)"
        " GROUP BY 1 ORDER BY 1",
        [tab.app],
        [(2, 3), (3, 7)],
    )
    tab.footfall.expect(
        "SELECT download_url FROM events WHERE website_id = ? AND event_type = 3"
        " AND download_url LIKE '%guide.pdf'",
        [tab.app],
        [(base + "/files/guide.pdf",)],
    )


def test_replaced_extensions_and_disabled_tracking(tab_factory: Any) -> None:
    tab = tab_factory("links")
    tab.open(
        "shop.test",
        "/links2.html",
        LINKS,
        """_paq.push(["trackPageView", "Links page 2"]); _paq.push(["enableLinkTracking"]);
           _paq.push(["setDownloadExtensions", "png|jpg|webp|gif"]);""",
    )
    tab.page.wait_for_function("() => window.Piwik !== undefined")
    _click(tab, "#pdf")  # pdf is no longer a download extension, and the link is internal
    _click(tab, "#jpg")
    tab.wait_hits(lambda h: h.get("download", "").endswith("photo.jpg"))
    tab.run("""() => _paq.push(["disableLinkTracking"])""")
    _click(tab, "#external")
    tab.page.wait_for_timeout(500)
    assert [h for h in tab.hits() if "link" in h or "download" in h] == [
        h for h in tab.hits() if h.get("download", "").endswith("photo.jpg")
    ]
    assert tab.run("() => Piwik.getAsyncTracker().getLinkTrackingTimer()") == 500
