"""Micro-benchmark of the default enrichment steps: µs per hit for each step and for the whole list.

Builds Hits the way the collector hands them to the pipeline (36 user agents, visitors spread over
many /16s, ~500 page URLs some with utm_* parameters, a few referrers, two apps: one with default
AppSettings, one with excluded IPs and user agents), warms the caches like a running server, then
times each step over the batch (step by step, the hits a step drops skip the later steps; garbage
collector paused) and the whole list hit by hit (collector on, as in the server). Between passes a
share of the visitors is replaced by new ones, so the per-IP caches see new addresses as a live
server does (`--new-visitors 1` = every pass all new IPs, the worst case).

Usage: `.venv/bin/python bench/steps.py [--hits 20000] [--passes 5] [--new-visitors 0.3]`.
"""

from __future__ import annotations

import argparse
import gc
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

from load import UAS  # noqa: E402

from footfall.model.hit import Hit  # noqa: E402
from footfall.model.reasons import Reason  # noqa: E402
from footfall.model.settings import AppSettings  # noqa: E402
from footfall.pipeline.steps import StepConfig, default_steps, step_name  # noqa: E402

Step = Callable[[Hit, AppSettings], Reason | None]

DEFAULT_APP = AppSettings(website_id="app-default", urls=("https://shop.example.com",))
STRICT_APP = AppSettings(
    website_id="app-strict",
    urls=("https://blog.example.net", "*.example.org"),
    excluded_ips=("10.0.*.*", "192.168.1.0/24", "203.0.113.7", "2001:db8::/32", "81.2.*.4"),
    excluded_user_agents=("HeadlessChrome", "monitoring", "curl"),
)
REFERRERS = [
    "",
    "",
    "",
    "https://www.google.com/search?q=running+shoes&hl=en",
    "https://www.google.de/search?q=laufschuhe",
    "https://news.example.org/2024/03/article-about-shoes",
    "https://www.facebook.com/",
    "https://l.facebook.com/l.php?u=https%3A%2F%2Fshop.example.com%2F",
]
LANGS = ["en-US,en;q=0.9", "de-DE,de;q=0.9,en;q=0.8", "fr-FR,fr;q=0.8", "en-GB", ""]


def page_urls(rnd: random.Random, n: int) -> list[str]:
    """`n` distinct page URLs; about one in five carries utm_* (or gclid, a site search)."""
    urls = []
    for i in range(n):
        base = f"https://shop.example.com/c/{i % 23}/p/{i}"
        r = rnd.random()
        if r < 0.15:
            base += f"?utm_source=newsletter&utm_medium=email&utm_campaign=spring{i % 7}"
        elif r < 0.2:
            base += f"?gclid=Cj0KCQ{i:08d}&ref=ad"
        elif r < 0.25:
            base += f"?q=shoe+{i % 11}&page=2"
        elif r < 0.3:
            base += "#reviews"
        urls.append(base)
    return urls


def visitor_ip(rnd: random.Random) -> str:
    """An address in one of many /16s; a few IPv6 ones and a few in the excluded ranges."""
    r = rnd.random()
    if r < 0.06:
        return f"2a02:{rnd.randrange(0x10000):x}:{rnd.randrange(0x10000):x}::{rnd.randrange(0x10000):x}"
    if r < 0.08:
        return f"10.0.{rnd.randrange(256)}.{rnd.randrange(256)}"
    return (
        f"{rnd.randrange(1, 224)}.{rnd.randrange(256)}.{rnd.randrange(256)}.{rnd.randrange(1, 255)}"
    )


