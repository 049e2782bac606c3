"""put_campaign + put_referrer: every channel of DATA-MODEL §1.3."""

from __future__ import annotations

import pytest

from footfall.model.settings import AppSettings
from footfall.pipeline.steps.put_campaign import put_campaign
from footfall.pipeline.steps.put_referrer import put_referrer

from .conftest import make_hit

APP = AppSettings(website_id="w", urls=("https://example.com", "*.example.org"))
PAGE = "https://example.com/landing"

# (url, urlref, _rcn, _rck) → (type, source, medium, keyword, name)
CASES = [
    (
        f"{PAGE}?utm_campaign=spring&utm_source=news&utm_medium=email&utm_term=shoes",
        "",
        "",
        "",
        (6, "news", "email", "shoes", "spring"),
    ),
    (f"{PAGE}?gclid=abc123", "https://www.google.com/", "", "", (6, "google", "cpc", "", "")),
    (f"{PAGE}?pk_campaign=a&pk_campaign=b", "", "", "", (6, "", "", "", "b")),
    (f"{PAGE}?utm_campaign=query#utm_campaign=fragment", "", "", "", (6, "", "", "", "fragment")),
    (f"{PAGE}?pk_campaign=first&utm_campaign=last", "", "", "", (6, "", "", "", "last")),
    (f"{PAGE}?PK_CAMPAIGN=Upper", "", "", "", (6, "", "", "", "Upper")),
    (f"{PAGE}#/route?pk_cpn=spa", "", "", "", (6, "", "", "", "spa")),
    (
        f"{PAGE}?utm_source=only-source",
        "https://news.site/",
        "",
        "",
        (3, "news.site", "referral", "", ""),
    ),
    (PAGE, "", "rcn-name", "rck-kw", (6, "", "", "rck-kw", "rcn-name")),
    (f"{PAGE}?utm_campaign=url", "", "rcn-name", "", (6, "", "", "", "url")),
    (
        PAGE,
        "https://www.google.co.uk/search?q=running+shoes",
        "",
        "",
        (2, "google", "organic", "running shoes", ""),
    ),
    (PAGE, "https://www.google.de/", "", "", (2, "google", "organic", "", "")),
    (
        PAGE,
        "https://www.bing.com/search?q=footfall",
        "",
        "",
        (2, "bing", "organic", "footfall", ""),
    ),
    (
        PAGE,
        "https://duckduckgo.com/?q=privacy",
        "",
        "",
        (2, "duckduckgo", "organic", "privacy", ""),
    ),
    (PAGE, "https://uk.search.yahoo.com/search?p=tea", "", "", (2, "yahoo", "organic", "tea", "")),
    (
        PAGE,
        "https://search.yahoo.co.jp/search?p=sushi",
        "",
        "",
        (2, "yahoo japan", "organic", "sushi", ""),
    ),
    (PAGE, "https://yandex.ru/search/?text=snow", "", "", (2, "yandex", "organic", "snow", "")),
    (
        PAGE,
        "https://www.baidu.com/s?wd=%E4%BD%A0%E5%A5%BD",
        "",
        "",
        (2, "baidu", "organic", "你好", ""),
    ),
    (PAGE, "https://search.brave.com/search?q=x", "", "", (2, "brave", "organic", "x", "")),
    (
        PAGE,
        "https://search.naver.com/search.naver?query=kimchi",
        "",
        "",
        (2, "naver", "organic", "kimchi", ""),
    ),
    (
        PAGE,
        "android-app://com.google.android.googlequicksearchbox/",
        "",
        "",
        (2, "google", "organic", "", ""),
    ),
    (PAGE, "https://t.co/abc", "", "", (7, "twitter", "organic", "", "")),
    (PAGE, "https://l.facebook.com/l.php?u=x", "", "", (7, "facebook", "organic", "", "")),
    (PAGE, "https://www.linkedin.com/feed/", "", "", (7, "linkedin", "organic", "", "")),
    (PAGE, "https://lnkd.in/abc", "", "", (7, "linkedin", "organic", "", "")),
    (PAGE, "https://old.reddit.com/r/python", "", "", (7, "reddit", "organic", "", "")),
    (PAGE, "https://www.pinterest.co.uk/pin/1", "", "", (7, "pinterest", "organic", "", "")),
    (
        PAGE,
        "https://www.partner-blog.net/post?q=1",
        "",
        "",
        (3, "partner-blog.net", "referral", "", ""),
    ),
    (PAGE, "https://mail.google.com/", "", "", (3, "mail.google.com", "referral", "", "")),
    (
        PAGE,
        "https://www.google.com.evil.net/",
        "",
        "",
        (3, "google.com.evil.net", "referral", "", ""),
    ),
    (PAGE, "", "", "", (1, "direct", "direct", "", "")),
    (PAGE, "https://www.example.com/other", "", "", (1, "direct", "direct", "", "")),
    (PAGE, "https://blog.example.org/x", "", "", (1, "direct", "direct", "", "")),
    (
        "https://unlisted.net/page",
        "https://unlisted.net/prev",
        "",
        "",
        (1, "direct", "direct", "", ""),
    ),
    (PAGE, "not a url", "", "", (1, "direct", "direct", "", "")),
]


@pytest.mark.parametrize(("url", "ref", "rcn", "rck", "expected"), CASES)
def test_channel(url: str, ref: str, rcn: str, rck: str, expected: tuple[object, ...]) -> None:
    hit = make_hit(url=url, referrer_url=ref, campaign_name_param=rcn, campaign_keyword_param=rck)
    assert put_campaign(hit, APP) is None
    assert put_referrer(hit, APP) is None
    assert (hit.referrer_type, hit.source, hit.medium, hit.keyword, hit.campaign_name) == expected


def test_campaign_fields_and_flag() -> None:
    url = f"{PAGE}?utm_campaign=c&utm_id=42&utm_content=banner&gclid=g1&utm_source=s&utm_medium=m"
    hit = make_hit(url=url)
    put_campaign(hit, APP)
    assert (hit.campaign_id, hit.campaign_content, hit.campaign_gclid) == ("42", "banner", "g1")
    assert (hit.source, hit.medium, hit.has_campaign) == ("s", "m", True)


def test_rcn_fallback_does_not_flag_url_campaign() -> None:
    hit = make_hit(campaign_name_param="x")
    put_campaign(hit, APP)
    assert hit.referrer_type == 6 and not hit.has_campaign


def test_custom_campaign_params() -> None:
    app = AppSettings(
        website_id="w", campaign_name_params=("cmp",), campaign_source_params=("src",)
    )
    hit = make_hit(url=f"{PAGE}?cmp=own&src=mail&utm_campaign=ignored")
    put_campaign(hit, app)
    assert (hit.campaign_name, hit.source) == ("own", "mail")
