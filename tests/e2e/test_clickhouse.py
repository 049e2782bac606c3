"""End to end on ClickHouse: `footfall serve` with a chDB event store counts like the DuckDB run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from e2e.conftest import Provisioned, provision
from e2e.server import Server, store_counts
from footfall.store.clickhouse import ClickHouseStore, parse_url
from scenarios.traffic import generate

pytestmark = [pytest.mark.e2e, pytest.mark.slow]
VISITORS = 30  # a smaller site than test_tracking's: two servers and a restart run here

# the same questions to both stores, each in its own dialect; sessions FINAL: newest versions
_DUCKDB = {
    "by_type": "SELECT event_type, count(*) FROM events GROUP BY 1",
    "sessions": "SELECT count(*), count(DISTINCT visitor_id), sum(is_bounce),"
    " sum(session_total_page_views), sum(session_total_events) FROM sessions",
    "revenue": "SELECT round(sum(revenue), 2) FROM events WHERE event_type = 9",
}
_CLICKHOUSE = {
    "by_type": "SELECT event_type, count() FROM events GROUP BY 1",
    "sessions": "SELECT count(), uniqExact(visitor_id), sum(is_bounce),"
    " sum(session_total_page_views), sum(session_total_events) FROM sessions FINAL",
    "revenue": "SELECT round(sum(revenue), 2) FROM events WHERE event_type = 9",
}


def _send(url: str, requests: list[dict[str, str]], token: str) -> None:
    with httpx.Client(timeout=30) as client:
        for i in range(0, len(requests), 40):
            body = {"requests": requests[i : i + 40], "token_auth": token}
            r = client.post(url + "/matomo.php", json=body)
            assert r.status_code == 200 and r.json()["invalid"] == 0, r.text


def _answers(rows: dict[str, list[tuple[Any, ...]]]) -> dict[str, Any]:
    return {
        "by_type": {int(t): int(n) for t, n in rows["by_type"]},
        "sessions": tuple(int(v) for v in rows["sessions"][0]),
        "revenue": float(rows["revenue"][0][0]),
    }


def test_chdb_store_holds_what_the_duckdb_store_holds(
    provisioned: Provisioned, tmp_path: Path
) -> None:
    # the reference run: the default DuckDB store
    requests, truth = generate(provisioned.app_id, visitors=VISITORS)
    reference = Server(provisioned.data_dir)
    reference.start()
    try:
        _send(reference.url, requests, provisioned.token_auth)
        reference.wait_idle()
    finally:
        reference.stop()
    duck = _answers({k: store_counts(provisioned.data_dir, q) for k, q in _DUCKDB.items()})
    assert duck["by_type"] == truth.events_by_type

    # the same traffic into chDB, with a kill -9 halfway: the restart replays the spool
    other = provision(tmp_path / "ch-data")
    chdb_dir = tmp_path / "chdb"
    env = {"FOOTFALL_EVENTS_URL": f"chdb://{chdb_dir}"}
    requests, _ = generate(other.app_id, visitors=VISITORS)
    half = len(requests) // 2
    server = Server(other.data_dir, env=env)
    server.start()
    try:
        _send(server.url, requests[:half], other.token_auth)
        server.kill()
        server.start()
        _send(server.url, requests[half:], other.token_auth)
        server.wait_idle()
    finally:
        server.stop()
    store = ClickHouseStore(parse_url(f"chdb://{chdb_dir}"))
    try:
        ch = _answers({k: store.execute(q) for k, q in _CLICKHOUSE.items()})
        [(events, distinct)] = store.execute("SELECT count(), uniqExact(event_id) FROM events")
    finally:
        store.close()
    assert ch == duck
    assert ch["sessions"][:3] == (truth.sessions, truth.visitors, truth.bounces)
    assert events == distinct  # the replay after kill -9 doubled nothing
