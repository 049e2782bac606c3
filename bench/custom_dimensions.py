"""Micro-benchmark of `put_custom_dimensions`: µs per hit with no rules and with extraction rules.

Hits carry ~2,000 distinct page URLs (a third with a `color` parameter) and titles; the app has
one event dimension with a URL regex, a title regex and a query-parameter rule (the common
shapes), and one sent `dimensionN` value on a tenth of the hits (those skip the rules).

Usage: `.venv/bin/python bench/custom_dimensions.py [--hits 50000] [--passes 5]`.
"""

from __future__ import annotations

import argparse
import gc
import random
import time

from footfall.model.hit import Hit
from footfall.model.settings import AppSettings, Extraction
from footfall.pipeline.steps.put_custom_dimensions import put_custom_dimensions

RULES = (
    Extraction(2, 1, "page_url_regex", r"/products/(\w+)"),
    Extraction(2, 1, "page_title_regex", r"^(.+) \| Shop$"),
    Extraction(3, 2, "page_query_parameter", "color"),
)
PLAIN = AppSettings(website_id="w")
WITH_RULES = AppSettings(
    website_id="w",
    custom_dimensions={2: ("event", 1), 3: ("event", 2)},
    custom_dimension_extractions=RULES,
)


def _hits(n: int) -> list[Hit]:
    rnd = random.Random(7)
    out = []
    for i in range(n):
        page = rnd.randrange(2000)
        kind = ("products", "blog", "help")[page % 3]
        url = f"https://shop.example.com/{kind}/item{page}"
        if page % 3 == 0:
            url += f"?color=c{page % 17}"
        hit = Hit(website_id="w", seq=i, received_at=0.0, timestamp=0.0, url=url)
        hit.action_name = f"Item {page} | Shop" if page % 2 else f"Item {page}"
        if i % 10 == 0:
            hit.dimensions[2] = "sent"
        out.append(hit)
    return out


def _run(app: AppSettings, hits: list[Hit], passes: int) -> float:
    best = float("inf")
    for _ in range(passes):
        for h in hits:
            h.dimensions = {2: "sent"} if h.seq % 10 == 0 else {}
        gc.disable()
        start = time.perf_counter()
        for h in hits:
            put_custom_dimensions(h, app)
        best = min(best, time.perf_counter() - start)
        gc.enable()
    return best / len(hits) * 1e6


def main() -> None:
    """Print µs per hit without and with the three rules (best of the passes)."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--hits", type=int, default=50_000)
    parser.add_argument("--passes", type=int, default=5)
    args = parser.parse_args()
    hits = _hits(args.hits)
    _run(WITH_RULES, hits, 1)  # warm the regex and parameter caches
    print(f"no rules:    {_run(PLAIN, hits, args.passes):.2f} µs/hit")
    print(f"three rules: {_run(WITH_RULES, hits, args.passes):.2f} µs/hit")


if __name__ == "__main__":
    main()