class Batch:
    """The hits of one pass, as keyword arguments (a Hit is mutated by the steps)."""

    def __init__(self, hits: int, visitors: int, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.urls = page_urls(self.rnd, 500)
        self.visitors = [self._visitor() for _ in range(visitors)]
        self.hits = hits
        self.t0 = 1_709_294_400.0

    def _visitor(self) -> dict[str, Any]:
        rnd = self.rnd
        app = DEFAULT_APP if rnd.random() < 0.7 else STRICT_APP
        ua = rnd.choice(UAS)
        if app is STRICT_APP and rnd.random() < 0.02:
            ua = "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120.0.0.0 Safari/537.36"
        plugins = {"pdf": True, "cookie": True, "java": False, "fla": rnd.random() < 0.1}
        return {
            "website_id": app.website_id,
            "ip": visitor_ip(rnd),
            "user_agent": ua,
            "accept_language": rnd.choice(LANGS),
            "plugins": plugins,
            "referrer_url": rnd.choice(REFERRERS),
        }

    def renew(self, share: float) -> None:
        """Replaces `share` of the visitors by new ones (new IPs)."""
        for i in range(len(self.visitors)):
            if self.rnd.random() < share:
                self.visitors[i] = self._visitor()

    def make(self) -> list[tuple[Hit, AppSettings]]:
        """Fresh Hits for one pass: each hit a page view of a random visitor."""
        rnd = self.rnd
        out = []
        for i in range(self.hits):
            v = rnd.choice(self.visitors)
            url = rnd.choice(self.urls)
            if v["website_id"] == STRICT_APP.website_id:
                url = url.replace("shop.example.com", "blog.example.net")
            hit = Hit(
                website_id=v["website_id"],
                seq=i,
                received_at=self.t0 + i,
                timestamp=self.t0 + i,
                ip=v["ip"],
                user_agent=v["user_agent"],
                accept_language=v["accept_language"],
                url=url,
                action_name=f"Page {url[-6:]}",
                referrer_url=v["referrer_url"] if rnd.random() < 0.4 else "",
                plugins=dict(v["plugins"]),
                resolution="1920x1080",
            )
            app = DEFAULT_APP if hit.website_id == DEFAULT_APP.website_id else STRICT_APP
            out.append((hit, app))
        return out


def time_steps(steps: list[Step], hits: list[tuple[Hit, AppSettings]]) -> dict[str, float]:
    """Seconds per step over the batch, step after step; dropped hits leave the batch."""
    out: dict[str, float] = {}
    alive = hits
    # why: a full collection (tens of ms with device-detector's data loaded) would land on
    # whichever step happens to allocate then; `time_list` keeps the collector on
    gc.collect()
    gc.disable()
    try:
        for step in steps:
            kept = []
            started = time.perf_counter()
            for hit, app in alive:
                if step(hit, app) is None:
                    kept.append((hit, app))
            out[step_name(step)] = time.perf_counter() - started
            alive = kept
    finally:
        gc.enable()
    return out


def time_list(steps: list[Step], hits: list[tuple[Hit, AppSettings]]) -> float:
    """Seconds for the whole list hit by hit (the way the runner applies it), collector on."""
    gc.collect()
    started = time.perf_counter()
    for hit, app in hits:
        for step in steps:
            if step(hit, app) is not None:
                break
    return time.perf_counter() - started


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--hits", type=int, default=20_000, help="hits per pass")
    ap.add_argument("--visitors", type=int, default=20_000, help="visitor pool size")
    ap.add_argument("--passes", type=int, default=5, help="timed passes (best one reported)")
    ap.add_argument(
        "--new-visitors", type=float, default=0.3, help="share of visitors replaced between passes"
    )
    ap.add_argument("--seed", type=int, default=7)
    a = ap.parse_args()

    steps: list[Step] = default_steps(
        StepConfig(geoip_mmdb="", device_cache_size=10_000, secret_key=b"k" * 32)
    )
    batch = Batch(a.hits, a.visitors, a.seed)
    time_steps(steps, batch.make())  # warm-up: device-detector regexes, caches

    per_step: dict[str, float] = {}
    totals = []
    for _ in range(a.passes):
        batch.renew(a.new_visitors)
        result = time_steps(steps, batch.make())
        for name, secs in result.items():
            per_step[name] = min(per_step.get(name, float("inf")), secs)
        batch.renew(a.new_visitors)
        totals.append(time_list(steps, batch.make()))

    n = a.hits
    print(f"{n} hits/pass, {a.visitors} visitors, {a.new_visitors:.0%} new per pass")
    for name, secs in per_step.items():
        print(f"  {name:<16} {secs / n * 1e6:7.2f} µs/hit")
    print(f"  {'sum of steps':<16} {sum(per_step.values()) / n * 1e6:7.2f} µs/hit  (no GC)")
    best = min(totals)
    print(f"  {'whole list':<16} {best / n * 1e6:7.2f} µs/hit  ({n / best:,.0f} hits/s, 1 core)")


if __name__ == "__main__":
    main()
