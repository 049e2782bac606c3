"""Write throughput of the DuckDB event store: event batch appends and session upserts.

Measures `DuckDBStore.write` end to end (dict rows → Arrow → one transaction with the checkpoint);
building the row dicts is not timed. Session upserts run against a table preloaded with
`--stored-sessions` rows; half of each batch updates stored sessions (the most recent ones, or any
with `--spread all`), half opens new ones. `--upsert on-conflict` / `insert-or-replace` time the
PRIMARY KEY alternatives on the same data (one INSERT statement each) for comparison.

    .venv/bin/python bench/store_write.py --event-batch 50000 --batches 20
"""

from __future__ import annotations

import argparse
import os
import random
import tempfile
import time
from typing import Any

from footfall.model.columns import EVENT_COLUMNS, SESSION_COLUMNS, row_defaults
from footfall.store.duckdb import DuckDBStore, schema

WEBSITE = "0b6e6c34-2a59-4d6b-9a0e-6f1d5f1c2a01"
T0 = 1_700_000_000.0


def event_row(i: int, rnd: random.Random) -> dict[str, Any]:
    """A full event row (every column present, as the pipeline builds them)."""
    row = row_defaults(EVENT_COLUMNS)
    row.update(
        website_id=WEBSITE,
        event_id=i,
        session_id=i - i % 5,
        timestamp=T0 + i * 0.01,
        local_time="12:34:56",
        event_index=i % 5,
        page_view_index=i % 5 + 1,
        is_entry=int(i % 5 == 0),
        event_url=f"https://shop.example.com/p/{rnd.randrange(500)}?ref=x",
        event_title=f"Product {rnd.randrange(500)}",
        previous_event_url="https://shop.example.com/",
        page_generation_time=rnd.random(),
        pv_id=f"{i:06x}",
    )
    return row


def session_row(session_id: int, version: int, rnd: random.Random) -> dict[str, Any]:
    """A full session row."""
    row = row_defaults(SESSION_COLUMNS)
    row.update(
        website_id=WEBSITE,
        session_id=session_id,
        session_version=version,
        timestamp=T0 + session_id,
        last_event_time=T0 + session_id + 60,
        local_time="12:34:56",
        visitor_id=rnd.getrandbits(64),
        session_total_page_views=3,
        session_goals=[1],
        session_entry_url="https://shop.example.com/",
        browser_name="CH",
        operating_system="WIN",
        location_country_name="PL",
    )
    return row


def bench_events(store: DuckDBStore, batch: int, batches: int, seed: int) -> float:
    """Rows/s of `batches` event-only writes of `batch` rows."""
    rnd = random.Random(seed)
    elapsed = 0.0
    for b in range(batches):
        rows = [event_row(b * batch + i, rnd) for i in range(batch)]
        start = time.perf_counter()
        store.write(rows, [], b + 1)
        elapsed += time.perf_counter() - start
    # The WAL is folded into the file at checkpoint_threshold or on close: that work is part of
    # the cost of the writes, so it is timed too.
    start = time.perf_counter()
    store._writer.execute("CHECKPOINT")
    elapsed += time.perf_counter() - start
    return batch * batches / elapsed


def preload_sessions(store: DuckDBStore, count: int) -> None:
    """`count` stored sessions (version 1), inserted by SQL: column defaults fill the rest."""
    store._writer.execute(  # bench only: the public API has no bulk load
        "INSERT INTO sessions (website_id, session_id, session_version, timestamp, last_event_time,"
        " visitor_id, session_entry_url, session_goals)"
        f" SELECT '{WEBSITE}', i, 1, make_timestamp(CAST(({T0} + i) * 1e6 AS BIGINT)),"
        f" make_timestamp(CAST(({T0} + i + 60) * 1e6 AS BIGINT)), hash(i),"
        " 'https://shop.example.com/', [1] FROM range(?) AS t(i)",
        [count],
    )
    store._writer.execute("CHECKPOINT")


