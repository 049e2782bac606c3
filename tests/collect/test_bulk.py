"""Bulk tracking (seed 000 "Bulk Tracking"; api-notes §12 log importer items as objects)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

import orjson

from footfall import telemetry

from .conftest import APP, BEARER, TOKEN, Harness

SEED_EXAMPLE = {
    "requests": [
        "?idsite=1&url=example.org&action_name=Test bulk log Pageview&rec=1",
        "?idsite=1&url=example.net/test.htm&action_name=Another bul k page view&rec=1",
    ],
    "token_auth": TOKEN,
}


def old_cdt() -> str:
    return datetime.fromtimestamp(time.time() - 86400, tz=UTC).strftime("%Y-%m-%d %H:%M:%S")


def test_seed_example_tracks_both_in_one_spool_call(harness: Harness) -> None:
    r = harness.post("/piwik.php", content=orjson.dumps(SEED_EXAMPLE))
    assert r.status_code == 200
    assert r.json() == {"status": "success", "tracked": 2, "invalid": 0, "invalid_indices": []}
    assert len(harness.spool.batches) == 1 and len(harness.spool.batches[0]) == 2
    assert harness.spool.records[1].params["action_name"] == "Another bul k page view"
    assert all(r.trusted for r in harness.spool.records)
    assert telemetry.value("footfall_hits_accepted_total", protocol="matomo") == 2


def test_log_importer_objects_to_ppms(harness: Harness) -> None:
    item = {
        "rec": "1",
        "apiv": "1",
        "cip": "198.51.100.4",
        "cdt": old_cdt(),
        "idsite": APP,
        "queuedtracking": "0",
        "dp": "1",
        "ua": "Mozilla/5.0",
        "url": "https://example.com/a?b=1",
        "gt_ms": 120,
        "bw_bytes": "2048",
        "cvar": '{"1":["HTTP-code","200"],"2":["HTTP-method","GET"]}',
        "ts_n": "wla",
        "ts_v": "4.1.0",
        "bots": True,
        "skip": None,
    }
    r = harness.post(
        "/ppms.php",
        content=orjson.dumps({"requests": [item, item]}),
        headers={"Content-Type": "application/json", "User-Agent": "PiwikPRO/LogImport"},
    )
    assert r.status_code == 202
    assert r.json()["tracked"] == 2
    record = harness.spool.records[0]
    assert record.protocol == "ppms" and record.params["gt_ms"] == "120"
    assert record.params["bots"] == "1" and "skip" not in record.params
    assert record.params["cip"] == "198.51.100.4" and not record.trusted


def test_invalid_items_are_counted_with_indices(harness: Harness) -> None:
    body = {
        "requests": [
            "?idsite=1&rec=1&url=a",
            "?idsite=1&rec=1",  # no url
            42,  # not a request
            "idsite=1&rec=1&url=b",  # no leading "?"
            "/piwik.php?idsite=1&rec=1&url=c",  # with the path
            {"idsite": "77", "rec": "1", "url": "d"},  # unknown app
            f"?idsite=1&rec=1&url=e&cdt={old_cdt()}",  # back-dated, no token
        ]
    }
    r = harness.post("/matomo.php", content=orjson.dumps(body))
    assert r.status_code == 200
    assert r.json() == {
        "status": "success",
        "tracked": 3,
        "invalid": 4,
        "invalid_indices": [1, 2, 5, 6],
    }
    assert [rec.params["url"] for rec in harness.spool.records] == ["a", "b", "c"]
    assert telemetry.value("footfall_requests_rejected_total", reason="missing_url") == 1


def test_all_invalid_is_still_200_and_nothing_spooled(harness: Harness) -> None:
    r = harness.post("/matomo.php", content=b'{"requests": ["?rec=1", "?rec=0"]}')
    assert r.status_code == 200 and r.json()["invalid_indices"] == [0, 1]
    assert harness.spool.batches == []


def test_bearer_and_per_item_token_authorize(harness: Harness) -> None:
    item = f"?idsite=1&rec=1&url=a&cdt={old_cdt()}"
    r = harness.post(
        "/matomo.php",
        content=orjson.dumps({"requests": [item, item]}),
        headers={"Authorization": f"Bearer {BEARER}"},
    )
    assert r.json()["tracked"] == 2
    assert harness.tokens.calls == 1  # cached per (token, app) within one body
    r = harness.post(
        "/matomo.php", content=orjson.dumps({"requests": [item + f"&token_auth={TOKEN}", item]})
    )
    assert r.json()["invalid_indices"] == [1]


def test_json_body_with_form_content_type(harness: Harness) -> None:
    r = harness.post(
        "/matomo.php",
        content=b'  {"requests":["?idsite=1&rec=1&url=x"]}',
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=UTF-8"},
    )
    assert r.json()["tracked"] == 1


def test_bad_bodies_are_400(make_harness: Callable[..., Harness]) -> None:
    h = make_harness(max_bulk_requests=2, tracker_debug=True)
    for body in [
        b"{not json",
        b'{"requests": "x"}',
        b'{"other": []}',
        b'{"requests": ["a", "b", "c"]}',
    ]:
        r = h.post("/matomo.php", content=body)
        assert r.status_code == 400 and r.text.startswith("invalid: "), body
    assert h.spool.batches == []


def test_debug_mode_lists_reasons(make_harness: Callable[..., Harness]) -> None:
    h = make_harness(tracker_debug=True)
    r = h.post("/ppms.php", content=b'{"requests": ["?idsite=1&rec=1", []]}')
    assert r.status_code == 202
    assert r.json()["invalid_reasons"] == ["missing_url", "invalid"]
