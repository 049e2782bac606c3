"""Content tracking (seed 001 "Content tracking"): markup rules, impressions, interactions."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = pytest.mark.browser

BLOCKS = """
<a id="partner" href="http://some-company.tld/" title="Our business partner ad" data-track-content>Click</a>
<a id="banner" href="http://some-company.tld/" title="Click here" data-track-content data-content-name="Partner banner">
  <img src="/images/banners/some-company.png" data-content-piece alt="">
</a>
<form id="survey" onsubmit="return false" data-track-content data-content-name="Survey form">
  <input type="submit" data-content-target="http://our-company.tld/form-handler">
</form>
<div id="quiet" class="piwikTrackContent piwikContentIgnoreInteraction" data-content-name="Quiet" data-content-piece="Piece Q">quiet</div>
<div style="height: 3000px"></div>
<div id="below" data-track-content data-content-name="Below the fold" data-content-piece="Footer"></div>
<div id="later"></div>
"""

RULES = [
    {"name": "Our business partner ad", "piece": "Unknown", "target": "http://some-company.tld/"},
    {
        "name": "Partner banner",
        "piece": "/images/banners/some-company.png",
        "target": "http://some-company.tld/",
    },
    {"name": "Survey form", "piece": "Unknown", "target": "http://our-company.tld/form-handler"},
    {"name": "Quiet", "piece": "Piece Q", "target": ""},
    {"name": "Below the fold", "piece": "Footer", "target": ""},
]


def _impressions(tab: Any) -> list[tuple[str, str, str]]:
    return [
        (h["c_n"], h["c_p"], h.get("c_t", "")) for h in tab.hits() if "c_n" in h and "c_i" not in h
    ]


def test_markup_rules_and_all_impressions(tab_factory: Any) -> None:
    tab = tab_factory("content")
    tab.open("shop.test", "/content.html", BLOCKS, '_paq.push(["trackPageView", "Content page"]);')
    tab.page.wait_for_function("() => window.Piwik !== undefined")
    assert tab.run("() => Piwik.getAsyncTracker().logAllContentBlocksOnPage()") == RULES
    tab.run(
        '() => { _paq.push(["trackAllContentImpressions"]); _paq.push(["trackAllContentImpressions"]); }'
    )
    tab.wait_hits(lambda h: "c_n" in h, 5)
    tab.page.wait_for_timeout(300)
    assert sorted(_impressions(tab)) == sorted((r["name"], r["piece"], r["target"]) for r in RULES)
    bulk = [s for s in tab.sent if len(s.hits) > 1]
    assert bulk and bulk[0].method == "POST"  # the five impressions went in one bulk request
    # a click on a block is an interaction; a block marked to ignore them sends none
    tab.page.click("#survey input")
    tab.page.click("#quiet", force=True)
    [click] = tab.wait_hits(lambda h: "c_i" in h)
    tab.page.wait_for_timeout(300)
    assert (click["c_i"], click["c_n"], click["c_t"]) == (
        "click",
        "Survey form",
        "http://our-company.tld/form-handler",
    )
    assert len([h for h in tab.hits() if "c_i" in h]) == 1
    tab.footfall.expect(
        "SELECT event_type, content_name, content_piece, content_target, content_interaction"
        " FROM events WHERE website_id = ? AND content_name = 'Survey form' ORDER BY event_type",
        [tab.app],
        [
            (6, "Survey form", "Unknown", "http://our-company.tld/form-handler", ""),
            (7, "Survey form", "Unknown", "http://our-company.tld/form-handler", "click"),
        ],
    )


def test_visible_impressions_on_scroll_within_node_and_manual(tab_factory: Any) -> None:
    tab = tab_factory("content")
    tab.open(
        "blog.test",
        "/visible.html",
        BLOCKS,
        '_paq.push(["trackPageView", "Visible page"]); _paq.push(["trackVisibleContentImpressions", true, 0]);',
    )
    tab.wait_hits(lambda h: "c_n" in h, 4)
    tab.page.wait_for_timeout(300)
    names = {n for n, _, _ in _impressions(tab)}
    assert "Below the fold" not in names and "Partner banner" in names
    tab.page.evaluate("() => window.scrollTo(0, document.body.scrollHeight)")
    tab.wait_hits(lambda h: h.get("c_n") == "Below the fold")
    # blocks added later: scanned within a node
    tab.run(
        """() => {
        var later = document.getElementById('later');
        later.innerHTML = '<a href="/deal" data-track-content data-content-name="Late deal">deal</a>';
        _paq.push(["trackContentImpressionsWithinNode", later]);
        _paq.push(["trackContentImpression", "promo-video", "promo-01.mp4", "https://example.com/more"]);
        _paq.push(["trackContentInteraction", "clicked", "promo-video", "promo-01.mp4", "https://example.com/more"]);
        _paq.push(["trackContentInteractionNode", document.querySelector('#banner img'), "hovered"]);
    }"""
    )
    [late] = tab.wait_hits(lambda h: h.get("c_n") == "Late deal")
    assert late["c_t"].endswith("/deal")
    [manual] = tab.wait_hits(lambda h: h.get("c_n") == "promo-video" and "c_i" not in h)
    assert (manual["c_p"], manual["c_t"]) == ("promo-01.mp4", "https://example.com/more")
    tab.wait_hits(lambda h: h.get("c_i") == "clicked")
    [node] = tab.wait_hits(lambda h: h.get("c_i") == "hovered")
    assert (node["c_n"], node["c_p"]) == ("Partner banner", "/images/banners/some-company.png")
    tab.footfall.expect(
        "SELECT event_type, content_interaction FROM events WHERE website_id = ?"
        " AND content_name = 'promo-video' ORDER BY event_type",
        [tab.app],
        [(6, ""), (7, "clicked")],
    )
