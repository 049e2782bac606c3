"""Dashboard benchmark: the site overview page over 1M events, rendered by a real server.

Generates the events of `bench/query.py` straight into DuckDB, starts `footfall serve`, signs in
through the dashboard's form and times GET of the overview (all of its queries: headline figures
and their previous period, the series and the previous period's, 17 top lists with the world map's
visitors, rendering) warm, over --runs runs.

    .venv/bin/python bench/dashboard.py --events 1000000
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from e2e.conftest import provision  # noqa: E402
from e2e.server import Server  # noqa: E402
from footfall.meta import services  # noqa: E402
from footfall.meta.store import MetaStore  # noqa: E402

PASSWORD = "Bench-Passw0rd-1"
VIEWS = {
    "overview, 30 days, compare previous": "range=custom&from=2026-10-01&to=2026-10-30",
    "overview, 30 days, filtered (browser CH)": (
        "range=custom&from=2026-10-01&to=2026-10-30&f=browser_name:CH"
    ),
    "overview, 1 day, hourly": "range=custom&from=2026-10-15&to=2026-10-15",
    # the 30-day views compare with September, which has no events; this one's previous half has
    "overview, 15 days, previous period with data": "range=custom&from=2026-10-16&to=2026-10-30",
}


def _generator():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("bench_query", ROOT / "bench" / "query.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.generate


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        prov = provision(data)
        meta = MetaStore(f"sqlite:///{data / 'meta.sqlite'}")
        user = services.find_user(meta, "importer@example.com")
        assert user is not None
        services.set_password(meta, user.id, PASSWORD)
        meta.close()
        n_sessions, n_events = _generator()(data / "events.duckdb", prov.app_id, args.events)
        print(f"{n_events:,} events, {n_sessions:,} sessions", file=sys.stderr)
        server = Server(data)
        server.start()
        results = {}
        try:
            with httpx.Client(base_url=server.url, timeout=120) as client:
                html = client.get("/dashboard/login").text
                token = re.search(r'name="csrf" value="([0-9a-f]+)"', html)
                assert token is not None
                signed = client.post(
                    "/dashboard/login",
                    data={"csrf": token.group(1), "email": user.email, "password": PASSWORD},
                )
                assert signed.status_code == 303
                for name, query in VIEWS.items():
                    url = f"/dashboard/apps/{prov.app_id}/?{query}"
                    assert client.get(url).status_code == 200  # warm
                    times = []
                    for _ in range(args.runs):
                        t = time.perf_counter()
                        r = client.get(url)
                        times.append((time.perf_counter() - t) * 1000)
                        assert r.status_code == 200
                    times.sort()
                    results[name] = {
                        "median_ms": round(statistics.median(times), 1),
                        "max_ms": round(times[-1], 1),
                    }
                    print(name, results[name], file=sys.stderr)
        finally:
            server.stop()
    print(json.dumps({"events": n_events, "sessions": n_sessions, "views": results}, indent=2))


if __name__ == "__main__":
    main()
