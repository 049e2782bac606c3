"""Pirsch statistics benchmark: the dashboard's endpoints over 30 days of a generated store.

Fills `events.duckdb` with bench/query.py's generator (N events, about 3.3 per session), starts a
real `footfall serve`, gets a token for a statistics client at `/api/v1/token`, and times each
`GET /api/v1/statistics/*` (warm: one unmeasured call first), reporting median and p90.

    .venv/bin/python bench/pirsch_stats.py --events 1000000
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from e2e.conftest import provision  # noqa: E402
from e2e.server import Server, cli  # noqa: E402

_spec = importlib.util.spec_from_file_location("bench_query", ROOT / "bench" / "query.py")
assert _spec is not None and _spec.loader is not None
bench_query = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_query)

ENDPOINTS: dict[str, dict[str, str]] = {
    "total": {},
    "visitor": {},
    "page": {},
    "page (include_avg_time_on_page)": {"include_avg_time_on_page": "true"},
    "page/entry": {},
    "referrer": {},
    "country": {},
    "browser": {},
    "platform": {},
    "events": {},
    "hours": {},
    "minutes": {},
    "weekdays": {},
    "hostname": {},
    "tags": {},
    "growth": {},
    "total (country=pl, path=~page/1)": {"country": "pl", "path": "~page/1"},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        prov = provision(data)
        sessions, events = bench_query.generate(data / "events.duckdb", prov.app_id, args.events)
        client = cli(
            data, "credentials", "create", "--app", prov.app_id, "--scopes", "statistics", "--json"
        )
        server = Server(data)
        server.start()
        results: dict[str, Any] = {}
        try:
            token = httpx.post(
                server.url + "/api/v1/token",
                json={"client_id": client["client_id"], "client_secret": client["client_secret"]},
            ).json()["access_token"]
            period = {"id": prov.app_id, "from": "2026-10-01", "to": "2026-10-30"}
            with httpx.Client(timeout=300, headers={"authorization": f"Bearer {token}"}) as http:
                for label, extra in ENDPOINTS.items():
                    name = label.split(" ")[0]
                    url = f"{server.url}/api/v1/statistics/{name}"
                    first = http.get(url, params={**period, **extra})
                    if first.status_code == 404:  # an older server without this statistic
                        results[label] = None
                        continue
                    assert first.status_code == 200, first.text
                    times = []
                    for _ in range(args.runs):
                        started = time.perf_counter()
                        assert http.get(url, params={**period, **extra}).status_code == 200
                        times.append((time.perf_counter() - started) * 1000)
                    times.sort()
                    results[label] = {
                        "median_ms": round(statistics.median(times), 1),
                        "p90_ms": round(times[int(len(times) * 0.9) - 1], 1),
                    }
                    print(label, results[label], file=sys.stderr)
        finally:
            server.stop()
    load = Path("/proc/loadavg").read_text().split()[0]
    summary = {"events": events, "sessions": sessions, "load_1min_after": load, "results": results}
    print(json.dumps(summary, indent=1))


if __name__ == "__main__":
    main()
