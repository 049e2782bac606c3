"""DuckDBStore.write specifics: one transaction for rows and checkpoint, DuckDB types and errors."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from datetime import datetime, time
from typing import Any

import duckdb
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from footfall.store.base import latest_versions
from footfall.store.duckdb import DuckDBStore, schema

T0 = 1_700_000_000.0
RowFactory = Callable[..., dict[str, Any]]


@pytest.fixture
def store(db_path: str) -> Iterator[DuckDBStore]:
    """This module tests the DuckDB backend only (the interface tests are in test_write.py)."""
    opened = DuckDBStore(db_path)
    opened.migrate()
    yield opened
    opened.close()


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


def test_latest_versions_keeps_one_row_per_key(session: RowFactory) -> None:
    rows = [session(1, 1), session(2, 7), session(1, 4), session(2, 7, user_id="later")]
    assert [
        (r["session_id"], r["session_version"], r.get("user_id")) for r in latest_versions(rows)
    ] == [(1, 4, None), (2, 7, "later")]


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


_cell = st.one_of(
    st.none(),
    st.sampled_from(["", "a", "https://example.com/"]),
    st.integers(0, 3),
    st.booleans(),
)


@settings(max_examples=80, deadline=None)
@given(
    values=st.lists(st.tuples(_cell, st.sampled_from([0.0, -0.0, 1.5, None])), min_size=1),
    drop_key=st.booleans(),
)
def test_arrow_columns_equal_the_struct_conversion(
    values: list[tuple[Any, float | None]], drop_key: bool
) -> None:
    # why: to_arrow builds columns (a repeated value without converting each); it must give
    # exactly what Arrow's struct conversion of the row dicts gives, -0.0 and nulls included
    names = [f.name for f in schema.arrow_schema("events")]
    string_col, int_col, float_col = "event_url", "event_index", "custom_event_value"
    assert {string_col, int_col, float_col} <= set(names)
    rows: list[dict[str, Any]] = []
    for cell, number in values:
        row: dict[str, Any] = dict.fromkeys(names)
        row[string_col] = cell if isinstance(cell, str) or cell is None else str(cell)
        row[int_col] = cell if type(cell) is int else None
        row[float_col] = number
        rows.append(row)
    if drop_key:
        del rows[-1][string_col]  # a missing key reads as null
    struct = pa.struct(list(schema.arrow_schema("events")))
    expected = pa.Table.from_batches(
        [pa.RecordBatch.from_struct_array(pa.array(rows, type=struct))],
        schema=schema.arrow_schema("events"),
    )
    got = schema.to_arrow("events", rows)
    assert got.equals(expected)
    signs = [math.copysign(1, v) for v in got.column(float_col).to_pylist() if v is not None]
    assert signs == [math.copysign(1, n) for _, n in values if n is not None]


def test_a_repeated_out_of_range_value_still_fails_before_the_write() -> None:
    names = [f.name for f in schema.arrow_schema("events")]
    rows = [{**dict.fromkeys(names), "event_id": -1} for _ in range(3)]
    with pytest.raises((pa.ArrowInvalid, OverflowError)):
        schema.to_arrow("events", rows)
