"""anonymize: stored IP per level, uia, rmip, and the daily keyed fingerprint (DATA-MODEL §1.5, §5.2)."""

from __future__ import annotations

import pytest

from footfall.model.settings import AppSettings
from footfall.pipeline.steps import Anonymize
from footfall.pipeline.steps.anonymize import anonymize_ip

from .conftest import NOON, make_hit

STEP = Anonymize(b"secret")


@pytest.mark.parametrize(
    ("ip", "level", "v4", "v6"),
    [
        ("203.0.113.77", 0, "203.0.113.77", None),
        ("203.0.113.77", 1, "203.0.113.0", None),
        ("203.0.113.77", 2, "203.0.0.0", None),
        ("203.0.113.77", 3, "203.0.0.0", None),
        ("203.0.113.77", 4, "0.0.0.0", None),
        (
            "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff",
            0,
            None,
            "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff",
        ),
        ("2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff", 1, None, "2001:db8:aaaa:bbbb::"),
        ("2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff", 2, None, "2001:db8:aaaa::"),
        ("2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff", 3, None, "2001:db8::"),
        ("2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff", 4, None, "::"),
        ("::ffff:203.0.113.77", 1, "203.0.113.0", None),
        ("nonsense", 2, None, None),
    ],
)
def test_ip_levels(ip: str, level: int, v4: str | None, v6: str | None) -> None:
    app = AppSettings(website_id="w", anonymize_ip_bytes=level)
    hit = make_hit(ip=ip)
    assert STEP(hit, app) is None
    assert (hit.ipv4_address, hit.ipv6_address) == (v4, v6)


def test_three_octets() -> None:
    assert anonymize_ip("203.0.113.77", 3) == ("203.0.0.0", None)
    assert anonymize_ip("203.0.113.77", 2) == ("203.0.0.0", None)
    assert anonymize_ip("198.51.100.9", 3) == ("198.0.0.0", None)


def test_uia_and_rmip() -> None:
    app = AppSettings(website_id="w")
    anon = make_hit(ip="203.0.113.77", is_anonymous=True)
    STEP(anon, app)
    assert (anon.ipv4_address, anon.ipv6_address) == ("0.0.0.0", None)
    removed = make_hit(ip="203.0.113.77", remove_ip=True)
    STEP(removed, app)
    assert (removed.ipv4_address, removed.ipv6_address) == (None, None)
    off = make_hit(ip="2001:db8::1")
    STEP(off, AppSettings(website_id="w", set_ip_tracking=False))
    assert (off.ipv4_address, off.ipv6_address) == (None, None)
    assert removed.fingerprint != 0 and off.fingerprint != 0


def _fp(app: AppSettings, **fields: object) -> int:
    hit = make_hit(
        **{"ip": "203.0.113.77", "operating_system": "WIN", "browser_name": "CH", **fields}
    )
    STEP(hit, app)
    return hit.fingerprint


def test_fingerprint_rules() -> None:
    app = AppSettings(website_id="w", anonymize_ip_bytes=2)
    base = _fp(app)
    assert 0 < base < 2**64
    # two people behind the same anonymized /16 differ (the full IP is hashed)
    assert _fp(app, ip="203.0.9.9") != base
    # stable within a UTC day, rotates at midnight
    assert _fp(app, timestamp=NOON + 3600 * 11) == base
    assert _fp(app, timestamp=NOON + 3600 * 12) != base
    # website-scoped unless fingerprinting across websites
    assert _fp(app, website_id="other") != base
    across = AppSettings(website_id="w", enable_fingerprinting_across_websites=True)
    assert _fp(across, website_id="other") == _fp(across)
    # on the anonymized IP when asked
    anon_ip = AppSettings(website_id="w", fingerprint_based_on_anonymized_ip=True)
    assert _fp(anon_ip, ip="203.0.9.9") == _fp(anon_ip)
    # other fields count
    assert _fp(app, browser_version="120") != base
    assert _fp(app, browser_language="de") != base
    assert _fp(app, plugins={"pdf": True}) != base
    # another secret gives another hash
    other = make_hit(ip="203.0.113.77", operating_system="WIN", browser_name="CH")
    Anonymize(b"other")(other, app)
    assert other.fingerprint != base


def test_yesterdays_key() -> None:
    app = AppSettings(website_id="w")
    today = make_hit(ip="203.0.113.77", timestamp=NOON + 86400)
    yesterday = make_hit(ip="203.0.113.77")
    assert STEP.fingerprint_for(today, app, day_offset=-1) == STEP.fingerprint_for(yesterday, app)


def test_empty_secret_rejected() -> None:
    with pytest.raises(ValueError, match="secret"):
        Anonymize(b"")


def test_non_ascii_digits_are_not_an_ipv4_address() -> None:
    assert anonymize_ip("1.2.3.²", 2) == anonymize_ip("1.2.3.x", 2)
