"""EventStore reads (every backend): restoring open sessions, visitor history, counts, thread-safe execute."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest

from footfall.model.columns import ORDER, PAGE_VIEW
from footfall.store.base import VisitorHistory
from footfall.store.clickhouse import ClickHouseStore
from footfall.store.duckdb import DuckDBStore

T0 = 1_700_000_000.0
RowFactory = Callable[..., dict[str, Any]]
AnyStore = DuckDBStore | ClickHouseStore


def test_recent_sessions_by_last_event_time(store: AnyStore, session: RowFactory) -> None:
    store.write(
        [],
        [
            session(1, last_event_time=T0 + 100),
            session(2, last_event_time=T0 + 300.5),
            session(3, last_event_time=T0 + 200),
        ],
        1,
    )
    recent = store.recent_sessions(T0 + 200)
    assert [(s["session_id"], s["last_event_time"]) for s in recent] == [
        (3, T0 + 200),
        (2, T0 + 300.5),
    ]
    assert isinstance(recent[0]["timestamp"], float)
    assert store.recent_sessions(T0 + 301) == []


def test_session_events_in_event_index_order(
    store: AnyStore, event: RowFactory, website: str, other_website: str
) -> None:
    store.write([event(1, 2), event(1, 0), event(2, 0), event(1, 1)], [], 1)
    store.write([event(1, 3, website_id=other_website)], [], 2)
    rows = store.session_events(website, 1)
    assert [r["event_index"] for r in rows] == [0, 1, 2]
    assert [r["timestamp"] for r in rows] == [T0, T0 + 1, T0 + 2]
    assert {r["website_id"] for r in rows} == {website}
    assert rows[0]["local_time"] is None
    assert store.session_events(website, 99) == []


def test_visitor_history_counts_earlier_sessions_and_orders(
    store: AnyStore, event: RowFactory, session: RowFactory, website: str, other_website: str
) -> None:
    day = 86_400.0
    store.write(
        [
            event(1, 0, timestamp=T0 + 10, event_type=ORDER),
            event(2, 0, timestamp=T0 + day + 5, event_type=ORDER),
            event(2, 1, timestamp=T0 + day + 9, event_type=PAGE_VIEW),
            event(3, 0, timestamp=T0 + 3 * day, event_type=ORDER),  # after `before`
        ],
        [
            session(1, timestamp=T0),
            session(2, timestamp=T0 + day),
            session(3, timestamp=T0 + 3 * day),
            session(4, timestamp=T0 + 2 * day, visitor_id=7),  # another visitor
            session(5, timestamp=T0 - day, website_id=other_website),  # another website
        ],
        1,
    )
    history = store.visitor_history(website, 42, T0 + 2 * day)
    assert history == VisitorHistory(
        sessions=2, first_seen=T0, last_seen=T0 + day, last_order=T0 + day + 5
    )
    no_order = store.visitor_history(website, 7, T0 + 4 * day)
    assert no_order == VisitorHistory(1, T0 + 2 * day, T0 + 2 * day, None)
    assert store.visitor_history(website, 42, T0) is None  # strictly before
    assert store.visitor_history(website, 999, T0 + 9 * day) is None


def test_counts_overall_and_per_website(
    store: AnyStore, event: RowFactory, session: RowFactory, website: str, other_website: str
) -> None:
    assert store.counts() == {"events": 0, "sessions": 0, "visitors": 0, "bounces": 0}
    store.write(
        [event(1, 0), event(2, 0), event(3, 0, website_id=other_website)],
        [
            session(1, is_bounce=1),
            session(2, visitor_id=43),
            session(3, website_id=other_website, is_bounce=1),  # same visitor_id, other site
        ],
        1,
    )
    assert store.counts() == {"events": 3, "sessions": 3, "visitors": 3, "bounces": 2}
    assert store.counts(website) == {"events": 2, "sessions": 2, "visitors": 2, "bounces": 1}


def test_execute_binds_parameters(store: AnyStore, event: RowFactory, website: str) -> None:
    store.write([event(1, 0, event_url="a'b"), event(1, 1, event_url="c")], [], 1)
    # placeholders are the dialect's: DuckDB `?`, ClickHouse `{p<i>:Type}`
    sql = {
        DuckDBStore: "SELECT event_index FROM events"
        " WHERE website_id = CAST(? AS UUID) AND event_url = ?",
        ClickHouseStore: "SELECT event_index FROM events"
        " WHERE website_id = {p0:UUID} AND event_url = {p1:String}",
    }[type(store)]
    rows = store.execute(sql, [website, "a'b"])
    assert rows == [(0,)]
    assert store.execute("WITH x AS (SELECT 2 AS n) SELECT n FROM x") == [(2,)]


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM events",
        "DROP TABLE events",
        "SELECT 1; DELETE FROM events",
        "UPDATE ingest_state SET value = 0",
    ],
)
def test_execute_refuses_anything_but_one_select(store: AnyStore, sql: str) -> None:
    with pytest.raises(ValueError, match="read-only SELECT"):
        store.execute(sql)


def test_concurrent_reads_during_writes(store: AnyStore, event: RowFactory) -> None:
    errors: list[BaseException] = []
    stop = threading.Event()

    def read() -> None:
        try:
            while not stop.is_set():
                [(count,)] = store.execute("SELECT count(*) FROM events")
                assert count % 10 == 0  # a reader never sees half a batch
                store.checkpoint()
        except BaseException as error:  # reported by the main thread
            errors.append(error)

    readers = [threading.Thread(target=read) for _ in range(4)]
    for reader in readers:
        reader.start()
    for batch in range(20):
        store.write([event(batch, i) for i in range(10)], [], batch + 1)
    stop.set()
    for reader in readers:
        reader.join()
    assert errors == []
    assert (store.checkpoint(), store.counts()["events"]) == (20, 200)
