"""End to end: generated traffic through a live `footfall serve`, counted exactly in the store."""

from __future__ import annotations

import time
from functools import partial

import httpx
import pytest

from e2e.conftest import Provisioned
from e2e.server import BACKENDS, Server, events_env, store_counts
from scenarios.traffic import generate

pytestmark = pytest.mark.e2e


def _send_bulk(url: str, requests: list[dict[str, str]], token: str, chunk: int = 40) -> None:
    with httpx.Client(timeout=30) as client:
        for i in range(0, len(requests), chunk):
            body = {"requests": requests[i : i + chunk], "token_auth": token}
            r = client.post(url + "/matomo.php", json=body)
            assert r.status_code == 200, r.text
            answer = r.json()
            assert answer["status"] == "success"
            assert answer["invalid"] == 0, answer


@pytest.mark.parametrize("backend", BACKENDS)
def test_generated_traffic_is_counted_exactly(provisioned: Provisioned, backend: str) -> None:
    d = provisioned.data_dir
    requests, truth = generate(provisioned.app_id)
    server = Server(d, events_env(d, backend))
    server.start()
    try:
        # half through bulk (objects of strings, as the log importer sends), half as single GETs
        half = len(requests) // 2
        _send_bulk(server.url, requests[:half], provisioned.token_auth)
        with httpx.Client(timeout=10) as client:
            for params in requests[half:]:
                r = client.get(
                    server.url + "/piwik.php",
                    params={**params, "token_auth": provisioned.token_auth},
                )
                assert r.status_code == 200
                assert r.headers["content-type"] == "image/gif"
        server.wait_idle()
        dropped_bots = server.metrics().get('footfall_pipeline_dropped_total{reason="bot"}', 0)
    finally:
        server.stop()

    counts = partial(store_counts, d, backend=backend)
    by_type = dict(counts("SELECT event_type, count(*) FROM events GROUP BY 1"))
    assert by_type == truth.events_by_type
    [(sessions, visitors, bounces, page_views)] = counts(
        "SELECT count(*), count(DISTINCT visitor_id), sum(is_bounce), sum(session_total_page_views) FROM sessions",
    )
    assert sessions == truth.sessions
    assert visitors == truth.visitors
    assert bounces == truth.bounces
    assert page_views == truth.page_views
    [(revenue,)] = counts("SELECT sum(revenue) FROM events WHERE event_type = 9")
    assert revenue == pytest.approx(truth.revenue)
    # every event belongs to a stored session, and every session has stored events
    [(orphans,)] = counts(
        "SELECT count(*) FROM events WHERE (website_id, session_id)"
        " NOT IN (SELECT website_id, session_id FROM sessions)"
    )
    assert orphans == 0
    [(empty,)] = counts(
        "SELECT count(*) FROM sessions WHERE (website_id, session_id)"
        " NOT IN (SELECT website_id, session_id FROM events)"
    )
    assert empty == 0
    assert dropped_bots == truth.bot_requests


# on chDB: test_clickhouse.py kills a chDB server halfway and finds every acknowledged hit once
def test_kill_9_loses_no_acknowledged_hit(provisioned: Provisioned, server: Server) -> None:
    acked = 0
    with httpx.Client(timeout=10) as client:
        for i in range(1000):
            r = client.get(
                server.url + "/ppms.php",
                params={
                    "idsite": provisioned.app_id,
                    "rec": "1",
                    "url": f"https://shop.example.com/p/{i}",
                    "_id": f"{i % 50:016x}",
                },
            )
            assert r.status_code == 202
            acked += 1
    server.kill()  # right after the last acknowledgment
    server.start()
    server.wait_idle()
    server.stop()
    [(n, distinct_ids)] = store_counts(
        provisioned.data_dir, "SELECT count(*), count(DISTINCT event_id) FROM events"
    )
    assert n == acked == 1000
    assert distinct_ids == 1000


def test_data_is_queryable_within_a_second(
    provisioned: Provisioned, tmp_path_factory: pytest.TempPathFactory
) -> None:
    s = Server(provisioned.data_dir, env={"FOOTFALL_FLUSH_INTERVAL_MS": "200"})
    s.start()
    try:
        before = s.metrics().get('footfall_pipeline_rows_total{table="events"}', 0)
        r = httpx.get(
            s.url + "/matomo.php",
            params={
                "idsite": str(provisioned.app_alias),
                "rec": "1",
                "url": "https://shop.example.com/",
            },
        )
        acked = time.monotonic()
        assert r.status_code == 200
        while s.metrics().get('footfall_pipeline_rows_total{table="events"}', 0) <= before:
            assert time.monotonic() - acked < 1.0, (
                "hit not committed within 1 s of the acknowledgment"
            )
            time.sleep(0.02)
    finally:
        s.stop()


def test_bad_requests_get_400_with_reason_and_are_counted(
    provisioned: Provisioned, tmp_path_factory: pytest.TempPathFactory
) -> None:
    s = Server(provisioned.data_dir, env={"FOOTFALL_TRACKER_DEBUG": "1"})
    s.start()
    try:
        cases = {
            "unknown_app": {"idsite": "999", "rec": "1", "url": "https://x.example/"},
            "missing_url": {"idsite": provisioned.app_id, "rec": "1"},
            "rec_not_1": {"idsite": provisioned.app_id, "url": "https://shop.example.com/"},
            "unauthenticated_backdating": {
                "idsite": provisioned.app_id,
                "rec": "1",
                "url": "https://shop.example.com/",
                "cdt": "2020-01-01 00:00:00",
            },
        }
        for reason, params in cases.items():
            r = httpx.get(s.url + "/matomo.php", params=params)
            assert r.status_code == 400, (reason, r.status_code)
            assert r.text, reason  # debug mode says why
        r = httpx.post(
            s.url + "/matomo.php",
            content=b"{not json",
            headers={"content-type": "application/json"},
        )
        assert r.status_code == 400
        m = s.metrics()
        for reason in cases:
            assert m.get(f'footfall_requests_rejected_total{{reason="{reason}"}}', 0) >= 1, (
                reason,
                m,
            )
        # the same back-dated hit with the user's token_auth is accepted
        ok = httpx.get(
            s.url + "/matomo.php",
            params={**cases["unauthenticated_backdating"], "token_auth": provisioned.token_auth},
        )
        assert ok.status_code == 200
    finally:
        s.stop()


def test_a_second_server_on_the_same_data_dir_is_refused(
    provisioned: Provisioned, server: Server
) -> None:
    import subprocess

    from e2e.server import BIN, free_port

    out = subprocess.run(
        [str(BIN), "--data-dir", str(provisioned.data_dir), "serve", "--port", str(free_port())],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert out.returncode != 0
    assert "in use" in out.stderr
    assert "Traceback" not in out.stderr
    assert httpx.get(server.url + "/healthz").status_code == 200  # the first one is unharmed
