"""Micro-benchmark of the tracking-request hot path: parse_hit, RawRecord.decode, bulk collection.

Prints µs per hit for a few realistic parameter sets (JS tracker page view, log-import bulk
object item, ecommerce order, custom event), µs per `RawRecord.decode` of the same records, and
µs per item of a 500-item bulk body of objects sent through the collector's ASGI app.
Usage: `.venv/bin/python bench/parse.py [--rounds N] [--number N] [--bulk-items N]`.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
import timeit
from collections.abc import Callable, MutableMapping, Sequence
from typing import Any

import orjson

from footfall.collect.http import Collector, make_collector
from footfall.collect.params import parse_hit
from footfall.config import Settings
from footfall.model.directory import StaticDirectory
from footfall.model.record import RawRecord
from footfall.model.settings import AppSettings

LOOP = asyncio.new_event_loop()
APP = "0d8f6a5e-3c2b-4a19-9e7d-5b1c2a3f4e60"
NOW = time.time()
UA = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36"
)

#: What matomo.js / ppms.js adds to every request.
BROWSER = {
    "_idvc": "3",
    "_viewts": "1714550000",
    "_idts": "1714000000",
    "h": "14",
    "m": "5",
    "s": "31",
    "pdf": "1",
    "java": "0",
    "cookie": "1",
    "pv_id": "aB3dE6",
    "send_image": "0",
    "rand": "583921",
    "apiv": "1",
}
PAGE_VIEW = {
    "idsite": "1",
    "rec": "1",
    "url": "https://shop.example.org/products/shoes?utm_source=news",
    "urlref": "https://www.google.com/",
    "_id": "AF344A398DF83874",
    "res": "1920x1080",
    "cdt": str(int(NOW) - 5),
    "action_name": "Shoes - Example Shop",
    **BROWSER,
}
LOG_IMPORT = {
    "idsite": APP,
    "rec": "1",
    "url": "https://shop.example.org/blog/2024/05/spring-collection.html",
    "urlref": "https://duckduckgo.com/",
    "action_name": "blog/2024/05/spring-collection.html",
    "cip": "203.0.113.77",
    "cdt": "2024-05-01 11:58:31",
    "ua": UA,
    "lang": "en-GB,en;q=0.9",
    "_id": "0123456789abcdef",
    "bw_bytes": "18233",
    "gt_ms": "42",
    "dimension1": "200",
    "cs": "utf-8",
}
ORDER = {
    **PAGE_VIEW,
    "action_name": "",
    "idgoal": "0",
    "e_t": "order",
    "ec_id": "A10000123",
    "revenue": "129.90",
    "ec_st": "119.90",
    "ec_tx": "20.00",
    "ec_sh": "10.00",
    "ec_dt": "0",
    "ec_items": orjson.dumps(
        [
            ["SKU-1", "Running shoe", ["Shoes", "Running"], 89.9, 1],
            ["SKU-2", "Socks", "Accessories", "15.00", 2],
        ]
    ).decode(),
}
EVENT = {
    **PAGE_VIEW,
    "e_c": "Video",
    "e_a": "Play",
    "e_n": "Spring collection trailer",
    "e_v": "12.5",
}
SETS = {"page view": PAGE_VIEW, "log import": LOG_IMPORT, "order": ORDER, "event": EVENT}


def best_us(fn: Callable[[], object], rounds: int, number: int) -> float:
    """The best of `rounds` timings of `number` calls, in µs per call."""
    return min(timeit.repeat(fn, repeat=rounds, number=number)) / number * 1e6


def record_of(params: dict[str, str]) -> RawRecord:
    """A record as the collector spools it."""
    return RawRecord(
        APP,
        dict(params),
        NOW,
        ip="198.51.100.4",
        user_agent=UA,
        accept_language="de-DE,de;q=0.9",
        headers={"dnt": "1"},
    )


class NullSpool:
    """Accepts every batch and forgets it."""

    def append(self, payloads: Sequence[bytes]) -> int:
        return len(payloads)

    async def append_async(self, payloads: Sequence[bytes]) -> int:
        return len(payloads)


class NoTokens:
    """Grants nothing."""

    def is_authorized(self, token_auth: str | None, bearer: str | None, website_id: str) -> bool:
        return False


def collector() -> Collector:
    """The tracking ASGI app over a null spool and one app."""
    directory = StaticDirectory([AppSettings(website_id=APP, alias=1)])
    tmp = tempfile.mkdtemp(prefix="footfall-bench-")
    settings = Settings.load(overrides={"data_dir": tmp}, environ={})
    return make_collector(NullSpool(), directory, NoTokens(), settings)


def post_once(app: Collector, path: str, body: bytes) -> int:
    """One POST through the ASGI callable (on a long-lived event loop); returns the status."""
    sent: list[MutableMapping[str, Any]] = []

    async def receive() -> MutableMapping[str, Any]:
        return {"type": "http.request", "body": body}

    async def send(message: MutableMapping[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "method": "POST",
        "path": path,
        "query_string": b"",
        "headers": [(b"user-agent", UA.encode()), (b"content-type", b"application/json")],
        "client": ("192.0.2.1", 1),
    }
    LOOP.run_until_complete(app(scope, receive, send))
    return int(sent[0]["status"])


def bulk_body(items: int) -> bytes:
    """A log-importer bulk body of `items` objects (ppms.php accepts cdt and cip unauthenticated)."""
    requests = []
    for i in range(items):
        item = dict(LOG_IMPORT)
        item["idsite"] = APP if i % 2 else "1"
        item["url"] = f"https://shop.example.org/page/{i}"
        item["cdt"] = str(int(NOW) - 3600 + i)
        requests.append(item)
    return orjson.dumps({"requests": requests})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=7, help="timing rounds (best one counts)")
    parser.add_argument("--number", type=int, default=20000, help="calls per round")
    parser.add_argument("--bulk-items", type=int, default=500, help="items per bulk body")
    args = parser.parse_args()

    print("parse_hit (µs/hit)")
    for name, params in SETS.items():
        record = record_of(params)
        us = best_us(lambda r=record: parse_hit(r), args.rounds, args.number)  # type: ignore[misc]
        print(f"  {name:<12} {len(params):>3} params  {us:7.2f}")

    print("RawRecord.decode (µs/record)")
    for name, params in SETS.items():
        payload = record_of(params).encode()
        us = best_us(lambda p=payload: RawRecord.decode(p, 7), args.rounds, args.number)  # type: ignore[misc]
        print(f"  {name:<12} {len(payload):>4} bytes  {us:7.2f}")

    print("decode + parse_hit (µs/hit)")
    for name, params in SETS.items():
        payload = record_of(params).encode()
        us = best_us(
            lambda p=payload: parse_hit(RawRecord.decode(p, 7)),  # type: ignore[misc]
            args.rounds,
            args.number,
        )
        print(f"  {name:<12} {us:7.2f}")

    app = collector()
    body = bulk_body(args.bulk_items)
    assert post_once(app, "/ppms.php", body) == 202
    n = max(1, args.number // args.bulk_items // 4)
    us = best_us(lambda: post_once(app, "/ppms.php", body), args.rounds, n)
    print(
        f"collector bulk, {args.bulk_items} objects ({len(body)} bytes): "
        f"{us / args.bulk_items:.2f} µs/item ({us / 1000:.2f} ms/body)"
    )


if __name__ == "__main__":
    main()
