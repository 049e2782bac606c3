"""Platform API benchmark: latency of /auth/token and of authenticated JSON:API calls.

Starts a real `footfall serve` on loopback, provisions it through the CLI, and times sequential
requests from one client (every call verifies the JWT, loads the user and checks permissions).
Prints a Markdown table for BENCHMARKS.md. Usage: `.venv/bin/python bench/platform_api.py [-n N]`.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from e2e.conftest import provision  # noqa: E402
from e2e.server import Server  # noqa: E402

JSONAPI = {"Content-Type": "application/vnd.api+json"}


def timed(n: int, call: Callable[[int], httpx.Response], expect: int) -> tuple[float, float, float]:
    """p50 and p95 latency in ms, and requests per second, of `n` sequential calls."""
    times = []
    start = time.perf_counter()
    for i in range(n):
        t0 = time.perf_counter()
        response = call(i)
        times.append((time.perf_counter() - t0) * 1000)
        assert response.status_code == expect, response.text
    elapsed = time.perf_counter() - start
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.95) - 1], n / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", type=int, default=300, help="requests per endpoint")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        setup = provision(Path(tmp) / "data")
        server = Server(setup.data_dir)
        server.start()
        try:
            with httpx.Client(base_url=server.url, timeout=30) as http:
                grant = {
                    "grant_type": "client_credentials",
                    "client_id": setup.client_id,
                    "client_secret": setup.client_secret,
                }
                rows = [
                    (
                        "POST /auth/token",
                        timed(20, lambda i: http.post("/auth/token", json=grant), 200),
                    )
                ]
                token = http.post("/auth/token", json=grant).json()["access_token"]
                auth = {"Authorization": f"Bearer {token}"}
                app = setup.app_id

                def patch(i: int) -> httpx.Response:
                    body = {
                        "data": {"type": "ppms/app", "id": app, "attributes": {"delay": i % 1000}}
                    }
                    return http.patch(
                        f"/api/apps/v2/{app}", content=json.dumps(body), headers={**auth, **JSONAPI}
                    )

                rows += [
                    (
                        "GET /api/apps/v2/{id}",
                        timed(args.n, lambda i: http.get(f"/api/apps/v2/{app}", headers=auth), 200),
                    ),
                    (
                        "GET /api/apps/v2 (list)",
                        timed(args.n, lambda i: http.get("/api/apps/v2", headers=auth), 200),
                    ),
                    (
                        "GET /api/users/v2/me",
                        timed(args.n, lambda i: http.get("/api/users/v2/me", headers=auth), 200),
                    ),
                    ("PATCH /api/apps/v2/{id} (+ audit entry)", timed(args.n, patch, 204)),
                    (
                        "GET /api/audit-log/v1/entries",
                        timed(
                            args.n,
                            lambda i: http.get("/api/audit-log/v1/entries", headers=auth),
                            200,
                        ),
                    ),
                ]
        finally:
            server.stop()
    print("| request | p50 ms | p95 ms | req/s (1 client) |")
    print("|---|---|---|---|")
    for name, (p50, p95, rate) in rows:
        print(f"| `{name}` | {p50:.1f} | {p95:.1f} | {rate:.0f} |")


if __name__ == "__main__":
    main()
