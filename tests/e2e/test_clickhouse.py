"""End to end on ClickHouse: `footfall serve` on chDB, killed with -9 halfway through the traffic,
restarted (sessions restored from chDB, the spool replayed), stores exactly the generated truth.

`test_tracking.py` checks the same generator's truth on both stores without a restart; this test
adds the restart in the middle of open visits, so restored sessions must continue exactly.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from e2e.conftest import Provisioned
from e2e.server import Server, events_env, store_counts
from scenarios.traffic import generate

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
VISITORS = 30  # a smaller site than test_tracking's: a restart runs here


def _send(url: str, requests: list[dict[str, str]], token: str) -> None:
    with httpx.Client(timeout=30) as client:
        for i in range(0, len(requests), 40):
            body = {"requests": requests[i : i + 40], "token_auth": token}
            r = client.post(url + "/matomo.php", json=body)
            assert r.status_code == 200 and r.json()["invalid"] == 0, r.text


def test_chdb_store_holds_the_truth_across_a_kill_9(provisioned: Provisioned) -> None:
    d: Path = provisioned.data_dir
    requests, truth = generate(provisioned.app_id, visitors=VISITORS)
    half = len(requests) // 2
    server = Server(d, events_env(d, "chdb"))
    server.start()
    try:
        _send(server.url, requests[:half], provisioned.token_auth)
        server.kill()
        server.start()
        _send(server.url, requests[half:], provisioned.token_auth)
        server.wait_idle()
    finally:
        server.stop()
    [(events, distinct, revenue)] = store_counts(
        d,
        "SELECT count(), uniqExact(event_id), round(sumIf(revenue, event_type = 9), 2) FROM events",
        backend="chdb",
    )
    by_type = dict(
        store_counts(d, "SELECT event_type, count() FROM events GROUP BY 1", backend="chdb")
    )
    [sessions] = store_counts(
        d,
        "SELECT count(), uniqExact(visitor_id), sum(is_bounce), sum(session_total_page_views),"
        " sum(session_total_events) FROM sessions",
        backend="chdb",
    )
    assert by_type == truth.events_by_type
    assert events == distinct  # the replay after kill -9 doubled nothing
    assert revenue == pytest.approx(round(truth.revenue, 2))
    assert sessions == (truth.sessions, truth.visitors, truth.bounces, truth.page_views, events)
