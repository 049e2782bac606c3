"""DuckDBStore.write: one transaction for rows and checkpoint; sessions keep the newest version."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from footfall.store.duckdb import DuckDBStore, schema
from footfall.store.duckdb.store import latest_versions

T0 = 1_700_000_000.0
RowFactory = Callable[..., dict[str, Any]]


def test_round_trip_keeps_values_and_converts_time(
    store: DuckDBStore, event: RowFactory, session: RowFactory, website: str
) -> None:
    written_event = event(
        1,
        0,
        timestamp=T0 + 0.25,
        local_time="23:59:07",
        event_url="https://example.com/a?b=1",
        custom_event_value=2.5,
        goal_id=-3,
        ecommerce_items='[["sku", "name", "cat", 9.99, 1]]',
    )
    written_session = session(
        1,
        2,
        visitor_id=2**64 - 1,  # a 64-bit hash uses the whole UBIGINT range
        local_time="08:00:00",
        session_goals=[3, 1],
        location_latitude=52.2,
        session_entry_url="https://example.com/",
        browser_name="CH",
    )
    store.write([written_event], [written_session], 9)
    [read_event] = store.session_events(website, 1)
    [read_session] = store.recent_sessions(T0)
    assert {k: read_event[k] for k in written_event} == written_event
    assert {k: read_session[k] for k in written_session} == written_session
    assert read_event["previous_event_url"] == ""  # missing non-nullable → default
    assert read_event["page_generation_time"] is None  # missing nullable → NULL
    assert read_session["visitor_session_number"] == 1  # declared default
    assert read_session["referrer_type"] == 1
    assert read_session["operating_system"] is None


def test_timestamps_are_stored_as_utc_without_zone(
    store: DuckDBStore, db_path: str, event: RowFactory, session: RowFactory
) -> None:
    store.write([event(1, 0, timestamp=T0 + 0.5, local_time="01:02:03")], [session(1)], 1)
    store.close()
    with duckdb.connect(db_path) as con:
        row = con.execute('SELECT "timestamp", local_time FROM events').fetchone()
        kind = con.execute('SELECT typeof("timestamp") FROM events').fetchone()
    assert row == (datetime(2023, 11, 14, 22, 13, 20, 500000), time(1, 2, 3))
    assert kind == ("TIMESTAMP",)


def test_none_in_a_non_nullable_column_takes_the_default(
    store: DuckDBStore, event: RowFactory, website: str
) -> None:
    store.write([event(1, 0, event_title=None, event_type=None)], [], 1)
    [row] = store.session_events(website, 1)
    assert (row["event_title"], row["event_type"]) == ("", 1)


def test_newest_session_version_wins_within_one_batch(
    store: DuckDBStore, session: RowFactory
) -> None:
    batch = [session(1, 2, user_id="b"), session(1, 3, user_id="c"), session(1, 1, user_id="a")]
    store.write([], batch, 1)
    assert [(s["session_version"], s["user_id"]) for s in store.recent_sessions(0.0)] == [(3, "c")]


def test_newest_session_version_wins_across_batches(
    store: DuckDBStore, session: RowFactory, other_website: str
) -> None:
    store.write([], [session(1, 1, user_id="a"), session(2, 5, user_id="x")], 1)
    store.write([], [session(1, 2, user_id="b"), session(2, 4, user_id="stale")], 2)
    store.write([], [session(1, 2, user_id="b again"), session(1, website_id=other_website)], 3)
    rows = {(s["website_id"], s["session_id"]): s for s in store.recent_sessions(0.0)}
    assert len(rows) == 3  # same session_id on another website is another session
    assert [
        (s["session_version"], s["user_id"]) for s in rows.values() if s["session_id"] == 2
    ] == [(5, "x")]
    kept = [s for s in rows.values() if s["session_id"] == 1 and s["session_version"] == 2]
    assert [s["user_id"] for s in kept] == ["b again"]  # an equal version replaces (replays)
    assert store.counts()["sessions"] == 3


def test_latest_versions_keeps_one_row_per_key(session: RowFactory) -> None:
    rows = [session(1, 1), session(2, 7), session(1, 4), session(2, 7, user_id="later")]
    assert [
        (r["session_id"], r["session_version"], r.get("user_id")) for r in latest_versions(rows)
    ] == [(1, 4, None), (2, 7, "later")]


def test_checkpoint_advances_with_the_rows(
    store: DuckDBStore, event: RowFactory, session: RowFactory
) -> None:
    assert store.checkpoint() == 0
    store.write([event(1, 0), event(1, 1)], [session(1)], 17)
    assert store.checkpoint() == 17
    store.write([], [], 18)  # a batch of dropped hits still moves the checkpoint
    assert store.checkpoint() == 18
    assert store.counts() == {"events": 2, "sessions": 1, "visitors": 1, "bounces": 0}


def test_failure_mid_transaction_leaves_neither_rows_nor_checkpoint(
    store: DuckDBStore, event: RowFactory, session: RowFactory
) -> None:
    store.write([event(1, 0)], [session(1)], 3)
    # The events insert succeeds, then the sessions insert fails on the website id.
    with pytest.raises(duckdb.ConversionException):
        store.write([event(2, 0), event(2, 1)], [session(2, website_id="not-a-uuid")], 4)
    assert store.checkpoint() == 3
    assert store.counts() == {"events": 1, "sessions": 1, "visitors": 1, "bounces": 0}
    store.write([event(2, 0)], [session(2)], 4)  # the store is usable after the failure
    assert (store.checkpoint(), store.counts()["events"]) == (4, 2)


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        ({"website_id": None}, duckdb.ConstraintException),  # the tenant key is required
        ({"event_id": -1}, (pa.ArrowInvalid, OverflowError)),  # out of UBIGINT range
        ({"local_time": "25:99:00"}, duckdb.ConversionException),
    ],
)
def test_invalid_event_writes_nothing(
    store: DuckDBStore, event: RowFactory, bad: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        store.write([event(1, 0), event(1, 1, **bad)], [], 8)
    assert (store.checkpoint(), store.counts()["events"]) == (0, 0)


def test_negative_checkpoint_rolls_back_the_rows(store: DuckDBStore, event: RowFactory) -> None:
    with pytest.raises(duckdb.Error):
        store.write([event(1, 0)], [], -1)
    assert (store.checkpoint(), store.counts()["events"]) == (0, 0)


def test_reopened_file_keeps_rows_and_checkpoint(
    db_path: str, event: RowFactory, session: RowFactory, website: str
) -> None:
    first = DuckDBStore(db_path)
    first.migrate()
    first.write([event(1, 0), event(1, 1)], [session(1, 1)], 11)
    first.write([], [session(1, 2, is_bounce=1)], 12)
    first.close()
    first.close()  # idempotent
    again = DuckDBStore(db_path)
    again.migrate()
    assert again.checkpoint() == 12
    assert again.counts(website) == {"events": 2, "sessions": 1, "visitors": 1, "bounces": 1}
    assert [e["event_index"] for e in again.session_events(website, 1)] == [0, 1]
    again.close()
    with pytest.raises(RuntimeError, match="closed"):
        again.checkpoint()


def test_large_batches_convert_in_chunks_and_write_every_row(
    store: DuckDBStore, event: RowFactory
) -> None:
    # why chunks: one Arrow conversion holds the interpreter lock; 50k rows in one call stalled
    # the collector for 0.2-0.4 s (schema.ARROW_CHUNK_ROWS)
    n = 2 * schema.ARROW_CHUNK_ROWS + 5
    rows = [event(i // 3, i % 3, event_url=f"https://example.com/{i}") for i in range(n)]
    table = schema.to_arrow("events", rows)
    assert [b.num_rows for b in table.to_batches()] == [2048, 2048, 5]
    store.write(rows, [], 1)
    got = store.execute(
        "SELECT count(*), count(DISTINCT event_url), max(event_url) FILTER (WHERE event_id = ?)"
        " FROM events",
        [rows[-1]["event_id"]],
    )
    assert got == [(n, n, f"https://example.com/{n - 1}")]
    # a failing value in the last chunk fails the whole batch before anything is written
    bad = [*rows, event(9999, 0, event_index=-1)]
    with pytest.raises((pa.ArrowInvalid, OverflowError)):
        store.write(bad, [], 2)
    assert store.checkpoint() == 1
