"""The step caches: a settings change is a different key, fast paths agree with the slow ones."""

from __future__ import annotations

import functools
import importlib
import ipaddress

from hypothesis import given
from hypothesis import strategies as st

from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings
from footfall.pipeline.steps import Anonymize, PutGeo
from footfall.pipeline.steps._shared import interned

from .conftest import make_hit

# the package exports the step functions under the modules' names: fetch the modules themselves
anonymize, drop_excluded, normalize_url, put_campaign, put_referrer, put_site_search, geo = (
    importlib.import_module(f"footfall.pipeline.steps.{name}")
    for name in (
        "anonymize",
        "drop_excluded",
        "normalize_url",
        "put_campaign",
        "put_referrer",
        "put_site_search",
        "put_geo",
    )
)

PAGE = "https://example.com/p?utm_campaign=spring&promo=x&q=shoes#top"


def test_interned_shares_equal_settings() -> None:
    assert interned("k", ("a", "b")) is interned("k", ("a", "b"))
    assert interned("k", ("a", "b")) is not interned("k", ("a",))
    assert interned("k", ("a",)) is not interned("other", ("a",))


def test_campaign_params_change() -> None:
    a = AppSettings(website_id="w")
    b = AppSettings(website_id="w", campaign_name_params=("promo",))
    for app, name in [(a, "spring"), (b, "x"), (a, "spring")]:
        hit = make_hit(url=PAGE)
        put_campaign.put_campaign(hit, app)
        assert hit.campaign_name == name
    found = put_campaign.campaign_values(PAGE, a)
    found["name"] = "mutated"  # a copy: the cached answer is not touched
    assert put_campaign.campaign_values(PAGE, a)["name"] == "spring"


def test_normalize_settings_change() -> None:
    a = AppSettings(website_id="w")
    b = AppSettings(website_id="w", excluded_url_params=("promo",), keep_url_fragment=True)
    expected = [
        (a, "https://example.com/p?utm_campaign=spring&promo=x&q=shoes"),
        (b, "https://example.com/p?utm_campaign=spring&q=shoes#top"),
        (a, "https://example.com/p?utm_campaign=spring&promo=x&q=shoes"),
    ]
    for app, url in expected:
        hit = make_hit(url=PAGE)
        normalize_url.normalize_url(hit, app)
        assert hit.event_url == url


def test_site_search_params_change() -> None:
    a = AppSettings(website_id="w")
    b = AppSettings(website_id="w", site_search_query_params=("promo",))
    for app, keyword in [(a, "shoes"), (b, "x"), (a, "shoes")]:
        hit = make_hit(url=PAGE)
        put_site_search.put_site_search(hit, app)
        assert hit.search_keyword == keyword


def test_referrer_urls_change() -> None:
    a = AppSettings(website_id="w", urls=("https://example.com",))
    b = AppSettings(website_id="w", urls=("https://example.com", "https://blog.example.net"))
    ref = "https://blog.example.net/post"
    for app, kind in [
        (a, put_referrer.WEBSITE),
        (b, put_referrer.DIRECT),
        (a, put_referrer.WEBSITE),
    ]:
        hit = make_hit(url="https://example.com/", referrer_url=ref)
        put_referrer.put_referrer(hit, app)
        assert hit.referrer_type == kind


def test_exclusions_change() -> None:
    a = AppSettings(website_id="w")
    b = AppSettings(website_id="w", excluded_ips=("8.8.0.0/16",), excluded_user_agents=("bot",))
    hit = make_hit(ip="8.8.8.8", user_agent="Mozilla")
    assert drop_excluded.drop_excluded(hit, a) is None
    assert drop_excluded.drop_excluded(hit, b) == Reason.EXCLUDED_IP
    assert drop_excluded.drop_excluded(hit, a) is None
    robot = make_hit(ip="1.1.1.1", user_agent="MyBot/1")
    assert drop_excluded.drop_excluded(robot, b) == Reason.EXCLUDED_USER_AGENT
    assert drop_excluded.drop_excluded(robot, a) is None


def test_geo_level_change(put_geo: PutGeo) -> None:
    for level, country in [("none", "US"), ("Continent", None), ("none", "US")]:
        hit = make_hit(ip="8.8.8.8")
        put_geo(hit, AppSettings(website_id="w", anonymize_geolocation_level=level))
        assert (hit.continent, hit.country) == ("NA", country)


def test_ip_bytes_change() -> None:
    step = Anonymize(b"k")
    for octets, stored in [(1, "203.0.113.0"), (3, "203.0.0.0"), (1, "203.0.113.0")]:
        hit = make_hit(ip="203.0.113.77")
        step(hit, AppSettings(website_id="w", anonymize_ip_bytes=octets))
        assert hit.ipv4_address == stored


def test_plugins_change_the_fingerprint() -> None:
    step, app = Anonymize(b"k"), AppSettings(website_id="w")
    prints = set()
    for plugins in [{"pdf": True}, {"pdf": False}, {"cookie": True}, {"pdf": True}]:
        hit = make_hit(ip="203.0.113.77", plugins=plugins)
        step(hit, app)
        prints.add(hit.fingerprint)
    assert len(prints) == 3


def test_caches_are_bounded() -> None:
    cached = [
        put_campaign._values,
        put_referrer._channel,
        put_referrer._page_host,
        put_site_search._search,
        normalize_url._normalize,
        drop_excluded._agent_excluded,
        anonymize._anonymize_ip,
        geo._language_country,
    ]
    for fn in cached:
        assert isinstance(fn, functools._lru_cache_wrapper)
        maxsize = fn.cache_info().maxsize
        assert maxsize is not None and maxsize <= 65_536


def _reference_anonymize_ip(ip: str, octets: int) -> tuple[str | None, str | None] | None:
    """The IPv4 fast path as it was first written; None where it did not apply."""
    octets = min(max(octets, 0), 4)
    parts = ip.split(".")
    if len(parts) == 4 and all(p.isdigit() and len(p) <= 3 and int(p) <= 255 for p in parts):
        kept = [str(int(p)) for p in parts[: 4 - octets]]
        return ".".join(kept + ["0"] * octets), None
    return None


octet = st.one_of(st.integers(0, 300).map(str), st.sampled_from(["", "007", "1a", "٣", " 1"]))
dotted = st.builds(lambda *p: ".".join(p), octet, octet, octet, octet)
ipish = st.one_of(dotted, st.ip_addresses().map(str), st.text(max_size=20))


@given(ip=ipish, octets=st.integers(-1, 5))
def test_anonymize_ip_fast_path(ip: str, octets: int) -> None:
    expected = _reference_anonymize_ip(ip, octets)
    if expected is not None:
        assert anonymize.anonymize_ip(ip, octets) == expected


@given(ip=ipish)
def test_ipv4_int_agrees_with_ipaddress(ip: str) -> None:
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        addr = None
    expected = int(addr) if isinstance(addr, ipaddress.IPv4Address) else None
    assert drop_excluded._ipv4_int(ip) == expected
