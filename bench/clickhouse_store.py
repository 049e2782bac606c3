"""Write throughput of the ClickHouse event store on chDB, and FINAL vs argMax session reads.

1. events: `ClickHouseStore.write` end to end (dict rows → Arrow → validated insert → commit row),
   and `write_arrow` alone (Arrow batch already built, what `footfall migrate-store` does);
2. sessions: upsert batches (half new sessions, half new versions of recent ones) against
   `--stored-sessions` preloaded rows;
3. reads without OPTIMIZE: one report (sessions and page views by channel for one app) through
   `FINAL` and through `argMax(…, session_version) GROUP BY session_id`, median of `--runs`.

    .venv/bin/python bench/clickhouse_store.py --stored-sessions 1000000
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time

from store_write import WEBSITE, event_row, session_row

from footfall.store.clickhouse import ClickHouseStore, parse_url, schema

_FINAL = """
SELECT referrer_type, count(), sum(session_total_page_views)
FROM sessions FINAL WHERE website_id = {p0:UUID} GROUP BY referrer_type ORDER BY referrer_type
"""
_ARGMAX = """
SELECT referrer_type, count(), sum(page_views) FROM (
    SELECT argMax(referrer_type, session_version) AS referrer_type,
           argMax(session_total_page_views, session_version) AS page_views
    FROM sessions WHERE website_id = {p0:UUID}
    GROUP BY toDate(`timestamp`), session_id
) GROUP BY referrer_type ORDER BY referrer_type
"""


def bench_events(store: ClickHouseStore, batch: int, batches: int, rnd: random.Random) -> None:
    """Rows/s of `write` and of `write_arrow` for event batches."""
    base = 10_000_000
    dict_seconds = arrow_seconds = 0.0
    for n in range(batches):
        rows = [event_row(base + n * batch + i, rnd) for i in range(batch)]
        start = time.perf_counter()
        store.write(rows, [], n + 1)
        dict_seconds += time.perf_counter() - start
        table = schema.to_arrow("events", rows)
        start = time.perf_counter()
        store.write_arrow(table, None, n + 1)
        arrow_seconds += time.perf_counter() - start
    total = batch * batches
    print(f"events write (dicts):  {total / dict_seconds:,.0f} rows/s ({batch}-row batches)")
    print(f"events write_arrow:    {total / arrow_seconds:,.0f} rows/s")


def preload(store: ClickHouseStore, count: int, rnd: random.Random) -> None:
    """`count` sessions, version 1, in 100k-row Arrow batches (not timed)."""
    for start in range(0, count, 100_000):
        rows = [session_row(i, 1, rnd) for i in range(start, min(count, start + 100_000))]
        store.write_arrow(None, schema.to_arrow("sessions", rows), 0)


def bench_sessions(
    store: ClickHouseStore, stored: int, batch: int, batches: int, rnd: random.Random
) -> None:
    """Rows/s of session upserts: half new versions of recent sessions, half new sessions."""
    seconds = 0.0
    for n in range(batches):
        updates = [
            session_row(stored - 1 - rnd.randrange(50_000), 2 + n, rnd) for _ in range(batch // 2)
        ]
        fresh = [session_row(stored + n * batch + i, 1, rnd) for i in range(batch - batch // 2)]
        start = time.perf_counter()
        store.write([], updates + fresh, 1000 + n)
        seconds += time.perf_counter() - start
    print(f"sessions write:        {batch * batches / seconds:,.0f} rows/s ({batch}-row batches)")


def bench_reads(store: ClickHouseStore, runs: int) -> None:
    """Median latency of the same report through FINAL and through argMax."""
    [(versions, parts)] = store.execute(
        "SELECT (SELECT count() FROM sessions),"
        " (SELECT count() FROM system.parts WHERE database = currentDatabase()"
        " AND table = 'sessions' AND active)"
    )
    [(sessions,)] = store.execute("SELECT count() FROM sessions FINAL")
    print(f"sessions: {sessions:,} (row versions stored: {versions:,}, active parts: {parts})")
    answers = {}
    for name, sql in (("FINAL", _FINAL), ("argMax", _ARGMAX)):
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            answers[name] = store.execute(sql, [WEBSITE])
            times.append(time.perf_counter() - start)
        print(f"report via {name:6}: {statistics.median(times) * 1000:,.0f} ms (median of {runs})")
    assert answers["FINAL"] == answers["argMax"], answers


def main() -> None:
    """Run the three measurements on a fresh chDB directory."""
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--event-batch", type=int, default=50_000)
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--session-batch", type=int, default=10_000)
    parser.add_argument("--stored-sessions", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", help="chDB directory (default: a temp dir)")
    args = parser.parse_args()
    rnd = random.Random(1)
    directory = args.dir or tempfile.mkdtemp(prefix="footfall-chdb-bench-")
    store = ClickHouseStore(parse_url(f"chdb://{directory}/store"))
    store.migrate()
    try:
        bench_events(store, args.event_batch, args.batches, rnd)
        start = time.perf_counter()
        preload(store, args.stored_sessions, rnd)
        print(f"preload {args.stored_sessions:,} sessions: {time.perf_counter() - start:.1f} s")
        bench_sessions(store, args.stored_sessions, args.session_batch, args.batches, rnd)
        bench_reads(store, args.runs)
    finally:
        store.close()


if __name__ == "__main__":
    main()
