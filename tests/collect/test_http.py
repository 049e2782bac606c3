"""The tracking endpoints over HTTP (in-process ASGI): responses, CORS, debug mode, body limits."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from footfall import telemetry
from footfall.collect.responses import GIF

from .conftest import APP, Harness

PAGEVIEW = "idsite=1&rec=1&url=https%3A%2F%2Fexample.org%2F&action_name=Home"
MATOMO_PATHS = ["/matomo.php", "/piwik.php", "/js/tracker.php", "/js/"]


@pytest.mark.parametrize("path", MATOMO_PATHS)
def test_matomo_get_answers_the_43_byte_gif(harness: Harness, path: str) -> None:
    r = harness.get(f"{path}?{PAGEVIEW}", headers={"User-Agent": "UA/1", "Accept-Language": "fr"})
    assert r.status_code == 200 and r.content == GIF and len(GIF) == 43
    assert r.headers["content-type"] == "image/gif"
    assert r.headers["cache-control"] == "no-cache, no-store"
    (record,) = harness.spool.records
    assert (record.website_id, record.protocol, record.ip) == (APP, "matomo", "203.0.113.9")
    assert (record.user_agent, record.accept_language, record.trusted) == ("UA/1", "fr", False)
    assert record.params["action_name"] == "Home"
    assert telemetry.value("footfall_hits_accepted_total", protocol="matomo") == 1
    assert telemetry.value("footfall_collector_requests_total", protocol="matomo") == 1


def test_send_image_0_answers_204(harness: Harness) -> None:
    r = harness.get(f"/matomo.php?{PAGEVIEW}&send_image=0")
    assert r.status_code == 204 and r.content == b""


def test_ppms_answers_202_empty_or_gif_on_request(harness: Harness) -> None:
    r = harness.get(f"/ppms.php?{PAGEVIEW.replace('idsite=1', 'idsite=' + APP)}")
    assert r.status_code == 202 and r.content == b""
    r = harness.get(f"/ppms.php?{PAGEVIEW}&send_image=1")
    assert r.status_code == 202 and r.content == GIF
    assert [rec.protocol for rec in harness.spool.records] == ["ppms", "ppms"]


def test_post_form_is_merged_with_query_string_which_wins(harness: Harness) -> None:
    r = harness.post(
        "/matomo.php?idsite=1&action_name=FromQuery",
        content=b"rec=1&url=https%3A%2F%2Fexample.org%2F&action_name=FromBody&e_c=c",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert r.status_code == 200
    (record,) = harness.spool.records
    assert record.params["action_name"] == "FromQuery" and record.params["e_c"] == "c"


def test_kept_headers_and_token_not_spooled(harness: Harness) -> None:
    headers = {
        "DNT": "1",
        "Sec-CH-UA-Platform": '"Linux"',
        "Referer": "https://example.org/",
        "X-Other": "no",
    }
    harness.get(f"/matomo.php?{PAGEVIEW}&token_auth=wrong", headers=headers)
    (record,) = harness.spool.records
    assert record.headers == {
        "dnt": "1",
        "sec-ch-ua-platform": '"Linux"',
        "referer": "https://example.org/",
    }
    assert "token_auth" not in record.params


def test_charset_parameter_redecodes_values(harness: Harness) -> None:
    harness.get(f"/matomo.php?{PAGEVIEW}&cs=iso-8859-1&e_n=caf%E9")
    assert harness.spool.records[0].params["e_n"] == "café"


@pytest.mark.parametrize(
    ("query", "reason"),
    [
        ("idsite=1&url=https%3A%2F%2Fx.org", "rec_not_1"),
        ("idsite=1&rec=0&url=https%3A%2F%2Fx.org", "rec_not_1"),
        ("rec=1&url=https%3A%2F%2Fx.org", "missing_idsite"),
        ("idsite=99&rec=1&url=https%3A%2F%2Fx.org", "unknown_app"),
        ("idsite=1&rec=1", "missing_url"),
    ],
)
def test_rejections_are_400_empty_and_counted(harness: Harness, query: str, reason: str) -> None:
    r = harness.get(f"/matomo.php?{query}&debug=1")  # debug=1 alone does not enable debug
    assert (r.status_code, r.content) == (400, b"")
    assert telemetry.value("footfall_requests_rejected_total", reason=reason) == 1
    assert harness.spool.batches == []


def test_debug_mode_explains_rejections(make_harness: Callable[..., Harness]) -> None:
    h = make_harness(tracker_debug=True)
    r = h.get("/ppms.php?idsite=nope&rec=1&url=x")
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/plain")
    assert r.text.startswith("unknown_app: unknown idsite 'nope'")
    assert h.get(f"/matomo.php?{PAGEVIEW}").content == GIF


def test_empty_get_is_a_health_page_and_head_tracks_nothing(harness: Harness) -> None:
    r = harness.get("/matomo.php")
    assert r.status_code == 200 and "Footfall" in r.text
    r = harness.request("HEAD", f"/matomo.php?{PAGEVIEW}")
    assert r.status_code == 200 and r.content == b""
    assert harness.spool.batches == []


def test_other_methods_are_405(harness: Harness) -> None:
    assert harness.request("PUT", f"/matomo.php?{PAGEVIEW}").status_code == 405


def test_cors_echoes_origin_and_preflight(harness: Harness) -> None:
    r = harness.get(f"/matomo.php?{PAGEVIEW}", headers={"Origin": "https://shop.example"})
    assert r.headers["access-control-allow-origin"] == "https://shop.example"
    assert r.headers["access-control-allow-credentials"] == "true"
    assert harness.get(f"/matomo.php?{PAGEVIEW}").headers["access-control-allow-origin"] == "*"
    r = harness.request(
        "OPTIONS",
        "/ppms.php",
        headers={
            "Origin": "https://shop.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, x-custom",
        },
    )
    assert r.status_code == 204 and r.content == b""
    assert r.headers["access-control-allow-methods"] == "GET, POST, OPTIONS"
    assert r.headers["access-control-allow-headers"] == "content-type, x-custom"
    assert r.headers["access-control-allow-origin"] == "https://shop.example"


def test_rejections_carry_cors_too(harness: Harness) -> None:
    r = harness.get("/matomo.php?rec=1", headers={"Origin": "https://a.example"})
    assert r.status_code == 400 and r.headers["access-control-allow-origin"] == "https://a.example"


def test_oversized_body_is_400(make_harness: Callable[..., Harness]) -> None:
    h = make_harness(max_body_bytes=100)
    body = ("rec=1&idsite=1&url=x&pad=" + "a" * 200).encode()
    r = h.post("/matomo.php", content=body)  # Content-Length says too much
    assert r.status_code == 400

    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(5):
            yield b"a" * 40  # no Content-Length: caught while reading

    r = h.post("/matomo.php", content=chunks())
    assert r.status_code == 400
    assert telemetry.value("footfall_requests_rejected_total", reason="body_too_large") == 2
    assert h.spool.batches == []


def test_client_ip_from_proxy_headers_only_when_trusted(
    make_harness: Callable[..., Harness],
) -> None:
    headers = {"X-Forwarded-For": "198.51.100.1, 192.0.2.44", "X-Real-IP": "192.0.2.99"}
    plain = make_harness()
    plain.get(f"/matomo.php?{PAGEVIEW}", headers=headers)
    assert plain.spool.records[0].ip == "203.0.113.9"
    proxied = make_harness(trust_proxy_headers=True)
    proxied.get(f"/matomo.php?{PAGEVIEW}", headers=headers)
    proxied.get(f"/matomo.php?{PAGEVIEW}", headers={"X-Real-IP": "192.0.2.99"})
    assert [r.ip for r in proxied.spool.records] == ["192.0.2.44", "192.0.2.99"]


def test_spool_failure_is_503_not_acknowledged(harness: Harness) -> None:
    harness.spool.fail = True
    assert harness.get(f"/matomo.php?{PAGEVIEW}").status_code == 503
    assert telemetry.value("footfall_collector_errors_total", kind="spool") == 1
