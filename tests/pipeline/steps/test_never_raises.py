"""Every step, in the default order, on random untrusted Hits: never raises (hypothesis)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footfall import telemetry
from footfall.model.hit import Hit
from footfall.model.settings import AppSettings, Extraction, Goal
from footfall.pipeline.steps import StepConfig, StepTimer, default_steps, step_name
from footfall.pipeline.steps.timing import METRIC

APP = AppSettings(
    website_id="w",
    urls=("https://example.com", "*.example.org"),
    excluded_ips=("10.0.*.*", "2001:db8::/32"),
    excluded_user_agents=("bad",),
    exclude_unknown_urls=False,
    goals=(Goal(id=1, name="g", uuid="u-1"),),
    anonymize_geolocation_level="Region",
    custom_dimensions={1: ("event", 1), 2: ("event", 2)},
    custom_dimension_extractions=(
        Extraction(1, 1, "page_url_regex", r"/p/(\w*)"),
        Extraction(1, 1, "page_title_regex", r"(.*) - Shop", case_sensitive=True),
        Extraction(2, 2, "page_query_parameter", "cat"),
        Extraction(2, 2, "page_query_parameter", "Cat", case_sensitive=True),
    ),
)
STEPS = default_steps(StepConfig(secret_key=b"k", device_cache_size=64))
text = st.text(max_size=60)
urlish = st.one_of(text, st.builds(lambda h, q: f"https://{h}/p?{q}#{q}", text, text))
ipish = st.one_of(text, st.ip_addresses().map(str))


def test_default_order() -> None:
    names = [step_name(s) for s in STEPS]
    assert names == [
        "drop_excluded",
        "put_device",
        "drop_bot",
        "put_geo",
        "put_campaign",
        "put_referrer",
        "classify",
        "put_site_search",
        "put_custom_dimensions",
        "normalize_url",
        "anonymize",
    ]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    url=urlish,
    ref=urlish,
    ua=text,
    ip=ipish,
    lang=text,
    goal=st.one_of(st.none(), text),
    ping=st.one_of(st.none(), st.integers(-3, 9)),
    ts=st.floats(allow_nan=True, allow_infinity=True),
    hints=st.dictionaries(text, st.one_of(text, st.booleans(), st.integers()), max_size=3),
    country=text,
    region=text,
)
def test_steps_never_raise(
    url: str,
    ref: str,
    ua: str,
    ip: str,
    lang: str,
    goal: str | None,
    ping: int | None,
    ts: float,
    hints: dict[str, object],
    country: str,
    region: str,
) -> None:
    hit = Hit(website_id="w", seq=1, received_at=0.0, timestamp=ts, url=url, referrer_url=ref)
    hit.user_agent, hit.ip, hit.accept_language, hit.goal_ref, hit.ping = ua, ip, lang, goal, ping
    hit.client_hints, hit.country_override, hit.region_override = dict(hints), country, region
    hit.campaign_name_param, hit.action_name = ref, lang
    for step in STEPS:
        if step(hit, APP) is not None:
            break


def test_step_timer_publishes() -> None:
    timer = StepTimer(STEPS, publish_every=2)
    before = telemetry.value(METRIC, step="put_device")
    for _ in range(2):
        hit = Hit(website_id="w", seq=1, received_at=0.0, timestamp=0.0, url="https://example.com/")
        assert timer.run(hit, APP) is None
    assert telemetry.value(METRIC, step="put_device") > before
