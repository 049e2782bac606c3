"""drop_excluded: IPs (exact, CIDR, wildcard, IPv6), user agents, unknown URLs."""

from __future__ import annotations

import pytest

from footfall.model.reasons import Reason
from footfall.model.settings import AppSettings
from footfall.pipeline.steps.drop_excluded import drop_excluded

from .conftest import make_hit

APP = AppSettings(
    website_id="w",
    urls=("https://example.com", "*.shop.example.org"),
    excluded_ips=("192.0.2.7", "10.0.0.0/8", "172.16.*.*", "2001:db8::/32", "::1", "bad entry"),
    excluded_user_agents=("HeadlessChrome", "uptime-robot"),
    exclude_unknown_urls=True,
)

CASES = [
    ("192.0.2.7", "", "https://example.com/", Reason.EXCLUDED_IP),
    ("192.0.2.8", "", "https://example.com/", None),
    ("10.200.3.4", "", "https://example.com/", Reason.EXCLUDED_IP),
    ("172.16.9.9", "", "https://example.com/", Reason.EXCLUDED_IP),
    ("172.17.9.9", "", "https://example.com/", None),
    ("2001:db8:1::5", "", "https://example.com/", Reason.EXCLUDED_IP),
    ("2001:db9::5", "", "https://example.com/", None),
    ("0:0:0:0:0:0:0:1", "", "https://example.com/", Reason.EXCLUDED_IP),
    ("::ffff:10.1.1.1", "", "https://example.com/", Reason.EXCLUDED_IP),
    ("8.8.8.8", "Mozilla HEADLESSCHROME/1", "https://example.com/", Reason.EXCLUDED_USER_AGENT),
    ("8.8.8.8", "Uptime-Robot/2", "https://example.com/", Reason.EXCLUDED_USER_AGENT),
    ("8.8.8.8", "Mozilla/5.0", "https://www.example.com/a", None),
    ("8.8.8.8", "Mozilla/5.0", "https://EXAMPLE.com:8443/a", None),
    ("8.8.8.8", "Mozilla/5.0", "https://a.b.shop.example.org/", None),
    ("8.8.8.8", "Mozilla/5.0", "https://shop.example.org/", None),
    ("8.8.8.8", "Mozilla/5.0", "https://example.net/", Reason.EXCLUDED_UNKNOWN_URL),
    ("8.8.8.8", "Mozilla/5.0", "https://evil-example.com/", Reason.EXCLUDED_UNKNOWN_URL),
    ("8.8.8.8", "Mozilla/5.0", "not a url", Reason.EXCLUDED_UNKNOWN_URL),
    ("not-an-ip", "", "https://example.com/", None),
]


@pytest.mark.parametrize(("ip", "ua", "url", "reason"), CASES)
def test_exclusions(ip: str, ua: str, url: str, reason: Reason | None) -> None:
    assert drop_excluded(make_hit(ip=ip, user_agent=ua, url=url), APP) == reason


def test_unknown_urls_kept_when_setting_off() -> None:
    app = AppSettings(website_id="w", urls=("https://example.com",))
    assert drop_excluded(make_hit(url="https://other.net/"), app) is None


def test_non_trailing_wildcard() -> None:
    app = AppSettings(website_id="w", excluded_ips=("10.*.0.1",))
    assert drop_excluded(make_hit(ip="10.77.0.1"), app) == Reason.EXCLUDED_IP
    assert drop_excluded(make_hit(ip="10.77.0.2"), app) is None
