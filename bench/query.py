"""Analytics query benchmark: the report queries of issue 4 on DuckDB and on chDB, same rows.

Generates N events (default 1M, about 3.3 per session over 30 days) straight into the
`events.duckdb` of a provisioned data dir with DuckDB's own range() (no HTTP, seconds for 10M),
starts a real `footfall serve` on it and times each query over HTTP (warm: one unmeasured run
first), reporting the median and p90 of --runs runs and the server's peak RSS while answering;
then copies the rows into a chDB store (`copy_store`, as `footfall migrate-store`) and times the
same queries on a server over it.

    .venv/bin/python bench/query.py --events 1000000
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from e2e.conftest import provision  # noqa: E402
from e2e.server import Server  # noqa: E402
from footfall.store.copy import copy_store  # noqa: E402
from footfall.store.duckdb import DuckDBStore  # noqa: E402

DAYS = 30
START = "2026-10-01"

_SESSIONS = """
INSERT INTO sessions (website_id, session_id, session_version, "timestamp", last_event_time,
    visitor_id, session_total_events, session_total_page_views, session_unique_page_views,
    session_total_custom_events, is_bounce, referrer_type, device_type, browser_name,
    location_country_name, session_total_time)
SELECT CAST($website AS UUID), i, 1, ts, ts + to_seconds(60 * (n - 1)), hash(hash(i) % $visitors),
    n, pv, pv, n - pv, CAST(pv = 1 AS UTINYINT), [1, 2, 3, 6, 7][CAST(1 + hash(i * 3) % 5 AS BIGINT)],
    hash(i * 5) % 3, ['CH', 'FF', 'SF', 'ED'][CAST(1 + hash(i * 7) % 4 AS BIGINT)],
    ['PL', 'DE', 'US', 'FR', 'GB'][CAST(1 + hash(i * 11) % 5 AS BIGINT)], 60 * (n - 1)
FROM (
    SELECT i, TIMESTAMP '2026-10-01' + to_seconds(CAST(i * $span / $sessions AS BIGINT)) AS ts,
        CAST(n AS USMALLINT) AS n, CAST(greatest(1, n - (hash(i * 13) % 2)) AS USMALLINT) AS pv
    FROM (SELECT i, 1 + hash(i) % 6 AS n FROM range(1, $sessions + 1) t(i))
)
"""
_EVENTS = """
INSERT INTO events (website_id, event_id, session_id, "timestamp", event_type, event_index,
    page_view_index, is_entry, event_url, event_title, custom_event_category)
SELECT website_id, session_id * 8 + j, session_id, "timestamp" + to_seconds(60 * j),
    CASE WHEN j < pv THEN 1 ELSE 5 END, j, CASE WHEN j < pv THEN j END,
    CAST(j = 0 AS UTINYINT), 'https://shop.example.com/page/' || (hash(session_id * 31 + j) % 200),
    'Page ' || (hash(session_id * 31 + j) % 200), CASE WHEN j < pv THEN '' ELSE 'Video' END
