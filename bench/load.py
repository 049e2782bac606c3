"""HTTP load generator for tracking endpoints: keep-alive connections, raw HTTP/1.1, one process.

Prints one JSON line: requests, seconds, rate, latency percentiles (ms), status counts.
Modes: closed loop (`--connections N --seconds S`, as fast as the server answers) or open loop at a
fixed rate (`--rate R`), which is how latency is measured. `--bulk K` sends bulk POSTs of K hits.
Only loopback targets are allowed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import time
from urllib.parse import urlencode, urlsplit

UAS = [
    f"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/{v}.0.0.0 Safari/537.36"
    for v in range(100, 130)
] + [
    f"Mozilla/5.0 (iPhone; CPU iPhone OS {v}_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/{v}.0 Mobile/15E148 Safari/604.1"
    for v in range(12, 18)
]


def _hit(idsite: str, i: int, rnd: random.Random) -> dict[str, str]:
    return {
        "idsite": idsite,
        "rec": "1",
        "url": f"https://shop.example.com/p/{rnd.randint(1, 500)}?utm_source=s{i % 7}",
        "action_name": "Product",
        "_id": f"{rnd.randint(1, 20000):016x}",
        "res": "1920x1080",
        "ua": rnd.choice(UAS),
    }


async def _read_response(reader: asyncio.StreamReader) -> int:
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head[9:12])
    length = 0
    for line in head.split(b"\r\n"):
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
    if length:
        await reader.readexactly(length)
    return status


def _request(host: str, path: str, idsite: str, bulk: int, i: int, rnd: random.Random) -> bytes:
    if bulk:
        body = json.dumps(
            {"requests": [_hit(idsite, i * bulk + k, rnd) for k in range(bulk)]}
        ).encode()
        return (
            f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode() + body
    qs = urlencode(_hit(idsite, i, rnd))
    return f"GET {path}?{qs} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: {rnd.choice(UAS)}\r\n\r\n".encode()


async def main(a: argparse.Namespace) -> dict[str, object]:
    u = urlsplit(a.url)
    assert u.hostname in ("127.0.0.1", "localhost", "::1"), "loopback only"
    host, port, path = u.hostname or "127.0.0.1", u.port or 80, u.path or "/matomo.php"
    rnd = random.Random(1)
    # pre-build the requests so the client spends its time sending, not formatting
    pool = [
        _request(host, path, a.idsite, a.bulk, i, rnd) for i in range(2000 if not a.bulk else 50)
    ]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    deadline = time.perf_counter() + a.seconds
    interval = a.connections / a.rate if a.rate else 0.0

    async def worker(w: int) -> None:
        reader, writer = await asyncio.open_connection(host, port)
        n = w
        next_at = time.perf_counter() + (w * interval / a.connections if interval else 0)
        while time.perf_counter() < deadline and (not a.requests or n < a.requests):
            if interval:
                delay = next_at - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                next_at += interval
            t = time.perf_counter()
            writer.write(pool[n % len(pool)])
            status = await _read_response(reader)
            latencies.append(time.perf_counter() - t)
            statuses[status] = statuses.get(status, 0) + 1
            n += a.connections
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker(w) for w in range(a.connections)))
    took = time.perf_counter() - started
    latencies.sort()

    def pct(p: float) -> float:
        return (
            round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 3)
            if latencies
            else 0.0
        )

    n = len(latencies)
    return {
        "requests": n,
        "hits": n * (a.bulk or 1),
        "seconds": round(took, 3),
        "requests_per_s": round(n / took, 1),
        "hits_per_s": round(n * (a.bulk or 1) / took, 1),
        "p50_ms": pct(0.5),
        "p99_ms": pct(0.99),
        "max_ms": pct(1.0),
        "statuses": statuses,
    }


if __name__ == "__main__":
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--url", required=True, help="e.g. http://127.0.0.1:8000/matomo.php")
    p.add_argument("--idsite", required=True)
    p.add_argument("--connections", type=int, default=32)
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--rate", type=float, default=0, help="open loop: total requests per second")
    p.add_argument("--bulk", type=int, default=0, help="hits per bulk POST (0: single GETs)")
    p.add_argument(
        "--requests", type=int, default=0, help="stop after this many requests (0: by --seconds)"
    )
    args = p.parse_args()
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    print(json.dumps(asyncio.run(main(args))))