def session_batches(args: argparse.Namespace) -> list[list[dict[str, Any]]]:
    """Batches of session rows: half updates of stored sessions, half new sessions."""
    rnd = random.Random(args.seed)
    batches, next_id = [], args.stored_sessions
    for b in range(args.batches):
        reach = next_id if args.spread == "all" else min(next_id, 5 * args.session_batch)
        updates = rnd.sample(range(next_id - reach, next_id), args.session_batch // 2)
        fresh = range(next_id, next_id + args.session_batch - len(updates))
        next_id += len(fresh)
        batches.append([session_row(i, 2 + b, rnd) for i in [*updates, *fresh]])
    return batches


def bench_sessions(store: DuckDBStore, args: argparse.Namespace) -> float:
    """Rows/s of session upserts with the chosen strategy."""
    batches = session_batches(args)
    sql = _primary_key_upsert(store, args.upsert) if args.upsert != "delete-insert" else ""
    elapsed, rows = 0.0, 0
    for b, batch in enumerate(batches):
        start = time.perf_counter()
        if sql:
            cur = store._writer
            cur.register("batch_sessions", schema.to_arrow("sessions", batch))
            cur.execute(sql)
            cur.unregister("batch_sessions")
        else:
            store.write([], batch, b + 1)
        elapsed += time.perf_counter() - start
        rows += len(batch)
    return rows / elapsed


def _primary_key_upsert(store: DuckDBStore, upsert: str) -> str:
    """Recreate `sessions` with a PRIMARY KEY; return the INSERT of the alternative strategy."""
    cur = store._writer
    cur.execute("CREATE TABLE keyed AS SELECT * FROM sessions LIMIT 0")
    cur.execute("ALTER TABLE keyed ADD PRIMARY KEY (website_id, session_id)")
    cur.execute("INSERT INTO keyed SELECT * FROM sessions")
    cur.execute("DROP TABLE sessions")
    cur.execute("ALTER TABLE keyed RENAME TO sessions")
    cur.execute("CHECKPOINT")
    insert = schema.insert_sql("sessions", "batch_sessions")
    if upsert == "insert-or-replace":
        return insert.replace("INSERT INTO", "INSERT OR REPLACE INTO", 1)
    names = [c.name for c in SESSION_COLUMNS if c.name not in ("website_id", "session_id")]
    sets = ", ".join(f"{schema.quote(n)} = EXCLUDED.{schema.quote(n)}" for n in names)
    return (
        f"{insert} ON CONFLICT (website_id, session_id) DO UPDATE SET {sets}"
        " WHERE EXCLUDED.session_version >= sessions.session_version"
    )


def main() -> None:
    """Parse arguments, run both benchmarks, print rows/s."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--event-batch", type=int, default=50_000)
    parser.add_argument("--session-batch", type=int, default=10_000)
    parser.add_argument("--batches", type=int, default=10)
    parser.add_argument("--stored-sessions", type=int, default=1_000_000)
    parser.add_argument("--spread", choices=("recent", "all"), default="recent")
    parser.add_argument(
        "--upsert",
        choices=("delete-insert", "on-conflict", "insert-or-replace"),
        default="delete-insert",
    )
    parser.add_argument("--only", choices=("events", "sessions"))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--dir", help="directory of the database file (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        path = os.path.join(tmp, "bench.duckdb")
        store = DuckDBStore(path)
        store.migrate()
        if args.only != "sessions":
            rate = bench_events(store, args.event_batch, args.batches, args.seed)
            print(f"events   {args.batches} x {args.event_batch} rows: {rate:,.0f} rows/s")
        if args.only != "events":
            preload_sessions(store, args.stored_sessions)
            rate = bench_sessions(store, args)
            print(
                f"sessions {args.batches} x {args.session_batch} rows ({args.upsert}, "
                f"{args.spread}) into {args.stored_sessions:,} stored: {rate:,.0f} rows/s"
            )
        store.close()
        print(f"file     {os.path.getsize(path) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