FROM (
    SELECT website_id, session_id, "timestamp", session_total_page_views AS pv,
        unnest(range(session_total_events)) AS j
    FROM sessions
)
"""


def generate(path: Path, website: str, events: int) -> tuple[int, int]:
    """Fill a migrated store with about `events` events; returns (sessions, events)."""
    store = DuckDBStore(str(path))
    store.migrate()
    store.close()
    con = duckdb.connect(str(path))
    sessions = int(events / 3.25)
    con.execute(
        _SESSIONS,
        {
            "website": website,
            "sessions": sessions,
            "visitors": max(1, sessions * 2 // 3),
            "span": DAYS * 86400,
        },
    )
    con.execute(_EVENTS)
    con.execute("CHECKPOINT")
    row = con.execute(
        "SELECT (SELECT count(*) FROM sessions), (SELECT count(*) FROM events)"
    ).fetchone()
    con.close()
    assert row is not None
    return int(row[0]), int(row[1])


def queries() -> dict[str, dict[str, Any]]:
    """The report queries of the issue."""
    period = {"date_from": START, "date_to": "2026-10-30"}
    return {
        "daily visitors/sessions/page views/bounce rate, 30 days": {
            **period,
            "columns": [
                {"column_id": "timestamp", "transformation_id": "to_date"},
                {"column_id": "visitors"},
                {"column_id": "sessions"},
                {"column_id": "page_views"},
                {"column_id": "bounce_rate"},
            ],
            "order_by": [[0, "asc"]],
        },
        "top 10 pages by page views": {
            **period,
            "columns": [{"column_id": "event_url"}, {"column_id": "page_views"}],
            "limit": 10,
        },
        "channel x device breakdown": {
            **period,
            "columns": [
                {"column_id": "referrer_type"},
                {"column_id": "device_type"},
                {"column_id": "sessions"},
                {"column_id": "bounce_rate"},
            ],
        },
        "event-scoped with a filter (custom events by country, Chrome)": {
            **period,
            "columns": [
                {"column_id": "location_country_name"},
                {"column_id": "custom_events"},
                {"column_id": "sessions"},
            ],
            "filters": {
                "operator": "and",
                "conditions": [
                    {"column_id": "event_type", "condition": {"operator": "eq", "value": 5}},
                    {"column_id": "browser_name", "condition": {"operator": "eq", "value": "CH"}},
                ],
            },
        },
    }


def rss_mib(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process in MiB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return (
        int(fields["VmRSS"].split()[0]) / 1024,
        int(fields["VmHWM"].split()[0]) / 1024,
    )


def measure(server: Server, prov: Any, runs: int) -> dict[str, Any]:
    """Median/p90 of every query over HTTP on a started server, and its memory after."""
    assert server.proc is not None
    token = httpx.post(
        server.url + "/auth/token",
        json={
            "grant_type": "client_credentials",
            "client_id": prov.client_id,
            "client_secret": prov.client_secret,
        },
    ).json()["access_token"]
    headers = {"authorization": f"Bearer {token}"}
    results = {}
    with httpx.Client(timeout=300, headers=headers) as client:
        for name, body in queries().items():
            url = server.url + "/api/analytics/v1/query/"
            payload = {"website_id": prov.app_id, **body}
            first = client.post(url, json=payload)
            assert first.status_code == 200, first.text
            times = []
            for _ in range(runs):
                t = time.perf_counter()
                r = client.post(url, json=payload)
                times.append((time.perf_counter() - t) * 1000)
                assert r.status_code == 200
            times.sort()
            results[name] = {
                "median_ms": round(statistics.median(times), 1),
                "p90_ms": round(times[int(len(times) * 0.9) - 1], 1),
                "rows": first.json()["meta"]["count"],
                "answer": first.json()["data"][:3],
            }
            print(name, results[name], file=sys.stderr)
    current, peak = rss_mib(server.proc.pid)
    return {"queries": results, "server_rss_mib": round(current), "peak_rss_mib": round(peak)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--backends", default="duckdb,chdb", help="comma-separated")
    args = parser.parse_args()
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        prov = provision(data)
        started = time.perf_counter()
        n_sessions, n_events = generate(data / "events.duckdb", prov.app_id, args.events)
        out.update(events=n_events, sessions=n_sessions)
        print(
            f"generated {n_events:,} events, {n_sessions:,} sessions in "
            f"{time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
        for backend in args.backends.split(","):
            env = {}
            if backend == "chdb":
                # the same rows, copied as `footfall migrate-store` does
                started = time.perf_counter()
                url = f"chdb://{data / 'chdb'}"
                copy_store(f"duckdb://{data / 'events.duckdb'}", url, verify=False)
                print(f"copied to chDB in {time.perf_counter() - started:.1f} s", file=sys.stderr)
                env = {"FOOTFALL_EVENTS_URL": url}
            server = Server(data, env)
            server.start()
            try:
                out[backend] = measure(server, prov, args.runs)
            finally:
                server.stop()
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
